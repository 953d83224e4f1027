/* prov_xml.c - the PROV document as PROV-XML, laid out as the reference's
 * library (lxml, ASCII, pretty-printed) writes it: formal attributes
 * first, then prov:label/location/role/type/value, then the others in
 * alphabetical order of name and value. */
#include "prov/doc.h"

#include <stdlib.h>
#include <string.h>

/* Text or attribute content: markup escaped, anything beyond ASCII as a
 * character reference (the document is declared ASCII), and control
 * characters XML cannot carry left out. */
static void put_escaped(struct buf *b, const char *s, bool in_attr)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		int len = 1;
		if (c >= 0x80) {
			int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
			c &= more == 3 ? 0x07 : more == 2 ? 0x0f : 0x1f;
			for (int i = 1; i <= more && (p[i] & 0xc0) == 0x80;
			     i++) {
				c = (c << 6) | (p[i] & 0x3f);
				len++;
			}
			buf_printf(b, "&#%u;", c);
		} else if (c == '&') {
			buf_puts(b, "&amp;");
		} else if (c == '<') {
			buf_puts(b, "&lt;");
		} else if (c == '>') {
			buf_puts(b, "&gt;");
		} else if (c == '"' && in_attr) {
			buf_puts(b, "&quot;");
		} else if (c == '\r' || (in_attr && (c == '\n' || c == '\t'))) {
			buf_printf(b, "&#%u;", c);
		} else if (c >= 0x20 || c == '\n' || c == '\t') {
			buf_putc(b, (char)c);
		}
		p += len;
	}
}

static void child(struct buf *b, const char *name, const char *xsi_type,
                  const char *text)
{
	buf_printf(b, "    <%s", name);
	if (xsi_type)
		buf_printf(b, " xsi:type=\"%s\"", xsi_type);
	buf_putc(b, '>');
	put_escaped(b, text, false);
	buf_printf(b, "</%s>\n", name);
}

void prov_write_xml(struct request *rq, const struct pr_doc *d)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, "<?xml version='1.0' encoding='ASCII'?>\n<prov:document");
	for (int i = 0; i < d->nns; i++) {
		buf_printf(&b, " xmlns:%s=\"", d->ns[i].prefix);
		put_escaped(&b, d->ns[i].uri, true);
		buf_putc(&b, '"');
	}
	buf_puts(&b,
	         " xmlns:prov=\"http://www.w3.org/ns/prov#\""
	         " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
	         " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"");
	if (!d->n) {
		buf_puts(&b, "/>\n");
		resp_text(rq, 200, "text/xml; charset=utf8", b.p, b.len);
		return;
	}
	buf_puts(&b, ">\n");
	for (int i = 0; i < d->n; i++) {
		const struct pr_record *r = &d->recs[i];
		const char *kind = pr_kind_name(r->kind);
		struct pr_formal f[5];
		int nf = pr_formals(r, f), nset = 0;
		for (int k = 0; k < nf; k++)
			nset += f[k].value != NULL;
		buf_printf(&b, "  <prov:%s", kind);
		if (r->id) {
			buf_puts(&b, " prov:id=\"");
			put_escaped(&b, r->id, true);
			buf_putc(&b, '"');
		}
		if (!nset && !r->nattrs) {
			buf_puts(&b, "/>\n");
			continue;
		}
		buf_puts(&b, ">\n");
		for (int k = 0; k < nf; k++) {
			if (!f[k].value)
				continue;
			if (f[k].time) {
				child(&b, f[k].name, NULL, f[k].value);
			} else {
				buf_printf(&b, "    <%s prov:ref=\"",
				           f[k].name);
				put_escaped(&b, f[k].value, true);
				buf_puts(&b, "\"/>\n");
			}
		}
		struct pr_attr *sorted = arena_alloc(
		    rq->a, sizeof *sorted * (size_t)(r->nattrs + 1));
		if (r->nattrs)
			memcpy(sorted, r->attrs,
			       sizeof *sorted * (size_t)r->nattrs);
		qsort(sorted, (size_t)r->nattrs, sizeof *sorted, pr_attr_order);
		for (int k = 0; k < r->nattrs; k++) {
			const struct pr_attr *a = &sorted[k];
			child(&b, a->name,
			      a->type == PV_QNAME  ? "xsd:QName"
			      : a->type == PV_TIME ? "xsd:dateTime"
			                           : NULL,
			      a->value);
		}
		buf_printf(&b, "  </prov:%s>\n", kind);
	}
	buf_puts(&b, "</prov:document>\n");
	resp_text(rq, 200, "text/xml; charset=utf8", b.p, b.len);
}
