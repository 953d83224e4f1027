/* query.h - query-string and form-body decoding. */
#ifndef QUERY_H
#define QUERY_H

#include "arena.h"
#include <stdbool.h>

struct qarg {
	char *key;
	char *val;
};

struct query {
	struct qarg *v;
	int n;
};

#define QUERY_MAX_ARGS 256

#define QUERY_TOO_MANY (-1)
#define QUERY_BAD_TEXT (-2)

/* Splits on '&', decodes '+' and %XX leniently (a '%' not followed by two
 * hex digits stays as it is: clients do not always encode). Returns
 * QUERY_TOO_MANY when there are more than QUERY_MAX_ARGS arguments and
 * QUERY_BAD_TEXT when a key or value, decoded, is not UTF-8 text or holds
 * a NUL (raw or %00), which no later reader could tell from its end. */
int query_parse(struct arena *a, const char *qs, struct query *out);

/* The last value given for key, or NULL; clients and Django agree on last. */
const char *query_get(const struct query *q, const char *key);

char *url_decode(struct arena *a, const char *s, size_t n, bool plus);

/* url_decode that also says how many bytes it decoded to (*len), so that a
 * %00 can be told from the end. */
char *url_decode_len(struct arena *a, const char *s, size_t n, bool plus,
                     size_t *len);

/* Appends s percent-encoded for use as a query value. */
struct buf;
void url_encode(struct buf *b, const char *s);

/* Appends "?a=1&b=2&key=value": the arguments of q except key, encoded,
 * then key set to value (the next page's cursor, another format). value is
 * appended as it is. */
void query_with(struct buf *b, const struct query *q, const char *key,
                const char *value);

#endif
