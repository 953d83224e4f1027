/* prov_n.c - the PROV document in PROV-N (W3C PROV notation), laid out as
 * the reference's library lays it out: prefixes, a line holding only the
 * indent, one statement per line, "-" for an absent formal argument. */
#include "prov/doc.h"

#include <string.h>

/* A string literal: '"' escaped, triple quotes when it spans lines. */
static void put_string(struct buf *b, const char *s)
{
	const char *q = strchr(s, '\n') ? "\"\"\"" : "\"";
	buf_puts(b, q);
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_puts(b, q);
}

static void put_attr(struct buf *b, const struct pr_attr *a)
{
	buf_printf(b, "%s=", a->name);
	switch (a->type) {
	case PV_QNAME:
		buf_printf(b, "'%s'", a->value);
		break;
	case PV_TIME:
		put_string(b, a->value);
		buf_puts(b, " %% xsd:dateTime");
		break;
	default:
		put_string(b, a->value);
	}
}

void prov_write_provn(struct request *rq, const struct pr_doc *d)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, "document");
	for (int i = 0; i < d->nns; i++)
		buf_printf(&b, "\n  prefix %s <%s>", d->ns[i].prefix,
		           d->ns[i].uri);
	buf_puts(&b, "\n  ");
	for (int i = 0; i < d->n; i++) {
		const struct pr_record *r = &d->recs[i];
		struct pr_formal f[5];
		int nf = pr_formals(r, f);
		bool first = true;
		buf_printf(&b, "\n  %s(", pr_kind_name(r->kind));
		if (r->id) {
			buf_puts(&b, r->id);
			first = false;
		}
		for (int k = 0; k < nf; k++) {
			buf_printf(&b, "%s%s", first ? "" : ", ",
			           f[k].value ? f[k].value : "-");
			first = false;
		}
		if (r->nattrs) {
			buf_puts(&b, first ? "[" : ", [");
			for (int k = 0; k < r->nattrs; k++) {
				if (k)
					buf_puts(&b, ", ");
				put_attr(&b, &r->attrs[k]);
			}
			buf_putc(&b, ']');
		}
		buf_putc(&b, ')');
	}
	buf_puts(&b, "\nendDocument");
	resp_text(rq, 200, "text/provenance-notation; charset=utf8", b.p,
	          b.len);
}
