/* records.c - the website's list page of every resource (/<resource>s/,
 * searchable by each record's label) and its page of one record
 * (/<resource>/<id>): the record's fields, with every record it links to
 * named by its label. */
#include "site.h"

#include "handlers.h"
#include "resource_doc.h"
#include "link.h"

#include <stdlib.h>
#include <string.h>

#define LIST_SHOWN 100 /* items of one field shown on a record page */

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

void list_page(struct request *rq, const struct resource *r)
{
	static const char *const plain_heads[] = {"#", "Name", "Last updated",
	                                          NULL};
	const char *extra_heads[] = {"#", "Name", r->column.head,
	                             "Last updated", NULL};
	char *noun = arena_strdup(rq->a, r->plural);
	noun[0] = (char)(noun[0] - 'A' + 'a');
	struct table t = {
	    .id = "",
	    .noun = noun,
	    .path = arena_printf(rq->a, "/%ss/", r->name),
	    .page_args = list_args,
	    .heads = r->column.expr ? extra_heads : plain_heads,
	    .row = list_row,
	};
	/* only the resource table's constant texts make up the statement */
	const char *extra =
	    r->column.expr
	        ? arena_printf(rq->a, "coalesce(left(%s, " LABEL_MAX "), '')",
	                       r->column.expr)
	        : "NULL";
	t.sql = arena_printf(
	    rq->a,
	    "SELECT t.id, left(coalesce(%s, ''), " LABEL_MAX "), %s, " STAMP(
	        "t.last_updated") ", '%s', "
	                          "count(*) OVER () FROM \"%s\" t WHERE "
	                          "$1::text "
	                          "IS NULL OR (%s) ILIKE $1 ORDER BY t.id DESC "
	                          "LIMIT $2 OFFSET $3",
	    r->label, extra, r->name, r->name, r->label);
	struct html h;
	page_init(&h, rq);
	page_begin(&h, r->plural);
	HTML(&h, "<ol class=\"crumbs\"><li>");
	WEB_LINK(&h, "/", "Home");
	HTML(&h, "</li><li>");
	html_text(&h, r->plural);
	HTML(&h, "</li></ol>\n<h1>");
	html_text(&h, r->plural);
	HTML(&h, "</h1>\n<p class=\"links\"><a href=\"");
	html_path(&h, "/api/");
	html_text(&h, r->name);
	HTML(&h, "/?format=api\">In the browsable API</a></p>\n");
	{
		HTML(&h, "<details class=\"doc\"><summary>About ");
		html_text(&h, r->plural);
		HTML(&h, "</summary>");
		const char *doc = resource_doc(r);
		html_markdown(&h, doc, strlen(doc));
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
	const char *root; /* the site's mount path, which hyperlinks carry */
};

/* "http://host<root>/api/<resource>/<id>/[?...]" -> resource index and id */
static bool api_ref(const struct refs *rs, const char *url, int *res,
                    long long *id)
{
	const char *p = strstr(url, "://");
	size_t rl = strlen(rs->root);
	if (!p || !(p = strchr(p + 3, '/')) || strncmp(p, rs->root, rl) ||
	    strncmp(p + rl, "/api/", 5))
		return false;
	p += rl;
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
		if (api_ref(rs, json_object_get_string(v), &res, &id))
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
		if (r->label) {
			const char *sql = arena_printf(
			    rq->a,
			    "SELECT t.id, left(coalesce(%s, ''), " LABEL_MAX
			    ") FROM \"%s\" t WHERE t.id = ANY($1::bigint[])",
			    r->label, r->name);
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
	const char *text = f && f->label && *f->label
	                       ? f->label
	                       : arena_printf(h->b.a, "%s %lld", r->title, id);
	if (!r->plural) {
		/* users and groups have no pages: their name is enough */
		html_text(h, text);
		return;
	}
	HTML(h, "<a href=\"");
	html_path(h, "/");
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
		if (api_ref(rs, s, &res, &id))
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
	const struct field *f = field_find(r, key);
	if (f && f->web_label)
		return f->web_label;
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
	if (!url || !api_ref(rs, url, &res, &id))
		return NULL;
	const struct ref *f = ref_find(rs, res, id);
	return f ? f->label : NULL;
}

/* The value of a field as the alias of the record's file needs it: text
 * as it is, a link as the label of the record it points at. */
static const char *part_of(const struct resource *r, const struct refs *rs,
                           struct json_object *o, const char *key)
{
	const struct field *f = field_find(r, key);
	return f && f->type == F_LINK ? ref_label(rs, o, key) : str_of(o, key);
}

/* Ways to the file and the provenance of a record, which the API only
 * reaches through other endpoints (the resource's .file, .prov_links). */
static void record_extras(struct html *h, const struct resource *r,
                          long long id, const struct refs *rs,
                          struct json_object *o)
{
	const char *a = NULL, *b = NULL, *c = NULL;
	if (r->file.text) {
		a = part_of(r, rs, o, r->file.parts[0]);
		b = part_of(r, rs, o, r->file.parts[1]);
		c = part_of(r, rs, o, r->file.parts[2]);
	}
	bool file = a && b && c;
	if (r->prov_links) {
		HTML(h, "<section class=\"card\"><h2>File and "
		        "provenance</h2><ul class=\"values\">");
		if (file) {
			HTML(h, "<li><a class=\"file\" href=\"");
			alias_href(h, r->name, a, b, c);
			HTML(h, "\">");
			html_text(h, r->file.text);
			HTML(h, "</a></li>");
		}
		HTML(h, "<li><a href=\"");
		html_path(h, "/api/prov-report/");
		html_int(h, id);
		HTML(h, "/\">PROV report</a> (JSON)</li><li><a href=\"");
		html_path(h, "/api/prov-report/");
		html_int(h, id);
		HTML(h, "/?format=svg\">Provenance picture</a> (SVG)</li>"
		        "<li><a href=\"");
		html_path(h, "/api/ro-crate/data-product/");
		html_int(h, id);
		HTML(h, "/\">RO-Crate</a></li></ul></section>\n");
	} else if (file) {
		HTML(h, "<section class=\"card\"><h2>File</h2><p><a "
		        "class=\"file\" href=\"");
		alias_href(h, r->name, a, b, c);
		HTML(h, "\">");
		html_text(h, r->file.text);
		HTML(h, "</a></p></section>\n");
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

void record_page(struct request *rq, const struct resource *r, long long id)
{
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
	struct refs rs = {.root = rq->root};
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
	page_init(&h, rq);
	page_begin(&h, arena_printf(rq->a, "%s: %s", r->title, name));
	HTML(&h, "<ol class=\"crumbs\"><li>");
	WEB_LINK(&h, "/", "Home");
	HTML(&h, "</li><li><a href=\"");
	html_path(&h, "/");
	html_text(&h, r->name);
	HTML(&h, "s/\">");
	html_text(&h, r->plural);
	HTML(&h, "</a></li><li>");
	html_text(&h, r->title);
	HTML(&h, " ");
	html_int(&h, id);
	HTML(&h, "</li></ol>\n<h1><span class=\"kind\">");
	html_text(&h, r->title);
	HTML(&h, "</span> ");
	html_text(&h, name);
	HTML(&h, "</h1>\n<p class=\"links\"><a href=\"");
	html_path(&h, "/api/");
	html_text(&h, r->name);
	HTML(&h, "/");
	html_int(&h, id);
	HTML(&h, "/?format=api\">In the browsable API</a> &middot; <a "
	         "href=\"");
	html_path(&h, "/api/");
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
