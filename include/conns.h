/* conns.h - the FastCGI connections a worker holds: new ones taken from
 * the listening socket (refused before reading when a TCP peer is not in
 * allow_from), and the ones the front server keeps open between requests
 * (FastCGI keep-alive). */
#ifndef CONNS_H
#define CONNS_H

#include <fcgiapp.h>
#include <signal.h>
#include <stdbool.h>

#define KEPT_MAX 32

struct conns {
	int listen_fd;
	bool tcp;
	int n; /* FCGX_Requests in use; ipcFd < 0 when closed */
	FCGX_Request f[KEPT_MAX];
};

/* Sets the listening socket up (non-blocking; TCP or unix). */
void conns_init(struct conns *c, int listen_fd);

/* Waits for a request with only the signals of open let through; returns
 * the connection to read it from (FCGX_Accept_r), or NULL once told to
 * stop (pool_stop). */
FCGX_Request *conns_wait(struct conns *c, const sigset_t *open);

/* Closes every connection. */
void conns_close(struct conns *c);

#endif
