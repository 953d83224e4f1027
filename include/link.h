/* link.h - hyperlinks between records: building absolute URLs from the
 * request's base, and resolving a hyperlink back to an id by its path. */
#ifndef LINK_H
#define LINK_H

#include "request.h"

/* base + /api/<resource>/<id>/ + the format suffix */
char *link_to(struct request *r, const char *resource, long long id);
/* The same appended to b, after base (r->base, or that escaped). */
void link_append(struct buf *b, const struct request *r, const char *base,
                 const char *resource, long long id);

enum link_err {
	LINK_OK,
	LINK_NO_MATCH,    /* not a path of any record */
	LINK_WRONG_MATCH, /* a record of another resource */
	LINK_NO_OBJECT,   /* the id cannot name a record */
};

/* Resolves "http://any.host<root>/api/<resource>/<id>/" or the bare path,
 * as the reference's router would: the trailing slash is needed, ".json"
 * may replace it, the host is ignored (the same database answers under
 * several names), the mount path root ("" or "/fair") is taken off the
 * front when it is there. */
enum link_err link_parse(const char *url, const char *root,
                         const char *resource, long long *id);

/* The first of ids (a PostgreSQL array text, "{3,7}") that names no
 * record of table, NULL when all do. One statement, however many ids.
 * After a database failure *err is -1 and the answer is set. */
const char *link_missing(struct request *rq, const char *table, const char *ids,
                         int *err);

/* Parses a positive decimal id (no sign, no spaces, no overflow). */
bool parse_id(const char *s, size_t n, long long *id);

/* Whether a URL's authority (the n bytes after "//") is well formed: a
 * closed IPv6 bracket, a port up to 65535, no space in the host. */
bool authority_ok(const char *p, size_t n);

#endif
