/* cgi.c - the registry as a CGI program (mod_cgi, suEXEC on a shared host):
 * one request from the environment, its body read from stdin by
 * CONTENT_LENGTH, the answer written to stdout, then exit. The settings
 * file beside the executable is what reaches it under suEXEC, which
 * empties the environment (src/settings.c). */
#include "cgi.h"
#include "settings.h"
#include "worker.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* A client that stops sending half-way is the web server's to time out;
 * this is only so that the program never waits for ever. */
#define BODY_WAIT_MS (60 * 1000)

static const char *cgi_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static int cgi_read(void *ctx, char *p, int n)
{
	(void)ctx;
	struct pollfd fd = {.fd = 0, .events = POLLIN};
	for (;;) {
		int r = poll(&fd, 1, BODY_WAIT_MS);
		if (r == 0)
			return -1;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 0;
		ssize_t got = read(0, p, (size_t)n);
		if (got < 0 && errno == EINTR)
			continue;
		return got > 0 ? (int)got : 0;
	}
}

/* More bytes waiting after CONTENT_LENGTH's worth; not waited for. */
static bool cgi_more(void *ctx)
{
	(void)ctx;
	struct pollfd fd = {.fd = 0, .events = POLLIN};
	char c;
	return poll(&fd, 1, 0) == 1 && (fd.revents & POLLIN) &&
	       read(0, &c, 1) == 1;
}

static bool cgi_write(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	while (n) {
		ssize_t k = write(1, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

bool cgi_detect(void)
{
	const char *gi = getenv("GATEWAY_INTERFACE");
	return gi && !strncmp(gi, "CGI/", 4);
}

int cgi_main(void)
{
	struct db db;
	struct arena a = {0};
	struct gateway g = {cgi_param, cgi_read, cgi_more,
	                    cgi_write, NULL,     environ};
	db_init(&db, settings.database);
	serve_request(&g, &db, &a);
	db_close(&db);
	arena_free(&a);
	return 0;
}
