/* list.c - list answers: filters, ordering and keyset cursor pagination in
 * one statement per page (the count rides along as a scalar subquery).
 *
 * The page is chosen in a subquery and only its rows go through the select
 * list: the planner then plans the per-row subqueries for a page, not for
 * the whole table (it would otherwise hash a whole related table to answer
 * one page). An unfiltered list reads its count from the counts the tables
 * keep; a filtered one stops counting after COUNT_EXACT_MAX matches, and
 * beyond that the count is the planner's estimate, one more statement, so
 * that a page never costs a pass over a large table (docs/performance.md). */
#include "cursor.h"
#include "filter.h"
#include "handlers.h"
#include "json_text.h"
#include "record.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT    100
#define PAGE_MAX        1000
#define COUNT_EXACT_MAX 10000
#define PAGE_GUESS_MAX  (4 << 20)

struct sort_key {
	const struct field *f; /* NULL = the id */
	bool desc;
	int col; /* its column in the result */
};

/* Column of each selected field: count is 0, id is 1, fields follow. */
static int field_col(const struct resource *r, const struct field *want)
{
	int col = 2;
	for (const struct field *f = r->fields; f->name; f++) {
		if (f == want)
			return col;
		if (field_selected(f))
			col++;
	}
	return -1;
}

/* "ordering=-name,version": as in the reference, only the resource's own
 * stored fields sort (unknown ones, to-many relations, computed values and
 * even "id" are ignored); the id always ends the keys so that every record
 * has one place. */
static int sort_keys(struct request *rq, const struct resource *r,
                     struct sort_key *k, const char **canon)
{
	int n = 0;
	struct buf c;
	buf_init(&c, rq->a);
	const char *o = query_get(&rq->q, "ordering");
	while (o && *o && n < CURSOR_MAX_KEYS - 1) {
		size_t len = strcspn(o, ",");
		const char *t = o;
		o += len + (o[len] == ',');
		while (len && *t == ' ') {
			t++;
			len--;
		}
		while (len && t[len - 1] == ' ')
			len--;
		bool desc = len && *t == '-';
		char *name = arena_strndup(rq->a, t + desc, len - desc);
		const struct field *f = field_find(r, name);
		if (!f || !field_has_column(f))
			continue;
		k[n++] = (struct sort_key){f, desc, field_col(r, f)};
	}
	k[n++] = (struct sort_key){NULL, true, 1}; /* newest first */
	for (int i = 0; i < n; i++)
		buf_printf(&c, "%s%s%s", i ? "," : "", k[i].desc ? "-" : "",
		           k[i].f ? k[i].f->name : "id");
	*canon = c.p;
	return n;
}

/* page_size as Python's int() reads it; 0, negative or invalid means the
 * default. Absurd sizes are capped. */
static long page_size(struct request *rq)
{
	const char *ps = query_get(&rq->q, "page_size");
	char *end;
	long v = ps ? strtol(ps, &end, 10) : 0; /* skips leading spaces */
	if (!ps || end == ps)
		return PAGE_DEFAULT;
	while (*end == ' ')
		end++;
	if (*end || v <= 0)
		return PAGE_DEFAULT;
	return v > PAGE_MAX ? PAGE_MAX : v;
}

static void key_expr(struct buf *b, const struct sort_key *k)
{
	if (k->f) {
		buf_puts(b, "t.");
		sql_column(b, k->f);
	} else {
		buf_puts(b, "t.id");
	}
}

/* Rows strictly beyond the cursor's edge in the direction of travel.
 * PostgreSQL puts NULLs last ascending and first descending. */
static void keyset(struct buf *w, struct params *p, const struct sort_key *k,
                   int n, const struct cursor *c)
{
	buf_puts(w, " AND (");
	for (int i = 0; i < n; i++) {
		buf_puts(w, i ? " OR (" : "(");
		for (int j = 0; j < i; j++) {
			key_expr(w, &k[j]);
			if (c->vals[j])
				buf_printf(w, " = $%d AND ",
				           params_add(p, c->vals[j]));
			else
				buf_puts(w, " IS NULL AND ");
		}
		bool up = k[i].desc == c->backward; /* larger values next */
		const char *v = c->vals[i];
		if (up && v) {
			buf_puts(w, "(");
			key_expr(w, &k[i]);
			buf_printf(w, " > $%d OR ", params_add(p, v));
			key_expr(w, &k[i]);
			buf_puts(w, " IS NULL)");
		} else if (up) {
			buf_puts(w, "FALSE");
		} else if (v) {
			key_expr(w, &k[i]);
			buf_printf(w, " < $%d", params_add(p, v));
		} else {
			key_expr(w, &k[i]);
			buf_puts(w, " IS NOT NULL");
		}
		buf_puts(w, ")");
	}
	buf_puts(w, ")");
}

static char *page_url(struct request *rq, const char *cursor)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_printf(&b, "%s%s", rq->base, rq->path);
	query_with(&b, &rq->q, "cursor", cursor);
	return b.p;
}

static char *edge_cursor(struct request *rq, PGresult *res, int row,
                         const struct sort_key *k, int n, const char *ord,
                         bool backward)
{
	struct cursor c = {.backward = backward, .ordering = ord, .nvals = n};
	for (int i = 0; i < n; i++)
		c.vals[i] = PQgetisnull(res, row, k[i].col)
		                ? NULL
		                : PQgetvalue(res, row, k[i].col);
	return page_url(rq, cursor_encode(rq->a, &c));
}

/* The matches counted, at most COUNT_EXACT_MAX + 1 of them. Without
 * filters, the table's own count (migrations/0003_row_count.sql), exact at
 * any size; every resource table keeps one (tests/http/test_row_count.py),
 * and the capped counting behind it, which PostgreSQL does not even run
 * when the count is there, only keeps a table that does not from failing. */
static void count_expr(struct buf *b, const struct resource *r,
                       const char *where)
{
	bool all = !*where;
	if (all)
		buf_printf(b,
		           "COALESCE((SELECT sum(n)::bigint FROM row_count "
		           "WHERE tbl = '%s'), ",
		           r->name); /* a name from the resource table */
	buf_printf(b,
	           "(SELECT count(*) FROM (SELECT 1 FROM \"%s\" t WHERE TRUE%s "
	           "LIMIT %d) n)",
	           r->name, where, COUNT_EXACT_MAX + 1);
	if (all)
		buf_putc(b, ')');
}

/* Above COUNT_EXACT_MAX the count is what the planner expects the filters
 * to match (never less than what was counted); -1 on a database error. */
static long long bounded_count(struct request *rq, const struct resource *r,
                               const char *where, int n, const char *const *v,
                               long long counted)
{
	if (counted <= COUNT_EXACT_MAX)
		return counted;
	char *sql = arena_printf(rq->a,
	                         "EXPLAIN (FORMAT JSON) SELECT 1 FROM \"%s\" t "
	                         "WHERE TRUE%s",
	                         r->name, where);
	PGresult *res = db_query(rq->db, sql, n, v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || !PQntuples(res)) {
		PQclear(res);
		return -1;
	}
	const char *rows = strstr(PQgetvalue(res, 0, 0), "\"Plan Rows\":");
	double est = rows ? strtod(rows + 12, NULL) : 0;
	PQclear(res);
	return est > counted ? (long long)est : counted;
}

static void put_link_or_null(struct buf *b, const char *url)
{
	if (url)
		json_string(b, url, strlen(url), false);
	else
		buf_puts(b, "null");
}

void handle_list(struct request *rq, const struct resource *r)
{
	struct buf where;
	struct params p;
	buf_init(&where, rq->a);
	params_init(&p, rq->a);
	if (!filter_build(rq, r, &where, &p))
		return;
	int nfilter = p.n;

	long size = page_size(rq);

	struct sort_key k[CURSOR_MAX_KEYS];
	const char *ord;
	int nk = sort_keys(rq, r, k, &ord);

	struct cursor cur = {0};
	const char *cs = query_get(&rq->q, "cursor");
	bool have_cursor = cs && *cs;
	if (have_cursor && (!cursor_decode(rq->a, cs, &cur) ||
	                    strcmp(cur.ordering, ord) || cur.nvals != nk)) {
		resp_detail(rq, 404, "Invalid cursor");
		return;
	}

	const char *wh = where.p ? where.p : "";
	struct buf order;
	buf_init(&order, rq->a);
	buf_puts(&order, " ORDER BY ");
	for (int i = 0; i < nk; i++) {
		if (i)
			buf_puts(&order, ", ");
		key_expr(&order, &k[i]);
		if (k[i].desc != cur.backward)
			buf_puts(&order, " DESC");
	}
	struct buf sql;
	buf_init(&sql, rq->a);
	buf_puts(&sql, "SELECT ");
	count_expr(&sql, r, wh);
	buf_puts(&sql, ", ");
	sql_select_list(&sql, r);
	buf_printf(&sql, " FROM (SELECT * FROM \"%s\" t WHERE TRUE%s", r->name,
	           wh);
	if (have_cursor)
		keyset(&sql, &p, k, nk, &cur);
	/* The page size is part of the statement, not a parameter: with an
	 * unknown LIMIT PostgreSQL costs a plan for the whole table, finds
	 * it dearer than one made for the value, and so planned the statement
	 * anew for every page, a third of the page's database time. It is a
	 * number page_size() made, never the client's text. */
	buf_printf(&sql, "%s LIMIT %ld) t%s", order.p, size + 1, order.p);

	PGresult *res = db_query(rq->db, sql.p, p.n, p.v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		/* a cursor value that is no value of its key's type */
		const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		bool bad = have_cursor && st && !strncmp(st, "22", 2);
		PQclear(res);
		if (bad)
			resp_detail(rq, 404, "Invalid cursor");
		else
			resp_db_failure(rq);
		return;
	}
	int rows = PQntuples(res);
	bool more = rows > size;
	int shown = more ? (int)size : rows;
	long long count = 0;
	if (rows)
		count = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	else if (have_cursor) {
		/* an empty page still reports how many records match */
		PQclear(res);
		buf_init(&sql, rq->a);
		buf_puts(&sql, "SELECT ");
		count_expr(&sql, r, wh);
		res = db_query(rq->db, sql.p, nfilter, p.v);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(res);
			resp_db_failure(rq);
			return;
		}
		count = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}
	if (*wh) /* unfiltered counts are exact (count_expr) */
		count = bounded_count(rq, r, wh, nfilter, p.v, count);
	if (count < 0) {
		PQclear(res);
		resp_db_failure(rq);
		return;
	}

	const char *next = NULL, *prev = NULL;
	if (!cur.backward) {
		if (more)
			next =
			    edge_cursor(rq, res, shown - 1, k, nk, ord, false);
		if (have_cursor && shown)
			prev = edge_cursor(rq, res, 0, k, nk, ord, true);
	} else {
		if (shown)
			next = edge_cursor(rq, res, 0, k, nk, ord, false);
		if (more)
			prev =
			    edge_cursor(rq, res, shown - 1, k, nk, ord, true);
	}

	struct buf out;
	buf_init(&out, rq->a);
	buf_printf(&out, "{\"count\":%lld,\"next\":", count);
	put_link_or_null(&out, next);
	buf_puts(&out, ",\"previous\":");
	put_link_or_null(&out, prev);
	buf_puts(&out, ",\"results\":[");
	for (int j = 0; j < shown; j++) {
		/* fetched in reverse when going back: turn the page round */
		int i = cur.backward ? shown - 1 - j : j;
		if (j)
			buf_putc(&out, ',');
		size_t at = out.len;
		record_write(&out, rq, r, res, i, 1);
		/* records of a page are alike: room for the rest at once,
		 * rather than doubling through arena memory never reused (a
		 * huge first record must not reserve a thousand of itself) */
		if (!j) {
			size_t rest =
			    (out.len - at + 1) * (size_t)shown * 5 / 4;
			buf_grow(&out,
			         rest < PAGE_GUESS_MAX ? rest : PAGE_GUESS_MAX);
		}
	}
	buf_add(&out, "]}", 2);
	PQclear(res);
	resp_text(rq, 200, "application/json", out.p, out.len);
}
