/* worker.c - a worker's life: one database connection, one arena reused by
 * every request, FastCGI requests read into struct request, routed,
 * answered, and the arena emptied. */
#define _GNU_SOURCE /* ppoll */
#include "worker.h"
#include "pool.h"
#include "request.h"
#include "router.h"
#include "settings.h"
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	size_t plen = strcspn(uri, "?");
	rq->path = url_decode(a, uri, plen, false);
	rq->raw_query = uri[plen] == '?' ? uri + plen + 1 : "";
	rq->base = base_url(a, g);
	rq->root = "";
	if (!mount(rq, g))
		return false;
	if (query_parse(a, rq->raw_query, &rq->q) < 0) {
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

/* The file the answer names (send_files = registry), read out a piece at a
 * time after the headers; a file gone since the handler looked is a 404. */
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
	buf_printf(h,
	           "Content-Type: application/octet-stream\r\n"
	           "Content-Length: %lld\r\n\r\n",
	           (long long)st.st_size);
	return fd;
}

static void send_file(const struct gateway *g, int fd)
{
	char piece[64 * 1024];
	ssize_t n;
	while ((n = read(fd, piece, sizeof piece)) > 0)
		if (!g->write(g->ctx, piece, (size_t)n))
			break;
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
	}
	g->write(g->ctx, h.p, h.len);
	if (fd >= 0) {
		if (!head)
			send_file(g, fd);
		close(fd);
	} else if (rq->out_len && !head) {
		g->write(g->ctx, rq->out, rq->out_len);
	}
}

void serve_request(const struct gateway *g, struct db *db, struct arena *a)
{
	struct request rq = {.a = a, .db = db, .status = 500};
	buf_init(&rq.headers, a);
	bool ok = read_request(&rq, g);
	route_find(&rq);
	if (ok) {
		if (!db_ready(db))
			resp_detail(&rq, 503,
			            "Service temporarily unavailable.");
		else
			route(&rq);
	}
	if (!rq.out)
		resp_detail(&rq, 500, "Internal server error.");
	/* browsers get the same answer as HTML */
	web_finish(&rq);
	write_response(&rq, g);
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

/* Waits for a connection with the stop signals let through only here:
 * libfcgi's reads and writes do not survive EINTR, so a signal must never
 * land while a request is in flight. Returns false once told to stop. */
static bool wait_for_connection(int listen_fd, const sigset_t *open)
{
	struct pollfd p = {.fd = listen_fd, .events = POLLIN};
	while (!pool_stop) {
		int n = ppoll(&p, 1, NULL, open);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR) {
			perror("registry: poll");
			usleep(100 * 1000);
		}
	}
	return false;
}

/* Ends the request with a plain close. Left to itself, libfcgi shuts the
 * connection down and then waits for nginx to close its end first, a guard
 * against TCP resets: a second wakeup per request, and a worker idle until
 * nginx gets round to it. nginx sends nothing after the end of the body,
 * so once that is read a plain close loses nothing. */
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
	FCGX_Request f;
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
	/* several workers wake for one connection: the losers must get
	 * EAGAIN from accept, not sleep in it */
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);

	mallopt(M_MMAP_THRESHOLD, MALLOC_KEEP);
	mallopt(M_TRIM_THRESHOLD, MALLOC_KEEP);
	FCGX_Init();
	FCGX_InitRequest(&f, listen_fd, 0);
	db_init(&db, settings.database);
	db_ready(&db);
	while (wait_for_connection(listen_fd, &open)) {
		if (FCGX_Accept_r(&f) < 0)
			continue; /* another worker took it */
		struct gateway g = {fcgi_param, fcgi_read, fcgi_more,
		                    fcgi_write, &f};
		serve_request(&g, &db, &a);
		finish(&f);
		arena_reset(&a);
	}
	FCGX_Free(&f, 1);
	db_close(&db);
	arena_free(&a);
}
