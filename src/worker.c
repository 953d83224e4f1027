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
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *param(FCGX_Request *f, const char *name)
{
	const char *v = FCGX_GetParam(name, f->envp);
	return v && *v ? v : NULL;
}

/* scheme://host as the client saw it: the proxy in front tells us through
 * X-Forwarded-Proto and X-Forwarded-Host. */
static char *base_url(struct arena *a, FCGX_Request *f)
{
	const char *scheme = param(f, "HTTP_X_FORWARDED_PROTO");
	if (!scheme)
		scheme = param(f, "REQUEST_SCHEME");
	if (!scheme)
		scheme = param(f, "HTTPS") ? "https" : "http";
	const char *host = param(f, "HTTP_X_FORWARDED_HOST");
	if (!host)
		host = param(f, "HTTP_HOST");
	if (!host)
		host = param(f, "SERVER_NAME");
	if (!host)
		host = "localhost";
	/* several proxies: the first is the client's */
	size_t sl = strcspn(scheme, ", "), hl = strcspn(host, ", ");
	return arena_printf(a, "%.*s://%.*s", (int)sl, scheme, (int)hl, host);
}

static bool read_request(struct request *rq, FCGX_Request *f)
{
	struct arena *a = rq->a;
	rq->method = param(f, "REQUEST_METHOD");
	if (!rq->method)
		rq->method = "GET";
	const char *uri = param(f, "REQUEST_URI");
	if (!uri)
		uri = "/";
	size_t plen = strcspn(uri, "?");
	rq->path = url_decode(a, uri, plen, false);
	rq->raw_query = uri[plen] == '?' ? uri + plen + 1 : "";
	if (query_parse(a, rq->raw_query, &rq->q) < 0) {
		resp_detail(rq, 400, "Too many query arguments.");
		return false;
	}
	rq->format = query_get(&rq->q, "format");
	rq->base = base_url(a, f);
	rq->root = "";
	rq->authz = param(f, "HTTP_AUTHORIZATION");
	rq->remote_user = param(f, "REMOTE_USER");
	rq->cookie = param(f, "HTTP_COOKIE");
	rq->origin = param(f, "HTTP_ORIGIN");
	rq->fetch_site = param(f, "HTTP_SEC_FETCH_SITE");
	rq->csrf_header = param(f, "HTTP_X_CSRFTOKEN");
	rq->content_type = param(f, "CONTENT_TYPE");
	rq->accept = param(f, "HTTP_ACCEPT");
	/* nginx passes no CONTENT_LENGTH with these: nothing is read below */
	rq->body_file = param(f, "REQUEST_BODY_FILE");
	rq->upload_check = param(f, "UPLOAD_CHECK") != NULL;
	rq->docs = param(f, "REGISTRY_DOCS");
	if (!rq->docs)
		rq->docs = settings.docs_dir;
	const char *cl = param(f, "CONTENT_LENGTH");
	/* the front server refuses bigger bodies first (nginx's
	 * client_max_body_size); this only guards the worker */
	long long len = cl ? strtoll(cl, NULL, 10) : 0;
	if (len < 0 || len > settings.body_max) {
		resp_detail(rq, 413, "Request body is too large.");
		return false;
	}
	char *body = arena_alloc(a, (size_t)len + 1);
	int got = len ? FCGX_GetStr(body, (int)len, f->in) : 0;
	rq->body = body;
	rq->body_len = got > 0 ? (size_t)got : 0;
	return true;
}

/* libfcgi's FCGX_FPrintF has its own, smaller printf: format with libc */
static void write_response(struct request *rq, FCGX_Request *f)
{
	struct buf h;
	buf_init(&h, rq->a);
	buf_printf(&h, "Status: %d %s\r\n", rq->status,
	           status_text(rq->status));
	if (rq->ctype)
		buf_printf(&h, "Content-Type: %s\r\n", rq->ctype);
	if (rq->headers.len)
		buf_add(&h, rq->headers.p, rq->headers.len);
	buf_printf(&h, "Vary: Accept\r\nContent-Length: %zu\r\n\r\n",
	           rq->out_len);
	FCGX_PutStr(h.p, (int)h.len, f->out);
	if (rq->out_len && strcmp(rq->method, "HEAD"))
		FCGX_PutStr(rq->out, (int)rq->out_len, f->out);
}

static void serve_one(FCGX_Request *f, struct db *db, struct arena *a)
{
	struct request rq = {.a = a, .db = db, .status = 500};
	buf_init(&rq.headers, a);
	bool ok = read_request(&rq, f);
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
	write_response(&rq, f);
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
		serve_one(&f, &db, &a);
		finish(&f);
		arena_reset(&a);
	}
	FCGX_Free(&f, 1);
	db_close(&db);
	arena_free(&a);
}
