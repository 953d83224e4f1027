/* worker.h - one worker's accept loop and per-request lifecycle. */
#ifndef WORKER_H
#define WORKER_H

#include "arena.h"
#include "db.h"

#include <stdbool.h>
#include <stddef.h>

/* Where a request's parameters and body come from and its answer goes:
 * a FastCGI connection (src/worker.c) or a CGI process (src/cgi.c). */
struct gateway {
	const char *(*param)(void *ctx, const char *name); /* NULL: unset */
	/* up to n bytes of the body: 0 at its end, -1 on a timeout */
	int (*read)(void *ctx, char *p, int n);
	/* whether bytes follow the CONTENT_LENGTH read, known at once */
	bool (*more)(void *ctx);
	bool (*write)(void *ctx, const char *p, size_t n);
	void *ctx;
	char **env; /* every param as NAME=value, NULL-terminated */
};

/* Reads one request through g, routes it and writes the answer. */
void serve_request(const struct gateway *g, struct db *db, struct arena *a);

/* Serves FastCGI requests on listen_fd until pool_stop is set. */
void worker_main(int listen_fd);

#endif
