/* filter.c - every field of a resource is a filter: names by glob, links and
 * many-to-many fields by id, the rest by exact value. Reverse relations are
 * accepted and ignored, as the reference does. */
#include "filter.h"
#include "glob.h"
#include "link.h"
#include "values.h"

#include <string.h>
#include <strings.h>

static const char *default_controls = "cursor,format,ordering,page_size";

/* Is key one of the comma-separated names in list? */
static bool in_list(const char *list, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, key, n))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

bool filter_allowed(const struct resource *r, const char *key)
{
	return in_list(r->query_args, key) ||
	       in_list(r->control_args ? r->control_args : default_controls,
		       key);
}

/* "a,b" -> "a, b" */
static void put_list(struct buf *b, const char *list)
{
	for (const char *p = list; *p; p++)
		if (*p == ',')
			buf_puts(b, ", ");
		else
			buf_putc(b, *p);
}

static void invalid_args(struct request *rq, const struct resource *r)
{
	if (!r->query_args) {
		resp_detail(rq, 400,
			    "Invalid query arguments, no query arguments are "
			    "allowed");
		return;
	}
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, "Invalid query arguments, only query arguments [");
	put_list(&b, r->query_args);
	if (!r->control_args) {
		buf_puts(&b, ", ");
		put_list(&b, default_controls);
	}
	buf_puts(&b, "] are allowed");
	resp_detail(rq, 400, b.p);
}

static void cond(struct buf *w, const struct field *f, const char *op,
		 int param, const char *cast)
{
	buf_puts(w, " AND t.");
	sql_column(w, f);
	buf_printf(w, " %s $%d%s", op, param, cast);
}

static int id_exists(struct request *rq, const char *table, const char *id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" WHERE id = $1",
		 table);
	PGresult *res = db_query(rq->db, sql, 1, &id);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) > 0
							 : -1;
	PQclear(res);
	if (ok < 0)
		resp_db_failure(rq);
	return ok;
}

int filter_build(struct request *rq, const struct resource *r,
		 struct buf *w, struct params *p)
{
	for (int i = 0; i < rq->q.n; i++)
		if (!filter_allowed(r, rq->q.v[i].key)) {
			invalid_args(rq, r);
			return -1;
		}
	for (const struct field *f = r->fields; f->name; f++) {
		if (f->type == F_HREF || f->type == F_REVERSE ||
		    f->type == F_STRINGS || f->expr ||
		    !in_list(r->query_args, f->name))
			continue;
		const char *v = query_get(&rq->q, f->name);
		if (!v || !*v)
			continue;
		long long id;
		switch (f->type) {
		case F_NAME:
			cond(w, f, "~", params_add(p, glob_to_regex(rq->a, v)),
			     "");
			break;
		case F_BOOL: {
			/* the reference knows these four spellings (any case)
			 * and ignores any other value */
			int b = -1;
			if (!strcasecmp(v, "true") || !strcmp(v, "1"))
				b = 1;
			else if (!strcasecmp(v, "false") || !strcmp(v, "0"))
				b = 0;
			if (b < 0)
				continue;
			cond(w, f, "=", params_add(p, b ? "true" : "false"),
			     "::boolean");
			break;
		}
		case F_INT:
		case F_LINK:
			if (!parse_id(v, strlen(v), &id)) {
				resp_field_error(rq, f->name,
						 "Enter a number.");
				return -1;
			}
			cond(w, f, "=", params_add(p, v), "::bigint");
			break;
		case F_LINKS: {
			if (!parse_id(v, strlen(v), &id)) {
				resp_field_error(
					rq, f->name,
					arena_printf(rq->a,
						     "\u201c%s\u201d is not a "
						     "valid value.",
						     v));
				return -1;
			}
			int ok = id_exists(rq, f->target, v);
			if (ok < 0)
				return -1;
			if (!ok) {
				resp_field_error(
					rq, f->name,
					arena_printf(rq->a,
						     "Select a valid choice. %s "
						     "is not one of the "
						     "available choices.",
						     v));
				return -1;
			}
			buf_printf(w,
				   " AND EXISTS (SELECT 1 FROM \"%s\" j WHERE "
				   "j.\"%s\" = t.id AND j.\"%s\" = $%d::bigint)",
				   f->join, f->join_self, f->join_other,
				   params_add(p, v));
			break;
		}
		case F_UUID: {
			const char *u = parse_uuid(rq->a, v);
			if (!u) {
				resp_field_error(rq, f->name,
						 "Enter a valid UUID.");
				return -1;
			}
			cond(w, f, "=", params_add(p, u), "::uuid");
			break;
		}
		case F_DATETIME: {
			const char *d = parse_datetime(rq->a, v);
			if (!d) {
				resp_field_error(rq, f->name,
						 "Enter a valid date/time.");
				return -1;
			}
			cond(w, f, "=", params_add(p, d), "::timestamptz");
			break;
		}
		default:
			cond(w, f, "=", params_add(p, v), "");
		}
	}
	return 0;
}
