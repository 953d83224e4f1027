/* load.c - batches of imported records into the database. A batch goes by
 * COPY into session-private staging tables, and from there into the real
 * tables in a few set-wide statements: new records are inserted, records
 * the source changed since the last run (a later last_updated) replace
 * theirs, the rest are left alone. Inserts run the tables' own triggers, so
 * the kept counts stay right, and every constraint is checked as for a
 * write through the API. The caller holds the transaction. */
#include "parts.h"
#include "sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Staging tables, all named after the resource: imp_<r> (the rows),
 * imp_<r>_w (ids written by this batch), imp_<r>_<i> (join lines). */
static char *col_list(struct arena *a, const struct plan *p, const char *pfx)
{
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, "%sid", pfx);
	for (int i = 0; i < p->ncols; i++) {
		buf_printf(&b, ", %s", pfx);
		sql_column(&b, p->cols[i]);
	}
	return b.p;
}

static void db_error(PGresult *res, char *why)
{
	const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	snprintf(why, ERR_LEN, "%s%s%s", m ? m : "database error",
	         d ? " - " : "", d ? d : "");
}

static bool run(PGconn *c, const char *sql, char *why)
{
	PGresult *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		db_error(res, why);
	PQclear(res);
	return ok;
}

bool load_prepare(PGconn *c, const struct plan *p, char *why)
{
	struct arena a = {0};
	const char *n = p->r->name;
	bool ok = run(c,
	              arena_printf(&a,
	                           "CREATE TEMP TABLE IF NOT EXISTS \"imp_%s\" "
	                           "ON COMMIT DELETE ROWS AS SELECT %s FROM "
	                           "\"%s\" WITH NO DATA",
	                           n, col_list(&a, p, ""), n),
	              why) &&
	          run(c,
	              arena_printf(&a,
	                           "CREATE TEMP TABLE IF NOT EXISTS "
	                           "\"imp_%s_w\" (id bigint) ON COMMIT "
	                           "DELETE ROWS",
	                           n),
	              why);
	for (int i = 0; ok && i < plan_nlists(p); i++)
		ok =
		    run(c,
		        arena_printf(&a,
		                     "CREATE TEMP TABLE IF NOT EXISTS "
		                     "\"imp_%s_%d\" (a bigint, b %s) ON COMMIT "
		                     "DELETE ROWS",
		                     n, i, i < p->njoins ? "bigint" : "text"),
		        why);
	arena_free(&a);
	return ok;
}

/* COPY of data[from, to) into table; on a bad line, *line is its number
 * (from 1) */
static bool copy_in(PGconn *c, const char *sql, const char *data, size_t len,
                    int *line, char *why)
{
	*line = 0;
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		db_error(res, why);
		PQclear(res);
		return false;
	}
	PQclear(res);
	if (len && PQputCopyData(c, data, (int)len) != 1) {
		snprintf(why, ERR_LEN, "%s", PQerrorMessage(c));
		return false;
	}
	PQputCopyEnd(c, NULL);
	bool ok = true;
	while ((res = PQgetResult(c))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			db_error(res, why);
			const char *ctx =
			    PQresultErrorField(res, PG_DIAG_CONTEXT);
			const char *at = ctx ? strstr(ctx, ", line ") : NULL;
			if (at)
				*line = atoi(at + 7);
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

/* The first record of the batch that conflicts with one already here. */
static bool conflicts(PGconn *c, struct arena *a, const struct plan *p,
                      long long *bad, char *why)
{
	const char *n = p->r->name;
	char *sql;
	if (p->has_ts)
		sql = arena_printf(
		    a,
		    "SELECT s.id, t.last_updated, s.last_updated, x.own FROM "
		    "\"imp_%s\" s JOIN \"%s\" t ON t.id = s.id CROSS JOIN "
		    "LATERAL (SELECT NOT EXISTS (SELECT 1 FROM import_seen "
		    "seen WHERE seen.tbl = '%s' AND seen.id = s.id) AS own) x "
		    "WHERE x.own OR t.last_updated > s.last_updated ORDER BY "
		    "s.id LIMIT 1",
		    n, n, n);
	else if (p->key)
		sql = arena_printf(a,
		                   "SELECT s.id, t.\"%s\", s.\"%s\" FROM "
		                   "\"imp_%s\" s JOIN \"%s\" t ON t.id = s.id "
		                   "WHERE t.\"%s\" IS DISTINCT FROM s.\"%s\" "
		                   "ORDER BY s.id LIMIT 1",
		                   p->key->name, p->key->name, n, n,
		                   p->key->name, p->key->name);
	else
		return true;
	PGresult *res = PQexec(c, sql);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok) {
		db_error(res, why);
	} else if (PQntuples(res)) {
		ok = false;
		*bad = atoll(PQgetvalue(res, 0, 0));
		if (p->has_ts && *PQgetvalue(res, 0, 3) == 't')
			snprintf(
			    why, ERR_LEN,
			    "this database holds a %s of its own with this "
			    "id (not imported; last_updated %s here, %s in "
			    "the source)",
			    n, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		else if (p->has_ts)
			snprintf(
			    why, ERR_LEN,
			    "the %s was changed here after it was imported "
			    "(last_updated %s here, %s in the source)",
			    n, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		else
			snprintf(why, ERR_LEN,
			         "this database holds another %s with this id "
			         "(%s \"%s\" here, \"%s\" in the source)",
			         n, p->key->name, PQgetvalue(res, 0, 1),
			         PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return ok;
}

static bool merge(PGconn *c, struct arena *a, const struct plan *p, char *why)
{
	const char *n = p->r->name;
	struct buf set, diff;
	buf_init(&set, a);
	buf_init(&diff, a);
	for (int i = 0; i < p->ncols; i++) {
		buf_puts(&set, i ? ", " : "");
		sql_column(&set, p->cols[i]);
		buf_puts(&set, " = s.");
		sql_column(&set, p->cols[i]);
	}
	if (p->has_ts)
		buf_puts(&diff, "t.last_updated < s.last_updated");
	else
		buf_printf(&diff, "(%s) IS DISTINCT FROM (%s)",
		           col_list(a, p, "t."), col_list(a, p, "s."));
	const char *cols = col_list(a, p, "");
	bool ok =
	    run(c,
	        arena_printf(
	            a,
	            "WITH u AS (UPDATE \"%s\" t SET %s FROM \"imp_%s\" "
	            "s WHERE t.id = s.id AND %s RETURNING t.id) "
	            "INSERT INTO \"imp_%s_w\" SELECT id FROM u",
	            n, set.p, n, diff.p, n),
	        why) &&
	    run(c,
	        arena_printf(a,
	                     "WITH i AS (INSERT INTO \"%s\" (%s) SELECT %s "
	                     "FROM \"imp_%s\" s WHERE NOT EXISTS (SELECT 1 "
	                     "FROM \"%s\" t WHERE t.id = s.id) RETURNING id) "
	                     "INSERT INTO \"imp_%s_w\" SELECT id FROM i",
	                     n, cols, cols, n, n, n),
	        why);
	for (int i = 0; ok && i < p->njoins; i++) {
		const struct field *f = p->joins[i];
		/* the other side may not be in yet: it writes these then */
		bool two = join_two_sided(f);
		ok = run(c,
		         arena_printf(
		             a,
		             "DELETE FROM \"%s\" j USING \"imp_%s_w\" w "
		             "WHERE j.\"%s\" = w.id",
		             f->join, n, f->join_self),
		         why) &&
		     run(c,
		         arena_printf(
		             a,
		             "INSERT INTO \"%s\" (\"%s\", \"%s\") "
		             "SELECT j.a, j.b FROM \"imp_%s_%d\" j JOIN "
		             "\"imp_%s_w\" w ON w.id = j.a%s%s%s ON "
		             "CONFLICT DO NOTHING",
		             f->join, f->join_self, f->join_other, n, i, n,
		             two ? " WHERE EXISTS (SELECT 1 FROM \"" : "",
		             two ? f->target : "",
		             two ? "\" x WHERE x.id = j.b)" : ""),
		         why);
	}
	if (ok && p->has_ts)
		ok =
		    run(c,
		        arena_printf(a,
		                     "INSERT INTO import_seen SELECT '%s', id "
		                     "FROM \"imp_%s_w\" ON CONFLICT DO NOTHING",
		                     n, n),
		        why);
	if (ok && p->orgs)
		ok = run(c,
		         arena_printf(a,
		                      "DELETE FROM users_groups ug USING "
		                      "\"imp_%s\" s WHERE ug.users_id = s.id",
		                      n),
		         why) &&
		     run(c,
		         arena_printf(
		             a,
		             "INSERT INTO users_groups (users_id, "
		             "groups_id) SELECT j.a, g.id FROM "
		             "\"imp_%s_%d\" j JOIN groups g ON g.name = "
		             "j.b ON CONFLICT DO NOTHING",
		             n, p->njoins),
		         why);
	return ok;
}

/* Users the batch's records name, made by id when the source hides its
 * users (no token): "user<id>", no token, so nobody writes as them. */
static bool make_users(PGconn *c, struct arena *a, const struct plan *p,
                       char *why)
{
	struct buf ids;
	buf_init(&ids, a);
	for (int i = 0; i < p->ncols; i++) {
		const struct field *f = p->cols[i];
		if (f->type != F_LINK || strcmp(f->target, "users"))
			continue;
		buf_printf(&ids, "%sSELECT \"%s_id\" FROM \"imp_%s\"",
		           ids.len ? " UNION " : "", f->name, p->r->name);
	}
	if (!ids.len)
		return true;
	return run(c,
	           arena_printf(a,
	                        "INSERT INTO users (id, username) SELECT x.id, "
	                        "'user' || x.id FROM (%s) x(id) WHERE x.id IS "
	                        "NOT NULL ON CONFLICT DO NOTHING; SELECT "
	                        "setval(pg_get_serial_sequence('users', 'id'), "
	                        "max(id)) FROM users",
	                        ids.p),
	           why);
}

bool load_batch(PGconn *c, const struct plan *p, const struct batch *b,
                long long *written, long long *bad, char *why)
{
	struct arena a = {0};
	const char *n = p->r->name;
	*bad = 0;
	*written = 0;
	bool ok = run(c,
	              arena_printf(&a,
	                           "DELETE FROM \"imp_%s\"; DELETE FROM "
	                           "\"imp_%s_w\"",
	                           n, n),
	              why);
	int line = 0;
	if (ok && b->n) {
		ok = copy_in(c,
		             arena_printf(&a, "COPY \"imp_%s\" (%s) FROM STDIN",
		                          n, col_list(&a, p, "")),
		             b->rows.p + b->spans[0].row,
		             b->spans[b->n - 1].row_end - b->spans[0].row,
		             &line, why);
		if (!ok && line > 0 && line <= b->n)
			*bad = b->spans[line - 1].id;
		/* the planner's row counts, for the joins below */
		ok = ok &&
		     run(c, arena_printf(&a, "ANALYZE \"imp_%s\"", n), why);
	}
	for (int i = 0; ok && i < plan_nlists(p); i++) {
		ok = run(c, arena_printf(&a, "DELETE FROM \"imp_%s_%d\"", n, i),
		         why);
		if (ok && b->n)
			ok = copy_in(
			    c,
			    arena_printf(&a, "COPY \"imp_%s_%d\" FROM STDIN", n,
			                 i),
			    b->joins[i].p + b->spans[0].join[i],
			    b->spans[b->n - 1].join_end[i] -
			        b->spans[0].join[i],
			    &line, why);
	}
	if (ok && p->make_users)
		ok = make_users(c, &a, p, why);
	ok = ok && conflicts(c, &a, p, bad, why) && merge(c, &a, p, why);
	if (ok) {
		PGresult *res = PQexec(
		    c,
		    arena_printf(&a, "SELECT count(*) FROM \"imp_%s_w\"", n));
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
		if (ok)
			*written = atoll(PQgetvalue(res, 0, 0));
		else
			db_error(res, why);
		PQclear(res);
	}
	arena_free(&a);
	return ok;
}

bool load_sequences(PGconn *c, const struct plan *p, char *why)
{
	struct arena a = {0};
	bool ok =
	    run(c,
	        arena_printf(&a,
	                     "SELECT setval(x.s, x.m) FROM (SELECT "
	                     "pg_get_serial_sequence('\"%s\"', 'id')::regclass "
	                     "AS s, (SELECT max(id) FROM \"%s\") AS m) x WHERE "
	                     "x.m > coalesce(pg_sequence_last_value(x.s), 0)",
	                     p->r->name, p->r->name),
	        why);
	arena_free(&a);
	return ok;
}
