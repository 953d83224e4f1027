/* glob.h - Unix glob patterns as anchored PostgreSQL regular expressions. */
#ifndef GLOB_H
#define GLOB_H

#include "arena.h"

/* "*" any run (also across '/'), "?" one character, "[...]" and "[!...]"
 * classes; an unclosed '[' is literal. The whole value must match. */
char *glob_to_regex(struct arena *a, const char *glob);

#endif
