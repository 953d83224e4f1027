/* db.c - one libpq connection per worker, its prepared-statement cache and
 * reconnection. Statements are keyed by their text: the SQL builder makes
 * the same text for the same shape of request, so each shape is parsed and
 * planned once per connection. With prepared_statements = unnamed (PgBouncer
 * in transaction mode) every statement goes as one unnamed parse-bind-
 * execute instead, which holds no state between transactions. */
#include "db.h"
#include "metrics.h"
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STMT_CACHE_MAX 1024

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void db_init(struct db *d, const char *url)
{
	memset(d, 0, sizeof *d);
	d->url = url ? url : "";
	d->unnamed = !strcmp(settings.prepared_statements, "unnamed");
}

static void forget_statements(struct db *d)
{
	for (int i = 0; i < d->nstmts; i++)
		free(d->stmts[i].sql);
	d->nstmts = 0;
}

static bool connect_now(struct db *d)
{
	const char *keys[] = {"dbname", "application_name", NULL};
	const char *vals[] = {d->url, "registry", NULL};
	if (d->conn)
		PQfinish(d->conn);
	forget_statements(d);
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		/* once per outage, not once per attempt */
		if (!d->down)
			fprintf(stderr, "registry: database: %s",
			        PQerrorMessage(d->conn));
		d->down = true;
		return false;
	}
	if (d->down || d->connected)
		metrics_count(M_DB_RECONNECTS, 1);
	d->down = false;
	d->lost = false;
	d->connected = true;
	/* timestamps are written as UTC ISO text, whatever the server says */
	PGresult *r = PQexec(d->conn, "SET TimeZone = 'UTC'; "
	                              "SET DateStyle = 'ISO'; "
	                              "SET bytea_output = 'hex'");
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

bool db_ready(struct db *d)
{
	if (d->conn && PQstatus(d->conn) == CONNECTION_OK && !d->lost)
		return true;
	return connect_now(d);
}

void db_close(struct db *d)
{
	forget_statements(d);
	free(d->stmts);
	d->stmts = NULL;
	d->cap = 0;
	if (d->conn)
		PQfinish(d->conn);
	d->conn = NULL;
}

bool db_lost(struct db *d)
{
	return !d->conn || PQstatus(d->conn) != CONNECTION_OK || d->lost;
}

/* A failure that says nothing about the statement: the server (or the
 * pooler in front of it, which keeps our connection open and answers
 * with class 08 when it cannot reach the server) went away. */
static bool connection_failed(struct db *d, PGresult *r)
{
	if (!d->conn || PQstatus(d->conn) == CONNECTION_BAD)
		return true;
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	return code && (!strncmp(code, "08", 2) || !strncmp(code, "57P", 3));
}

static const struct db_stmt *lookup(struct db *d, const char *sql, unsigned h)
{
	for (int i = 0; i < d->nstmts; i++)
		if (d->stmts[i].hash == h && !strcmp(d->stmts[i].sql, sql))
			return &d->stmts[i];
	return NULL;
}

static PGresult *run_named(struct db *d, const char *sql, int n,
                           const char *const *vals)
{
	if (d->unnamed)
		return PQexecParams(d->conn, sql, n, NULL, vals, NULL, NULL, 0);
	unsigned h = hash_str(sql);
	const struct db_stmt *s = lookup(d, sql, h);
	char name[32];
	if (!s && d->nstmts < STMT_CACHE_MAX) {
		snprintf(name, sizeof name, "s%d", d->next_id);
		PGresult *r = PQprepare(d->conn, name, sql, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			return r; /* the caller sees the error */
		PQclear(r);
		if (d->nstmts == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 64;
			d->stmts = realloc(d->stmts,
			                   sizeof *d->stmts * (size_t)d->cap);
			if (!d->stmts)
				abort();
		}
		struct db_stmt *ns = &d->stmts[d->nstmts++];
		ns->sql = strdup(sql);
		ns->hash = h;
		ns->id = d->next_id++;
		s = ns;
	}
	if (!s) /* cache full: plan it every time */
		return PQexecParams(d->conn, sql, n, NULL, vals, NULL, NULL, 0);
	snprintf(name, sizeof name, "s%d", s->id);
	return PQexecPrepared(d->conn, name, n, vals, NULL, NULL, 0);
}

/* A named statement this connection prepared is gone, or a name it is
 * about to use is taken: the server connection under it changes between
 * transactions (PgBouncer in transaction mode). From now on this worker
 * uses unnamed statements, as prepared_statements = unnamed would. */
static bool pooler_lost_statement(struct db *d, PGresult *r)
{
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (d->unnamed || !code ||
	    (strcmp(code, "26000") && strcmp(code, "42P05")))
		return false;
	fprintf(stderr,
	        "registry: a prepared statement of this connection is gone "
	        "(%s): the server connection changes between transactions, "
	        "as behind PgBouncer in transaction mode; this worker now "
	        "uses unnamed statements (set prepared_statements = "
	        "unnamed)\n",
	        code);
	d->unnamed = true;
	forget_statements(d);
	return true;
}

static PGresult *run_query(struct db *d, const char *sql, int n,
                           const char *const *vals)
{
	bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
	PGresult *r = run_named(d, sql, n, vals);
	if (PQresultStatus(r) == PGRES_FATAL_ERROR &&
	    pooler_lost_statement(d, r)) {
		if (idle) {
			PQclear(r);
			return PQexecParams(d->conn, sql, n, NULL, vals, NULL,
			                    NULL, 0);
		}
		/* the transaction is aborted: the request runs again */
		d->lost = true;
	}
	return r;
}

/* Whether a statement that failed with the connection may have changed
 * something for good: a COMMIT, or a write outside a transaction, whose
 * answer never came. A server that says it is shutting down (57P01, sent
 * before it closes an idle connection) ran none of it. */
static bool in_doubt(PGresult *r, const char *sql, bool was_idle)
{
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (code && !strcmp(code, "57P01"))
		return false;
	if (!strncmp(sql, "COMMIT", 6))
		return true;
	return was_idle && strncmp(sql, "SELECT", 6) &&
	       strncmp(sql, "BEGIN", 5) && strncmp(sql, "ROLLBACK", 8);
}

/* A connection that died while idle (the server restarted between two
 * requests) is only noticed by the next statement. Outside a transaction
 * nothing is lost by reconnecting and running that statement again, unless
 * it may have been written already. */
static bool retry_after_loss(struct db *d, PGresult *r, const char *sql,
                             bool was_idle)
{
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return false;
	if (!connection_failed(d, r))
		return false;
	d->lost = true;
	if (in_doubt(r, sql, was_idle)) {
		d->in_doubt = true;
		if (strncmp(sql, "COMMIT", 6))
			d->xid[0] = 0;
		return false;
	}
	return was_idle && connect_now(d);
}

PGresult *db_query(struct db *d, const char *sql, int n,
                   const char *const *vals)
{
	bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
	PGresult *r = run_query(d, sql, n, vals);
	if (retry_after_loss(d, r, sql, idle)) {
		PQclear(r);
		r = run_query(d, sql, n, vals);
	}
	return r;
}

/* A write transaction starts by learning its transaction id in the same
 * round trip, so that a COMMIT whose answer is lost can be looked up once
 * the server is back (txid_status) instead of guessed. */
static PGresult *begin(struct db *d)
{
	PGresult *r = PQexec(d->conn, "BEGIN; SELECT txid_current()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return r;
	snprintf(d->xid, sizeof d->xid, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return PQmakeEmptyPGresult(d->conn, PGRES_COMMAND_OK);
}

static PGresult *run_cmd(struct db *d, const char *sql)
{
	return strcmp(sql, "BEGIN") ? PQexec(d->conn, sql) : begin(d);
}

bool db_cmd(struct db *d, const char *sql)
{
	bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
	PGresult *r = run_cmd(d, sql);
	if (retry_after_loss(d, r, sql, idle)) {
		PQclear(r);
		r = run_cmd(d, sql);
	}
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "registry: %s: %s", sql,
		        PQerrorMessage(d->conn));
	PQclear(r);
	if (strcmp(sql, "BEGIN") && !d->in_doubt)
		d->xid[0] = 0; /* the transaction is over */
	return ok;
}

bool db_doubt_resolved(struct db *d)
{
	if (!d->xid[0])
		return false; /* a write outside a transaction: no way to know
		               */
	const char *v = d->xid;
	PGresult *r = db_query(d, "SELECT txid_status($1::bigint)", 1, &v);
	bool aborted = PQresultStatus(r) == PGRES_TUPLES_OK &&
	               !strcmp(PQgetvalue(r, 0, 0), "aborted");
	fprintf(stderr, "registry: transaction %s %s\n", d->xid,
	        aborted ? "was rolled back: running the request again"
	                : "may have been committed: not run again");
	PQclear(r);
	if (aborted) {
		d->in_doubt = false;
		d->xid[0] = 0;
	}
	return aborted;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool db_wait_ready(struct db *d, long long deadline_ms)
{
	while (!db_ready(d)) {
		if (now_ms() >= deadline_ms)
			return false;
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	return true;
}

long long db_deadline(void)
{
	return now_ms() + (long long)settings.db_wait * 1000;
}

bool db_past(long long deadline_ms)
{
	return now_ms() >= deadline_ms;
}
