/* json_strict.h - RFC 8259 check of a request body's bytes, run before
 * json-c reads them (json-c accepts comments, trailing commas, single
 * quotes, NaN and more even in its strict mode). */
#ifndef JSON_STRICT_H
#define JSON_STRICT_H

#include "arena.h"

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting of arrays and objects a body may have. */
#define JSON_MAX_DEPTH 64

/* NULL when s[0..n) is one JSON text as RFC 8259 defines it (UTF-8, no
 * unpaired surrogate escapes, at most JSON_MAX_DEPTH deep); else why not,
 * in the wording of Python's json module where it has one. */
const char *json_strict_check(struct arena *a, const char *s, size_t n);

/* Length of the well-formed UTF-8 sequence at s (at most n bytes): 1-4,
 * or 0 when it is invalid, overlong, a surrogate or beyond U+10FFFF. NUL
 * is a valid one-byte sequence here. */
int utf8_seq(const unsigned char *s, size_t n);

/* Whether s[0..n) is well-formed UTF-8 without NUL characters. */
bool utf8_text_ok(const char *s, size_t n);

#endif
