/* filter.c - every field of a resource is a filter: names by glob, links and
 * many-to-many fields by id, the rest by exact value. Reverse relations are
 * accepted and ignored, as the reference does. However many records a page
 * holds, filtering costs at most one extra statement per many-to-many
 * filter (to check that its ids exist). */
#include "filter.h"
#include "glob.h"
#include "link.h"
#include "values.h"

#include <ctype.h>
#include <stdlib.h>
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

/* Values are trimmed, as the reference's form fields do. */
static char *trim(struct arena *a, const char *v)
{
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	return arena_strndup(a, v, n);
}

/* [+-]digits[.digits][e[+-]digits], as Python's Decimal reads a number */
static bool is_decimal(const char *v)
{
	const char *q = v + (*v == '+' || *v == '-');
	size_t whole = strspn(q, "0123456789"), frac = 0;
	q += whole;
	if (*q == '.') {
		frac = strspn(q + 1, "0123456789");
		q += 1 + frac;
	}
	if (whole + frac == 0)
		return false;
	if (*q == 'e' || *q == 'E') {
		q++;
		q += *q == '+' || *q == '-';
		size_t exp = strspn(q, "0123456789");
		if (!exp)
			return false;
		q += exp;
	}
	return *q == 0;
}

/* A number as the reference's id filters read it (a decimal, "Enter a
 * number." otherwise), then truncated to an integer the way the database
 * layer does. Ids that cannot exist match nothing rather than fail. */
static bool number_cond(struct request *rq, const struct field *f,
                        const char *v, struct buf *w, struct params *p)
{
	if (!is_decimal(v)) {
		resp_field_error(rq, f->name, "Enter a number.");
		return false;
	}
	long double d = strtold(v, NULL); /* the cast below truncates */
	if (!(d > -9.2e18L && d < 9.2e18L)) {
		buf_puts(w, " AND FALSE");
		return true;
	}
	cond(w, f, "=",
	     params_add(p, arena_printf(rq->a, "%lld", (long long)d)),
	     "::bigint");
	return true;
}

/* Many-to-many: every value given for the key, any of them (OR). Ids are
 * checked to exist, as the reference's choice field does. */
static bool links_cond(struct request *rq, const struct field *f, struct buf *w,
                       struct params *p)
{
	struct buf ids;
	buf_init(&ids, rq->a);
	buf_putc(&ids, '{');
	int n = 0;
	for (int i = 0; i < rq->q.n; i++) {
		if (strcmp(rq->q.v[i].key, f->name))
			continue;
		char *v = trim(rq->a, rq->q.v[i].val);
		long long id;
		if (!*v)
			continue; /* an empty value is no filter */
		if (!parse_id(v, strlen(v), &id)) {
			resp_field_error(rq, f->name,
			                 arena_printf(rq->a,
			                              "\u201c%s\u201d is not a "
			                              "valid value.",
			                              v));
			return false;
		}
		buf_printf(&ids, "%s%lld", n++ ? "," : "", id);
	}
	buf_putc(&ids, '}');
	if (!n)
		return true;
	int err;
	const char *bad = link_missing(rq, f->target, ids.p, &err);
	if (err)
		return false;
	if (bad) {
		resp_field_error(rq, f->name,
		                 arena_printf(rq->a,
		                              "Select a valid choice. %s is "
		                              "not one of the available "
		                              "choices.",
		                              bad));
		return false;
	}
	buf_printf(w,
	           " AND EXISTS (SELECT 1 FROM \"%s\" j WHERE j.\"%s\" = t.id "
	           "AND j.\"%s\" = ANY($%d::bigint[]))",
	           f->join, f->join_self, f->join_other, params_add(p, ids.p));
	return true;
}

/* The reference knows these spellings (any case) and ignores any other
 * value. */
static void bool_cond(const struct field *f, const char *v, struct buf *w,
                      struct params *p)
{
	if (!strcasecmp(v, "true") || !strcmp(v, "1"))
		cond(w, f, "=", params_add(p, "true"), "::boolean");
	else if (!strcasecmp(v, "false") || !strcmp(v, "0"))
		cond(w, f, "=", params_add(p, "false"), "::boolean");
}

/* One scalar filter (the key's last value, trimmed and not empty). */
static bool scalar_cond(struct request *rq, const struct field *f,
                        const char *v, struct buf *w, struct params *p)
{
	const char *u;
	switch (f->type) {
	case F_NAME: {
		/* The pattern as (SELECT $n): the planner then leaves it alone
		 * instead of trying it on the column's statistics, which on a
		 * large table cost more per request than the match itself. */
		buf_puts(w, " AND t.");
		sql_column(w, f);
		buf_printf(w, " ~ (SELECT $%d::text)",
		           params_add(p, glob_to_regex(rq->a, v)));
		/* The glob's literal prefix as a range that an index can serve
		 * in any plan, generic ones too (glob.h); text compares in C
		 * order in the registry's database (stack.sh: --locale=C). */
		char *lo, *hi;
		if (glob_prefix_range(rq->a, v, &lo, &hi)) {
			cond(w, f, ">=", params_add(p, lo), "");
			cond(w, f, "<", params_add(p, hi), "");
		}
		return true;
	}
	case F_BOOL:
		bool_cond(f, v, w, p);
		return true;
	case F_INT:
	case F_LINK:
		return number_cond(rq, f, v, w, p);
	case F_UUID:
		if (!(u = parse_uuid(rq->a, v))) {
			resp_field_error(rq, f->name, "Enter a valid UUID.");
			return false;
		}
		cond(w, f, "=", params_add(p, u), "::uuid");
		return true;
	case F_DATETIME:
		if (!(u = parse_datetime(rq->a, v))) {
			resp_field_error(rq, f->name,
			                 "Enter a valid date/time.");
			return false;
		}
		cond(w, f, "=", params_add(p, u), "::timestamptz");
		return true;
	default:
		cond(w, f, "=", params_add(p, v), "");
		return true;
	}
}

/* Fields that filter: stored ones named in query_args. Reverse relations
 * and computed values are accepted as arguments but do not filter. */
bool filter_applies(const struct resource *r, const struct field *f)
{
	return f->type != F_HREF && f->type != F_REVERSE &&
	       f->type != F_STRINGS && !f->expr && !f->nofilter &&
	       in_list(r->query_args, f->name);
}

bool filter_build(struct request *rq, const struct resource *r, struct buf *w,
                  struct params *p)
{
	for (int i = 0; i < rq->q.n; i++)
		if (!filter_allowed(r, rq->q.v[i].key)) {
			invalid_args(rq, r);
			return false;
		}
	for (const struct field *f = r->fields; f->name; f++) {
		if (!filter_applies(r, f))
			continue;
		if (f->type == F_LINKS) {
			if (!links_cond(rq, f, w, p))
				return false;
			continue;
		}
		const char *v = query_get(&rq->q, f->name);
		if (v && *(v = trim(rq->a, v)) && !scalar_cond(rq, f, v, w, p))
			return false;
	}
	return true;
}
