/* metrics.h - counters every worker of a pool adds to, kept in one shared
 * memory segment the master maps before it forks, and /metrics, which
 * writes them in the Prometheus text format. */
#ifndef METRICS_H
#define METRICS_H

#include <stdbool.h>
#include <sys/types.h>

struct request;

enum metric_counter {
	M_DB_RECONNECTS,  /* a worker connected again after losing it */
	M_DB_RETRIES,     /* requests run again after the database came back */
	M_READS_REPLICA,  /* reads answered from the replica */
	M_READS_PRIMARY,  /* reads sent to the primary while a replica is set */
	M_REPLICA_ERRORS, /* replica unreachable, lagging or not a replica */
	M_REPLICA_WAITS,  /* reads that waited for the replica to catch up */
	M_NCOUNTERS
};

/* In the master before the first fork: the shared segment for workers
 * slots. Without it (a plain FastCGI worker) the counters are the
 * process's own. */
void metrics_init(int workers);
/* Master: a free worker slot before fork (-1: none), and its end. */
int metrics_slot_claim(void);
void metrics_slot_set(int slot, pid_t pid);
void metrics_slot_release(pid_t pid);
/* Worker: which slot is ours, and whether we are serving a request. */
void metrics_worker(int slot);
void metrics_busy(bool busy);

void metrics_count(enum metric_counter c, long long n);
void metrics_request(const char *method, const char *path, int status,
                     double seconds);

/* Read-your-writes (src/replica.c): the primary's WAL position after a
 * token's last write, in a small table shared by the workers; 0 when none
 * is known (or it was pushed out by others). */
unsigned long long metrics_token_lsn(unsigned long long token);
void metrics_token_lsn_set(unsigned long long token, unsigned long long lsn);

/* GET /metrics */
void metrics_page(struct request *rq);

#endif
