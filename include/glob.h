/* glob.h - Unix glob patterns as anchored PostgreSQL regular expressions. */
#ifndef GLOB_H
#define GLOB_H

#include "arena.h"

#include <stdbool.h>

/* "*" any run (also across '/'), "?" one character, "[...]" and "[!...]"
 * classes; an unclosed '[' is literal. The whole value must match. */
char *glob_to_regex(struct arena *a, const char *glob);

/* Every text the glob matches starts with its literal prefix: with C
 * ordering, such texts lie in [*lo, *hi). A range on the column lets a
 * prepared statement's generic plan use an index, which it cannot derive
 * from a regular expression given as a parameter. False when the glob has
 * no usable prefix (it starts with a wildcard, or is not UTF-8). */
bool glob_prefix_range(struct arena *a, const char *glob, char **lo, char **hi);

#endif
