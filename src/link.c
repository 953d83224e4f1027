/* link.c - hyperlinks: every record refers to others by absolute URL, built
 * from the Host the client used, and accepts them back by path alone. */
#include "link.h"
#include "schema.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* Built by hand: a page of records holds hundreds of hyperlinks, and
 * printf was a tenth of a list's time in the worker. */
void link_append(struct buf *b, const struct request *r, const char *base,
                 const char *resource, long long id)
{
	buf_puts(b, base);
	buf_add(b, "/api/", 5);
	buf_puts(b, resource);
	buf_putc(b, '/');
	buf_put_int(b, id);
	buf_putc(b, '/');
	buf_puts(b, format_suffix(r));
}

char *link_to(struct request *r, const char *resource, long long id)
{
	struct buf b;
	buf_init(&b, r->a);
	link_append(&b, r, r->base, resource, id);
	return b.p;
}

bool parse_id(const char *s, size_t n, long long *id)
{
	if (n == 0 || n > 18)
		return false;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return true;
}

/* Longest hyperlink path we resolve; no record's path comes near it. */
#define PATH_MAX_LEN 2048

/* A URL's authority (user@host:port, n bytes at p) is well formed: an
 * IPv6 literal's bracket closed, a port of digits up to 65535, no space
 * or control character in the host. Which host it is does not matter. */
bool authority_ok(const char *p, size_t n)
{
	const char *end = p + n;
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	const char *port;
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (!close)
			return false;
		for (const char *q = p + 1; q < close; q++)
			if (!isxdigit((unsigned char)*q) && *q != ':' &&
			    *q != '.')
				return false;
		port = close + 1;
		if (port < end && *port != ':')
			return false;
	} else {
		port = memchr(p, ':', (size_t)(end - p));
		if (!port)
			port = end;
		for (const char *q = p; q < port; q++)
			if ((unsigned char)*q <= ' ' || *q == 0x7f ||
			    strchr("[]<>\"{}|\\^`", *q))
				return false;
	}
	if (port < end) {
		port++;
		if (end - port > 5)
			return false;
		long v = 0;
		for (const char *q = port; q < end; q++) {
			if (!isdigit((unsigned char)*q))
				return false;
			v = v * 10 + (*q - '0');
		}
		if (v > 65535)
			return false;
	}
	return true;
}

/* The path a hyperlink names, percent-decoded into out: for http(s) URLs
 * the URL's path (host, port, query and fragment do not matter as long as
 * they are well formed), otherwise the whole text. False when it is too
 * long to be a record's or not a well-formed URL. */
static bool link_path(const char *url, char *out)
{
	const char *p = url;
	size_t n = strlen(url);
	if (!strncmp(p, "http:", 5) || !strncmp(p, "https:", 6)) {
		p = strchr(p, ':') + 1;
		if (!strncmp(p, "//", 2)) {
			size_t an = strcspn(p + 2, "/?#");
			if (!authority_ok(p + 2, an))
				return false;
			p += 2 + an;
		}
		n = strcspn(p, "?#");
	}
	if (n >= PATH_MAX_LEN)
		return false;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (p[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)p[i + 1]) &&
		    isxdigit((unsigned char)p[i + 2]) &&
		    sscanf(p + i + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = p[i];
		}
	}
	out[o] = 0;
	return true;
}

/* ".json" or ".json/" and the like: the format suffixes the reference routes */
static bool suffix_end(const char *p)
{
	if (*p == '.') {
		size_t n =
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!n)
			return false;
		p += n + 1;
		return !strcmp(p, "") || !strcmp(p, "/");
	}
	return false;
}

enum link_err link_parse(const char *url, const char *root,
                         const char *resource, long long *id)
{
	char path[PATH_MAX_LEN];
	if (!link_path(url, path))
		return LINK_NO_MATCH;
	const char *p = path;
	/* as Django's resolve() after its script prefix is stripped: a path
	 * without the prefix is resolved as it is */
	size_t rn = root ? strlen(root) : 0;
	if (rn && !strncmp(p, root, rn) && p[rn] == '/')
		p += rn;
	if (strncmp(p, "/api/", 5))
		return LINK_NO_MATCH;
	p += 5;
	if (!*p)
		return LINK_WRONG_MATCH; /* the API root */
	size_t rlen = strcspn(p, "/.");
	if (!rlen || !resource_find(p, (int)rlen))
		return LINK_NO_MATCH;
	bool right = strlen(resource) == rlen && !strncmp(p, resource, rlen);
	const char *rest = p + rlen;
	if (!strcmp(rest, "/") || suffix_end(rest))
		return LINK_WRONG_MATCH; /* a list */
	if (*rest != '/')
		return LINK_NO_MATCH;
	const char *pk = rest + 1; /* the detail route: <pk>/ or <pk>.json */
	size_t pklen = strcspn(pk, "/.");
	const char *end = pk + pklen;
	if (!pklen || (strcmp(end, "/") && !suffix_end(end)))
		return LINK_NO_MATCH;
	if (!right)
		return LINK_WRONG_MATCH;
	return parse_id(pk, pklen, id) ? LINK_OK : LINK_NO_OBJECT;
}

const char *link_missing(struct request *rq, const char *table, const char *ids,
                         int *err)
{
	char *sql = arena_printf(rq->a,
	                         "SELECT u.v FROM unnest($1::bigint[]) "
	                         "WITH ORDINALITY u(v, i) WHERE NOT EXISTS "
	                         "(SELECT 1 FROM \"%s\" x WHERE x.id = u.v) "
	                         "ORDER BY u.i LIMIT 1",
	                         table);
	PGresult *res = db_query(rq->db, sql, 1, &ids);
	const char *id = NULL;
	*err = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		*err = -1;
	else if (PQntuples(res))
		id = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (*err)
		resp_db_failure(rq);
	return id;
}
