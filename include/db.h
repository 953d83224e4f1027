/* db.h - the worker's one PostgreSQL connection: reconnects after the
 * database went away, prepares each statement once and reuses it. */
#ifndef DB_H
#define DB_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db_stmt {
	char *sql; /* malloc'd; lives as long as the connection */
	unsigned hash;
	int id;
};

struct db {
	PGconn *conn;
	const char *url; /* connection URI or "" for the PG* variables */
	struct db_stmt *stmts;
	int nstmts, cap;
	int next_id;
	int statement_timeout; /* ms, set on each new connection (behind a
	                          pooler, with each transaction instead) */
	char last_state[6];    /* SQLSTATE of the last failed statement */
	bool unnamed;   /* no named statements and no session state (PgBouncer,
	                   transaction mode) */
	bool down;      /* the last attempt to connect failed */
	bool lost;      /* a statement failed for want of the server */
	bool connected; /* has been connected once */
	/* A COMMIT (or a write outside a transaction) was sent and its answer
	 * lost with the connection: the request must not be run again. */
	bool in_doubt;
	char xid[24]; /* the write transaction's id, "" outside one */
};

void db_init(struct db *d, const char *url);
/* True when the connection is usable, reconnecting if it is not. */
bool db_ready(struct db *d);
void db_close(struct db *d);

/* Runs sql with text parameters as a prepared statement (prepared on first
 * use). NULL values are SQL NULL. The caller PQclear()s the result. */
PGresult *db_query(struct db *d, const char *sql, int n,
                   const char *const *vals);
/* For statements without parameters (BEGIN, COMMIT, ROLLBACK). */
bool db_cmd(struct db *d, const char *sql);

/* True if the result failed because the connection is gone. */
bool db_lost(struct db *d);

/* After a lost COMMIT, once connected again: what the server says became
 * of that transaction. Rolled back: the request may run again; committed:
 * it must not, but its answer may be given; unknown: neither. */
enum doubt { DOUBT_ABORTED, DOUBT_COMMITTED, DOUBT_UNKNOWN };
enum doubt db_doubt(struct db *d);

/* Reconnects every 100 ms until the database answers or the monotonic
 * clock passes deadline_ms; false when it did not come back in time. */
bool db_wait_ready(struct db *d, long long deadline_ms);
/* now + the db_wait setting, and whether such a deadline has passed */
long long db_deadline(void);
bool db_past(long long deadline_ms);

#endif
