/* metrics.c - the pool's counters, shared by its workers through one
 * anonymous shared mapping the master makes before it forks (so no file,
 * no name and no cleanup), added to with atomic increments, and written
 * out by GET /metrics in the Prometheus text format (version 0.0.4). */
#include "metrics.h"
#include "allow.h"
#include "request.h"
#include "schema.h"
#include "settings.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const methods[] = {"GET",   "HEAD",   "POST",    "PUT",
                                      "PATCH", "DELETE", "OPTIONS", "other"};
#define NMETHODS (int)(sizeof methods / sizeof methods[0])

static const int statuses[] = {200, 201, 204, 301, 302, 304, 400, 401, 403,
                               404, 405, 406, 409, 413, 415, 500, 503, 0};
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])

/* What a path is about, besides the resources: "api" (the root and other
 * endpoints under /api/), the object store, health, metrics, the site. */
static const char *const places[] = {"api", "data", "health", "metrics", "web"};
#define NPLACES  (int)(sizeof places / sizeof places[0])
#define MAX_RES  40
#define NTARGETS (MAX_RES + NPLACES)

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,   0.25,   0.5,   1,    2.5,   5};
#define NBUCKETS (int)(sizeof buckets / sizeof buckets[0])

static const char *const counter_names[M_NCOUNTERS][2] = {
    [M_DB_RECONNECTS] = {"registry_db_reconnects_total",
                         "Database connections made again after one was "
                         "lost."},
    [M_DB_RETRIES] = {"registry_db_retried_requests_total",
                      "Requests run again once the database was back."},
    [M_READS_REPLICA] = {"registry_replica_reads_total",
                         "Reads answered from the replica."},
    [M_READS_PRIMARY] = {"registry_primary_reads_total",
                         "Reads answered from the primary while a replica "
                         "is configured."},
    [M_REPLICA_ERRORS] = {"registry_replica_unusable_total",
                          "Times the replica was found down, lagging or "
                          "not a replica."},
    [M_REPLICA_WAITS] = {"registry_replica_waits_total",
                         "Reads that waited for the replica to replay the "
                         "same client's last write."},
};

#define MAX_SLOTS 8192
#define NTOKENS   4096 /* read-your-writes entries, hashed by token */

struct worker_slot {
	pid_t pid; /* 0: free */
	int busy;
};

struct shared {
	unsigned long long requests[NMETHODS][NTARGETS][NSTATUS];
	unsigned long long hist[NBUCKETS + 1];
	unsigned long long sum_us, count;
	unsigned long long counters[M_NCOUNTERS];
	unsigned long long tokens[NTOKENS]; /* WAL positions, by token hash */
	int nslots;
	struct worker_slot slots[];
};

static struct shared *S;
static int my_slot = -1;

static struct shared *map(int nslots)
{
	size_t size =
	    sizeof(struct shared) + sizeof(struct worker_slot) * (size_t)nslots;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	struct shared *s = p;
	s->nslots = nslots;
	return s;
}

void metrics_init(int workers)
{
	if (S)
		return;
	/* a reload runs two generations side by side for a moment */
	int n = 2 * workers + 2;
	S = map(n < MAX_SLOTS ? n : MAX_SLOTS);
}

static struct shared *shared(void)
{
	if (!S) /* a plain FastCGI worker: ours alone */
		S = map(1);
	return S;
}

int metrics_slot_claim(void)
{
	struct shared *s = shared();
	for (int i = 0; i < s->nslots; i++)
		if (s->slots[i].pid == 0) {
			s->slots[i].pid = -1; /* reserved until set */
			s->slots[i].busy = 0;
			return i;
		}
	return -1;
}

void metrics_slot_set(int slot, pid_t pid)
{
	if (slot >= 0 && S)
		__atomic_store_n(&S->slots[slot].pid, pid, __ATOMIC_RELAXED);
}

void metrics_slot_release(pid_t pid)
{
	if (!S)
		return;
	for (int i = 0; i < S->nslots; i++)
		if (S->slots[i].pid == pid) {
			S->slots[i].busy = 0;
			__atomic_store_n(&S->slots[i].pid, 0, __ATOMIC_RELAXED);
		}
}

void metrics_worker(int slot)
{
	my_slot = slot;
	if (slot < 0 && !S) {
		S = map(1);
		my_slot = 0;
	}
	if (my_slot >= 0)
		shared()->slots[my_slot].pid = getpid();
}

void metrics_busy(bool busy)
{
	if (my_slot >= 0)
		__atomic_store_n(&shared()->slots[my_slot].busy, busy ? 1 : 0,
		                 __ATOMIC_RELAXED);
}

static void add(unsigned long long *c, unsigned long long n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

void metrics_count(enum metric_counter c, long long n)
{
	add(&shared()->counters[c], (unsigned long long)n);
}

/* A place per token hash holds the largest position any token of that
 * hash wrote: two tokens sharing a place only make one of them wait for a
 * later position than its own, never read older data. */
unsigned long long metrics_token_lsn(unsigned long long token)
{
	return __atomic_load_n(&shared()->tokens[token % NTOKENS],
	                       __ATOMIC_ACQUIRE);
}

void metrics_token_lsn_set(unsigned long long token, unsigned long long lsn)
{
	unsigned long long *p = &shared()->tokens[token % NTOKENS];
	unsigned long long old = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	while (old < lsn &&
	       !__atomic_compare_exchange_n(p, &old, lsn, false,
	                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		;
}

static int target_of(const char *path)
{
	if (!strncmp(path, "/api/", 5)) {
		const char *rest = path + 5;
		size_t n = strcspn(rest, "/");
		const struct resource *r = resource_find(rest, (int)n);
		if (r && rest[n] == '/' && r - resources < MAX_RES)
			return (int)(r - resources);
		return MAX_RES + 0;
	}
	if (!strncmp(path, "/data/", 6))
		return MAX_RES + 1;
	if (!strncmp(path, "/health/", 8))
		return MAX_RES + 2;
	if (!strcmp(path, "/metrics"))
		return MAX_RES + 3;
	return MAX_RES + 4;
}

void metrics_request(const char *method, const char *path, int status,
                     double seconds)
{
	struct shared *s = shared();
	int m = NMETHODS - 1, st = NSTATUS - 1;
	for (int i = 0; i < NMETHODS - 1; i++)
		if (!strcmp(method, methods[i]))
			m = i;
	for (int i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			st = i;
	add(&s->requests[m][target_of(path ? path : "/")][st], 1);
	int b = 0;
	while (b < NBUCKETS && seconds > buckets[b])
		b++;
	add(&s->hist[b], 1);
	add(&s->sum_us, (unsigned long long)(seconds * 1e6));
	add(&s->count, 1);
}

static const char *target_name(int t)
{
	return t < MAX_RES ? resources[t].name : places[t - MAX_RES];
}

static void head(struct buf *b, const char *name, const char *type,
                 const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void write_requests(struct buf *b, struct shared *s)
{
	head(b, "registry_requests_total", "counter",
	     "Requests answered, by method, resource and status.");
	for (int m = 0; m < NMETHODS; m++)
		for (int t = 0; t < NTARGETS; t++) {
			if (t < MAX_RES && t >= n_resources)
				continue;
			for (int st = 0; st < NSTATUS; st++) {
				unsigned long long n = __atomic_load_n(
				    &s->requests[m][t][st], __ATOMIC_RELAXED);
				if (!n)
					continue;
				char code[8] = "other";
				if (statuses[st])
					snprintf(code, sizeof code, "%d",
					         statuses[st]);
				buf_printf(
				    b,
				    "registry_requests_total{method=\"%s\","
				    "resource=\"%s\",status=\"%s\"} %llu\n",
				    methods[m], target_name(t), code, n);
			}
		}
	head(b, "registry_request_duration_seconds", "histogram",
	     "Time from a request's arrival at a worker to its answer.");
	unsigned long long cum = 0;
	for (int i = 0; i <= NBUCKETS; i++) {
		cum += __atomic_load_n(&s->hist[i], __ATOMIC_RELAXED);
		if (i < NBUCKETS)
			buf_printf(b,
			           "registry_request_duration_seconds_bucket"
			           "{le=\"%g\"} %llu\n",
			           buckets[i], cum);
		else
			buf_printf(b,
			           "registry_request_duration_seconds_bucket"
			           "{le=\"+Inf\"} %llu\n",
			           cum);
	}
	buf_printf(b, "registry_request_duration_seconds_sum %.6f\n",
	           (double)__atomic_load_n(&s->sum_us, __ATOMIC_RELAXED) / 1e6);
	/* the count is the +Inf bucket's, read once, so they agree */
	buf_printf(b, "registry_request_duration_seconds_count %llu\n", cum);
}

static void write_workers(struct buf *b, struct shared *s)
{
	int busy = 0, idle = 0;
	for (int i = 0; i < s->nslots; i++) {
		pid_t pid = __atomic_load_n(&s->slots[i].pid, __ATOMIC_RELAXED);
		if (pid <= 0 || kill(pid, 0) < 0)
			continue;
		if (__atomic_load_n(&s->slots[i].busy, __ATOMIC_RELAXED))
			busy++;
		else
			idle++;
	}
	head(b, "registry_workers", "gauge",
	     "Worker processes, by state (this answer's own worker is busy).");
	buf_printf(b, "registry_workers{state=\"busy\"} %d\n", busy);
	buf_printf(b, "registry_workers{state=\"idle\"} %d\n", idle);
}

static void write_counters(struct buf *b, struct shared *s)
{
	for (int c = 0; c < M_NCOUNTERS; c++) {
		head(b, counter_names[c][0], "counter", counter_names[c][1]);
		buf_printf(b, "%s %llu\n", counter_names[c][0],
		           __atomic_load_n(&s->counters[c], __ATOMIC_RELAXED));
	}
}

/* The tables' own kept counts (migrations/0003_row_count.sql): a few rows
 * whatever the size. A database that does not answer leaves them out. */
static void write_rows(struct buf *b, struct request *rq)
{
	PGresult *res = db_query(rq->db,
	                         "SELECT tbl, sum(n)::bigint FROM row_count "
	                         "GROUP BY tbl ORDER BY tbl",
	                         0, NULL);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (ok) {
		head(b, "registry_rows", "gauge", "Rows per resource table.");
		for (int i = 0; i < PQntuples(res); i++)
			buf_printf(b, "registry_rows{resource=\"%s\"} %s\n",
			           PQgetvalue(res, i, 0),
			           PQgetvalue(res, i, 1));
	}
	PQclear(res);
	head(b, "registry_database_up", "gauge",
	     "1 when this worker reaches its database.");
	buf_printf(b, "registry_database_up %d\n", ok ? 1 : 0);
}

void metrics_page(struct request *rq)
{
	if (!allow_text(settings.metrics_allow, rq->remote_addr)) {
		resp_detail(rq, 403,
		            "You do not have permission to perform this "
		            "action.");
		return;
	}
	struct shared *s = shared();
	struct buf b;
	buf_init(&b, rq->a);
	write_requests(&b, s);
	write_workers(&b, s);
	write_counters(&b, s);
	write_rows(&b, rq);
	resp_text(rq, 200, "text/plain; version=0.0.4; charset=utf-8", b.p,
	          b.len);
}
