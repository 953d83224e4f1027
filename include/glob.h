/* glob.h - Unix glob patterns as anchored PostgreSQL regular expressions. */
#ifndef GLOB_H
#define GLOB_H

#include "arena.h"

#include <stdbool.h>

/* "*" any run (also across '/'), "?" one character, "[...]" and "[!...]"
 * classes with ranges; an unclosed '[' is literal. The whole value must
 * match. Runs of wildcards collapse into one; a reversed range ("z-a") is
 * dropped, as Python's fnmatch does, and a class left empty matches
 * nothing. */
char *glob_to_regex(struct arena *a, const char *glob);

/* How many wildcard runs and classes the glob holds: what its match costs
 * grows with it, so filters refuse more than GLOB_MAX_PARTS. */
int glob_parts(const char *glob);
#define GLOB_MAX_PARTS 64

/* Every text the glob matches starts with its literal prefix: with C
 * ordering, such texts lie in [*lo, *hi). A range on the column lets a
 * prepared statement's generic plan use an index, which it cannot derive
 * from a regular expression given as a parameter. False when the glob has
 * no usable prefix (it starts with a wildcard, or is not UTF-8). */
bool glob_prefix_range(struct arena *a, const char *glob, char **lo, char **hi);

#endif
