/* openapi.c - GET /api/openapi.json: an OpenAPI 3.1 document of the whole
 * API, written from the resource table (paths, verbs, every field's type,
 * bounds and flags, every filter, the list and error shapes, the token).
 * It depends on nothing but the table and the mount path, so each worker
 * writes it once and keeps the text. */
#include "filter.h"
#include "handlers.h"
#include "openapi.h"
#include "openapi_parts.h"
#include "resource_doc.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* ---- paths ---- */

static void response_ref(struct jw *w, const char *status, const char *name)
{
	jw_key(w, status);
	openapi_ref(w, "responses", name);
}

static void json_response(struct jw *w, const char *status, const char *what,
                          const char *schema)
{
	jw_key(w, status);
	jw_open(w, '{');
	jw_kstr(w, "description", what);
	jw_key(w, "content");
	jw_open(w, '{');
	jw_key(w, "application/json");
	jw_open(w, '{');
	jw_key(w, "schema");
	openapi_ref(w, "schemas", schema);
	jw_close(w, '}');
	jw_close(w, '}');
	jw_close(w, '}');
}

/* Reading is open unless the resource says otherwise; writing needs a
 * token. */
static void security(struct jw *w, bool needed)
{
	jw_key(w, "security");
	jw_open(w, '[');
	if (!needed) {
		jw_open(w, '{');
		jw_close(w, '}');
	}
	jw_open(w, '{');
	jw_key(w, "tokenAuth");
	jw_open(w, '[');
	jw_close(w, ']');
	jw_close(w, '}');
	jw_close(w, ']');
}

/* One query argument of r's list: a field that filters, or a name the
 * reference accepts without filtering by it. */
static void filter_parameter(struct jw *w, const struct resource *r,
                             const char *name)
{
	const struct field *f = field_find(r, name);
	bool filters = f && filter_applies(r, f);
	jw_open(w, '{');
	jw_kstr(w, "name", name);
	jw_kstr(w, "in", "query");
	const char *how;
	if (!filters)
		how = "Accepted, as the reference accepts it, but does not "
		      "filter.";
	else if (f->type == F_NAME)
		how = "Matches the whole value as a Unix glob (* ? [...]).";
	else if (f->type == F_LINK || f->type == F_LINKS)
		how = arena_printf(
		    w->b->a, "The id of a %s record%s.", f->target,
		    f->type == F_LINKS ? "; repeat the argument for any of "
		                         "several"
		                       : "");
	else
		how = "Matches the value exactly.";
	jw_kstr(w, "description",
	        f && f->help && filters
	            ? arena_printf(w->b->a, "%s %s", f->help, how)
	            : how);
	jw_key(w, "schema");
	jw_open(w, '{');
	if (filters &&
	    (f->type == F_LINK || f->type == F_LINKS || f->type == F_INT))
		jw_kstr(w, "type", "integer");
	else if (filters && f->type == F_BOOL)
		jw_kstr(w, "type", "boolean");
	else
		jw_kstr(w, "type", "string");
	if (filters && openapi_format(f) && f->type != F_LINK)
		jw_kstr(w, "format", openapi_format(f));
	jw_close(w, '}');
	if (filters && f->type == F_LINKS) {
		jw_kstr(w, "style", "form");
		jw_kraw(w, "explode", "true");
	}
	jw_close(w, '}');
}

static void list_parameters(struct jw *w, const struct resource *r)
{
	jw_key(w, "parameters");
	jw_open(w, '[');
	for (const char *p = r->query_args; p && *p;) {
		size_t n = strcspn(p, ",");
		filter_parameter(w, r, arena_strndup(w->b->a, p, n));
		p += n + (p[n] == ',');
	}
	const char *controls = r->control_args ? r->control_args
	                                       : "cursor,format,ordering,"
	                                         "page_size";
	for (const char *p = controls; *p;) {
		size_t n = strcspn(p, ",");
		openapi_ref(w, "parameters", arena_strndup(w->b->a, p, n));
		p += n + (p[n] == ',');
	}
	jw_close(w, ']');
}

enum body_kind { B_POST, B_PUT, B_PATCH };

static void body(struct jw *w, const struct resource *r, enum body_kind kind)
{
	jw_key(w, "requestBody");
	jw_open(w, '{');
	jw_kraw(w, "required", "true");
	jw_key(w, "content");
	jw_open(w, '{');
	const char *media[] = {"application/json",
	                       "application/x-www-form-urlencoded"};
	for (int m = 0; m < 2; m++) {
		jw_key(w, media[m]);
		jw_open(w, '{');
		jw_key(w, "schema");
		jw_open(w, '{');
		jw_key(w, "allOf");
		jw_open(w, '[');
		openapi_ref(w, "schemas",
		            arena_printf(w->b->a, "%sWrite", r->model));
		jw_close(w, ']');
		/* POST fills in what has a default; PUT sends every required
		 * field; PATCH only what it changes */
		if (kind != B_PATCH) {
			jw_key(w, "required");
			jw_open(w, '[');
			for (const struct field *f = r->fields; f->name; f++)
				if (field_writable(f) && f->required &&
				    (kind == B_PUT || !f->def))
					jw_str(w, f->name);
			jw_close(w, ']');
		}
		jw_close(w, '}');
		jw_close(w, '}');
	}
	jw_close(w, '}');
	jw_close(w, '}');
}

static void operation(struct jw *w, const struct resource *r,
                      const char *method, const char *summary)
{
	jw_key(w, method);
	jw_open(w, '{');
	jw_kstr(w, "operationId",
	        arena_printf(w->b->a, "%s_%s", r->name, summary));
	jw_key(w, "tags");
	jw_open(w, '[');
	jw_str(w, r->name);
	jw_close(w, ']');
}

static void list_path(struct jw *w, const struct resource *r)
{
	jw_key(w, arena_printf(w->b->a, "/api/%s/", r->name));
	jw_open(w, '{');
	for (int head = 0; head < 2; head++) {
		operation(w, r, head ? "head" : "get", head ? "head" : "list");
		jw_kstr(w, "summary",
		        arena_printf(w->b->a, "%s List", r->title));
		list_parameters(w, r);
		security(w, r->auth_read);
		jw_key(w, "responses");
		jw_open(w, '{');
		json_response(w, "200", "A page of records.",
		              arena_printf(w->b->a, "%sList", r->model));
		response_ref(w, "400", "BadRequest");
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "406", "NotAcceptable");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		jw_close(w, '}');
		jw_close(w, '}');
	}
	if (r->verbs & V_POST) {
		operation(w, r, "post", "create");
		jw_kstr(w, "summary",
		        arena_printf(w->b->a, "Create a %s", r->title));
		body(w, r, B_POST);
		security(w, true);
		jw_key(w, "responses");
		jw_open(w, '{');
		json_response(w, "201",
		              "The new record, as a later GET shows it (its "
		              "address is also in Location).",
		              r->model);
		response_ref(w, "400", "BadRequest");
		response_ref(w, "403", "Forbidden");
		response_ref(w, "409", "Conflict");
		response_ref(w, "415", "UnsupportedMediaType");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		jw_close(w, '}');
		jw_close(w, '}');
	}
	operation(w, r, "options", "list_options");
	security(w, r->auth_read);
	jw_key(w, "responses");
	jw_open(w, '{');
	response_ref(w, "200", "Options");
	response_ref(w, "403", "Forbidden");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	jw_close(w, '}');
	jw_close(w, '}');
	jw_close(w, '}');
}

static void detail_path(struct jw *w, const struct resource *r)
{
	jw_key(w, arena_printf(w->b->a, "/api/%s/{id}/", r->name));
	jw_open(w, '{');
	jw_key(w, "parameters");
	jw_open(w, '[');
	openapi_ref(w, "parameters", "id");
	openapi_ref(w, "parameters", "format");
	jw_close(w, ']');
	for (int head = 0; head < 2; head++) {
		operation(w, r, head ? "head" : "get",
		          head ? "head_one" : "read");
		jw_kstr(w, "summary",
		        arena_printf(w->b->a, "%s Instance", r->title));
		security(w, r->auth_read);
		jw_key(w, "responses");
		jw_open(w, '{');
		json_response(w, "200", "The record.", r->model);
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "406", "NotAcceptable");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		jw_close(w, '}');
		jw_close(w, '}');
	}
	if (r->verbs & V_PUT) {
		for (int patch = 0; patch < 2; patch++) {
			operation(w, r, patch ? "patch" : "put",
			          patch ? "patch" : "update");
			jw_kstr(w, "summary",
			        patch ? "Change some fields"
			              : "Replace the record's fields");
			body(w, r, patch ? B_PATCH : B_PUT);
			security(w, true);
			jw_key(w, "responses");
			jw_open(w, '{');
			json_response(w, "200", "The updated record.",
			              r->model);
			response_ref(w, "400", "BadRequest");
			response_ref(w, "403", "Forbidden");
			response_ref(w, "404", "NotFound");
			response_ref(w, "415", "UnsupportedMediaType");
			response_ref(w, "500", "Unavailable");
			response_ref(w, "503", "Unavailable");
			jw_close(w, '}');
			jw_close(w, '}');
		}
	}
	if (r->verbs & V_DELETE) {
		operation(w, r, "delete", "delete");
		jw_kstr(w, "summary", "Remove the record");
		security(w, true);
		jw_key(w, "responses");
		jw_open(w, '{');
		jw_key(w, "204");
		jw_open(w, '{');
		jw_kstr(w, "description", "Removed.");
		jw_close(w, '}');
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		jw_close(w, '}');
		jw_close(w, '}');
	}
	operation(w, r, "options", "options");
	security(w, r->auth_read);
	jw_key(w, "responses");
	jw_open(w, '{');
	response_ref(w, "200", "Options");
	response_ref(w, "403", "Forbidden");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	jw_close(w, '}');
	jw_close(w, '}');
	jw_close(w, '}');
}

/* The endpoints outside the resource table (src/router.c's routes[]):
 * path, verb, whether a token is needed, what they answer. Their bodies
 * are not records, so a schema is given only where the answer is JSON of
 * a fixed shape. */
static const struct other {
	const char *path, *method, *summary, *schema, *media;
	bool token, id;
} others[] = {
    {"/api/", "get", "Every resource's list address, by name.",
     "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
     "\"format\":\"uri\"}}",
     "application/json", false, false},
    {"/api/username/", "get", "The name of the token's user.",
     "{\"type\":\"object\",\"properties\":{\"username\":{\"type\":"
     "\"string\"}},\"required\":[\"username\"],\"additionalProperties\":"
     "false}",
     "application/json", true, false},
    {"/api/auth-provider/", "get",
     "Who signs people in for this registry (the auth_provider setting; "
     "docs/accounts.md).",
     "{\"type\":\"object\",\"properties\":{\"auth_provider\":{\"type\":"
     "\"string\"}},\"required\":[\"auth_provider\"],"
     "\"additionalProperties\":false}",
     "application/json", false, false},
    {"/api/openapi.json", "get", "This document.",
     "{\"type\":\"object\",\"required\":[\"openapi\",\"info\",\"paths\"]}",
     "application/json", false, false},
    {"/api/prov-report/{id}/", "get",
     "The W3C PROV document of how a data product came to be (format: "
     "json, json-ld, xml, provn, svg, jpg; depth).",
     NULL, "application/json", false, true},
    {"/api/ro-crate/data-product/{id}/", "get",
     "A data product as an RO-Crate (format: json, json-ld, zip; depth).", NULL,
     "application/json", false, true},
    {"/api/ro-crate/code-run/{id}/", "get",
     "A code run as an RO-Crate (format: json, json-ld, zip; depth).", NULL,
     "application/json", false, true},
    {"/api/data_extraction/{id}/", "get",
     "How a data product was extracted from an external object.", NULL,
     "application/json", false, true},
    {"/api/data/{sha1}", "post",
     "Where to upload a file with this SHA-1 digest (409 when it is "
     "registered already).",
     "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\","
     "\"format\":\"uri\"}},\"required\":[\"url\"]}",
     "application/json", true, false},
};

static void other_path(struct jw *w, const struct other *o)
{
	jw_key(w, o->path);
	jw_open(w, '{');
	if (o->id || strstr(o->path, "{sha1}")) {
		jw_key(w, "parameters");
		jw_open(w, '[');
		if (o->id) {
			openapi_ref(w, "parameters", "id");
		} else {
			jw_raw(w, "{\"name\":\"sha1\",\"in\":\"path\","
			          "\"required\":true,\"schema\":{\"type\":"
			          "\"string\",\"pattern\":\"^[0-9a-f]{40}$\"}"
			          "}");
		}
		jw_close(w, ']');
	}
	jw_key(w, o->method);
	jw_open(w, '{');
	jw_kstr(w, "summary", o->summary);
	security(w, o->token);
	jw_key(w, "responses");
	jw_open(w, '{');
	jw_key(w, "200");
	jw_open(w, '{');
	jw_kstr(w, "description", o->summary);
	jw_key(w, "content");
	jw_open(w, '{');
	jw_key(w, o->media);
	jw_open(w, '{');
	if (o->schema)
		jw_kraw(w, "schema", o->schema);
	jw_close(w, '}');
	jw_close(w, '}');
	jw_close(w, '}');
	response_ref(w, "403", "Forbidden");
	response_ref(w, "404", "NotFound");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	jw_close(w, '}');
	jw_close(w, '}');
	jw_close(w, '}');
}

static const char info_text[] =
    "The FAIR Data Pipeline's data registry. Records refer to each other "
    "by absolute addresses (`/api/<resource>/<id>/`). Reading is open "
    "except for users and groups; writing needs a token, sent as "
    "`Authorization: token <key>`. Lists are paginated by cursor. This "
    "document is written from the registry's resource table.";

static char *write_document(struct request *rq)
{
	struct buf b;
	buf_init(&b, rq->a);
	struct jw w = {.b = &b};
	jw_open(&w, '{');
	jw_kstr(&w, "openapi", "3.1.0");
	jw_key(&w, "info");
	jw_open(&w, '{');
	jw_kstr(&w, "title", "FAIR Data Registry API");
	jw_kstr(&w, "version", "1.0.0");
	jw_kstr(&w, "description", info_text);
	jw_close(&w, '}');
	if (rq->root && *rq->root) {
		jw_key(&w, "servers");
		jw_open(&w, '[');
		jw_open(&w, '{');
		jw_kstr(&w, "url", rq->root);
		jw_close(&w, '}');
		jw_close(&w, ']');
	}
	jw_key(&w, "tags");
	jw_open(&w, '[');
	for (int i = 0; i < n_resources; i++) {
		jw_open(&w, '{');
		jw_kstr(&w, "name", resources[i].name);
		jw_kstr(&w, "description", resource_doc(&resources[i]));
		jw_close(&w, '}');
	}
	jw_close(&w, ']');

	jw_key(&w, "paths");
	jw_open(&w, '{');
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		other_path(&w, &others[i]);
	for (int i = 0; i < n_resources; i++) {
		list_path(&w, &resources[i]);
		detail_path(&w, &resources[i]);
	}
	jw_close(&w, '}');

	openapi_components(&w);
	jw_close(&w, '}');
	return b.p;
}

/* Written on a worker's first request for it; kept with the mount path
 * it was written for. */
static char *kept;
static char *kept_root;

void handle_openapi(struct request *rq)
{
	const char *root = rq->root ? rq->root : "";
	if (!kept || strcmp(kept_root, root)) {
		free(kept);
		free(kept_root);
		kept = strdup(write_document(rq));
		kept_root = strdup(root);
		if (!kept || !kept_root) {
			free(kept);
			kept = NULL;
			resp_detail(rq, 500, "Internal server error.");
			return;
		}
	}
	resp_text(rq, 200, "application/json", kept, strlen(kept));
}
