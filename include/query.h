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

/* Splits on '&', decodes '+' and %XX leniently (a '%' not followed by two
 * hex digits stays as it is: clients do not always encode). Returns -1 when
 * there are more than QUERY_MAX_ARGS arguments. */
int query_parse(struct arena *a, const char *qs, struct query *out);

/* The last value given for key, or NULL; clients and Django agree on last. */
const char *query_get(const struct query *q, const char *key);

char *url_decode(struct arena *a, const char *s, size_t n, bool plus);

/* Appends s percent-encoded for use as a query value. */
struct buf;
void url_encode(struct buf *b, const char *s);

/* Appends "?a=1&b=2&key=value": the arguments of q except key, encoded,
 * then key set to value (the next page's cursor, another format). value is
 * appended as it is. */
void query_with(struct buf *b, const struct query *q, const char *key,
                const char *value);

#endif
