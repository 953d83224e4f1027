/* worker.c - a worker's life: one database connection, one arena reused by
 * every request, FastCGI requests read into struct request, routed,
 * answered, and the arena emptied. */
#include "worker.h"
#include "conns.h"
#include "health.h"
#include "metrics.h"
#include "pool.h"
#include "replica.h"
#include "request.h"
#include "router.h"
#include "settings.h"
#include "web.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcgiapp.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	rq->remote_addr = param(f, "REMOTE_ADDR");
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

static void unavailable(struct request *rq)
{
	req_header(rq, "Retry-After", "5");
	resp_detail(rq, 503, "Service temporarily unavailable.");
}

/* Answers a read from the replica when replica.c says it may; false
 * (with rq as it came) when the primary must answer instead. */
static bool from_replica(struct request *rq, const struct request *start)
{
	struct db *rep = replica_for(rq, rq->db);
	if (!rep) {
		if (*settings.replica && replica_is_read(rq))
			metrics_count(M_READS_PRIMARY, 1);
		return false;
	}
	rq->db = rep;
	route(rq);
	if (rq->status != 503 || !db_lost(rep)) {
		metrics_count(M_READS_REPLICA, 1);
		return true;
	}
	/* it went away under the request: the primary answers */
	metrics_count(M_REPLICA_ERRORS, 1);
	replica_lost();
	*rq = *start;
	buf_init(&rq->headers, rq->a);
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
	if (from_replica(rq, &start))
		return;
	db->in_doubt = false;
	for (;;) {
		if (!db_wait_ready(db, deadline) ||
		    (db->in_doubt && !db_doubt_resolved(db))) {
			unavailable(rq);
			return;
		}
		route(rq);
		if (rq->status != 503 || !db_lost(db)) {
			replica_wrote(rq, db);
			return;
		}
		if (db_past(deadline)) {
			unavailable(rq);
			return;
		}
		*rq = start;
		buf_init(&rq->headers, rq->a);
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

static void serve_one(FCGX_Request *f, struct db *db, struct arena *a)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	metrics_busy(true);
	struct request rq = {.a = a, .db = db, .status = 500};
	buf_init(&rq.headers, a);
	bool ok = read_request(&rq, f);
	route_find(&rq);
	if (ok && !health_route(&rq))
		answer(&rq, db);
	if (!rq.out)
		resp_detail(&rq, 500, "Internal server error.");
	/* browsers get the same answer as HTML */
	web_finish(&rq);
	write_response(&rq, f);
	metrics_request(rq.method, rq.path, rq.status, seconds_since(&t0));
	metrics_busy(false);
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
		serve_one(f, &db, &a);
		finish(f);
		arena_reset(&a);
	}
	conns_close(&c);
	db_close(&db);
	arena_free(&a);
}
