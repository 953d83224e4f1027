/* home.c - the website's home page: the three searchable tables people
 * come for (data products, external objects, code repo releases) and a
 * link to the list of every kind of record. */
#include "site.h"

#include <stddef.h>

static void dp_row(struct html *h, PGresult *res, int i)
{
	const char *ns = val(res, i, 1), *name = val(res, i, 2),
	           *version = val(res, i, 3);
	cell_text(h, ns);
	cell_record(h, "data_product", val(res, i, 0), name);
	cell_text(h, version);
	HTML(h, "<td><a class=\"file\" href=\"");
	alias_href(h, "data_product", ns, name, version);
	HTML(h, "\">file</a></td>");
}

static void eo_row(struct html *h, PGresult *res, int i)
{
	const char *alt = val(res, i, 2), *title = val(res, i, 1),
	           *version = val(res, i, 5);
	cell_record(h, "external_object", val(res, i, 0), title);
	cell_text(h, alt);
	cell_url(h, val(res, i, 3));
	cell_text(h, val(res, i, 4));
	cell_text(h, version);
	if (alt) {
		HTML(h, "<td><a class=\"file\" href=\"");
		alias_href(h, "external_object", alt, title, version);
		HTML(h, "\">file</a></td>");
	} else {
		cell_text(h, "");
	}
}

static void cr_row(struct html *h, PGresult *res, int i)
{
	cell_record(h, "code_repo_release", val(res, i, 0), val(res, i, 1));
	cell_text(h, val(res, i, 2));
	cell_url(h, val(res, i, 3));
	cell_record(h, "object", val(res, i, 4), "object");
}

static const char *const home_args[] = {"dp_q", "dp_page", "eo_q", "eo_page",
                                        "cr_q", "cr_page", NULL};

static const char *const dp_heads[] = {"Namespace", "Name", "Version", "File",
                                       NULL};
static const char *const eo_heads[] = {"Title",      "Alternate identifier",
                                       "Identifier", "Release date",
                                       "Version",    "File",
                                       NULL};
static const char *const cr_heads[] = {"Name", "Version", "Website", "Object",
                                       NULL};

static const struct table home_tables[] = {
    {"dp", "Data products", "data products", "/", home_args,
     "SELECT d.id, n.name, d.name, d.version, count(*) OVER () "
     "FROM data_product d JOIN namespace n ON n.id = d.namespace_id "
     "WHERE $1::text IS NULL OR n.name ILIKE $1 OR d.name ILIKE $1 "
     "OR d.version ILIKE $1 "
     "ORDER BY n.name, d.name, d.version, d.id LIMIT $2 OFFSET $3",
     dp_heads, dp_row},
    {"eo", "External objects", "external objects", "/", home_args,
     "SELECT e.id, e.title, e.alternate_identifier, left(e.identifier, "
     "500), to_char(e.release_date AT TIME ZONE 'UTC', 'YYYY-MM-DD'), "
     "e.version, count(*) OVER () FROM external_object e "
     "WHERE $1::text IS NULL OR e.title ILIKE $1 OR "
     "e.alternate_identifier ILIKE $1 OR e.identifier ILIKE $1 OR "
     "e.version ILIKE $1 "
     "ORDER BY e.title, e.version, e.id LIMIT $2 OFFSET $3",
     eo_heads, eo_row},
    {"cr", "Code repo releases", "code repo releases", "/", home_args,
     "SELECT c.id, c.name, c.version, c.website, c.object_id, "
     "count(*) OVER () FROM code_repo_release c "
     "WHERE $1::text IS NULL OR c.name ILIKE $1 OR c.version ILIKE $1 "
     "OR c.website ILIKE $1 "
     "ORDER BY c.name, c.version, c.id LIMIT $2 OFFSET $3",
     cr_heads, cr_row},
};

void home(struct request *rq)
{
	struct html h;
	page_init(&h, rq);
	page_begin(&h, "Home");
	HTML(&h, "<h1>FAIR Data Registry</h1>\n<p class=\"lead\">The data "
	         "products, code runs and their provenance recorded by the "
	         "FAIR Data Pipeline. Programs use the ");
	WEB_LINK(&h, "/api/?format=api", "REST API");
	HTML(&h, "; the ");
	WEB_LINK(&h, "/docs/", "guides");
	HTML(&h, " explain it, and ");
	WEB_LINK(&h, "/api/openapi.json", "its OpenAPI document");
	HTML(&h, " describes it for tools.</p>\n");
	for (size_t i = 0; i < sizeof home_tables / sizeof home_tables[0]; i++)
		render_table(rq, &h, &home_tables[i]);
	HTML(&h, "<section class=\"card\"><h2>All records</h2>\n"
	         "<ul class=\"kinds\">");
	for (int i = 0; i < n_resources; i++) {
		if (!resources[i].plural)
			continue;
		HTML(&h, "<li><a href=\"");
		html_path(&h, "/");
		html_text(&h, resources[i].name);
		HTML(&h, "s/\">");
		html_text(&h, resources[i].plural);
		HTML(&h, "</a></li>");
	}
	HTML(&h, "</ul></section>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}
