/* http.c - the provenance endpoints: PROV reports, RO-Crates and data
 * extractions. Each negotiates its formats as the reference's views do
 * (?format= narrows the renderers, Accept picks among them, most specific
 * entries first, the view's renderer order breaking ties), runs the one
 * walk and hands the graph to the writer of the chosen format. Tokens are
 * not read here: the reference's views ignore them. */
#include "link.h"
#include "prov/crate.h"
#include "prov/doc.h"
#include "prov/routes.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct renderer {
	const char *format, *media;
};

/* The browsable view's entry comes first, as in the reference; its page
 * is drawn from the JSON answer. */
static const struct renderer prov_renderers[] = {
    {"api", "text/html"},
    {"json", "application/json"},
    {"json-ld", "application/ld+json"},
    {"jpg", "image/jpeg"},
    {"svg", "image/svg+xml"},
    {"xml", "text/xml"},
    {"provn", "text/provenance-notation"},
    {NULL, NULL},
};

static const struct renderer crate_renderers[] = {
    {"api", "text/html"},
    {"json", "application/json"},
    {"json-ld", "application/ld+json"},
    {"zip", "application/zip"},
    {NULL, NULL},
};

/* the registry's defaults: JSON, then the browsable view */
static const struct renderer plain_renderers[] = {
    {"json", "application/json"},
    {"api", "text/html"},
    {NULL, NULL},
};

struct media {
	char type[64], sub[128];
	bool has_version;
	char version[32]; /* the version parameter's value */
	int precedence;
};

static void parse_media(const char *s, size_t n, struct media *m)
{
	memset(m, 0, sizeof *m);
	size_t tl = 0;
	while (tl < n && s[tl] != ';')
		tl++;
	const char *t = s;
	size_t len = tl;
	while (len && isspace((unsigned char)*t))
		t++, len--;
	while (len && isspace((unsigned char)t[len - 1]))
		len--;
	const char *slash = memchr(t, '/', len);
	size_t ml = slash ? (size_t)(slash - t) : len;
	snprintf(m->type, sizeof m->type, "%.*s", (int)ml, t);
	snprintf(m->sub, sizeof m->sub, "%.*s", slash ? (int)(len - ml - 1) : 0,
	         slash ? slash + 1 : "");
	bool params = false;
	for (size_t i = tl; i < n;) {
		i++; /* the ';' */
		size_t e = i;
		while (e < n && s[e] != ';')
			e++;
		const char *k = s + i;
		size_t kl = e - i;
		while (kl && isspace((unsigned char)*k))
			k++, kl--;
		const char *eq = memchr(k, '=', kl);
		size_t klen = eq ? (size_t)(eq - k) : kl;
		while (klen && isspace((unsigned char)k[klen - 1]))
			klen--;
		if (klen && !(klen == 1 && k[0] == 'q'))
			params = true;
		if (eq && klen == 7 && !strncmp(k, "version", 7)) {
			const char *v = eq + 1;
			size_t vl = (size_t)(k + kl - v);
			while (vl && isspace((unsigned char)*v))
				v++, vl--;
			while (vl && isspace((unsigned char)v[vl - 1]))
				vl--;
			snprintf(m->version, sizeof m->version, "%.*s", (int)vl,
			         v);
			m->has_version = true;
		}
		i = e;
	}
	m->precedence = !strcmp(m->type, "*")  ? 0
	                : !strcmp(m->sub, "*") ? 1
	                : params               ? 3
	                                       : 2;
}

static bool media_matches(const char *renderer, const struct media *m)
{
	const char *slash = strchr(renderer, '/');
	size_t ml = (size_t)(slash - renderer);
	bool main_ok =
	    !strcmp(m->type, "*") ||
	    (strlen(m->type) == ml && !strncasecmp(m->type, renderer, ml));
	bool sub_ok = !strcmp(m->sub, "*") || !strcasecmp(m->sub, slash + 1);
	return main_ok && sub_ok;
}

/* The chosen renderer, or NULL with the answer (404/406) set. */
static const struct renderer *negotiate(struct request *rq,
                                        const struct renderer *list)
{
	const struct renderer *cand[16];
	int n = 0;
	for (const struct renderer *r = list; r->format; r++)
		if (!rq->format || !strcmp(rq->format, r->format))
			cand[n++] = r;
	if (!n) {
		resp_detail(rq, 404, "Not found.");
		return NULL;
	}
	struct media m[32];
	int nm = 0;
	const char *accept = rq->accept && *rq->accept ? rq->accept : "*/*";
	for (const char *p = accept; *p && nm < 32;) {
		size_t e = strcspn(p, ",");
		size_t k = 0;
		while (k < e && isspace((unsigned char)p[k]))
			k++;
		if (k < e)
			parse_media(p, e, &m[nm++]);
		p += e;
		if (*p)
			p++;
	}
	for (int prec = 3; prec >= 0; prec--)
		for (int r = 0; r < n; r++)
			for (int i = 0; i < nm; i++) {
				if (m[i].precedence != prec ||
				    !media_matches(cand[r]->media, &m[i]))
					continue;
				if (m[i].has_version &&
				    strcmp(m[i].version, "1.0.0")) {
					resp_detail(rq, 406,
					            "Invalid version in "
					            "\"Accept\" header.");
					return NULL;
				}
				return cand[r];
			}
	resp_detail(rq, 406, "Could not satisfy the request Accept header.");
	return NULL;
}

/* OPTIONS: what the view is and what it renders. */
static void describe(struct request *rq, const char *name, const char *doc,
                     const struct renderer *list)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "description", json_object_new_string(doc));
	struct json_object *renders = json_object_new_array();
	for (const struct renderer *r = list; r->format; r++)
		json_object_array_add(renders,
		                      json_object_new_string(r->media));
	json_object_object_add(o, "renders", renders);
	struct json_object *parses = json_object_new_array();
	json_object_array_add(parses,
	                      json_object_new_string("application/json"));
	json_object_array_add(parses, json_object_new_string(
	                                  "application/x-www-form-urlencoded"));
	json_object_array_add(parses,
	                      json_object_new_string("multipart/form-data"));
	json_object_object_add(o, "parses", parses);
	resp_json(rq, 200, o);
}

/* Python's int() of a query value: spaces around, a sign, digits with
 * single underscores between them; false when it is none of that. */
static bool py_int(const char *s, long long *out)
{
	while (isspace((unsigned char)*s))
		s++;
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	long long v = 0;
	for (; *s; s++) {
		if (*s == '_' && isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[-1]))
			continue;
		if (!isdigit((unsigned char)*s))
			break;
		v = v > (LLONG_MAX - 9) / 10 ? LLONG_MAX : v * 10 + (*s - '0');
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return false;
	*out = neg ? -v : v;
	return true;
}

static int depth_of(struct request *rq)
{
	const char *v = query_get(&rq->q, "depth");
	long long d = 1;
	if (!v || !py_int(v, &d))
		d = 1;
	if (d < 1)
		d = 1;
	return d > INT_MAX ? INT_MAX : (int)d;
}

/* Python's float() of a query value, false when it is not a number. */
static bool py_float(const char *s, double *out)
{
	char *end;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	double v = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* "<id>/": the id; false with the answer set when rest is not that. */
static bool record_id(struct request *rq, const char *rest, long long *id)
{
	size_t n = strspn(rest, "0123456789");
	bool get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
	if (n && !rest[n] && get) {
		/* Django adds the slash by redirecting */
		const char *to =
		    arena_printf(rq->a, "%s%s/%s%s", rq->base, rq->path,
		                 rq->raw_query && *rq->raw_query ? "?" : "",
		                 rq->raw_query ? rq->raw_query : "");
		req_header(rq, "Location", to);
		resp_text(rq, 301, "text/html; charset=utf-8", "", 0);
		return false;
	}
	if (!n || strcmp(rest + n, "/")) {
		resp_detail(rq, 404, "Not found.");
		return false;
	}
	if (!parse_id(rest, n, id))
		*id = 0; /* too long to be an id: no such record */
	return true;
}

static bool reading(struct request *rq)
{
	req_header(rq, "Allow", "GET, HEAD, OPTIONS");
	if (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD"))
		return true;
	if (strcmp(rq->method, "OPTIONS"))
		resp_detail(rq, 405,
		            arena_printf(rq->a, "Method \"%s\" not allowed.",
		                         rq->method));
	return false;
}

static const char *registry_url(struct request *rq)
{
	return arena_printf(rq->a, "%s/", rq->base);
}

/* Walks; false with the answer set (404 or a failure). */
static bool walk(struct request *rq, struct pv_graph *g, bool run, long long id,
                 int depth)
{
	struct pv_source src = pv_db_source(rq->db);
	enum pv_status st = PV_NOT_FOUND;
	if (id > 0) {
		/* one snapshot for all the walk's statements */
		if (!db_cmd(
		        rq->db,
		        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")) {
			resp_db_failure(rq);
			return false;
		}
		st = pv_walk(g, rq->a, &src, run, id, depth);
		db_cmd(rq->db, st == PV_FAILED ? "ROLLBACK" : "COMMIT");
	}
	if (st == PV_OK)
		return true;
	if (st == PV_NOT_FOUND)
		resp_detail(rq, 404,
		            run ? "No CodeRun matches the given query."
		                : "No DataProduct matches the given query.");
	else
		resp_db_failure(rq);
	return false;
}

void route_prov_report(struct request *rq, const char *rest)
{
	long long id;
	if (!record_id(rq, rest, &id))
		return;
	const struct renderer *r = negotiate(rq, prov_renderers);
	if (!r)
		return;
	if (!reading(rq)) {
		if (!strcmp(rq->method, "OPTIONS"))
			describe(rq, "Prov Report",
			         "The W3C PROV provenance of a data product: "
			         "the code runs that made it, what they used "
			         "and who ran them. Formats: json (PROV-JSON), "
			         "json-ld, xml (PROV-XML), provn (PROV-N), svg "
			         "and jpg. Query parameters: depth (how many "
			         "code runs back, default 1), attributes=False "
			         "(pictures without attribute notes), "
			         "aspect_ratio (default 0.71) and dpi.",
			         prov_renderers);
		return;
	}
	struct pv_graph g;
	if (!walk(rq, &g, false, id, depth_of(rq)))
		return;
	struct pr_doc d;
	pr_build(&d, rq->a, &g, registry_url(rq));
	const char *f = r->format;
	if (!strcmp(f, "json-ld")) {
		prov_write_jsonld(rq, &d);
	} else if (!strcmp(f, "xml")) {
		prov_write_xml(rq, &d);
	} else if (!strcmp(f, "provn")) {
		prov_write_provn(rq, &d);
	} else if (!strcmp(f, "svg") || !strcmp(f, "jpg")) {
		double ratio = 0.71, dpi = 0;
		const char *v = query_get(&rq->q, "aspect_ratio");
		if (v && !py_float(v, &ratio))
			ratio = 0.71;
		v = query_get(&rq->q, "dpi");
		if (!v || !py_float(v, &dpi))
			dpi = 0;
		/* beyond these graphviz draws nothing or fails */
		ratio = ratio < 1e-3 && ratio > 0 ? 1e-3
		        : ratio > 1e3             ? 1e3
		                                  : ratio;
		dpi = dpi <= 0 ? 0 : dpi < 1 ? 1 : dpi > 2400 ? 2400 : dpi;
		v = query_get(&rq->q, "attributes");
		bool attrs = !v || (strcmp(v, "False") && *v);
		prov_write_picture(rq, &d, f, ratio, dpi, attrs);
	} else {
		prov_write_json(rq, &d);
	}
}

static void crate(struct request *rq, const char *rest, bool run)
{
	long long id;
	if (!record_id(rq, rest, &id))
		return;
	const struct renderer *r = negotiate(rq, crate_renderers);
	if (!r)
		return;
	if (!reading(rq)) {
		if (!strcmp(rq->method, "OPTIONS"))
			describe(rq,
			         run ? "Code Run RO Crate"
			             : "Data Product RO Crate",
			         "An RO-Crate (Research Object Crate 1.1) of "
			         "how the record came to be: each code run as "
			         "a CreateAction with its instrument (code "
			         "repository), objects (inputs), results "
			         "(outputs) and agent. Formats: json and "
			         "json-ld (the ro-crate-metadata.json), zip "
			         "(the metadata and every locally stored file "
			         "it describes). Query parameter: depth (how "
			         "many code runs back, default 1).",
			         crate_renderers);
		return;
	}
	struct pv_graph g;
	if (!walk(rq, &g, run, id, depth_of(rq)))
		return;
	enum rc_format f = !strcmp(r->format, "zip")       ? RC_ZIP
	                   : !strcmp(r->format, "json-ld") ? RC_JSONLD
	                                                   : RC_JSON;
	rocrate_write(rq, &g, registry_url(rq), f);
}

void route_crate_product(struct request *rq, const char *rest)
{
	crate(rq, rest, false);
}

void route_crate_run(struct request *rq, const char *rest)
{
	crate(rq, rest, true);
}

void route_data_extraction(struct request *rq, const char *rest)
{
	long long id;
	if (!record_id(rq, rest, &id))
		return;
	if (!negotiate(rq, plain_renderers))
		return;
	if (!reading(rq)) {
		if (!strcmp(rq->method, "OPTIONS"))
			describe(rq, "Data Extraction",
			         "How a data product was extracted from the "
			         "external object it was derived from; only "
			         "for products whose external object is not "
			         "their primary source.",
			         plain_renderers);
		return;
	}
	const char *param = arena_printf(rq->a, "%lld", id);
	PGresult *res = db_query(
	    rq->db,
	    "SELECT to_char(dp.last_updated AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.US'), eo.id, "
	    "eo.primary_not_supplement FROM data_product dp "
	    "LEFT JOIN external_object eo ON eo.data_product_id = dp.id "
	    "WHERE dp.id = $1",
	    1, &param);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return;
	}
	if (!PQntuples(res) || !id) {
		PQclear(res);
		resp_detail(rq, 404, "No DataProduct matches the given query.");
		return;
	}
	if (PQgetisnull(res, 0, 1) || !strcmp(PQgetvalue(res, 0, 2), "t")) {
		PQclear(res);
		resp_detail(rq, 404,
		            "DataProduct was not derived from an external "
		            "object");
		return;
	}
	const char *base = registry_url(rq);
	struct json_object *o = json_object_new_object();
	json_object_object_add(
	    o, "id",
	    json_object_new_string(
	        arena_printf(rq->a, "%sapi/data_extraction/%lld", base, id)));
	json_object_object_add(o, "name",
	                       json_object_new_string(arena_printf(
	                           rq->a, "data extraction %lld", id)));
	json_object_object_add(
	    o, "startTime",
	    json_object_new_string(pv_isoformat(rq->a, PQgetvalue(res, 0, 0))));
	json_object_object_add(
	    o, "description",
	    json_object_new_string(
	        "import/extract data from an external source"));
	json_object_object_add(
	    o, "data_product",
	    json_object_new_string(
	        arena_printf(rq->a, "%sapi/data_product/%lld", base, id)));
	json_object_object_add(o, "external_product",
	                       json_object_new_string(arena_printf(
	                           rq->a, "%sapi/external_object/%s", base,
	                           PQgetvalue(res, 0, 1))));
	PQclear(res);
	resp_json(rq, 200, o);
}
