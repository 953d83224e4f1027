/* alias.c - the reference's aliases: /data_product/<namespace>:<name>@<version>
 * and /external_object/<alternate_identifier>:<title>@<version> answer with
 * the file the record names: a redirect to the storage root and path
 * joined, the root alone (?root), or - for a file on a local registry's own
 * disk - the file itself, sent by nginx (X-Accel-Redirect to /_files/),
 * never read by a worker. */
#include "alias.h"
#include "mime.h"
#include "settings.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* True if s[0..n) holds none of the characters in set. */
static bool free_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (strchr(set, s[i]))
			return false;
	return true;
}

/* The reference's URL patterns are regular expressions over the decoded
 * path: <str> is [^/]+, <path> is .+ (no newline), tried greedily. The
 * version runs from the last '@' (any earlier '@' would give a version
 * holding this one's '/'); the first part takes the last ':' that still
 * leaves a non-empty name. */
bool alias_split(struct arena *a, const char *s, bool first_any,
                 struct alias *out)
{
	const char *at = strrchr(s, '@');
	if (!at || !at[1] || strchr(at + 1, '/'))
		return false;
	size_t at_i = (size_t)(at - s);
	const char *first_bad = first_any ? "\n" : "/";
	for (size_t i = at_i >= 2 ? at_i - 2 : 0; i >= 1; i--) {
		if (s[i] != ':' || !free_of(s, i, first_bad) ||
		    !free_of(s + i + 1, at_i - i - 1, "\n"))
			continue;
		out->first = arena_strndup(a, s, i);
		out->name = arena_strndup(a, s + i + 1, at_i - i - 1);
		out->version = arena_strdup(a, at + 1);
		return true;
	}
	return false;
}

char *alias_join(struct arena *a, const char *root, const char *path)
{
	path += strspn(path, "/");
	path += strspn(path, "\\");
	if (path[0] == '/') /* os.path.join drops the root then */
		return arena_strdup(a, path);
	size_t n = strlen(root);
	bool sep = n && root[n - 1] != '/';
	return arena_printf(a, "%s%s%s", root, sep ? "/" : "", path);
}

/* Percent-encodes what a Location header or nginx's internal redirect must
 * not carry raw (as Django's iri_to_uri does for a redirect). */
static char *encode(struct arena *a, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr(keep, c)) {
			buf_putc(&b, (char)c);
		} else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[c >> 4]);
			buf_putc(&b, hex[c & 15]);
		}
	}
	return b.p;
}

static void redirect(struct request *rq, const char *uri)
{
	req_header(rq, "Location",
	           encode(rq->a, uri, "-._~/#%[]=:;$&()+,!?*@'"));
	resp_text(rq, 302, "text/html; charset=utf-8", "", 0);
}

static void text(struct request *rq, const char *s)
{
	resp_text(rq, 200, "text/plain; charset=utf-8", s, strlen(s));
}

/* Absolute, and no "." or ".." segment: a location's path stays under its
 * root (nginx would refuse those segments anyway). */
static bool servable(const char *file)
{
	if (file[0] != '/')
		return false;
	for (const char *p = file; (p = strchr(p, '/')) != NULL;) {
		p++;
		size_t n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
	}
	return true;
}

/* The file a file:// URI (or a bare absolute path) names, sent by nginx;
 * only on a local registry and only from a root marked local. */
static void send_local(struct request *rq, const char *file, bool local)
{
	if (settings.remote) {
		resp_detail(rq, 503,
		            "This registry does not serve files from its "
		            "own disk.");
		return;
	}
	struct stat st;
	if (!local || !servable(file) || stat(file, &st) != 0 ||
	    !S_ISREG(st.st_mode)) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	const char *base = strrchr(file, '/') + 1;
	/* nginx keeps this type when it sends the file (X-Accel-Redirect) */
	const char *type = mime_type_for(base);
	req_header(rq, "Content-Disposition",
	           arena_printf(rq->a, "inline; filename*=UTF-8''%s",
	                        encode(rq->a, base, "-._~")));
	resp_file(
	    rq, file,
	    arena_printf(rq->a, "/_files%s", encode(rq->a, file, "-._~/")),
	    type);
}

/* root + path: a redirect, or the file itself when it is on this disk */
static void deliver(struct request *rq, const char *root, const char *path,
                    bool local)
{
	const char *uri = alias_join(rq->a, root, path);
	if (!strncmp(uri, "file://", 7))
		send_local(rq, uri + 7, local);
	else if (uri[0] == '/')
		send_local(rq, uri, local);
	else
		redirect(rq, uri);
}

static bool get_only(struct request *rq)
{
	req_header(rq, "Allow", "GET, HEAD");
	if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD"))
		return true;
	resp_detail(
	    rq, 405,
	    arena_printf(rq->a, "Method \"%s\" not allowed.", rq->method));
	return false;
}

/* Runs sql with the alias's three parts; NULL with the answer set unless
 * exactly one record matched (the reference's get() fails otherwise). */
static PGresult *lookup(struct request *rq, const char *sql,
                        const struct alias *al)
{
	const char *v[] = {al->first, al->name, al->version};
	PGresult *res = db_query(rq->db, sql, 3, v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return NULL;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		resp_detail(rq, 404, "Not found.");
		return NULL;
	}
	return res;
}

static const char product_sql[] =
    "SELECT sr.root, sl.path, sr.local "
    "FROM data_product dp"
    " JOIN namespace n ON n.id = dp.namespace_id"
    " JOIN object o ON o.id = dp.object_id"
    " LEFT JOIN storage_location sl ON sl.id = o.storage_location_id"
    " LEFT JOIN storage_root sr ON sr.id = sl.storage_root_id "
    "WHERE n.name = $1 AND dp.name = $2 AND dp.version = $3";

void alias_data_product(struct request *rq, const char *rest)
{
	struct alias al;
	if (!get_only(rq))
		return;
	if (!alias_split(rq->a, rest, false, &al)) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	PGresult *res = lookup(rq, product_sql, &al);
	if (!res)
		return;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		resp_detail(rq, 404, "Not found.");
		return;
	}
	char *root = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	char *path = arena_strdup(rq->a, PQgetvalue(res, 0, 1));
	bool local = !strcmp(PQgetvalue(res, 0, 2), "t");
	PQclear(res);
	if (query_get(&rq->q, "root"))
		text(rq, root);
	else
		deliver(rq, root, path, local);
}

static const char external_sql[] =
    "SELECT sr.root, sl.path, sr.local, osr.root, osl.path, osr.local "
    "FROM external_object eo"
    " JOIN data_product dp ON dp.id = eo.data_product_id"
    " JOIN object o ON o.id = dp.object_id"
    " LEFT JOIN storage_location sl ON sl.id = o.storage_location_id"
    " LEFT JOIN storage_root sr ON sr.id = sl.storage_root_id"
    " LEFT JOIN storage_location osl ON osl.id = eo.original_store_id"
    " LEFT JOIN storage_root osr ON osr.id = osl.storage_root_id "
    "WHERE eo.alternate_identifier = $1 AND eo.title = $2"
    " AND eo.version = $3";

void alias_external_object(struct request *rq, const char *rest)
{
	struct alias al;
	if (!get_only(rq))
		return;
	if (!alias_split(rq->a, rest, true, &al)) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	PGresult *res = lookup(rq, external_sql, &al);
	if (!res)
		return;
	/* the product's own file unless ?original, then the original
	 * store, then nothing at all: 204 */
	int col = -1;
	if (!PQgetisnull(res, 0, 0) && !query_get(&rq->q, "original"))
		col = 0;
	else if (!PQgetisnull(res, 0, 3))
		col = 3;
	if (col < 0) {
		PQclear(res);
		resp_text(rq, 204, NULL, "", 0);
		return;
	}
	char *root = arena_strdup(rq->a, PQgetvalue(res, 0, col));
	char *path = arena_strdup(rq->a, PQgetvalue(res, 0, col + 1));
	bool local = !strcmp(PQgetvalue(res, 0, col + 2), "t");
	PQclear(res);
	if (query_get(&rq->q, "root"))
		text(rq, root);
	else
		deliver(rq, root, path, local);
}
