/* rows.c - an API record as rows: its own table's columns and the rows of
 * the join tables it writes, in COPY's text format. Hyperlinks become the
 * ids they name (whatever the source's host, so links are rewritten to this
 * registry by construction); every other value is taken as it is, the
 * record's id, uuid, last_updated and updated_by included. */
#include "link.h"
#include "parts.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

void plan_make(struct plan *p, const struct resource *r)
{
	*p = (struct plan){.r = r};
	for (const struct field *f = r->fields; f->name; f++) {
		if (f->type == F_LINKS && !f->read_only && f->join)
			p->joins[p->njoins++] = f;
		else if (f->type == F_STRINGS && !strcmp(r->name, "users"))
			p->orgs = true;
		else if (field_has_column(f))
			p->cols[p->ncols++] = f;
		if (!strcmp(f->name, "last_updated"))
			p->has_ts = true;
		if (f->unique && f->type == F_TEXT && !p->key)
			p->key = f;
	}
}

int plan_nlists(const struct plan *p)
{
	return p->njoins + p->orgs;
}

void batch_init(struct batch *b, struct arena *a)
{
	*b = (struct batch){0};
	buf_init(&b->rows, a);
	for (int i = 0; i <= PLAN_MAX_JOINS; i++)
		buf_init(&b->joins[i], a);
}

/* COPY text format: backslash, tab, newline and carriage return escaped */
static void copy_text(struct buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		size_t run = strcspn(p, "\\\t\n\r");
		buf_add(b, p, run);
		p += run;
		if (!*p)
			break;
		buf_putc(b, '\\');
		buf_putc(b, *p == '\t'   ? 't'
		            : *p == '\n' ? 'n'
		            : *p == '\r' ? 'r'
		                         : '\\');
	}
}

bool record_id(json_object *rec, const char *resource, long long *id)
{
	json_object *u;
	return json_object_is_type(rec, json_type_object) &&
	       json_object_object_get_ex(rec, "url", &u) &&
	       json_object_is_type(u, json_type_string) &&
	       link_parse(json_object_get_string(u), resource, id) == LINK_OK;
}

static bool link_id(json_object *v, const char *target, long long *id)
{
	return json_object_is_type(v, json_type_string) &&
	       link_parse(json_object_get_string(v), target, id) == LINK_OK;
}

static bool put_value(struct buf *b, const struct field *f, json_object *v,
                      char *why)
{
	long long id;
	if (!v || json_object_is_type(v, json_type_null)) {
		buf_add(b, "\\N", 2);
		return true;
	}
	switch (f->type) {
	case F_LINK:
		if (!link_id(v, f->target, &id)) {
			snprintf(why, ERR_LEN, "%s: not a link to a %s: %.200s",
			         f->name, f->target, json_object_get_string(v));
			return false;
		}
		buf_put_int(b, id);
		return true;
	case F_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			break;
		buf_putc(b, json_object_get_boolean(v) ? 't' : 'f');
		return true;
	case F_INT:
		if (!json_object_is_type(v, json_type_int))
			break;
		buf_put_int(b, json_object_get_int64(v));
		return true;
	default:
		if (!json_object_is_type(v, json_type_string))
			break;
		copy_text(b, json_object_get_string(v));
		return true;
	}
	snprintf(why, ERR_LEN, "%s: unexpected value %.200s", f->name,
	         json_object_to_json_string(v));
	return false;
}

/* "self\tother" lines for a many-to-many field's links */
static bool put_links(struct buf *b, const struct field *f, long long self,
                      json_object *v, char *why)
{
	if (!v || json_object_is_type(v, json_type_null))
		return true;
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(why, ERR_LEN, "%s: not a list of links", f->name);
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		long long id;
		if (!link_id(e, f->target, &id)) {
			snprintf(why, ERR_LEN, "%s: not a link to a %s: %.200s",
			         f->name, f->target, json_object_get_string(e));
			return false;
		}
		buf_put_int(b, self);
		buf_putc(b, '\t');
		buf_put_int(b, id);
		buf_putc(b, '\n');
	}
	return true;
}

static bool put_orgs(struct buf *b, long long self, json_object *v)
{
	if (!v || !json_object_is_type(v, json_type_array))
		return true;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i);
		buf_put_int(b, self);
		buf_putc(b, '\t');
		copy_text(b, json_object_get_string(e));
		buf_putc(b, '\n');
	}
	return true;
}

bool batch_add(struct batch *b, const struct plan *p, json_object *rec,
               long long *id, char *why)
{
	*id = 0;
	if (!record_id(rec, p->r->name, id)) {
		json_object *u = NULL;
		if (json_object_is_type(rec, json_type_object))
			json_object_object_get_ex(rec, "url", &u);
		snprintf(why, ERR_LEN,
		         "not a %s record of a FAIR data registry (its url is "
		         "%.200s)",
		         p->r->name, u ? json_object_get_string(u) : "missing");
		return false;
	}
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 256;
		struct span *s =
		    arena_alloc(b->rows.a, sizeof *s * (size_t)cap);
		if (b->n)
			memcpy(s, b->spans, sizeof *s * (size_t)b->n);
		b->spans = s;
		b->cap = cap;
	}
	struct span *sp = &b->spans[b->n];
	sp->id = *id;
	sp->row = b->rows.len;
	buf_put_int(&b->rows, *id);
	for (int i = 0; i < p->ncols; i++) {
		json_object *v = NULL;
		json_object_object_get_ex(rec, p->cols[i]->name, &v);
		buf_putc(&b->rows, '\t');
		if (!put_value(&b->rows, p->cols[i], v, why))
			return false;
	}
	buf_putc(&b->rows, '\n');
	sp->row_end = b->rows.len;
	for (int i = 0; i < plan_nlists(p); i++) {
		struct buf *j = &b->joins[i];
		json_object *v = NULL;
		sp->join[i] = j->len;
		if (i < p->njoins) {
			json_object_object_get_ex(rec, p->joins[i]->name, &v);
			if (!put_links(j, p->joins[i], *id, v, why))
				return false;
		} else {
			json_object_object_get_ex(rec, "orgs", &v);
			put_orgs(j, *id, v);
		}
		sp->join_end[i] = j->len;
	}
	b->n++;
	return true;
}
