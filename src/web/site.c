/* site.c - the website: the home page's three searchable tables (data
 * products, external objects, code repo releases), a list page and a page
 * per record for every resource, and the guides in docs/. Pages are
 * rendered on the server, paginated and searched in SQL, and work without
 * any script. Paths follow the reference's site: /<resource>s/ lists,
 * /<resource>/<id> shows one record, /issues/, /docs/. */
#include "handlers.h"
#include "link.h"
#include "query.h"
#include "schema.h"
#include "web.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE  25
#define MAX_PAGE   1000000
#define LIST_SHOWN 100   /* items of one field shown on a record page */
#define LABEL_MAX  "200" /* characters of a record's label */
#define DOC_MAX    (4L * 1024 * 1024)

/* How the site names a record: an SQL expression over the row t. */
struct site_res {
	const char *name;   /* the resource */
	const char *plural; /* list heading; NULL: no pages (users, groups) */
	const char *label;
	const char *extra_head; /* one more list column, or NULL */
	const char *extra;
};

/* An object has no name of its own: the product or release it holds,
 * else its description, else its file's path. o is the row's alias. */
#define OBJECT_LABEL(o)                                                        \
	"coalesce((SELECT n.name || ':' || d.name || '@' || d.version "        \
	"FROM data_product d JOIN namespace n ON n.id = d.namespace_id "       \
	"WHERE d.object_id = " o ".id ORDER BY d.id LIMIT 1), "                \
	"(SELECT c.name || '@' || c.version FROM code_repo_release c "         \
	"WHERE c.object_id = " o ".id), nullif(" o ".description, ''), "       \
	"(SELECT l.path FROM storage_location l "                              \
	"WHERE l.id = " o ".storage_location_id), 'Object ' || " o ".id)"

#define STAMP(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')"

static const struct site_res site[] = {
    {"users", NULL, "t.username", NULL, NULL},
    {"groups", NULL, "t.name", NULL, NULL},
    {"file_type", "File types", "t.name || ' (' || t.extension || ')'", NULL,
     NULL},
    {"issue", "Issues", "t.description", "Severity", "t.severity::text"},
    {"author", "Authors", "coalesce(t.name, t.identifier)", NULL, NULL},
    {"object", "Objects", OBJECT_LABEL("t"), NULL, NULL},
    {"user_author", "User authors",
     "(SELECT u.username FROM users u WHERE u.id = t.user_id) || ' is ' || "
     "(SELECT coalesce(a.name, a.identifier) FROM author a "
     "WHERE a.id = t.author_id)",
     NULL, NULL},
    {"object_component", "Object components",
     "t.name || ' of ' || (SELECT " OBJECT_LABEL(
         "o") " FROM object o "
              "WHERE o.id = t.object_id)",
     NULL, NULL},
    {"code_run", "Code runs", "t.description", "Run date", STAMP("t.run_date")},
    {"storage_root", "Storage roots", "t.root", NULL, NULL},
    {"storage_location", "Storage locations",
     "(SELECT r.root FROM storage_root r WHERE r.id = t.storage_root_id) "
     "|| t.path",
     NULL, NULL},
    {"namespace", "Namespaces", "t.name", "Full name", "t.full_name"},
    {"data_product", "Data products",
     "(SELECT n.name FROM namespace n WHERE n.id = t.namespace_id) || ':' "
     "|| t.name || '@' || t.version",
     NULL, NULL},
    {"external_object", "External objects",
     "coalesce(t.alternate_identifier || ':', '') || t.title || '@' || "
     "t.version",
     "Release date", STAMP("t.release_date")},
    {"quality_controlled", "Quality controlled",
     "'Object ' || t.object_id || ' checked by object ' || t.document_id", NULL,
     NULL},
    {"keyword", "Keywords", "t.keyphrase", NULL, NULL},
    {"licence", "Licences", "t.licence_info", NULL, NULL},
    {"code_repo_release", "Code repo releases", "t.name || '@' || t.version",
     "Website", "t.website"},
    {"key_value", "Key values", "t.key || ' = ' || t.value", NULL, NULL},
};

static const struct site_res *site_find(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof site / sizeof site[0]; i++)
		if (strlen(site[i].name) == n &&
		    !strncmp(site[i].name, name, n))
			return &site[i];
	return NULL;
}

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
	html_text(h, t->path);
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

static void render_table(struct request *rq, struct html *h,
                         const struct table *t)
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

static const char *val(PGresult *res, int i, int c)
{
	return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

static void cell_text(struct html *h, const char *s)
{
	HTML(h, "<td>");
	html_text(h, s);
	HTML(h, "</td>");
}

/* A link to the site's page of a record, in a cell. */
static void cell_record(struct html *h, const char *resource, const char *id,
                        const char *text)
{
	HTML(h, "<td><a href=\"/");
	html_text(h, resource);
	HTML(h, "/");
	html_text(h, id);
	HTML(h, "\">");
	html_text(h, text && *text ? text : "(unnamed)");
	HTML(h, "</a></td>");
}

static void cell_url(struct html *h, const char *url)
{
	HTML(h, "<td>");
	if (url && html_url_ok(url) && strstr(url, "://"))
		html_link(h, url, url);
	else
		html_text(h, url);
	HTML(h, "</td>");
}

/* The alias that leads to a product's file, e.g. /data_product/ns:x@1.0.0 */
static void alias_href(struct html *h, const char *kind, const char *a,
                       const char *b, const char *version)
{
	struct buf u;
	buf_init(&u, h->b.a);
	buf_printf(&u, "/%s/", kind);
	url_path_encode(&u, a);
	buf_putc(&u, ':');
	url_path_encode(&u, b);
	buf_putc(&u, '@');
	url_path_encode(&u, version);
	html_text(h, u.p);
}

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

static void home(struct request *rq)
{
	struct html h;
	html_init(&h, rq->a);
	page_begin(&h, "Home");
	HTML(&h, "<h1>FAIR Data Registry</h1>\n<p class=\"lead\">The data "
	         "products, code runs and their provenance recorded by the "
	         "FAIR Data Pipeline. Programs use the <a "
	         "href=\"/api/?format=api\">REST API</a>; the <a "
	         "href=\"/docs/\">guides</a> explain it, and <a "
	         "href=\"/api/openapi.json\">its OpenAPI document</a> "
	         "describes it for tools.</p>\n");
	for (size_t i = 0; i < sizeof home_tables / sizeof home_tables[0]; i++)
		render_table(rq, &h, &home_tables[i]);
	HTML(&h, "<section class=\"card\"><h2>All records</h2>\n"
	         "<ul class=\"kinds\">");
	for (size_t i = 0; i < sizeof site / sizeof site[0]; i++) {
		if (!site[i].plural)
			continue;
		HTML(&h, "<li><a href=\"/");
		html_text(&h, site[i].name);
		HTML(&h, "s/\">");
		html_text(&h, site[i].plural);
		HTML(&h, "</a></li>");
	}
	HTML(&h, "</ul></section>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}

/* ---- list pages ---- */

/* Columns: id, label, extra (NULL when the resource has no extra column),
 * last updated, the resource's name, the total. */
static void list_row(struct html *h, PGresult *res, int i)
{
	const char *res_name = PQgetvalue(res, i, 4);
	HTML(h, "<td class=\"id\">");
	html_text(h, val(res, i, 0));
	HTML(h, "</td>");
	cell_record(h, res_name, val(res, i, 0), val(res, i, 1));
	if (!PQgetisnull(res, i, 2))
		cell_text(h, val(res, i, 2));
	cell_text(h, val(res, i, 3));
}

static const char *const list_args[] = {"q", "page", NULL};

static void list_page(struct request *rq, const struct site_res *s)
{
	const struct resource *r = resource_find(s->name, (int)strlen(s->name));
	static const char *const plain_heads[] = {"#", "Name", "Last updated",
	                                          NULL};
	const char *extra_heads[] = {"#", "Name", s->extra_head, "Last updated",
	                             NULL};
	char *noun = arena_strdup(rq->a, s->plural);
	noun[0] = (char)(noun[0] - 'A' + 'a');
	struct table t = {
	    .id = "",
	    .noun = noun,
	    .path = arena_printf(rq->a, "/%ss/", s->name),
	    .page_args = list_args,
	    .heads = s->extra ? extra_heads : plain_heads,
	    .row = list_row,
	};
	/* only the site table's own constant texts make up the statement */
	const char *extra =
	    s->extra
	        ? arena_printf(rq->a, "coalesce(left(%s, " LABEL_MAX "), '')",
	                       s->extra)
	        : "NULL";
	t.sql = arena_printf(
	    rq->a,
	    "SELECT t.id, left(coalesce(%s, ''), " LABEL_MAX "), %s, " STAMP(
	        "t.last_updated") ", '%s', "
	                          "count(*) OVER () FROM \"%s\" t WHERE "
	                          "$1::text "
	                          "IS NULL OR (%s) ILIKE $1 ORDER BY t.id DESC "
	                          "LIMIT $2 OFFSET $3",
	    s->label, extra, s->name, s->name, s->label);
	struct html h;
	html_init(&h, rq->a);
	page_begin(&h, s->plural);
	HTML(&h, "<ol class=\"crumbs\"><li><a href=\"/\">Home</a></li><li>");
	html_text(&h, s->plural);
	HTML(&h, "</li></ol>\n<h1>");
	html_text(&h, s->plural);
	HTML(&h, "</h1>\n<p class=\"links\"><a href=\"/api/");
	html_text(&h, s->name);
	HTML(&h, "/?format=api\">In the browsable API</a></p>\n");
	if (r && r->doc) {
		HTML(&h, "<details class=\"doc\"><summary>About ");
		html_text(&h, s->plural);
		HTML(&h, "</summary>");
		html_markdown(&h, r->doc, strlen(r->doc));
		HTML(&h, "</details>\n");
	}
	render_table(rq, &h, &t);
	page_end(&h);
	page_answer(rq, 200, &h);
}

/* ---- record pages ---- */

/* A record another record links to, and how the site names it. */
struct ref {
	int res; /* index into resources[] */
	long long id;
	const char *label;
};

struct refs {
	struct ref *v;
	int n, cap;
};

/* "http://host/api/<resource>/<id>/[?...]" -> resource index and id */
static bool api_ref(const char *url, int *res, long long *id)
{
	const char *p = strstr(url, "://");
	if (!p || !(p = strchr(p + 3, '/')) || strncmp(p, "/api/", 5))
		return false;
	p += 5;
	size_t n = strcspn(p, "/");
	const struct resource *r = resource_find(p, (int)n);
	if (!r || p[n] != '/')
		return false;
	const char *d = p + n + 1;
	size_t dl = strcspn(d, "/");
	if (d[dl] != '/' || (d[dl + 1] && d[dl + 1] != '?'))
		return false;
	if (!parse_id(d, dl, id))
		return false;
	*res = (int)(r - resources);
	return true;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->res != y->res)
		return x->res < y->res ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void refs_add(struct arena *a, struct refs *rs, int res, long long id)
{
	if (rs->n == rs->cap) {
		int cap = rs->cap ? rs->cap * 2 : 32;
		struct ref *v = arena_alloc(a, sizeof *v * (size_t)cap);
		if (rs->n)
			memcpy(v, rs->v, sizeof *v * (size_t)rs->n);
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n++] = (struct ref){res, id, NULL};
}

static void collect(struct arena *a, struct refs *rs, struct json_object *v)
{
	int res;
	long long id;
	if (json_object_is_type(v, json_type_string)) {
		if (api_ref(json_object_get_string(v), &res, &id))
			refs_add(a, rs, res, id);
	} else if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n && i < LIST_SHOWN; i++)
			collect(a, rs, json_object_array_get_idx(v, i));
	}
}

/* One statement per kind of record linked to, for every label at once. */
static void label_refs(struct request *rq, struct refs *rs)
{
	if (!rs->n)
		return;
	qsort(rs->v, (size_t)rs->n, sizeof *rs->v, ref_cmp);
	int w = 0;
	for (int i = 0; i < rs->n; i++)
		if (!w || ref_cmp(&rs->v[w - 1], &rs->v[i]))
			rs->v[w++] = rs->v[i];
	rs->n = w;
	for (int i = 0; i < rs->n;) {
		int j = i;
		struct buf ids;
		buf_init(&ids, rq->a);
		buf_putc(&ids, '{');
		for (; j < rs->n && rs->v[j].res == rs->v[i].res; j++)
			buf_printf(&ids, "%s%lld", j > i ? "," : "",
			           rs->v[j].id);
		buf_putc(&ids, '}');
		const struct resource *r = &resources[rs->v[i].res];
		const struct site_res *s = site_find(r->name, strlen(r->name));
		if (s) {
			const char *sql = arena_printf(
			    rq->a,
			    "SELECT t.id, left(coalesce(%s, ''), " LABEL_MAX
			    ") FROM \"%s\" t WHERE t.id = ANY($1::bigint[])",
			    s->label, r->name);
			const char *p = ids.p;
			PGresult *res = db_query(rq->db, sql, 1, &p);
			if (PQresultStatus(res) == PGRES_TUPLES_OK) {
				for (int k = 0; k < PQntuples(res); k++) {
					struct ref key = {
					    rs->v[i].res,
					    atoll(PQgetvalue(res, k, 0)), NULL};
					struct ref *hit = bsearch(
					    &key, rs->v + i, (size_t)(j - i),
					    sizeof *rs->v, ref_cmp);
					if (hit)
						hit->label = arena_strdup(
						    rq->a,
						    PQgetvalue(res, k, 1));
				}
			}
			PQclear(res);
		}
		i = j;
	}
}

static const struct ref *ref_find(const struct refs *rs, int res, long long id)
{
	struct ref key = {res, id, NULL};
	if (!rs->n)
		return NULL;
	return bsearch(&key, rs->v, (size_t)rs->n, sizeof *rs->v, ref_cmp);
}

static void show_ref(struct html *h, const struct refs *rs, int res,
                     long long id)
{
	const struct resource *r = &resources[res];
	const struct ref *f = ref_find(rs, res, id);
	const struct site_res *s = site_find(r->name, strlen(r->name));
	const char *text = f && f->label && *f->label
	                       ? f->label
	                       : arena_printf(h->b.a, "%s %lld", r->title, id);
	if (!s || !s->plural) {
		/* users and groups have no pages: their name is enough */
		html_text(h, text);
		return;
	}
	HTML(h, "<a href=\"/");
	html_text(h, r->name);
	HTML(h, "/");
	html_int(h, id);
	HTML(h, "\">");
	html_text(h, text);
	HTML(h, "</a>");
}

static void show_value(struct html *h, const struct refs *rs,
                       struct json_object *v)
{
	int res;
	long long id;
	switch (json_object_get_type(v)) {
	case json_type_null:
		HTML(h, "<span class=\"none\">none</span>");
		break;
	case json_type_boolean:
		if (json_object_get_boolean(v))
			HTML(h, "yes");
		else
			HTML(h, "no");
		break;
	case json_type_string: {
		const char *s = json_object_get_string(v);
		if (api_ref(s, &res, &id))
			show_ref(h, rs, res, id);
		else if (strstr(s, "://") && html_url_ok(s))
			html_link(h, s, s);
		else if (*s) {
			HTML(h, "<div class=\"text\">");
			html_textn(h, s, (size_t)json_object_get_string_len(v));
			HTML(h, "</div>");
		} else
			HTML(h, "<span class=\"none\">empty</span>");
		break;
	}
	case json_type_array: {
		size_t n = json_object_array_length(v);
		if (!n) {
			HTML(h, "<span class=\"none\">none</span>");
			break;
		}
		HTML(h, "<ul class=\"values\">");
		for (size_t i = 0; i < n && i < LIST_SHOWN; i++) {
			HTML(h, "<li>");
			show_value(h, rs, json_object_array_get_idx(v, i));
			HTML(h, "</li>");
		}
		if (n > LIST_SHOWN) {
			HTML(h, "<li class=\"more\">and ");
			html_int(h, (long long)(n - LIST_SHOWN));
			HTML(h, " more (see the API view)</li>");
		}
		HTML(h, "</ul>");
		break;
	}
	default:
		html_text(h, json_object_to_json_string_ext(
		                 v, JSON_C_TO_STRING_PLAIN));
	}
}

/* "run_date" -> "Run date" */
static const char *field_label(struct arena *a, const struct resource *r,
                               const char *key)
{
	static const char *const names[][2] = {
	    {"uuid", "UUID"},
	    {"ro_crate", "RO-Crate"},
	    {"prov_report", "PROV report"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(key, names[i][0]))
			return names[i][1];
	const struct field *f = field_find(r, key);
	if (f && f->label)
		return f->label;
	char *s = arena_strdup(a, key);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	if (*s >= 'a' && *s <= 'z')
		*s = (char)(*s - 'a' + 'A');
	return s;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The label of the record a link field points at. */
static const char *ref_label(const struct refs *rs, struct json_object *o,
                             const char *key)
{
	const char *url = str_of(o, key);
	int res;
	long long id;
	if (!url || !api_ref(url, &res, &id))
		return NULL;
	const struct ref *f = ref_find(rs, res, id);
	return f ? f->label : NULL;
}

/* Ways to the files and the provenance of data products and external
 * objects, which the API only reaches through other endpoints. */
static void record_extras(struct html *h, const struct resource *r,
                          long long id, const struct refs *rs,
                          struct json_object *o)
{
	if (!strcmp(r->name, "data_product")) {
		const char *ns = ref_label(rs, o, "namespace");
		const char *name = str_of(o, "name"),
		           *version = str_of(o, "version");
		HTML(h, "<section class=\"card\"><h2>File and "
		        "provenance</h2><ul class=\"values\">");
		if (ns && name && version) {
			HTML(h, "<li><a class=\"file\" href=\"");
			alias_href(h, "data_product", ns, name, version);
			HTML(h, "\">The product&#39;s file</a></li>");
		}
		HTML(h, "<li><a href=\"/api/prov-report/");
		html_int(h, id);
		HTML(h, "/\">PROV report</a> (JSON)</li>"
		        "<li><a href=\"/api/prov-report/");
		html_int(h, id);
		HTML(h, "/?format=svg\">Provenance picture</a> (SVG)</li>"
		        "<li><a href=\"/api/ro-crate/data-product/");
		html_int(h, id);
		HTML(h, "/\">RO-Crate</a></li></ul></section>\n");
	} else if (!strcmp(r->name, "external_object")) {
		const char *alt = str_of(o, "alternate_identifier"),
		           *title = str_of(o, "title"),
		           *version = str_of(o, "version");
		if (alt && title && version) {
			HTML(h, "<section class=\"card\"><h2>File</h2><p><a "
			        "class=\"file\" href=\"");
			alias_href(h, "external_object", alt, title, version);
			HTML(h, "\">The object&#39;s file</a></p></section>\n");
		}
	}
}

/* At most max bytes of s, cut between UTF-8 characters, with an ellipsis
 * when something was cut. */
static const char *shorten(struct arena *a, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return s;
	while (max && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return arena_printf(a, "%.*s\u2026", (int)max, s);
}

static void record_page(struct request *rq, const struct site_res *s,
                        long long id)
{
	const struct resource *r = resource_find(s->name, (int)strlen(s->name));
	struct json_object *o = fetch_record(rq, r, id);
	if (!o) {
		if (rq->status == 404)
			web_error_page(
			    rq, 404,
			    arena_printf(rq->a, "There is no %s with id %lld.",
			                 r->title, id));
		else
			web_error_page(rq, rq->status,
			               "The database could not answer; try "
			               "again.");
		return;
	}
	struct refs rs = {0};
	refs_add(rq->a, &rs, (int)(r - resources), id);
	json_object_object_foreach(o, k0, v0)
	{
		if (strcmp(k0, "url"))
			collect(rq->a, &rs, v0);
	}
	label_refs(rq, &rs);
	const struct ref *self = ref_find(&rs, (int)(r - resources), id);
	const char *name = self && self->label && *self->label
	                       ? shorten(rq->a, self->label, 100)
	                       : arena_printf(rq->a, "%s %lld", r->title, id);

	struct html h;
	html_init(&h, rq->a);
	page_begin(&h, arena_printf(rq->a, "%s: %s", r->title, name));
	HTML(&h, "<ol class=\"crumbs\"><li><a href=\"/\">Home</a></li><li><a "
	         "href=\"/");
	html_text(&h, r->name);
	HTML(&h, "s/\">");
	html_text(&h, s->plural);
	HTML(&h, "</a></li><li>");
	html_text(&h, r->title);
	HTML(&h, " ");
	html_int(&h, id);
	HTML(&h, "</li></ol>\n<h1><span class=\"kind\">");
	html_text(&h, r->title);
	HTML(&h, "</span> ");
	html_text(&h, name);
	HTML(&h, "</h1>\n<p class=\"links\"><a href=\"/api/");
	html_text(&h, r->name);
	HTML(&h, "/");
	html_int(&h, id);
	HTML(&h, "/?format=api\">In the browsable API</a> &middot; <a "
	         "href=\"/api/");
	html_text(&h, r->name);
	HTML(&h, "/");
	html_int(&h, id);
	HTML(&h, "/?format=json\">JSON</a></p>\n<section class=\"card\">"
	         "<dl class=\"record\">\n");
	/* what the record says first; who wrote it when, and the
	 * addresses computed from it, last */
	for (int pass = 0; pass < 2; pass++) {
		json_object_object_foreach(o, key, v)
		{
			const struct field *f = field_find(r, key);
			bool late = !strcmp(key, "last_updated") ||
			            !strcmp(key, "updated_by") ||
			            (f && f->type == F_HREF);
			if (!strcmp(key, "url") || late != (pass == 1))
				continue;
			HTML(&h, "<dt>");
			html_text(&h, field_label(rq->a, r, key));
			HTML(&h, "</dt><dd>");
			show_value(&h, &rs, v);
			HTML(&h, "</dd>\n");
		}
	}
	HTML(&h, "</dl></section>\n");
	record_extras(&h, r, id, &rs, o);
	json_object_put(o);
	page_end(&h);
	page_answer(rq, 200, &h);
}

/* ---- the guides in docs/ ---- */

static bool doc_name_ok(const char *s, size_t n)
{
	if (!n || *s == '.' || n > 100)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

static char *read_doc(struct request *rq, const char *name, size_t *len)
{
	const char *path = arena_printf(rq->a, "%s/%s", rq->docs, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && n <= DOC_MAX && fseek(f, 0, SEEK_SET) == 0) {
			text = arena_alloc(rq->a, (size_t)n + 1);
			*len = fread(text, 1, (size_t)n, f);
		}
	}
	fclose(f);
	return text;
}

/* The text of the first "# " heading, else the file name. */
static const char *doc_title(struct request *rq, const char *name,
                             const char *text, size_t len)
{
	for (const char *p = text; p && p < text + len;) {
		size_t n = strcspn(p, "\n");
		if (n > 2 && p[0] == '#' && p[1] == ' ')
			return arena_strndup(rq->a, p + 2, n - 2);
		p += n + 1;
	}
	return name;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void docs_index(struct request *rq)
{
	DIR *d = rq->docs ? opendir(rq->docs) : NULL;
	if (!d) {
		web_error_page(rq, 404, "The guides are not installed here.");
		return;
	}
	char **names = arena_alloc(rq->a, sizeof *names * 256);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 3 && !strcmp(e->d_name + l - 3, ".md") &&
		    doc_name_ok(e->d_name, l))
			names[n++] = arena_strdup(rq->a, e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, str_cmp);
	struct html h;
	html_init(&h, rq->a);
	page_begin(&h, "Guides");
	HTML(&h, "<ol class=\"crumbs\"><li><a href=\"/\">Home</a></li>"
	         "<li>Guides</li></ol>\n<h1>Guides</h1>\n<section "
	         "class=\"card\"><ul class=\"docs\">");
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		const char *text = read_doc(rq, names[i], &len);
		HTML(&h, "<li><a href=\"/docs/");
		html_text(&h, names[i]);
		HTML(&h, "\">");
		html_text(&h, doc_title(rq, names[i], text, len));
		HTML(&h, "</a> <span class=\"file\">");
		html_text(&h, names[i]);
		HTML(&h, "</span></li>");
	}
	if (!n)
		HTML(&h, "<li>No guides yet.</li>");
	HTML(&h, "</ul></section>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}

static void doc_page(struct request *rq, const char *name)
{
	size_t n = strlen(name);
	if (!rq->docs || !doc_name_ok(name, n)) {
		web_error_page(rq, 404, NULL);
		return;
	}
	const char *file = n > 3 && !strcmp(name + n - 3, ".md")
	                       ? name
	                       : arena_printf(rq->a, "%s.md", name);
	size_t len = 0;
	char *text = read_doc(rq, file, &len);
	if (!text) {
		web_error_page(rq, 404, "There is no such guide.");
		return;
	}
	struct html h;
	html_init(&h, rq->a);
	page_begin(&h, doc_title(rq, file, text, len));
	HTML(&h, "<ol class=\"crumbs\"><li><a href=\"/\">Home</a></li><li><a "
	         "href=\"/docs/\">Guides</a></li><li>");
	html_text(&h, file);
	HTML(&h, "</li></ol>\n<article class=\"card guide\">");
	html_markdown(&h, text, len);
	HTML(&h, "</article>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}

/* ---- which page ---- */

bool web_page(struct request *rq)
{
	const char *p = rq->path;
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return false;
	if (!strcmp(p, "/")) {
		home(rq);
		return true;
	}
	if (!strcmp(p, "/docs/") || !strcmp(p, "/docs")) {
		docs_index(rq);
		return true;
	}
	if (!strncmp(p, "/docs/", 6) && !strchr(p + 6, '/')) {
		doc_page(rq, p + 6);
		return true;
	}
	if (!strncmp(p, "/api", 4) || p[0] != '/')
		return false;
	/* /<resource>s/ and /<resource>/<id> */
	const char *seg = p + 1;
	size_t n = strcspn(seg, "/");
	const char *rest = seg + n;
	if (n > 1 && seg[n - 1] == 's' && !strcmp(rest, "/")) {
		const struct site_res *s = site_find(seg, n - 1);
		if (s && s->plural) {
			list_page(rq, s);
			return true;
		}
	}
	long long id;
	const struct site_res *s = site_find(seg, n);
	if (s && s->plural && *rest == '/') {
		size_t il = strcspn(rest + 1, "/");
		const char *after = rest + 1 + il;
		if (parse_id(rest + 1, il, &id) &&
		    (!*after || !strcmp(after, "/"))) {
			record_page(rq, s, id);
			return true;
		}
	}
	return false;
}
