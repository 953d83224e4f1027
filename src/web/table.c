/* table.c - the website's searchable, paginated tables: a search box, one
 * page of rows from one SQL statement, and links to the pages before and
 * after, all in plain links and forms; plus the cells rows are made of. */
#include "site.h"

#include "query.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 25
#define MAX_PAGE  1000000

/* ---- query arguments ---- */

/* A search as an ILIKE pattern, or NULL when there is nothing to find. */
static const char *like_pattern(struct request *rq, const char *q)
{
	if (!q)
		return NULL;
	while (*q == ' ')
		q++;
	size_t n = strlen(q);
	while (n && q[n - 1] == ' ')
		n--;
	if (!n)
		return NULL;
	struct buf b;
	buf_init(&b, rq->a);
	buf_putc(&b, '%');
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, q[i]);
	}
	buf_putc(&b, '%');
	return b.p;
}

static long page_number(const char *v)
{
	if (!v)
		return 1;
	char *end;
	long p = strtol(v, &end, 10);
	if (*end || p < 1)
		return 1;
	return p > MAX_PAGE ? MAX_PAGE : p;
}

/* ---- searchable, paginated tables ---- */

static const char *arg_name(struct request *rq, const struct table *t,
                            const char *what)
{
	return *t->id ? arena_printf(rq->a, "%s_%s", t->id, what) : what;
}

/* The page's address with this table moved to page `page`. */
static const char *table_url(struct request *rq, const struct table *t,
                             long page)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, rq->root);
	buf_puts(&b, t->path);
	const char *own = arg_name(rq, t, "page");
	char sep = '?';
	for (const char *const *a = t->page_args; *a; a++) {
		const char *v = strcmp(*a, own)
		                    ? query_get(&rq->q, *a)
		                    : arena_printf(rq->a, "%ld", page);
		if (!v || !*v || (!strcmp(*a, own) && page == 1))
			continue;
		buf_putc(&b, sep);
		url_encode(&b, *a);
		buf_putc(&b, '=');
		url_encode(&b, v);
		sep = '&';
	}
	if (*t->id)
		buf_printf(&b, "#%s", t->id);
	else if (sep == '?')
		buf_putc(&b, '?'); /* never an empty href */
	return b.p;
}

static void search_form(struct request *rq, struct html *h,
                        const struct table *t, const char *q)
{
	const char *qname = arg_name(rq, t, "q");
	HTML(h, "<form class=\"search\" method=\"get\" action=\"");
	html_path(h, t->path);
	if (*t->id) {
		HTML(h, "#");
		html_text(h, t->id);
	}
	HTML(h, "\"><input type=\"search\" name=\"");
	html_text(h, qname);
	HTML(h, "\" value=\"");
	html_text(h, q ? q : "");
	HTML(h, "\" placeholder=\"Search ");
	html_text(h, t->noun);
	HTML(h, "\" aria-label=\"Search ");
	html_text(h, t->noun);
	HTML(h, "\">");
	/* the other tables keep their place */
	for (const char *const *a = t->page_args; *a; a++) {
		const char *v = query_get(&rq->q, *a);
		if (!v || !*v || !strncmp(*a, qname, strlen(qname)) ||
		    !strcmp(*a, arg_name(rq, t, "page")))
			continue;
		HTML(h, "<input type=\"hidden\" name=\"");
		html_text(h, *a);
		HTML(h, "\" value=\"");
		html_text(h, v);
		HTML(h, "\">");
	}
	HTML(h, "<button type=\"submit\">Search</button></form>\n");
}

void render_table(struct request *rq, struct html *h, const struct table *t)
{
	const char *q = query_get(&rq->q, arg_name(rq, t, "q"));
	long page = page_number(query_get(&rq->q, arg_name(rq, t, "page")));
	const char *params[3] = {
	    like_pattern(rq, q),
	    arena_printf(rq->a, "%d", PAGE_SIZE),
	    arena_printf(rq->a, "%ld", (page - 1) * PAGE_SIZE),
	};
	HTML(h, "<section class=\"card\"");
	if (*t->id) {
		HTML(h, " id=\"");
		html_text(h, t->id);
		HTML(h, "\"");
	}
	HTML(h, ">\n");
	if (t->title) {
		HTML(h, "<h2>");
		html_text(h, t->title);
		HTML(h, "</h2>\n");
	}
	search_form(rq, h, t, q);
	PGresult *res = db_query(rq->db, t->sql, 3, params);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		HTML(h, "<p class=\"error\">The database could not answer; "
		        "try again.</p></section>\n");
		return;
	}
	int rows = PQntuples(res);
	long total = rows ? atol(PQgetvalue(res, 0, PQnfields(res) - 1)) : 0;
	if (!rows) {
		HTML(h, "<p class=\"empty\">");
		if (params[0] || page > 1)
			HTML(h, "Nothing matches.");
		else
			HTML(h, "None yet.");
		HTML(h, "</p>\n");
	} else {
		HTML(h, "<div class=\"scroll\"><table>\n<thead><tr>");
		for (const char *const *c = t->heads; *c; c++) {
			HTML(h, "<th>");
			html_text(h, *c);
			HTML(h, "</th>");
		}
		HTML(h, "</tr></thead>\n<tbody>\n");
		for (int i = 0; i < rows; i++) {
			HTML(h, "<tr>");
			t->row(h, res, i);
			HTML(h, "</tr>\n");
		}
		HTML(h, "</tbody></table></div>\n");
	}
	PQclear(res);
	long first = (page - 1) * PAGE_SIZE + 1;
	long pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	HTML(h, "<nav class=\"pager\">");
	if (page > 1) {
		/* from beyond the end, back to the last page */
		long prev = page - 1 <= pages ? page - 1 : (pages ? pages : 1);
		HTML(h, "<a rel=\"prev\" href=\"");
		html_text(h, table_url(rq, t, prev));
		HTML(h, "\">&laquo; Previous</a>");
	}
	if (rows) {
		HTML(h, "<span class=\"count\">");
		html_int(h, first);
		HTML(h, "&ndash;");
		html_int(h, first + rows - 1);
		HTML(h, " of ");
		html_int(h, total);
		HTML(h, "</span>");
	}
	if (page < pages) {
		HTML(h, "<a rel=\"next\" href=\"");
		html_text(h, table_url(rq, t, page + 1));
		HTML(h, "\">Next &raquo;</a>");
	}
	HTML(h, "</nav>\n</section>\n");
}

/* ---- cells ---- */

const char *val(PGresult *res, int i, int c)
{
	return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

void cell_text(struct html *h, const char *s)
{
	HTML(h, "<td>");
	html_text(h, s);
	HTML(h, "</td>");
}

/* A link to the site's page of a record, in a cell. */
void cell_record(struct html *h, const char *resource, const char *id,
                 const char *text)
{
	HTML(h, "<td><a href=\"");
	html_path(h, "/");
	html_text(h, resource);
	HTML(h, "/");
	html_text(h, id);
	HTML(h, "\">");
	html_text(h, text && *text ? text : "(unnamed)");
	HTML(h, "</a></td>");
}

void cell_url(struct html *h, const char *url)
{
	HTML(h, "<td>");
	if (url && html_url_ok(url) && strstr(url, "://"))
		html_link(h, url, url);
	else
		html_text(h, url);
	HTML(h, "</td>");
}

/* The alias that leads to a product's file, e.g. /data_product/ns:x@1.0.0 */
void alias_href(struct html *h, const char *kind, const char *a, const char *b,
                const char *version)
{
	struct buf u;
	buf_init(&u, h->b.a);
	buf_printf(&u, "%s/%s/", h->root, kind);
	url_path_encode(&u, a);
	buf_putc(&u, ':');
	url_path_encode(&u, b);
	buf_putc(&u, '@');
	url_path_encode(&u, version);
	html_text(h, u.p);
}
