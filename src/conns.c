/* conns.c - the FastCGI connections a worker holds. The worker accepts
 * them itself (libfcgi is never given the listening socket) so that a TCP
 * peer outside allow_from is closed before a byte of it is read. A front
 * server that keeps FastCGI connections open (nginx's fastcgi_keep_conn,
 * Apache's proxy_fcgi) sends its next request on the same connection: the
 * worker keeps up to KEPT_MAX of them and waits on all of them and the
 * listening socket at once, so an idle kept connection never stops it
 * from taking a new one. */

#define _GNU_SOURCE /* ppoll, accept4 */
#include "conns.h"
#include "allow.h"
#include "pool.h"
#include "settings.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

/* Takes a new connection into a free request; false if there was none
 * (another worker won the race) or it was refused. */
static bool take(struct conns *c, FCGX_Request **out)
{
	struct sockaddr_storage sa;
	socklen_t len = sizeof sa;
	int fd =
	    accept4(c->listen_fd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
	if (fd < 0)
		return false;
	if (c->tcp &&
	    !allow_sockaddr(settings.allow_from, (struct sockaddr *)&sa)) {
		char host[INET6_ADDRSTRLEN] = "?";
		if (sa.ss_family == AF_INET)
			inet_ntop(AF_INET,
			          &((struct sockaddr_in *)&sa)->sin_addr, host,
			          sizeof host);
		else if (sa.ss_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((struct sockaddr_in6 *)&sa)->sin6_addr,
			          host, sizeof host);
		fprintf(stderr,
		        "registry: connection from %s refused (not in "
		        "allow_from)\n",
		        host);
		close(fd);
		return false;
	}
	FCGX_Request *f = NULL;
	for (int i = 0; i < c->n && !f; i++)
		if (c->f[i].ipcFd < 0)
			f = &c->f[i];
	if (!f && c->n < KEPT_MAX) {
		f = &c->f[c->n++];
		FCGX_InitRequest(f, -1, 0);
	}
	if (!f) { /* every place holds a kept connection: serve this once */
		f = &c->f[KEPT_MAX - 1];
		close(f->ipcFd);
		f->ipcFd = -1;
	}
	f->ipcFd = fd;
	/* FCGX_Accept_r first finishes the previous request and closes its
	 * connection unless it was to be kept; this one is ours now */
	f->keepConnection = 1;
	*out = f;
	return true;
}

/* Waits for a request with the stop signals let through only here:
 * libfcgi's reads and writes do not survive EINTR, so a signal must never
 * land while a request is in flight. Returns the connection to read the
 * request from, or NULL once told to stop. */
FCGX_Request *conns_wait(struct conns *c, const sigset_t *open)
{
	struct pollfd p[KEPT_MAX + 1];
	while (!pool_stop) {
		p[0] = (struct pollfd){.fd = c->listen_fd, .events = POLLIN};
		for (int i = 0; i < c->n; i++)
			p[i + 1] = (struct pollfd){.fd = c->f[i].ipcFd,
			                           .events = POLLIN};
		int n = ppoll(p, (nfds_t)c->n + 1, NULL, open);
		if (n < 0 && errno != EINTR) {
			perror("registry: poll");
			usleep(100 * 1000);
		}
		if (n <= 0)
			continue;
		for (int i = 0; i < c->n; i++)
			if (p[i + 1].revents && c->f[i].ipcFd >= 0)
				return &c->f[i];
		FCGX_Request *f;
		if (p[0].revents && take(c, &f))
			return f;
	}
	return NULL;
}

void conns_init(struct conns *c, int listen_fd)
{
	/* several workers wake for one connection: the losers must get
	 * EAGAIN from accept, not sleep in it */
	fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
	struct sockaddr_storage sa;
	socklen_t len = sizeof sa;
	c->listen_fd = listen_fd;
	c->tcp = getsockname(listen_fd, (struct sockaddr *)&sa, &len) == 0 &&
	         sa.ss_family != AF_UNIX;
	c->n = 0;
}

void conns_close(struct conns *c)
{
	for (int i = 0; i < c->n; i++)
		FCGX_Free(&c->f[i], 1);
	c->n = 0;
}
