/* router.c - paths to handlers, and the checks every API request passes
 * first: format, Accept version, authentication, allowed verbs. */
#include "router.h"
#include "account.h"
#include "alias.h"
#include "auth.h"
#include "handlers.h"
#include "link.h"
#include "openapi.h"
#include "prov/routes.h"
#include "schema.h"
#include "store.h"
#include "web.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* The verbs a resource path answers, in the order the reference lists them
 * in its Allow header. */
static const char *allow_list(struct request *rq, const struct resource *r,
                              bool detail)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, "GET");
	if (!detail && (r->verbs & V_POST))
		buf_puts(&b, ", POST");
	if (detail && (r->verbs & V_PUT))
		buf_puts(&b, ", PUT, PATCH");
	if (detail && (r->verbs & V_DELETE))
		buf_puts(&b, ", DELETE");
	buf_puts(&b, ", HEAD, OPTIONS");
	return b.p;
}

static void not_allowed(struct request *rq)
{
	resp_detail(
	    rq, 405,
	    arena_printf(rq->a, "Method \"%s\" not allowed.", rq->method));
}

static bool is(const struct request *rq, const char *m)
{
	return !strcmp(rq->method, m);
}

static bool need_user(struct request *rq)
{
	if (rq->user)
		return true;
	resp_detail(rq, 403, "Authentication credentials were not provided.");
	return false;
}

/* "Accept: application/json; version=1.0.0": the only version is 1.0.0 */
static bool version_ok(const char *accept)
{
	if (!accept)
		return true;
	const char *v = strstr(accept, "version=");
	if (!v)
		return true;
	v += 8;
	size_t n = strcspn(v, " ;,");
	return n == 5 && !strncmp(v, "1.0.0", 5);
}

/* Some media range of Accept must be one we render. */
static bool accept_ok(const char *accept)
{
	static const char *ours[] = {
	    "*/*",    "application/*", "application/json",
	    "text/*", "text/html",     NULL};
	if (!accept || !*accept)
		return true;
	for (const char *p = accept; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ";, ");
		for (int i = 0; ours[i]; i++)
			if (n == strlen(ours[i]) && !strncasecmp(p, ours[i], n))
				return true;
		p += strcspn(p, ",");
	}
	return false;
}

static void redirect_slash(struct request *rq)
{
	char *to = arena_printf(rq->a, "%s%s/%s%s", rq->base, rq->path,
	                        rq->raw_query && *rq->raw_query ? "?" : "",
	                        rq->raw_query ? rq->raw_query : "");
	req_header(rq, "Location", to);
	resp_text(rq, 301, "text/html; charset=utf-8", "", 0);
}

/* rest: what follows /api/<resource>/ */
static void resource_path(struct request *rq, const struct resource *r,
                          const char *rest)
{
	/* "/api/object//" is a detail path too, with an empty key */
	bool detail = *rest != 0;
	long long id = !detail                   ? 0
	               : rq->view == VIEW_DETAIL ? rq->id
	                                         : ID_NOT_NUMBER;
	if (detail) {
		size_t n = strcspn(rest, "/");
		if (rest[n] != '/' || rest[n + 1]) {
			resp_detail(rq, 404, "Not found.");
			return;
		}
		/* the reference's detail view answers any key, so it names
		 * its verbs even when the key is no id */
		req_header(rq, "Allow", allow_list(rq, r, detail));
		if (id == ID_NOT_NUMBER) {
			resp_detail(rq, 404, "Not found.");
			return;
		}
	} else {
		req_header(rq, "Allow", allow_list(rq, r, detail));
	}
	if (is(rq, "OPTIONS")) {
		handle_options(rq, r, detail, id);
		return;
	}
	if (is(rq, "GET") || is(rq, "HEAD")) {
		if (r->auth_read && !need_user(rq))
			return;
		if (detail)
			handle_detail(rq, r, id);
		else
			handle_list(rq, r);
		return;
	}
	/* the reference checks permission before the verb */
	if (!need_user(rq))
		return;
	bool post = !detail && is(rq, "POST") && (r->verbs & V_POST);
	bool put =
	    detail && (is(rq, "PUT") || is(rq, "PATCH")) && (r->verbs & V_PUT);
	bool del = detail && is(rq, "DELETE") && (r->verbs & V_DELETE);
	if (!post && !put && !del) {
		not_allowed(rq);
		return;
	}
	if (post)
		handle_create(rq, r);
	else if (put)
		handle_update(rq, r, id, is(rq, "PATCH"));
	else
		handle_delete(rq, r, id);
}

/* The checks every API answer passes first, as the reference's views do:
 * format, Accept, version, then the token. An endpoint with formats of its
 * own (own_formats) makes the first three itself. */
static bool api_checks(struct request *rq, bool read_token, bool own_formats)
{
	if (own_formats)
		return !read_token || auth_request(rq);
	if (rq->format && strcmp(rq->format, "json") &&
	    strcmp(rq->format, "api")) {
		resp_detail(rq, 404, "Not found.");
		return false;
	}
	if (!accept_ok(rq->accept)) {
		resp_detail(rq, 406,
		            "Could not satisfy the request Accept header.");
		return false;
	}
	if (!version_ok(rq->accept)) {
		resp_detail(rq, 406, "Invalid version in \"Accept\" header.");
		return false;
	}
	return !read_token || auth_request(rq);
}

static void api_root(struct request *rq, const char *rest)
{
	(void)rest;
	req_header(rq, "Allow", "GET, HEAD, OPTIONS");
	if (is(rq, "GET") || is(rq, "HEAD") || is(rq, "OPTIONS"))
		handle_api_root(rq);
	else
		not_allowed(rq);
}

static void openapi(struct request *rq, const char *rest)
{
	(void)rest;
	req_header(rq, "Allow", "GET, HEAD, OPTIONS");
	if (is(rq, "GET") || is(rq, "HEAD"))
		handle_openapi(rq);
	else if (is(rq, "OPTIONS"))
		resp_json(rq, 200,
		          view_metadata("Openapi", "This API described in "
		                                   "OpenAPI 3.1."));
	else
		not_allowed(rq);
}

static void username(struct request *rq, const char *rest)
{
	(void)rest;
	req_header(rq, "Allow", "GET, HEAD, OPTIONS");
	if (!need_user(rq))
		return;
	if (!is(rq, "GET") && !is(rq, "HEAD") && !is(rq, "OPTIONS"))
		not_allowed(rq);
	else
		handle_username(rq);
}

enum {
	R_EXACT = 1 << 0,   /* the whole path, not a prefix */
	R_API = 1 << 1,     /* format, Accept and version checks */
	R_TOKEN = 1 << 2,   /* reads the token (a bad one is a 403) */
	R_FORMATS = 1 << 3, /* negotiates formats of its own (xml, svg...) */
};

/* Endpoints outside the resource table; `rest` is what follows the
 * prefix. Looked at in order, before the resources. */
static const struct route {
	const char *prefix;
	void (*fn)(struct request *rq, const char *rest);
	unsigned flags;
	/* the browsable API's name for it; NULL: its first segment after
	 * /api/, title-cased */
	const char *name;
} routes[] = {
    {"/api/", api_root, R_EXACT | R_API, "Api Root"},
    {"/api/username/", username, R_EXACT | R_API | R_TOKEN, "User"},
    {"/api/openapi.json", openapi, R_EXACT | R_API | R_TOKEN, NULL},
    {"/api/auth-provider/", account_auth_provider, R_EXACT | R_API, NULL},
    {"/get-token", account_get_token, R_EXACT, NULL},
    {"/revoke-token", account_revoke_token, R_EXACT, NULL},
    {"/logout", account_logout, R_EXACT, NULL},
    {"/api/prov-report/", route_prov_report, R_API | R_FORMATS, NULL},
    {"/api/ro-crate/data-product/", route_crate_product, R_API | R_FORMATS,
     NULL},
    {"/api/ro-crate/code-run/", route_crate_run, R_API | R_FORMATS, NULL},
    {"/api/data_extraction/", route_data_extraction, R_API | R_FORMATS, NULL},
    {"/api/data", store_upload_url, R_EXACT | R_API | R_TOKEN, NULL},
    {"/api/data/", store_upload_url, R_API | R_TOKEN, NULL},
    {"/data/upload/", store_upload, 0, NULL},
    {"/data/", store_download, 0, NULL},
    {"/data_product/", alias_data_product, 0, NULL},
    {"/external_object/", alias_external_object, 0, NULL},
    {NULL, NULL, 0, NULL},
};

static bool special(struct request *rq)
{
	const char *p = rq->path;
	for (const struct route *r = routes; r->prefix; r++) {
		size_t n = strlen(r->prefix);
		if ((r->flags & R_EXACT) ? strcmp(p, r->prefix)
		                         : strncmp(p, r->prefix, n))
			continue;
		if ((r->flags & R_API) &&
		    !api_checks(rq, r->flags & R_TOKEN, r->flags & R_FORMATS))
			return true;
		r->fn(rq, p + n);
		return true;
	}
	return false;
}

/* ---- what the path names ---- */

/* "prov-report" -> "Prov Report" */
static const char *title_case(struct arena *a, const char *s, size_t n)
{
	char *t = arena_strndup(a, s, n);
	bool start = true;
	for (char *p = t; *p; p++) {
		if (*p == '-' || *p == '_') {
			*p = ' ';
			start = true;
		} else if (start) {
			*p = (char)toupper((unsigned char)*p);
			start = false;
		}
	}
	return t;
}

static long long key_id(const char *key, size_t n)
{
	long long id;
	if (n > 18 && n == strspn(key, "0123456789"))
		return ID_TOO_LONG;
	return parse_id(key, n, &id) ? id : ID_NOT_NUMBER;
}

/* The website's pages: /, /docs/, /docs/<guide>, /<resource>s/ and
 * /<resource>/<id>, for the resources that have pages. */
static bool find_page(struct request *rq)
{
	const char *p = rq->path;
	if (!is(rq, "GET") && !is(rq, "HEAD"))
		return false;
	if (!strcmp(p, "/")) {
		rq->view = PAGE_HOME;
		return true;
	}
	if (!strcmp(p, "/docs/") || !strcmp(p, "/docs")) {
		rq->view = PAGE_GUIDES;
		return true;
	}
	if (!strncmp(p, "/docs/", 6) && !strchr(p + 6, '/')) {
		rq->view = PAGE_GUIDE;
		rq->guide = p + 6;
		return true;
	}
	if (!strncmp(p, "/api", 4) || p[0] != '/')
		return false;
	const char *seg = p + 1;
	size_t n = strcspn(seg, "/");
	const char *rest = seg + n;
	const struct resource *r;
	if (n > 1 && seg[n - 1] == 's' && !strcmp(rest, "/") &&
	    (r = resource_find(seg, (int)n - 1)) && r->plural) {
		rq->view = PAGE_LIST;
		rq->resource = r;
		return true;
	}
	r = resource_find(seg, (int)n);
	if (r && r->plural && *rest == '/') {
		size_t il = strcspn(rest + 1, "/");
		const char *after = rest + 1 + il;
		if (parse_id(rest + 1, il, &rq->id) &&
		    (!*after || !strcmp(after, "/"))) {
			rq->view = PAGE_RECORD;
			rq->resource = r;
			return true;
		}
	}
	return false;
}

void route_find(struct request *rq)
{
	const char *p = rq->path;
	rq->view = VIEW_NONE;
	rq->resource = NULL;
	rq->id = 0;
	rq->view_name = rq->guide = NULL;
	if (!p || find_page(rq) || strncmp(p, "/api/", 5))
		return;
	if (!p[5]) {
		rq->view = VIEW_ROOT;
		rq->view_name = routes[0].name;
		return;
	}
	const char *seg = p + 5;
	size_t n = strcspn(seg, "/");
	rq->resource = resource_find(seg, (int)n);
	if (rq->resource) {
		const char *key = seg + n + (seg[n] == '/');
		size_t kl = strcspn(key, "/");
		rq->view = kl ? VIEW_DETAIL : VIEW_LIST;
		rq->id = kl ? key_id(key, kl) : 0;
		return;
	}
	rq->view = VIEW_OTHER;
	for (const struct route *r = routes; r->prefix; r++)
		if (r->name && !strncmp(r->prefix + 5, seg, n) &&
		    !strcmp(r->prefix + 5 + n, "/"))
			rq->view_name = r->name;
	if (!rq->view_name)
		rq->view_name = title_case(rq->a, seg, n);
}

/* ---- answering ---- */

void route(struct request *rq)
{
	const char *p = rq->path;
	/* Django appends a missing slash by redirecting these verbs; the
	 * others would lose their body on the way */
	bool get = is(rq, "GET") || is(rq, "HEAD") || is(rq, "OPTIONS") ||
	           is(rq, "DELETE");
	size_t len = strlen(p);
	/* the website's pages first: their paths are exact shapes that no
	 * endpoint shares, and a prefix in routes[] such as an alias's
	 * /data_product/ must not hide /data_product/<id> */
	if (rq->view >= PAGE_HOME) {
		web_page(rq);
		return;
	}
	if (special(rq))
		return;
	if (rq->view == VIEW_LIST || rq->view == VIEW_DETAIL ||
	    rq->view == VIEW_OTHER) {
		if (get && p[len - 1] != '/') {
			redirect_slash(rq);
			return;
		}
		if (!api_checks(rq, true, false))
			return;
		const struct resource *r = rq->resource;
		size_t n = r ? strlen(r->name) : 0;
		if (!r || !p[5 + n]) {
			resp_detail(rq, 404, "Not found.");
			return;
		}
		resource_path(rq, r, p + 5 + n + 1);
		return;
	}
	if (!strcmp(p, "/api") && get) {
		redirect_slash(rq);
		return;
	}
	resp_detail(rq, 404, "Not found.");
}
