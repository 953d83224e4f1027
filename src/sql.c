/* sql.c - select lists from the resource table. Many-to-many fields and
 * reverse relations are array_agg subqueries on indexed foreign keys, so a
 * page of a hundred records is still one statement; each list comes in the
 * order the reference gives it (the target's default ordering). */
#include "sql.h"

#include <string.h>

void params_init(struct params *p, struct arena *a)
{
	p->a = a;
	p->n = 0;
	p->cap = 16;
	p->v = arena_alloc(a, sizeof *p->v * (size_t)p->cap);
}

int params_add(struct params *p, const char *v)
{
	if (p->n == p->cap) {
		const char **nv =
		    arena_alloc(p->a, sizeof *nv * (size_t)p->cap * 2);
		memcpy(nv, p->v, sizeof *nv * (size_t)p->n);
		p->v = nv;
		p->cap *= 2;
	}
	p->v[p->n++] = v;
	return p->n;
}

bool field_has_column(const struct field *f)
{
	return f->type != F_LINKS && f->type != F_REVERSE &&
	       f->type != F_HREF && f->type != F_STRINGS && !f->expr;
}

bool field_selected(const struct field *f)
{
	return f->type != F_HREF;
}

void sql_column(struct buf *b, const struct field *f)
{
	buf_putc(b, '"');
	buf_puts(b, f->name);
	if (f->type == F_LINK)
		buf_puts(b, "_id");
	buf_putc(b, '"');
}

/* The target's own link_order, or NULL for ascending id. */
static const char *target_order(const char *target)
{
	const struct resource *r = resource_find(target, -1);
	return r ? r->link_order : NULL;
}

/* ORDER BY for the target's rows, alias x. */
static void link_order(struct buf *b, const char *target)
{
	const char *o = target_order(target);
	if (!o) {
		buf_puts(b, "x.id");
		return;
	}
	const char *dir = *o == '-' ? " DESC" : "";
	buf_printf(b, "x.\"%s\"%s, x.id%s", o + (*o == '-'), dir, dir);
}

static void field_expr(struct buf *b, const struct field *f)
{
	if (f->expr) {
		buf_puts(b, f->expr);
		return;
	}
	switch (f->type) {
	case F_LINKS:
		if (!target_order(f->target)) {
			buf_printf(
			    b,
			    "(SELECT array_agg(j.\"%s\" ORDER BY j.\"%s\") "
			    "FROM \"%s\" j WHERE j.\"%s\" = t.id)",
			    f->join_other, f->join_other, f->join,
			    f->join_self);
			break;
		}
		/* the target's rows are joined in only to order by them */
		buf_puts(b, "(SELECT array_agg(x.id ORDER BY ");
		link_order(b, f->target);
		buf_printf(b,
		           ") FROM \"%s\" j JOIN \"%s\" x ON x.id = j.\"%s\" "
		           "WHERE j.\"%s\" = t.id)",
		           f->join, f->target, f->join_other, f->join_self);
		break;
	case F_REVERSE:
		if (f->one) {
			buf_printf(b,
			           "(SELECT x.id FROM \"%s\" x "
			           "WHERE x.\"%s\" = t.id LIMIT 1)",
			           f->target, f->rev_column);
			break;
		}
		buf_puts(b, "(SELECT array_agg(x.id ORDER BY ");
		link_order(b, f->target);
		buf_printf(b, ") FROM \"%s\" x WHERE x.\"%s\" = t.id)",
		           f->target, f->rev_column);
		break;
	default:
		buf_puts(b, "t.");
		sql_column(b, f);
	}
}

void sql_select_list(struct buf *b, const struct resource *r)
{
	buf_puts(b, "t.id");
	for (const struct field *f = r->fields; f->name; f++) {
		if (!field_selected(f))
			continue;
		buf_puts(b, ", ");
		field_expr(b, f);
	}
}
