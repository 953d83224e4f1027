/* store.c - the registry's own object store, in place of the reference's
 * S3 bucket, so that `fair push` can copy files to any registry.
 *
 * Two steps, as the reference's data upload guide describes: a token holder
 * asks POST /api/data/<sha1> for an upload URL, then PUTs the file there.
 * The URL is this registry's own, /data/upload/<sha1>?expires=&signature=,
 * signed with HMAC-SHA256 under a key made once per installation (table
 * object_store). nginx asks us whether the URL is good before it reads any
 * of the body, writes the body to a file next to the store and gives us
 * only its name: we hash the file and link it into the store under its
 * SHA-1, so no worker ever holds an upload and a half-done one never shows.
 * Downloads (GET /data/<sha1>) are sent by nginx too (X-Accel-Redirect).
 *
 * Layout under the data_dir setting: objects/<first two digits>/<sha1>, and
 * incoming/ where nginx keeps bodies while they arrive. */
#include "store.h"
#include "auth.h"
#include "cli.h"
#include "digest.h"
#include "handlers.h"
#include "settings.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY_LEN 32

/* Registers the store's root, unless one is recorded already: its own row
 * if none has that root, else the existing one. $1 user, $2 root. */
static const char ensure_root_sql[] =
    "WITH ins AS ("
    " INSERT INTO storage_root (updated_by_id, root, local)"
    " SELECT $1, $2, false FROM object_store"
    " WHERE data_root_id IS NULL"
    " ON CONFLICT (root) DO NOTHING RETURNING id) "
    "UPDATE object_store SET data_root_id = coalesce("
    " (SELECT id FROM ins),"
    " (SELECT id FROM storage_root WHERE root = $2)) "
    "WHERE data_root_id IS NULL";

bool store_is_sha1(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 40 && !s[n];
}

void store_sign(const unsigned char *key, size_t key_len, const char *sha1,
                long long expires, char out[65])
{
	char msg[80];
	unsigned char md[SHA256_LEN];
	int n = snprintf(msg, sizeof msg, "%s:%lld", sha1, expires);
	digest_hmac_sha256(key, key_len, msg, (size_t)n, md);
	digest_hex(md, sizeof md, out);
}

/* The store's directory (absolute), or NULL with a 503 when there is none:
 * src/stack.sh always sets it. */
static const char *data_dir(struct request *rq)
{
	const char *d = settings.data_dir;
	if (d[0] == '/')
		return d;
	resp_detail(rq, 503, "The object store is not configured.");
	return NULL;
}

static char *object_path(struct request *rq, const char *dir, const char *sha1)
{
	return arena_printf(rq->a, "%s/objects/%.2s/%s", dir, sha1, sha1);
}

/* The signing key, read once per worker: it never changes. */
static const unsigned char *upload_key(struct request *rq)
{
	static unsigned char key[KEY_LEN];
	static bool have;
	if (have)
		return key;
	PGresult *res = db_query(
	    rq->db, "SELECT encode(upload_key, 'hex') FROM object_store", 0,
	    NULL);
	const char *hex =
	    PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
	        ? PQgetvalue(res, 0, 0)
	        : "";
	if (strlen(hex) == 2 * KEY_LEN) {
		for (int i = 0; i < KEY_LEN; i++)
			sscanf(hex + 2 * i, "%2hhx", &key[i]);
		have = true;
	}
	PQclear(res);
	if (!have)
		resp_db_failure(rq);
	return have ? key : NULL;
}

static bool is(const struct request *rq, const char *m)
{
	return !strcmp(rq->method, m);
}

static void not_allowed(struct request *rq)
{
	resp_detail(
	    rq, 405,
	    arena_printf(rq->a, "Method \"%s\" not allowed.", rq->method));
}

/* {"checksum": ...} from a JSON or form body; NULL with the answer set */
static const char *body_checksum(struct request *rq)
{
	struct json_object *body = parse_body(rq);
	if (!body)
		return NULL;
	struct json_object *v = json_object_object_get(body, "checksum");
	const char *s = NULL;
	if (v && json_object_is_type(v, json_type_string))
		s = arena_strdup(rq->a, json_object_get_string(v));
	json_object_put(body);
	if (s && *s)
		return s;
	resp_field_error(rq, "checksum", "This field is required.");
	return NULL;
}

void store_upload_url(struct request *rq, const char *rest)
{
	/* /api/data/<checksum>, a single non-empty segment as the
	 * reference's <str:checksum>, or /api/data with it in the body */
	bool in_path = strcmp(rq->path, "/api/data") != 0;
	if (in_path && (!*rest || strchr(rest, '/'))) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	req_header(rq, "Allow", "POST, OPTIONS");
	if (is(rq, "OPTIONS")) {
		resp_json(rq, 200,
		          view_metadata("Object Storage",
		                        "API view allowing users to upload "
		                        "data to object storage"));
		return;
	}
	bool safe = is(rq, "GET") || is(rq, "HEAD");
	if (!safe && !rq->user) {
		resp_detail(rq, 403,
		            "Authentication credentials were not provided.");
		return;
	}
	if (!is(rq, "POST")) {
		not_allowed(rq);
		return;
	}
	const char *given = in_path ? rest : body_checksum(rq);
	if (!given)
		return;
	char *sum = arena_strdup(rq->a, given);
	for (char *p = sum; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!store_is_sha1(sum)) {
		resp_field_error(rq, "checksum",
		                 "Enter the file's SHA-1 checksum: 40 "
		                 "hexadecimal digits.");
		return;
	}
	const char *dir = data_dir(rq);
	if (!dir)
		return;
	/* The same bytes again: nothing to upload. (Whether a storage
	 * location names the hash does not matter: the fair CLI registers
	 * the location before it uploads the file.) */
	struct stat st;
	if (stat(object_path(rq, dir, sum), &st) == 0) {
		resp_detail(rq, 409,
		            "A file with this checksum is already stored.");
		return;
	}
	const unsigned char *key = upload_key(rq);
	if (!key)
		return;
	const char *v[] = {arena_printf(rq->a, "%lld", rq->user),
	                   arena_printf(rq->a, "%s/data/", rq->base)};
	PGresult *res = db_query(rq->db, ensure_root_sql, 2, v);
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		resp_db_failure(rq);
		return;
	}
	long long expires = (long long)time(NULL) + settings.upload_ttl;
	char sig[65];
	store_sign(key, KEY_LEN, sum, expires, sig);
	struct json_object *o = json_object_new_object();
	json_object_object_add(
	    o, "url",
	    json_object_new_string(arena_printf(
	        rq->a, "%s/data/upload/%s?expires=%lld&signature=%s", rq->base,
	        sum, expires, sig)));
	resp_json(rq, 200, o);
}

/* The URL's signature is ours and, when check_expiry, still good. */
static bool signature_ok(struct request *rq, const char *sha1,
                         bool check_expiry, const unsigned char *key)
{
	const char *e = query_get(&rq->q, "expires");
	const char *sig = query_get(&rq->q, "signature");
	if (!e || !sig || strlen(sig) != 64 || !*e ||
	    strspn(e, "0123456789") != strlen(e) || strlen(e) > 18)
		return false;
	long long expires = strtoll(e, NULL, 10);
	char want[65];
	store_sign(key, KEY_LEN, sha1, expires, want);
	if (CRYPTO_memcmp(want, sig, 64) != 0)
		return false;
	return !check_expiry || expires >= (long long)time(NULL);
}

/* SHA-1 of the file at fd as hex; false on a read error. */
static bool hash_file(int fd, char out[41])
{
	unsigned char md[SHA1_LEN];
	if (!digest_sha1_fd(fd, md))
		return false;
	digest_hex(md, sizeof md, out);
	return true;
}

static void fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Links the verified file into the store. A file already there has the
 * same bytes (same name, same SHA-1): a concurrent upload of it won. */
static bool keep(struct request *rq, const char *dir, const char *sha1, int fd,
                 const char *from)
{
	char *sub = arena_printf(rq->a, "%s/objects/%.2s", dir, sha1);
	char *to = object_path(rq, dir, sha1);
	if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "registry: store: mkdir %s: %s\n", sub,
		        strerror(errno));
		return false;
	}
	if (fsync(fd) != 0) {
		fprintf(stderr, "registry: store: fsync %s: %s\n", from,
		        strerror(errno));
		return false;
	}
	if (link(from, to) != 0 && errno != EEXIST) {
		fprintf(stderr, "registry: store: link %s %s: %s\n", from, to,
		        strerror(errno));
		return false;
	}
	fsync_dir(sub);
	return true;
}

/* The body file nginx names must be one of its own in incoming/. */
static bool body_file_ok(struct request *rq, const char *dir, const char *file)
{
	const char *in = arena_printf(rq->a, "%s/incoming/", dir);
	return file && !strncmp(file, in, strlen(in)) && !strstr(file, "/../");
}

void store_upload(struct request *rq, const char *rest)
{
	const unsigned char *key;
	if (rq->upload_check) {
		/* nginx knows 2xx (go on) and 403 (refuse) here; anything
		 * else, such as a database failure, it answers with 500 */
		if (!store_is_sha1(rest)) {
			resp_detail(rq, 403, "Invalid or expired upload URL.");
			return;
		}
		if (!(key = upload_key(rq)))
			return;
		if (signature_ok(rq, rest, true, key))
			resp_text(rq, 204, NULL, "", 0);
		else
			resp_detail(rq, 403, "Invalid or expired upload URL.");
		return;
	}
	req_header(rq, "Allow", "PUT");
	if (!store_is_sha1(rest)) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	if (!(key = upload_key(rq)))
		return;
	/* Expiry was checked when the upload began; a large file may take
	 * longer than the URL's life to arrive. */
	if (!signature_ok(rq, rest, false, key)) {
		resp_detail(rq, 403, "Invalid or expired upload URL.");
		return;
	}
	if (!is(rq, "PUT")) {
		not_allowed(rq);
		return;
	}
	const char *dir = data_dir(rq);
	if (!dir)
		return;
	if (!body_file_ok(rq, dir, rq->body_file)) {
		fprintf(stderr, "registry: store: no upload file from nginx "
		                "(see location /data/upload/)\n");
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	int fd = open(rq->body_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	char got[41];
	if (fd < 0 || !hash_file(fd, got)) {
		fprintf(stderr, "registry: store: reading %s: %s\n",
		        rq->body_file, strerror(errno));
		if (fd >= 0)
			close(fd);
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	/* nginx removes its file after the answer: a refused body is gone */
	if (strcmp(got, rest)) {
		close(fd);
		resp_detail(rq, 400,
		            arena_printf(rq->a,
		                         "The file's SHA-1 checksum is %s, "
		                         "not %s.",
		                         got, rest));
		return;
	}
	bool kept = keep(rq, dir, rest, fd, rq->body_file);
	close(fd);
	if (!kept) {
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	resp_text(rq, 201, NULL, "", 0);
}

/* A file name for Content-Disposition, or NULL when the extension holds
 * anything but letters, digits, '.', '-' and '_'. */
static const char *download_name(struct request *rq, const char *sha1,
                                 const char *ext)
{
	if (!ext || !*ext ||
	    strspn(ext, "abcdefghijklmnopqrstuvwxyz"
	                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                "0123456789._-") != strlen(ext))
		return NULL;
	return arena_printf(rq->a, "attachment; filename=\"%s.%s\"", sha1, ext);
}

/* Every object whose storage location is <store root>/<sha1>: the file is
 * private when one of them says so (key_value accessibility = private). */
static const char download_sql[] =
    "SELECT ft.extension,"
    " EXISTS (SELECT 1 FROM key_value kv WHERE kv.object_id = o.id"
    "  AND kv.key = 'accessibility' AND kv.value = 'private') "
    "FROM object_store s"
    " JOIN storage_location sl ON sl.storage_root_id = s.data_root_id"
    " JOIN object o ON o.storage_location_id = sl.id"
    " LEFT JOIN file_type ft ON ft.id = o.file_type_id "
    "WHERE sl.path = $1 ORDER BY o.id";

void store_download(struct request *rq, const char *rest)
{
	req_header(rq, "Allow", "GET, HEAD");
	if (!is(rq, "GET") && !is(rq, "HEAD")) {
		not_allowed(rq);
		return;
	}
	if (!auth_request(rq))
		return;
	/* Files are known only once an object points at them, as in the
	 * reference: until then nobody could have said one is private. */
	if (!store_is_sha1(rest)) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	PGresult *res = db_query(rq->db, download_sql, 1, &rest);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return;
	}
	int rows = PQntuples(res);
	bool private = false;
	for (int i = 0; i < rows; i++)
	private = private || !strcmp(PQgetvalue(res, i, 1), "t");
	const char *ext = rows && !PQgetisnull(res, 0, 0)
	                      ? arena_strdup(rq->a, PQgetvalue(res, 0, 0))
	                      : NULL;
	PQclear(res);
	if (!rows) {
		resp_detail(rq, 404, "Not found.");
		return;
	}
	if (private && !rq->user) {
		resp_detail(rq, 403, "This file is private.");
		return;
	}
	const char *dir = data_dir(rq);
	if (!dir)
		return;
	struct stat st;
	if (stat(object_path(rq, dir, rest), &st) != 0) {
		resp_detail(rq, 404, "The file has not been uploaded.");
		return;
	}
	const char *name = download_name(rq, rest, ext);
	if (name)
		req_header(rq, "Content-Disposition", name);
	req_header(rq, "X-Accel-Redirect",
	           arena_printf(rq->a, "/_store/%.2s/%s", rest, rest));
	resp_text(rq, 200, NULL, "", 0);
}

/* ---- the command ---- */

static PGresult *run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return cli_exec(c, "data-root", sql, n, v);
}

/* In one transaction: take the row that already has this root, else rename
 * the recorded one, else make one (the first user is its author). */
static int set_root(PGconn *c, const char *url)
{
	const char *v[] = {url};
	PGresult *r;
	if (!(r = run(c, "SELECT data_root_id FROM object_store FOR UPDATE", 0,
	              NULL)))
		return -1;
	bool recorded = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
	PQclear(r);
	if (!(r = run(c, "SELECT 1 FROM storage_root WHERE root = $1", 1, v)))
		return -1;
	bool taken = PQntuples(r) > 0;
	PQclear(r);
	const char *sql =
	    taken      ? "UPDATE object_store SET data_root_id ="
	                 " (SELECT id FROM storage_root WHERE root = $1)"
	    : recorded ? "UPDATE storage_root SET root = $1,"
	                 " last_updated = now() WHERE id ="
	                 " (SELECT data_root_id FROM object_store)"
	               : "WITH ins AS (INSERT INTO storage_root"
	                 " (updated_by_id, root, local)"
	                 " SELECT min(id), $1, false FROM users"
	                 " RETURNING id)"
	                 " UPDATE object_store SET data_root_id ="
	                 " (SELECT id FROM ins)";
	if (!(r = run(c, sql, 1, v)))
		return -1;
	PQclear(r);
	return 0;
}

int store_data_root_command(PGconn *c, const char *url)
{
	PGresult *r;
	if (!*url) {
		fputs("registry: data-root: the URL is empty\n", stderr);
		return -1;
	}
	if (!(r = run(c, "BEGIN", 0, NULL)))
		return -1;
	PQclear(r);
	if (set_root(c, url) < 0) {
		PQclear(PQexec(c, "ROLLBACK"));
		return -1;
	}
	if (!(r = run(c,
	              "SELECT data_root_id FROM object_store"
	              " WHERE data_root_id IS NOT NULL",
	              0, NULL)) ||
	    PQntuples(r) != 1) {
		if (r)
			PQclear(r);
		fputs("registry: data-root: the root was not recorded\n",
		      stderr);
		PQclear(PQexec(c, "ROLLBACK"));
		return -1;
	}
	long long id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (!(r = run(c, "COMMIT", 0, NULL)))
		return -1;
	PQclear(r);
	printf("storage root %lld: %s\n", id, url);
	if (id != 1)
		fprintf(
		    stderr,
		    "registry: data-root: note: the fair CLI's push expects "
		    "this root to be storage_root 1, which was taken "
		    "before\n");
	return 0;
}
