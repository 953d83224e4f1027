/* site.h - what the website's pages (src/web/site.c, table.c, home.c,
 * records.c, guides.c) share: the searchable table widget and its cells,
 * and the pages themselves. */
#ifndef SITE_H
#define SITE_H

#include "db.h"
#include "schema.h"
#include "web.h"

#define LABEL_MAX "200" /* characters of a record's label */

#define STAMP(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

/* A searchable, paginated table on a page. */
struct table {
	const char *id;    /* argument prefix and anchor: "dp" -> dp_q */
	const char *title; /* heading; NULL: none (the page has one) */
	const char *noun;  /* "data products", for the search box */
	const char *path;  /* the page the table lives on */
	/* the arguments of every table on the page, kept when one moves */
	const char *const *page_args;
	const char *sql; /* $1 pattern or NULL, $2 limit, $3 offset; the
	                    last column is the total count */
	const char *const *heads;
	void (*row)(struct html *h, PGresult *res, int i);
};

void render_table(struct request *rq, struct html *h, const struct table *t);

/* ---- cells ---- */

/* A column's value, NULL for SQL NULL. */
const char *val(PGresult *res, int i, int c);
void cell_text(struct html *h, const char *s);
/* A link to the site's page of a record, in a cell. */
void cell_record(struct html *h, const char *resource, const char *id,
                 const char *text);
void cell_url(struct html *h, const char *url);
/* The alias that leads to a product's file, e.g. /data_product/ns:x@1.0.0 */
void alias_href(struct html *h, const char *kind, const char *a, const char *b,
                const char *version);

/* ---- the pages ---- */

void home(struct request *rq);
void list_page(struct request *rq, const struct resource *r);
void record_page(struct request *rq, const struct resource *r, long long id);
void docs_index(struct request *rq);
void doc_page(struct request *rq, const char *name);

#endif
