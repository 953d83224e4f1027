/* db.c - one libpq connection per worker, its prepared-statement cache and
 * reconnection. Statements are keyed by their text: the SQL builder makes
 * the same text for the same shape of request, so each shape is parsed and
 * planned once per connection. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		fprintf(stderr, "registry: database: %s",
		        PQerrorMessage(d->conn));
		return false;
	}
	/* timestamps are written as UTC ISO text, whatever the server says;
	 * no statement of a request runs unbounded (a backstop: filters
	 * are built to be cheap, src/glob.c) */
	char sql[160];
	snprintf(sql, sizeof sql,
	         "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; "
	         "SET bytea_output = 'hex'; SET statement_timeout = %d",
	         d->statement_timeout);
	PGresult *r = PQexec(d->conn, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

bool db_ready(struct db *d)
{
	if (d->conn && PQstatus(d->conn) == CONNECTION_OK)
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
	return !d->conn || PQstatus(d->conn) != CONNECTION_OK;
}

static const struct db_stmt *lookup(struct db *d, const char *sql, unsigned h)
{
	for (int i = 0; i < d->nstmts; i++)
		if (d->stmts[i].hash == h && !strcmp(d->stmts[i].sql, sql))
			return &d->stmts[i];
	return NULL;
}

static PGresult *run_query(struct db *d, const char *sql, int n,
                           const char *const *vals)
{
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

/* A connection that died while idle (the server restarted between two
 * requests) is only noticed by the next statement. Outside a transaction
 * nothing is lost by reconnecting and running that statement again. */
static bool retry_after_loss(struct db *d, PGresult *r, bool was_idle)
{
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return false;
	return was_idle && PQstatus(d->conn) == CONNECTION_BAD &&
	       connect_now(d);
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
	if (retry_after_loss(d, r, idle)) {
		PQclear(r);
		r = run_query(d, sql, n, vals);
	}
	note_state(d, r);
	return r;
}

bool db_cmd(struct db *d, const char *sql)
{
	bool idle = PQtransactionStatus(d->conn) == PQTRANS_IDLE;
	PGresult *r = PQexec(d->conn, sql);
	if (retry_after_loss(d, r, idle)) {
		PQclear(r);
		r = PQexec(d->conn, sql);
	}
	note_state(d, r);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "registry: %s: %s", sql,
		        PQerrorMessage(d->conn));
	PQclear(r);
	return ok;
}
