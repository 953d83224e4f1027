/* pool.h - the master process: binds the FastCGI socket, pre-forks workers,
 * respawns the dead, drains on SIGTERM, replaces gracefully on SIGHUP. */
#ifndef POOL_H
#define POOL_H

#include <signal.h>
#include <stdbool.h>

struct pool_opts {
	const char *socket_path; /* unix socket to bind (mode 0666), or
	                            HOST:PORT for TCP */
	const char *pidfile;     /* NULL = none */
	int workers;             /* <= 0: 2 x cores */
};

/* Runs one worker's whole life on an already-listening socket; returns
 * when pool_stop is set (after finishing the request in flight). */
typedef void (*pool_worker_fn)(int listen_fd);

/* Set by SIGTERM/SIGINT/SIGHUP in a worker: finish the current request and
 * return from the worker function. */
extern volatile sig_atomic_t pool_stop;

/* Whether a listen setting names a TCP address (HOST:PORT). */
bool pool_is_tcp(const char *listen);

/* Master loop; returns the process exit status. */
int pool_main(const struct pool_opts *o, pool_worker_fn fn);

/* For a worker that runs without our master (spawn-fcgi, mod_fcgid):
 * install the same signal handling a pool worker gets. */
void pool_worker_signals(void);

#endif
