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

static void resource_path(struct request *rq, const struct resource *r,
                          const char *rest)
{
	bool detail = *rest != 0;
	long long id = 0;
	if (detail) {
		size_t n = strcspn(rest, "/");
		if (rest[n] != '/' || rest[n + 1]) {
			resp_detail(rq, 404, "Not found.");
			return;
		}
		/* the reference's detail view answers any key, so it names
		 * its verbs even when the key is no id */
		req_header(rq, "Allow", allow_list(rq, r, detail));
		if (n == strspn(rest, "0123456789") && n > 18)
			id = -1; /* a number too large to be an id: none */
		else if (!parse_id(rest, n, &id)) {
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
		return !read_token || auth_request(rq) == 0;
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
	return !read_token || auth_request(rq) == 0;
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
} routes[] = {
    {"/api/", api_root, R_EXACT | R_API},
    {"/api/username/", username, R_EXACT | R_API | R_TOKEN},
    {"/api/openapi.json", openapi, R_EXACT | R_API | R_TOKEN},
    {"/api/auth-provider/", account_auth_provider, R_EXACT | R_API},
    {"/get-token", account_get_token, R_EXACT},
    {"/revoke-token", account_revoke_token, R_EXACT},
    {"/logout", account_logout, R_EXACT},
    {"/api/prov-report/", route_prov_report, R_API | R_FORMATS},
    {"/api/ro-crate/data-product/", route_crate_product, R_API | R_FORMATS},
    {"/api/ro-crate/code-run/", route_crate_run, R_API | R_FORMATS},
    {"/api/data_extraction/", route_data_extraction, R_API | R_FORMATS},
    {"/api/data", store_upload_url, R_EXACT | R_API | R_TOKEN},
    {"/api/data/", store_upload_url, R_API | R_TOKEN},
    {"/data/upload/", store_upload, 0},
    {"/data/", store_download, 0},
    {"/data_product/", alias_data_product, 0},
    {"/external_object/", alias_external_object, 0},
    {NULL, NULL, 0},
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
	if (web_page(rq))
		return;
	if (special(rq))
		return;
	if (!strncmp(p, "/api/", 5)) {
		if (get && p[len - 1] != '/') {
			redirect_slash(rq);
			return;
		}
		if (!api_checks(rq, true, false))
			return;
		const char *rest = p + 5;
		size_t n = strcspn(rest, "/");
		const struct resource *r = resource_find(rest, (int)n);
		if (!r || !rest[n]) {
			resp_detail(rq, 404, "Not found.");
			return;
		}
		resource_path(rq, r, rest + n + 1);
		return;
	}
	if (!strcmp(p, "/api") && get) {
		redirect_slash(rq);
		return;
	}
	resp_detail(rq, 404, "Not found.");
}
