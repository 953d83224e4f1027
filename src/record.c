/* record.c - one row of a select list becomes one JSON record: links become
 * absolute URLs, aggregated arrays become lists of them, timestamps become
 * ISO 8601 with a Z. Records are written as JSON text straight from the
 * row: a list page is a hundred of them, and building json-c objects only
 * to print them again was most of a worker's work for one. */
#include "record.h"
#include "json_text.h"
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

static void put_str(struct buf *b, const char *s)
{
	json_string(b, s, strlen(s), false);
}

/* A record's URL as a JSON string, written in place: links are most of a
 * page. Only the base, which comes from the request, can need escaping. */
static void put_link(struct buf *b, struct request *rq, const char *base,
                     const char *target, long long id)
{
	buf_putc(b, '"');
	link_append(b, rq, base, target, id);
	buf_putc(b, '"');
}

/* "{3,17,20}" -> links */
static void link_list(struct buf *b, struct request *rq, const char *base,
                      const char *target, const char *arr)
{
	buf_putc(b, '[');
	bool first = true;
	for (const char *p = arr ? arr : ""; *p;) {
		if (*p < '0' || *p > '9') {
			p++;
			continue;
		}
		long long id = strtoll(p, (char **)&p, 10);
		if (!first)
			buf_putc(b, ',');
		first = false;
		put_link(b, rq, base, target, id);
	}
	buf_putc(b, ']');
}

/* A text[] in PostgreSQL's text form: {a,"b c","d \"e\""} */
static void string_list(struct buf *b, struct arena *a, const char *arr)
{
	buf_putc(b, '[');
	if (!arr || arr[0] != '{') {
		buf_putc(b, ']');
		return;
	}
	char *item = arena_alloc_raw(a, strlen(arr) + 1);
	const char *p = arr + 1;
	bool first = true;
	while (*p && *p != '}') {
		size_t n = 0;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				item[n++] = *p;
			}
			if (*p)
				p++;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++)
				item[n++] = *p;
		}
		if (!first)
			buf_putc(b, ',');
		first = false;
		json_string(b, item, n, false);
		if (*p == ',')
			p++;
	}
	buf_putc(b, ']');
}

/* A field's href pattern after the base, with the record's id in place of
 * its %lld, as a JSON string (the base as escaped for links). */
static void put_href(struct buf *b, const char *base, const char *pattern,
                     long long id)
{
	const char *at = strstr(pattern, "%lld");
	buf_putc(b, '"');
	buf_puts(b, base);
	if (at) {
		buf_add(b, pattern, (size_t)(at - pattern));
		buf_put_int(b, id);
		buf_puts(b, at + 4);
	} else {
		buf_puts(b, pattern);
	}
	buf_putc(b, '"');
}

/* ,"key": -- keys are the table's field names, which need no escaping */
static void key(struct buf *b, const char *name)
{
	buf_add(b, ",\"", 2);
	buf_puts(b, name);
	buf_add(b, "\":", 2);
}

void record_write(struct buf *b, struct request *rq, const struct resource *r,
                  PGresult *res, int row, int col)
{
	long long id = strtoll(PQgetvalue(res, row, col), NULL, 10);
	struct buf base;
	buf_init(&base, rq->a);
	json_chars(&base, rq->base, strlen(rq->base), false);
	if (!base.p) /* an empty base: links as paths (registry export) */
		buf_add(&base, "", 0);
	buf_add(b, "{\"url\":", 7);
	put_link(b, rq, base.p, r->name, id);
	col++;
	for (const struct field *f = r->fields; f->name; f++) {
		key(b, f->name);
		if (f->type == F_HREF) {
			put_href(b, base.p, f->href, id);
			continue;
		}
		bool null = PQgetisnull(res, row, col);
		const char *s = PQgetvalue(res, row, col);
		col++;
		switch (f->type) {
		case F_LINKS:
			link_list(b, rq, base.p, f->target, null ? NULL : s);
			continue;
		case F_STRINGS:
			string_list(b, rq->a, null ? NULL : s);
			continue;
		case F_REVERSE:
			if (!f->one) {
				link_list(b, rq, base.p, f->target,
				          null ? NULL : s);
				continue;
			}
			break;
		default:
			break;
		}
		if (null) {
			buf_add(b, "null", 4);
			continue;
		}
		switch (f->type) {
		case F_LINK:
		case F_REVERSE:
			put_link(b, rq, base.p, f->target,
			         strtoll(s, NULL, 10));
			break;
		case F_BOOL:
			buf_puts(b, *s == 't' ? "true" : "false");
			break;
		case F_INT:
			buf_printf(b, "%lld", strtoll(s, NULL, 10));
			break;
		case F_DATETIME:
			put_str(b, iso_datetime(rq->a, s));
			break;
		default:
			json_string(b, s,
			            (size_t)PQgetlength(res, row, col - 1),
			            false);
		}
	}
	buf_putc(b, '}');
}
