/* worker.c - a worker's life: one database connection, one arena reused by
 * every request, FastCGI requests read into struct request, routed,
 * answered, and the arena emptied. */
#include "worker.h"
#include "json_strict.h"
#include "conns.h"
#include "handlers.h"
#include "health.h"
#include "metrics.h"
#include "pool.h"
#include "replica.h"
#include "request.h"
#include "router.h"
#include "settings.h"
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *param(const struct gateway *g, const char *name)
{
	const char *v = g->param(g->ctx, name);
	return v && *v ? v : NULL;
}

/* scheme://host as the client saw it: the base_url setting, else what the
 * proxy in front tells us through X-Forwarded-Proto and X-Forwarded-Host. */
static char *base_url(struct arena *a, const struct gateway *g)
{
	if (*settings.base_url)
		return (char *)settings.base_url;
	const char *scheme = param(g, "HTTP_X_FORWARDED_PROTO");
	if (!scheme)
		scheme = param(g, "REQUEST_SCHEME");
	if (!scheme)
		scheme = param(g, "HTTPS") ? "https" : "http";
	const char *host = param(g, "HTTP_X_FORWARDED_HOST");
	if (!host)
		host = param(g, "HTTP_HOST");
	if (!host)
		host = param(g, "SERVER_NAME");
	if (!host)
		host = "localhost";
	/* several proxies: the first is the client's */
	size_t sl = strcspn(scheme, ", "), hl = strcspn(host, ", ");
	return arena_printf(a, "%.*s://%.*s", (int)sl, scheme, (int)hl, host);
}

/* The client's header values (HTTP_*, CONTENT_TYPE) are UTF-8 text:
 * they reach hyperlinks, SQL parameters and logs. */
static bool headers_ok(const struct gateway *g)
{
	for (char **e = g->env; e && *e; e++) {
		if (strncmp(*e, "HTTP_", 5) && strncmp(*e, "CONTENT_TYPE=", 13))
			continue;
		const char *v = strchr(*e, '=');
		if (v && !utf8_text_ok(v + 1, strlen(v + 1)))
			return false;
	}
	return true;
}

/* path starts with the mount path prefix, as a whole segment */
static bool under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return !strncmp(path, prefix, n) && (path[n] == '/' || !path[n]);
}

/* no control character: a prefix goes into Location headers */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Where the registry is mounted: the prefix setting, else SCRIPT_NAME as a
 * CGI server sets it (mod_cgi, mod_fcgid, mod_proxy_fcgi, nginx's
 * fastcgi_param), else the root. A SCRIPT_NAME with no PATH_INFO is the
 * whole path: the mount point itself when a CGI program was started for
 * it (SCRIPT_FILENAME names the program), any path at all under Apache's
 * ProxyPass (SCRIPT_FILENAME "proxy:..."), which knows no mount point. The
 * prefix is taken off rq->path and added to rq->base, so every absolute
 * hyperlink carries it; rq->root keeps it for the website's links. False
 * with the answer set when the path is not ours. */
static bool mount(struct request *rq, const struct gateway *g)
{
	const char *prefix = settings.prefix;
	if (!*prefix) {
		const char *sn = param(g, "SCRIPT_NAME");
		const char *pi = param(g, "PATH_INFO");
		const char *file = param(g, "SCRIPT_FILENAME");
		bool program = file && strncmp(file, "proxy:", 6);
		if (sn && sn[strlen(sn) - 1] != '/' && printable(sn) &&
		    under(rq->path, sn) &&
		    (pi || (program && !rq->path[strlen(sn)])))
			prefix = arena_strdup(rq->a, sn);
	} else if (!under(rq->path, prefix)) {
		resp_detail(rq, 404, "Not found.");
		return false;
	}
	rq->root = prefix;
	rq->path += strlen(prefix);
	if (*prefix)
		rq->base = arena_printf(rq->a, "%s%s", rq->base, prefix);
	if (*rq->path)
		return true;
	/* the prefix alone: the website is at prefix/ */
	req_header(rq, "Location",
	           arena_printf(rq->a, "%s/%s%s", rq->base,
	                        *rq->raw_query ? "?" : "", rq->raw_query));
	resp_text(rq, 301, "text/html; charset=utf-8", "", 0);
	return false;
}

/* CONTENT_LENGTH bytes of body, no fewer and no more. */
static bool read_body(struct request *rq, const struct gateway *g)
{
	const char *cl = param(g, "CONTENT_LENGTH");
	/* the front server refuses bigger bodies first (nginx's
	 * client_max_body_size); this only guards the worker */
	char *end;
	long long len = cl ? strtoll(cl, &end, 10) : 0;
	if (cl && (*end || len < 0)) {
		resp_detail(rq, 400, "Malformed Content-Length.");
		return false;
	}
	if (len > settings.body_max) {
		resp_detail(rq, 413, "Request body is too large.");
		return false;
	}
	char *body = arena_alloc(rq->a, (size_t)len + 1);
	long long got = 0;
	int n = 0;
	while (got < len &&
	       (n = g->read(g->ctx, body + got,
	                    len - got > INT_MAX ? INT_MAX : (int)(len - got))) >
	           0)
		got += n;
	body[got] = 0;
	rq->body = body;
	rq->body_len = (size_t)got;
	if (n < 0) {
		resp_detail(rq, 408, "Timed out reading the request body.");
		return false;
	}
	if (got < len) {
		resp_detail(rq, 400,
		            "The request body is shorter than its "
		            "Content-Length.");
		return false;
	}
	if (len && g->more(g->ctx)) {
		resp_detail(rq, 400,
		            "The request body is longer than its "
		            "Content-Length.");
		return false;
	}
	return true;
}

/* An upload's body, of any size, is the handler's to read (src/store.c). */
static bool defer_body(struct request *rq, const struct gateway *g)
{
	const char *cl = param(g, "CONTENT_LENGTH");
	char *end;
	long long len = cl ? strtoll(cl, &end, 10) : -1;
	if (!cl || *end || len < 0) {
		resp_detail(rq, 411, "An upload needs a Content-Length.");
		return false;
	}
	rq->body = "";
	rq->body_in = g;
	rq->body_left = len;
	return true;
}

static bool read_request(struct request *rq, const struct gateway *g)
{
	struct arena *a = rq->a;
	rq->method = param(g, "REQUEST_METHOD");
	if (!rq->method)
		rq->method = "GET";
	/* a plain CGI server may pass no REQUEST_URI */
	const char *uri = param(g, "REQUEST_URI");
	if (!uri) {
		const char *qs = param(g, "QUERY_STRING");
		const char *sn = param(g, "SCRIPT_NAME");
		const char *pi = param(g, "PATH_INFO");
		uri = arena_printf(a, "%s%s%s%s", sn ? sn : "", pi ? pi : "/",
		                   qs ? "?" : "", qs ? qs : "");
	}
	size_t plen = strcspn(uri, "?"), dlen;
	rq->path = url_decode_len(a, uri, plen, false, &dlen);
	rq->raw_query = uri[plen] == '?' ? uri + plen + 1 : "";
	rq->base = base_url(a, g);
	rq->root = "";
	/* bytes no reader after this could take for what they are: a NUL
	 * (raw or %00) ends a C string early, invalid UTF-8 breaks JSON
	 * and PostgreSQL's text */
	if (!utf8_text_ok(rq->path, dlen)) {
		rq->path = "/";
		resp_detail(rq, 400,
		            "The path must be UTF-8 text without NUL "
		            "characters.");
		return false;
	}
	if (!headers_ok(g)) {
		resp_detail(rq, 400, "Header values must be UTF-8 text.");
		return false;
	}
	if (!mount(rq, g))
		return false;
	int qrc = query_parse(a, rq->raw_query, &rq->q);
	if (qrc == QUERY_BAD_TEXT) {
		resp_detail(rq, 400,
		            "Query arguments must be UTF-8 text without NUL "
		            "characters.");
		return false;
	}
	if (qrc < 0) {
		resp_detail(rq, 400, "Too many query arguments.");
		return false;
	}
	rq->format = query_get(&rq->q, "format");
	rq->authz = param(g, "HTTP_AUTHORIZATION");
	/* Apache's documented fallback where CGIPassAuth is not allowed:
	 * a RewriteRule's [E=HTTP_AUTHORIZATION:...], renamed by the
	 * internal redirect that .htaccess rewriting makes */
	if (!rq->authz)
		rq->authz = param(g, "REDIRECT_HTTP_AUTHORIZATION");
	rq->remote_addr = param(g, "REMOTE_ADDR");
	rq->remote_user = param(g, "REMOTE_USER");
	rq->cookie = param(g, "HTTP_COOKIE");
	rq->origin = param(g, "HTTP_ORIGIN");
	rq->fetch_site = param(g, "HTTP_SEC_FETCH_SITE");
	rq->csrf_header = param(g, "HTTP_X_CSRFTOKEN");
	rq->content_type = param(g, "CONTENT_TYPE");
	rq->accept = param(g, "HTTP_ACCEPT");
	/* nginx passes no CONTENT_LENGTH with these: nothing is read below */
	rq->body_file = param(g, "REQUEST_BODY_FILE");
	rq->upload_check = param(g, "UPLOAD_CHECK") != NULL;
	rq->docs = param(g, "REGISTRY_DOCS");
	if (!rq->docs)
		rq->docs = settings.docs_dir;
	if (!rq->body_file && !rq->upload_check && !strcmp(rq->method, "PUT") &&
	    !strncmp(rq->path, "/data/upload/", 13))
		return defer_body(rq, g);
	return read_body(rq, g);
}

/* The file the answer names (send_files = registry): opened, and its size
 * and type in the headers; a file gone since the handler looked is a 404. */
static int open_file(struct request *rq, struct buf *h)
{
	struct stat st;
	int fd = open(rq->send_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		rq->send_path = NULL;
		resp_detail(rq, 404, "Not found.");
		return -1;
	}
	rq->out_len = (size_t)st.st_size;
	buf_printf(h, "Content-Type: %s\r\nContent-Length: %lld\r\n\r\n",
	           rq->ctype ? rq->ctype : "application/octet-stream",
	           (long long)st.st_size);
	return fd;
}

/* A body from a file (resp_file, resp_fd): read and sent in pieces, so a
 * large answer (a stored file, an RO-Crate zip of big files) never sits in
 * memory whole. */
static void send_file(const struct gateway *g, int fd, size_t left)
{
	static char piece[64 * 1024];
	while (left) {
		ssize_t n =
		    read(fd, piece, left < sizeof piece ? left : sizeof piece);
		if (n <= 0 || !g->write(g->ctx, piece, (size_t)n))
			break;
		left -= (size_t)n;
	}
}

/* libfcgi's FCGX_FPrintF has its own, smaller printf: format with libc */
static void write_response(struct request *rq, const struct gateway *g)
{
	struct buf h;
	buf_init(&h, rq->a);
	int fd = -1;
	bool head = !strcmp(rq->method, "HEAD");
	if (rq->send_path && rq->status == 200) {
		buf_printf(&h, "Status: 200 OK\r\n");
		if (rq->headers.len)
			buf_add(&h, rq->headers.p, rq->headers.len);
		if ((fd = open_file(rq, &h)) < 0) {
			buf_init(&h, rq->a);
			web_finish(rq);
		}
	}
	if (fd < 0) {
		buf_printf(&h, "Status: %d %s\r\n", rq->status,
		           status_text(rq->status));
		if (rq->ctype)
			buf_printf(&h, "Content-Type: %s\r\n", rq->ctype);
		if (rq->headers.len)
			buf_add(&h, rq->headers.p, rq->headers.len);
		buf_printf(&h, "Vary: Accept\r\nContent-Length: %zu\r\n\r\n",
		           rq->out_len);
		if (rq->out_fd1)
			fd = rq->out_fd1 - 1;
	}
	g->write(g->ctx, h.p, h.len);
	if (fd >= 0) {
		if (!head)
			send_file(g, fd, rq->out_len);
		close(fd);
		rq->out_fd1 = 0;
	} else if (rq->out_len && !head) {
		g->write(g->ctx, rq->out, rq->out_len);
	}
}

static void unavailable(struct request *rq)
{
	req_header(rq, "Retry-After", "5");
	resp_detail(rq, 503, "Service temporarily unavailable.");
}

/* Back to the request as it arrived, to be answered again elsewhere: the
 * answer so far (status, headers) is dropped. */
static void rewind_request(struct request *rq, const struct request *start)
{
	*rq = *start;
	buf_init(&rq->headers, rq->a);
}

/* Answers a read from the replica when replica.c says it may; false
 * (with rq as it came) when the primary must answer instead. again: the
 * primary was just found gone under this read, which was counted once. */
static bool from_replica(struct request *rq, const struct request *start,
                         bool again)
{
	struct db *rep = replica_for(rq, rq->db);
	if (!rep) {
		if (*settings.replica && replica_is_read(rq) && !again)
			metrics_count(M_READS_PRIMARY, 1);
		return false;
	}
	rq->db = rep;
	route(rq);
	if (rq->status == 403 && rq->authz && !rq->user) {
		/* a token the replica does not know yet: one made a moment ago
		 * (`registry token` on the primary) is used at once; the
		 * primary decides */
		rewind_request(rq, start);
		metrics_count(M_READS_PRIMARY, 1);
		return false;
	}
	if (rq->status != 503 || !db_lost(rep)) {
		metrics_count(M_READS_REPLICA, 1);
		return true;
	}
	/* it went away under the request: the primary answers */
	metrics_count(M_REPLICA_ERRORS, 1);
	replica_lost();
	rewind_request(rq, start);
	return false;
}

/* Routes the request; when the database went away under it, waits for it
 * (up to db_wait seconds) and runs the request again from the start, as
 * long as nothing it did can have been committed: a read, or a write whose
 * transaction the server rolled back when it went down. */
static void answer(struct request *rq, struct db *db)
{
	long long deadline = db_deadline();
	struct request start = *rq;
	if (from_replica(rq, &start, false))
		return;
	db->in_doubt = false;
	for (;;) {
		if (!db_wait_ready(db, deadline)) {
			unavailable(rq);
			return;
		}
		/* a write stored once (its COMMIT acknowledged, or found
		 * committed) is answered, never run again */
		enum doubt d = rq->committed.done ? DOUBT_COMMITTED
		               : db->in_doubt     ? db_doubt(db)
		                                  : DOUBT_ABORTED;
		if (d == DOUBT_COMMITTED && rq->committed.r) {
			write_answer_committed(rq);
			replica_wrote(rq, db);
			return;
		}
		if (d != DOUBT_ABORTED) {
			unavailable(rq);
			return;
		}
		rq->committed = (struct committed_write){0};
		route(rq);
		if (rq->status != 503 || !db_lost(db)) {
			replica_wrote(rq, db);
			return;
		}
		if (db_past(deadline)) {
			unavailable(rq);
			return;
		}
		struct committed_write committed = rq->committed;
		rewind_request(rq, &start);
		rq->committed = committed;
		/* a read sent to the primary (the replica lagging, or not yet
		 * at this client's last write) that found it gone: a reachable
		 * replica answers now, stale beats none, as when the primary
		 * is known to be down before the read */
		if (from_replica(rq, &start, true))
			return;
		metrics_count(M_DB_RETRIES, 1);
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void serve_request(const struct gateway *g, struct db *db, struct arena *a)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	metrics_busy(true);
	struct request rq = {.a = a, .db = db, .status = 500};
	buf_init(&rq.headers, a);
	bool ok = read_request(&rq, g);
	route_find(&rq);
	if (ok && !health_route(&rq))
		answer(&rq, db);
	if (!rq.out)
		resp_detail(&rq, 500, "Internal server error.");
	/* browsers get the same answer as HTML */
	web_finish(&rq);
	write_response(&rq, g);
	metrics_request(rq.method, rq.path, rq.status, seconds_since(&t0));
	metrics_busy(false);
}

/* ---- FastCGI ---- */

static const char *fcgi_param(void *ctx, const char *name)
{
	return FCGX_GetParam(name, ((FCGX_Request *)ctx)->envp);
}

static int fcgi_read(void *ctx, char *p, int n)
{
	return FCGX_GetStr(p, n, ((FCGX_Request *)ctx)->in);
}

/* the stream ends with the body (an empty FCGI_STDIN record): no wait */
static bool fcgi_more(void *ctx)
{
	char c;
	return FCGX_GetStr(&c, 1, ((FCGX_Request *)ctx)->in) > 0;
}

static bool fcgi_write(void *ctx, const char *p, size_t n)
{
	FCGX_Stream *out = ((FCGX_Request *)ctx)->out;
	while (n) {
		int k = n > INT_MAX ? INT_MAX : (int)n;
		if (FCGX_PutStr(p, k, out) != k)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* Ends the request with a plain close. Left to itself, libfcgi shuts the
 * connection down and then waits for nginx to close its end first, a guard
 * against TCP resets: a second wakeup per request, and a worker idle until
 * nginx gets round to it. nginx sends nothing after the end of the body,
 * so once that is read a plain close loses nothing. A connection the front
 * server asked to keep stays open for its next request. */
static void finish(FCGX_Request *f)
{
	char rest[4096];
	while (FCGX_GetStr(rest, sizeof rest, f->in) > 0)
		;
	FCGX_Detach(f);
	FCGX_Finish_r(f);
}

/* glibc's defaults tune themselves to the last big block freed: a list
 * page's buffers (the arena's page-sized chunks, json-c's text, libpq's
 * result) were mapped or trimmed away after each request and faulted back
 * in by the next, some hundred page faults for a browsable list page.
 * Fixed thresholds keep up to MALLOC_KEEP of freed heap for the next
 * request; blocks bigger than that (a rare huge answer) are mapped and
 * given back at once, so a worker's resident size stays bounded. */
#define MALLOC_KEEP (1024 * 1024)

void worker_main(int listen_fd)
{
	static struct conns c;
	struct db db;
	struct arena a = {0};
	sigset_t stop, open;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &open);
	sigdelset(&open, SIGTERM);
	sigdelset(&open, SIGINT);
	sigdelset(&open, SIGHUP);
	conns_init(&c, listen_fd);

	mallopt(M_MMAP_THRESHOLD, MALLOC_KEEP);
	mallopt(M_TRIM_THRESHOLD, MALLOC_KEEP);
	FCGX_Init();
	db_init(&db, settings.database);
	db_ready(&db);
	FCGX_Request *f;
	while ((f = conns_wait(&c, &open))) {
		if (FCGX_Accept_r(f) < 0)
			continue; /* the front server closed a kept connection
			           */
		struct gateway g = {fcgi_param, fcgi_read, fcgi_more,
		                    fcgi_write, f,         f->envp};
		serve_request(&g, &db, &a);
		finish(f);
		arena_reset(&a);
	}
	conns_close(&c);
	db_close(&db);
	arena_free(&a);
}
