/* json_text.h - JSON strings written straight into a buffer. */
#ifndef JSON_TEXT_H
#define JSON_TEXT_H

#include "arena.h"

#include <stdbool.h>

/* s as a JSON string, quotes included: the escapes json-c and Python's
 * json module both use (\" \\ \n \r \t \b \f, \u00XX for other control
 * characters, '/' as it is). ascii: everything beyond ASCII as \uXXXX
 * (surrogate pairs above U+FFFF), as Python's ensure_ascii does. */
void json_string(struct buf *b, const char *s, size_t n, bool ascii);
/* The same without the quotes, for a string written in pieces. */
void json_chars(struct buf *b, const char *s, size_t n, bool ascii);

#endif
