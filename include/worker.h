/* worker.h - one worker's accept loop and per-request lifecycle. */
#ifndef WORKER_H
#define WORKER_H

/* Serves FastCGI requests on listen_fd until pool_stop is set. */
void worker_main(int listen_fd);

#endif
