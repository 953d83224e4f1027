/* db.c - one libpq connection per worker, its prepared-statement cache and
 * reconnection. Statements are keyed by their text: the SQL builder makes
 * the same text for the same shape of request, so each shape is parsed and
 * planned once per connection. With prepared_statements = unnamed (PgBouncer
 * in transaction mode) every statement goes as one unnamed parse-bind-
 * execute instead, which holds no state between transactions; and the
 * statement timeout, which PgBouncer does not carry from one server
 * connection to the next as it does TimeZone and DateStyle, is set for each
 * transaction instead of once for the connection (bounded() below). */
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
	d->statement_timeout = settings.statement_timeout;
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
	bool was_down = d->down; /* said once per outage, not per attempt */
	if (d->conn)
		PQfinish(d->conn);
	forget_statements(d);
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		if (!was_down)
			fprintf(stderr, "registry: database: %s",
			        PQerrorMessage(d->conn));
		d->down = true;
		return false;
	}
	if (was_down || d->connected)
		metrics_count(M_DB_RECONNECTS, 1);
	d->down = false;
	d->lost = false;
	d->connected = true;
	/* timestamps are written as UTC ISO text, whatever the server says
	 * (PgBouncer tracks both and sets them again on whichever server
	 * connection a transaction gets); no statement of a request runs
	 * unbounded (a backstop: filters are built to be cheap,
	 * src/glob.c). Behind a transaction pooler a session SET of the
	 * timeout would stay on one server connection, missing on the
	 * others and left behind for the pooler's other clients: there it
	 * is set per transaction. bytea is never read raw (encode() in
	 * SQL), so bytea_output is left alone. */
	char sql[160] = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'";
	if (!d->unnamed)
		snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
		         "; SET statement_timeout = %d", d->statement_timeout);
	PGresult *r = PQexec(d->conn, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok) {
		/* logged in, but no server behind it: a pooler whose server
		 * connections are all taken (PgBouncer in session mode with
		 * fewer of them than workers says query_wait_timeout) */
		if (!was_down)
			fprintf(stderr,
			        "registry: database: connected, but its first "
			        "statement failed: %s",
			        PQerrorMessage(d->conn));
		d->down = true;
		d->lost = true; /* never used without its settings */
	}
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

/* Behind a transaction pooler a statement outside a transaction gets its
 * timeout for itself: set_config(..., true) lasts to the end of the
 * implicit transaction that the pipeline's one Sync closes, and PgBouncer
 * keeps the server connection until then. One round trip, as without it;
 * PostgreSQL arms the timeout afresh for each statement of the pipeline.
 * Inside a transaction BEGIN has set it (run_cmd). */
static PGresult *bounded(struct db *d, const char *sql, int n,
                         const char *const *vals)
{
	PGconn *c = d->conn;
	if (!d->statement_timeout || PQtransactionStatus(c) != PQTRANS_IDLE ||
	    !PQenterPipelineMode(c))
		return PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	char ms[16];
	snprintf(ms, sizeof ms, "%d", d->statement_timeout);
	const char *v = ms;
	PGresult *set = NULL, *res = NULL, *r;
	if (PQsendQueryParams(
	        c, "SELECT set_config('statement_timeout', $1, true)", 1, NULL,
	        &v, NULL, NULL, 0) &&
	    PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0) &&
	    PQpipelineSync(c)) {
		/* each statement's result and a NULL, then the Sync's; a
		 * lost connection ends it all with NULLs */
		for (int i = 0; i < 2; i++)
			while ((r = PQgetResult(c))) {
				PGresult **keep = i ? &res : &set;
				if (*keep)
					PQclear(r);
				else
					*keep = r;
			}
		while ((r = PQgetResult(c))) {
			bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
			PQclear(r);
			if (sync)
				break;
		}
	}
	if (!PQexitPipelineMode(c))
		d->lost = true; /* unusable as it is: connect again */
	/* the statement's own answer, else why it never ran */
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (!res || st == PGRES_PIPELINE_ABORTED) {
		PQclear(res);
		res = set && PQresultStatus(set) == PGRES_FATAL_ERROR
		          ? set
		          : PQmakeEmptyPGresult(c, PGRES_FATAL_ERROR);
		if (res == set)
			set = NULL;
	}
	PQclear(set);
	return res;
}

static PGresult *run_named(struct db *d, const char *sql, int n,
                           const char *const *vals)
{
	if (d->unnamed)
		return bounded(d, sql, n, vals);
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
			return bounded(d, sql, n, vals);
		}
		/* the transaction is aborted: the request runs again */
		d->lost = true;
	}
	return r;
}

/* Whether a statement that failed with the connection may have changed
 * something for good: a COMMIT, or a write outside a transaction, whose
 * answer never came. A COMMIT always is, even when the server says it is
 * shutting down (57P01): a fast shutdown may end the backend after the
 * commit record is written and before the COMMIT's answer is sent (seen
 * as a POST stored twice across a switch-over); txid_status decides. Any
 * other statement met by 57P01 (sent before the server closes an idle
 * connection) ran none of it. */
static bool in_doubt(PGresult *r, const char *sql, bool was_idle)
{
	const char *code = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (!strncmp(sql, "COMMIT", 6))
		return true;
	if (code && !strcmp(code, "57P01"))
		return false;
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

/* Keeps the SQLSTATE of a failed statement for the answer to read. */
static void note_state(struct db *d, const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);
	const char *s = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK
	                    ? NULL
	                    : PQresultErrorField(r, PG_DIAG_SQLSTATE);
	snprintf(d->last_state, sizeof d->last_state, "%s", s ? s : "");
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
	note_state(d, r);
	return r;
}

/* A write transaction starts by learning its transaction id in the same
 * round trip, so that a COMMIT whose answer is lost can be looked up once
 * the server is back (txid_status) instead of guessed. Behind a
 * transaction pooler any transaction also sets its statement timeout
 * there (SET LOCAL: the server connection is ours until COMMIT). */
static PGresult *begin(struct db *d, const char *sql)
{
	bool write = !strcmp(sql, "BEGIN");
	size_t cap = strlen(sql) + 80, n;
	char *text = malloc(cap);
	if (!text)
		abort();
	n = (size_t)snprintf(text, cap, "%s", sql);
	if (d->unnamed && d->statement_timeout)
		n += (size_t)snprintf(text + n, cap - n,
		                      "; SET LOCAL statement_timeout = %d",
		                      d->statement_timeout);
	if (write)
		snprintf(text + n, cap - n, "; SELECT txid_current()");
	PGresult *r = PQexec(d->conn, text);
	free(text);
	if (!write || PQresultStatus(r) != PGRES_TUPLES_OK)
		return r;
	snprintf(d->xid, sizeof d->xid, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return PQmakeEmptyPGresult(d->conn, PGRES_COMMAND_OK);
}

static PGresult *run_cmd(struct db *d, const char *sql)
{
	return strncmp(sql, "BEGIN", 5) ? PQexec(d->conn, sql) : begin(d, sql);
}

bool db_cmd(struct db *d, const char *sql)
{
	bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
	PGresult *r = run_cmd(d, sql);
	if (retry_after_loss(d, r, sql, idle)) {
		PQclear(r);
		r = run_cmd(d, sql);
	}
	note_state(d, r);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "registry: %s: %s", sql,
		        PQerrorMessage(d->conn));
	PQclear(r);
	if (strcmp(sql, "BEGIN") && !d->in_doubt)
		d->xid[0] = 0; /* the transaction is over */
	return ok;
}

enum doubt db_doubt(struct db *d)
{
	if (!d->xid[0])
		return DOUBT_UNKNOWN; /* a write outside a transaction */
	const char *v = d->xid;
	PGresult *r = db_query(d, "SELECT txid_status($1::bigint)", 1, &v);
	const char *st = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r)
	                     ? PQgetvalue(r, 0, 0)
	                     : "";
	enum doubt out = !strcmp(st, "aborted")     ? DOUBT_ABORTED
	                 : !strcmp(st, "committed") ? DOUBT_COMMITTED
	                                            : DOUBT_UNKNOWN;
	fprintf(stderr, "registry: transaction %s %s\n", d->xid,
	        out == DOUBT_ABORTED     ? "was rolled back: running the "
	                                   "request again"
	        : out == DOUBT_COMMITTED ? "was committed: not run again, "
	                                   "answered as committed"
	                                 : "may have been committed: not run "
	                                   "again");
	PQclear(r);
	if (out != DOUBT_UNKNOWN) {
		d->in_doubt = false;
		d->xid[0] = 0;
	}
	return out;
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
