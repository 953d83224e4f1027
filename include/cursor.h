/* cursor.h - opaque list cursors: where a page starts, as the sort-key
 * values of the record at its edge (keyset pagination), so pages stay exact
 * while records are being added. */
#ifndef CURSOR_H
#define CURSOR_H

#include "arena.h"
#include <stdbool.h>

#define CURSOR_MAX_KEYS 8

struct cursor {
	bool backward;        /* previous page: records before the edge */
	const char *ordering; /* the ordering it was made for */
	int nvals;
	const char *vals[CURSOR_MAX_KEYS]; /* NULL = SQL NULL; last = id */
};

char *cursor_encode(struct arena *a, const struct cursor *c);
/* Returns false when s is not a cursor this registry made. */
bool cursor_decode(struct arena *a, const char *s, struct cursor *c);

/* base64url without padding */
char *b64url_encode(struct arena *a, const unsigned char *p, size_t n);
/* NULL when s is not base64url; *n gets the length */
unsigned char *b64url_decode(struct arena *a, const char *s, size_t *n);

#endif
