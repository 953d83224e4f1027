/* replica.c - GET, HEAD and OPTIONS answered from a streaming replica
 * (settings.replica), everything else from the primary.
 *
 * Each worker looks at the replica at most once a second: is it in
 * recovery at all, and how far behind is its replay. A client reads its
 * own writes: after a write, the primary's WAL position is kept for the
 * request's token and for its client address in a small table shared by
 * the pool's workers (metrics.c's segment); the next read with that
 * token, or from that address, waits, briefly, for the replica to replay
 * that far, and reads from the primary if it does not. The address
 * matters because clients read without the token they wrote with:
 * pyDataPipeline looks up the object_component of the object it has just
 * POSTed with a tokenless GET. */
#include "replica.h"
#include "metrics.h"
#include "settings.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK_EVERY_MS 1000
#define CATCH_UP_MS    500 /* a token's read waits this long for replay */
#define POLL_MS        5
#define ADDR           "addr:" /* a client address's key starts so */

static struct {
	bool init;
	struct db db;
	bool usable;
	bool said_not_replica, said_down, said_lag;
	long long next_check;
	long long caught_up_at; /* when it was last seen level with the
	                           primary */
	uint64_t replayed;      /* its replay position as last seen: a read
	                           waiting for less asks it nothing */
} R;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec t = {0, (long)ms * 1000000L};
	nanosleep(&t, NULL);
}

/* "16/B374D848" as one number, 0 for none */
static uint64_t parse_lsn(const char *s)
{
	unsigned hi, lo;
	if (!s || sscanf(s, "%X/%X", &hi, &lo) != 2)
		return 0;
	return (uint64_t)hi << 32 | lo;
}

static uint64_t one_lsn(struct db *d, const char *sql)
{
	PGresult *r = db_query(d, sql, 0, NULL);
	uint64_t v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r)
	                 ? parse_lsn(PQgetvalue(r, 0, 0))
	                 : 0;
	PQclear(r);
	return v;
}

static void say_down(void)
{
	if (!R.said_down)
		fprintf(stderr, "registry: the replica is unreachable; reads "
		                "go to the primary\n");
	R.said_down = true;
}

void replica_lost(void)
{
	say_down();
	R.usable = false;
	R.next_check = now_ms() + CHECK_EVERY_MS;
}

static bool check(struct db *primary)
{
	if (!db_ready(&R.db)) {
		say_down();
		return false;
	}
	R.said_down = false;
	PGresult *r = db_query(
	    &R.db, "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text",
	    0, NULL);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		PQclear(r);
		if (db_lost(&R.db))
			say_down();
		return false;
	}
	bool recovering = !strcmp(PQgetvalue(r, 0, 0), "t");
	uint64_t replayed = parse_lsn(PQgetvalue(r, 0, 1));
	PQclear(r);
	/* set, not raised: another server behind the same name starts over */
	R.replayed = recovering ? replayed : 0;
	if (!recovering) {
		if (!R.said_not_replica)
			fprintf(stderr,
			        "registry: the replica setting names a server "
			        "that is not in recovery (not a replica, or "
			        "promoted); reads go to the primary\n");
		R.said_not_replica = true;
		return false;
	}
	R.said_not_replica = false;
	/* Lag is how long it has been behind the primary's position: a
	 * replay timestamp would call an idle replica far behind as soon as
	 * the next write arrives. */
	uint64_t head =
	    db_lost(primary)
	        ? 0
	        : one_lsn(primary, "SELECT pg_current_wal_lsn()::text");
	long long now = now_ms();
	if (head <= replayed)
		R.caught_up_at = now;
	/* behind since before this worker first looked: for how long is
	 * unknown, so the primary answers until the replica catches up */
	double behind = R.caught_up_at ? (double)(now - R.caught_up_at) / 1000
	                               : settings.replica_max_lag + 1.0;
	bool lagging = behind > settings.replica_max_lag;
	if (lagging && !R.said_lag)
		fprintf(stderr,
		        "registry: the replica has been behind the primary "
		        "for %.1f s (more than replica_max_lag); reads go to "
		        "the primary\n",
		        behind);
	R.said_lag = lagging;
	return !lagging;
}

bool replica_is_read(const struct request *rq)
{
	return !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD") ||
	       !strcmp(rq->method, "OPTIONS");
}

/* FNV-1a of what names the client: its Authorization header, or its
 * address (after a marker, so the two never share a key by design). */
static uint64_t client_key(const char *tag, const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (const char *t = tag; *t; t++)
		h = (h ^ (unsigned char)*t) * 1099511628211u;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h ? h : 1;
}

/* The WAL position this client's reads must see: the later of its
 * token's and its address's last writes (0: none known). */
static uint64_t client_lsn(const struct request *rq)
{
	uint64_t lsn = 0, at;
	if (rq->authz && *rq->authz)
		lsn = metrics_token_lsn(client_key("", rq->authz));
	if (rq->remote_addr && *rq->remote_addr &&
	    (at = metrics_token_lsn(client_key(ADDR, rq->remote_addr))) > lsn)
		lsn = at;
	return lsn;
}

/* Has the replica replayed up to lsn? Waits up to CATCH_UP_MS. */
static bool caught_up(uint64_t lsn)
{
	long long until = now_ms() + CATCH_UP_MS;
	bool waited = false;
	if (R.replayed >= lsn)
		return true;
	for (;;) {
		uint64_t at =
		    one_lsn(&R.db, "SELECT pg_last_wal_replay_lsn()::text");
		if (at > R.replayed)
			R.replayed = at;
		if (at >= lsn)
			return true;
		if (!at || now_ms() >= until)
			return false;
		if (!waited)
			metrics_count(M_REPLICA_WAITS, 1);
		waited = true;
		sleep_ms(POLL_MS);
	}
}

struct db *replica_for(struct request *rq, struct db *primary)
{
	if (!*settings.replica || !replica_is_read(rq))
		return NULL;
	if (!R.init) {
		db_init(&R.db, settings.replica);
		/* prepared_statements is about the primary's pooler; a
		 * replica behind one is noticed by db.c and falls back */
		R.db.unnamed = false;
		R.init = true;
	}
	long long now = now_ms();
	bool primary_down = !db_ready(primary);
	if (now >= R.next_check || primary_down) {
		R.usable = check(primary);
		R.next_check = now + CHECK_EVERY_MS;
		if (!R.usable)
			metrics_count(M_REPLICA_ERRORS, 1);
	}
	if (primary_down) /* stale reads beat none */
		return db_ready(&R.db) ? &R.db : NULL;
	if (!R.usable)
		return NULL;
	uint64_t lsn = client_lsn(rq);
	if (lsn && !caught_up(lsn))
		return NULL;
	return &R.db;
}

void replica_wrote(struct request *rq, struct db *primary)
{
	bool token = rq->authz && *rq->authz;
	bool addr = rq->remote_addr && *rq->remote_addr;
	if (!*settings.replica || replica_is_read(rq) || rq->status >= 400 ||
	    (!token && !addr))
		return;
	/* the insert position: with synchronous_commit off the commit
	 * record need not be written out yet */
	uint64_t lsn =
	    one_lsn(primary, "SELECT pg_current_wal_insert_lsn()::text");
	if (lsn && token)
		metrics_token_lsn_set(client_key("", rq->authz), lsn);
	if (lsn && addr)
		metrics_token_lsn_set(client_key(ADDR, rq->remote_addr), lsn);
}
