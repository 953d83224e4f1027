/* record.c - one row of a select list becomes one JSON record: links become
 * absolute URLs, aggregated arrays become lists of them, timestamps become
 * ISO 8601 with a Z. */
#include "record.h"
#include "link.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>

/* Python's isoformat(), which the reference prints: six fraction digits
 * whenever there is a fraction (PostgreSQL drops trailing zeros), none when
 * it is zero. */
char *iso_datetime(struct arena *a, const char *pg)
{
	/* the session runs in UTC, so the offset is always +00 */
	size_t n = strlen(pg);
	struct buf b;
	buf_init(&b, a);
	size_t sec = n > 19 ? 19 : n; /* "YYYY-MM-DD hh:mm:ss" */
	buf_add(&b, pg, sec);
	if (sec > 10 && b.p[10] == ' ')
		b.p[10] = 'T';
	const char *p = pg + sec;
	if (*p == '.') {
		size_t digits = strspn(p + 1, "0123456789");
		buf_add(&b, p, digits + 1);
		for (size_t i = digits; i < 6; i++)
			buf_putc(&b, '0');
		p += digits + 1;
	}
	buf_puts(&b, strcmp(p, "+00") ? p : "Z");
	return b.p;
}

/* "{3,17,20}" -> links */
static struct json_object *link_list(struct request *rq, const char *target,
                                     const char *arr)
{
	struct json_object *l = json_object_new_array();
	if (!arr)
		return l;
	const char *p = arr;
	while (*p) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		long long id = strtoll(p, (char **)&p, 10);
		json_object_array_add(
		    l, json_object_new_string(link_to(rq, target, id)));
	}
	return l;
}

/* A text[] in PostgreSQL's text form: {a,"b c"} */
static struct json_object *string_list(const char *arr)
{
	struct json_object *l = json_object_new_array();
	if (!arr || arr[0] != '{')
		return l;
	const char *p = arr + 1;
	char item[1024];
	while (*p && *p != '}') {
		size_t n = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (n < sizeof item - 1)
					item[n++] = *p;
			}
			if (*p)
				p++;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++)
				if (n < sizeof item - 1)
					item[n++] = *p;
		}
		item[n] = 0;
		json_object_array_add(l, json_object_new_string(item));
		if (*p == ',')
			p++;
	}
	return l;
}

/* The base URL and a field's href pattern with the record's id in place
 * of its %lld, put together by hand: a list page makes hundreds of them,
 * and printf was a tenth of the page's work. */
static char *href(struct request *rq, const char *pattern, long long id)
{
	const char *at = strstr(pattern, "%lld");
	if (!at || id < 0)
		return arena_printf(rq->a, "%s%s", rq->base, pattern);
	char num[24], *n = num + sizeof num;
	unsigned long long v = (unsigned long long)id;
	do
		*--n = (char)('0' + v % 10);
	while (v /= 10);
	size_t lb = strlen(rq->base), lp = (size_t)(at - pattern);
	size_t ln = (size_t)(num + sizeof num - n), ls = strlen(at + 4);
	char *p = arena_alloc(rq->a, lb + lp + ln + ls + 1);
	memcpy(p, rq->base, lb);
	memcpy(p + lb, pattern, lp);
	memcpy(p + lb + lp, n, ln);
	memcpy(p + lb + lp + ln, at + 4, ls);
	return p;
}

/* Keys of a record are the table's field names: static, and each comes
 * once, so json-c need neither copy them nor look for an earlier one. */
static void put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add_ex(o, key, v,
	                          JSON_C_OBJECT_ADD_KEY_IS_NEW |
	                              JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

struct json_object *record_json(struct request *rq, const struct resource *r,
                                PGresult *res, int row, int col)
{
	struct json_object *o = json_object_new_object();
	long long id = strtoll(PQgetvalue(res, row, col), NULL, 10);
	put(o, "url", json_object_new_string(link_to(rq, r->name, id)));
	col++;
	for (const struct field *f = r->fields; f->name; f++) {
		struct json_object *v = NULL;
		if (f->type == F_HREF) {
			v = json_object_new_string(href(rq, f->href, id));
			put(o, f->name, v);
			continue;
		}
		bool null = PQgetisnull(res, row, col);
		const char *s = PQgetvalue(res, row, col);
		col++;
		switch (f->type) {
		case F_LINKS:
			v = link_list(rq, f->target, null ? NULL : s);
			break;
		case F_STRINGS:
			v = string_list(null ? NULL : s);
			break;
		case F_REVERSE:
			if (f->one)
				v = null ? NULL
				         : json_object_new_string(
				               link_to(rq, f->target,
				                       strtoll(s, NULL, 10)));
			else
				v = link_list(rq, f->target, null ? NULL : s);
			break;
		case F_LINK:
			if (!null)
				v = json_object_new_string(link_to(
				    rq, f->target, strtoll(s, NULL, 10)));
			break;
		case F_BOOL:
			if (!null)
				v = json_object_new_boolean(*s == 't');
			break;
		case F_INT:
			if (!null)
				v = json_object_new_int64(strtoll(s, NULL, 10));
			break;
		case F_DATETIME:
			if (!null)
				v = json_object_new_string(
				    iso_datetime(rq->a, s));
			break;
		default:
			if (!null)
				v = json_object_new_string(s);
		}
		put(o, f->name, v);
	}
	return o;
}
