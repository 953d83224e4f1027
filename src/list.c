/* list.c - list answers: filters, ordering and keyset cursor pagination in
 * one statement per page (the count rides along as a scalar subquery). */
#include "cursor.h"
#include "filter.h"
#include "handlers.h"
#include "record.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

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

/* "ordering=-name,version": unknown or unsortable fields are ignored; the
 * id always ends the keys so that every record has one place. */
static int sort_keys(struct request *rq, const struct resource *r,
		     struct sort_key *k, const char **canon)
{
	int n = 0;
	bool has_id = false;
	struct buf c;
	buf_init(&c, rq->a);
	const char *o = query_get(&rq->q, "ordering");
	while (o && *o && n < CURSOR_MAX_KEYS - 1) {
		size_t len = strcspn(o, ",");
		char *name = arena_strndup(rq->a, o, len);
		o += len + (o[len] == ',');
		char *t = name;
		while (*t == ' ')
			t++;
		bool desc = *t == '-';
		if (desc)
			t++;
		if (!strcmp(t, "id")) {
			k[n++] = (struct sort_key){NULL, desc, 1};
			has_id = true;
			break;
		}
		const struct field *f = field_find(r, t);
		if (!f || !field_has_column(f))
			continue;
		k[n++] = (struct sort_key){f, desc, field_col(r, f)};
	}
	if (!has_id)
		k[n++] = (struct sort_key){NULL, true, 1};
	for (int i = 0; i < n; i++)
		buf_printf(&c, "%s%s%s", i ? "," : "", k[i].desc ? "-" : "",
			   k[i].f ? k[i].f->name : "id");
	*canon = c.p;
	return n;
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
	char sep = '?';
	for (int i = 0; i < rq->q.n; i++) {
		if (!strcmp(rq->q.v[i].key, "cursor"))
			continue;
		buf_putc(&b, sep);
		url_encode(&b, rq->q.v[i].key);
		buf_putc(&b, '=');
		url_encode(&b, rq->q.v[i].val);
		sep = '&';
	}
	buf_printf(&b, "%ccursor=%s", sep, cursor);
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

void handle_list(struct request *rq, const struct resource *r)
{
	struct buf where;
	struct params p;
	buf_init(&where, rq->a);
	params_init(&p, rq->a);
	if (filter_build(rq, r, &where, &p) < 0)
		return;
	int nfilter = p.n;

	long size = PAGE_DEFAULT;
	const char *ps = query_get(&rq->q, "page_size");
	if (ps && *ps) {
		char *end;
		long v = strtol(ps, &end, 10);
		if (!*end && v > 0)
			size = v > PAGE_MAX ? PAGE_MAX : v;
	}

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

	struct buf sql;
	buf_init(&sql, rq->a);
	buf_printf(&sql, "SELECT (SELECT count(*) FROM \"%s\" t WHERE TRUE%s), ",
		   r->name, where.p ? where.p : "");
	sql_select_list(&sql, r);
	buf_printf(&sql, " FROM \"%s\" t WHERE TRUE%s", r->name,
		   where.p ? where.p : "");
	if (have_cursor)
		keyset(&sql, &p, k, nk, &cur);
	buf_puts(&sql, " ORDER BY ");
	for (int i = 0; i < nk; i++) {
		if (i)
			buf_puts(&sql, ", ");
		key_expr(&sql, &k[i]);
		if (k[i].desc != cur.backward)
			buf_puts(&sql, " DESC");
	}
	buf_printf(&sql, " LIMIT $%d",
		   params_add(&p, arena_printf(rq->a, "%ld", size + 1)));

	PGresult *res = db_query(rq->db, sql.p, p.n, p.v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
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
		buf_printf(&sql, "SELECT count(*) FROM \"%s\" t WHERE TRUE%s",
			   r->name, where.p ? where.p : "");
		res = db_query(rq->db, sql.p, nfilter, p.v);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			PQclear(res);
			resp_db_failure(rq);
			return;
		}
		count = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	}

	struct json_object *results = json_object_new_array();
	const char *next = NULL, *prev = NULL;
	if (!cur.backward) {
		for (int i = 0; i < shown; i++)
			json_object_array_add(results,
					      record_json(rq, r, res, i, 1));
		if (more)
			next = edge_cursor(rq, res, shown - 1, k, nk, ord,
					   false);
		if (have_cursor && shown)
			prev = edge_cursor(rq, res, 0, k, nk, ord, true);
	} else {
		/* fetched in reverse: turn the page round */
		for (int i = shown - 1; i >= 0; i--)
			json_object_array_add(results,
					      record_json(rq, r, res, i, 1));
		if (shown)
			next = edge_cursor(rq, res, 0, k, nk, ord, false);
		if (more)
			prev = edge_cursor(rq, res, shown - 1, k, nk, ord,
					   true);
	}
	PQclear(res);

	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(count));
	json_object_object_add(o, "next",
			       next ? json_object_new_string(next) : NULL);
	json_object_object_add(o, "previous",
			       prev ? json_object_new_string(prev) : NULL);
	json_object_object_add(o, "results", results);
	resp_json(rq, 200, o);
}
