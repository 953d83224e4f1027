/* openapi.c - GET /api/openapi.json: an OpenAPI 3.1 document of the whole
 * API, written from the resource table (paths, verbs, every field's type,
 * bounds and flags, every filter, the list and error shapes, the token).
 * It depends on nothing but the table and the mount path, so each worker
 * writes it once and keeps the text. */
#include "filter.h"
#include "handlers.h"
#include "json_text.h"
#include "openapi.h"
#include "resource_doc.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

/* ---- a small JSON text writer: commas follow from the nesting ---- */

#define DEPTH_MAX 32

struct jw {
	struct buf *b;
	int depth;
	bool first[DEPTH_MAX]; /* nothing written yet at this level */
	bool keyed;            /* a key was written; its value comes next */
};

static void sep(struct jw *w)
{
	if (w->keyed) {
		w->keyed = false;
		return;
	}
	if (w->depth && !w->first[w->depth - 1])
		buf_putc(w->b, ',');
	if (w->depth)
		w->first[w->depth - 1] = false;
}

static void open_(struct jw *w, char c)
{
	sep(w);
	buf_putc(w->b, c);
	w->first[w->depth++] = true;
}

static void close_(struct jw *w, char c)
{
	w->depth--;
	buf_putc(w->b, c);
}

static void key(struct jw *w, const char *k)
{
	sep(w);
	json_string(w->b, k, strlen(k), false);
	buf_putc(w->b, ':');
	w->keyed = true;
}

static void str(struct jw *w, const char *s)
{
	sep(w);
	json_string(w->b, s, strlen(s), false);
}

/* a number, true, false or null as it is */
static void raw(struct jw *w, const char *s)
{
	sep(w);
	buf_puts(w->b, s);
}

static void num(struct jw *w, long long v)
{
	sep(w);
	buf_put_int(w->b, v);
}

static void kstr(struct jw *w, const char *k, const char *s)
{
	key(w, k);
	str(w, s);
}

static void kraw(struct jw *w, const char *k, const char *s)
{
	key(w, k);
	raw(w, s);
}

static void ref(struct jw *w, const char *kind, const char *name)
{
	open_(w, '{');
	key(w, "$ref");
	sep(w);
	buf_printf(w->b, "\"#/components/%s/%s\"", kind, name);
	close_(w, '}');
}

/* ---- fields ---- */

/* Whether a record can show null for the field: the table's flags say
 * which columns the database leaves empty (the migrations follow them). */
static bool nullable(const struct field *f)
{
	switch (f->type) {
	case F_LINKS:
	case F_HREF:
	case F_STRINGS:
	case F_UUID:
	case F_BOOL:
		return false;
	case F_REVERSE:
		return f->one;
	default:
		break;
	}
	if (f->required || f->def || f->aut || f->copy_link || f->expr)
		return false;
	/* read-only stored values (users, groups) are always filled */
	return !f->read_only;
}

static const char *schema_type(const struct field *f)
{
	switch (f->type) {
	case F_BOOL:
		return "boolean";
	case F_INT:
		return "integer";
	case F_LINKS:
	case F_STRINGS:
		return "array";
	case F_REVERSE:
		return f->one ? "string" : "array";
	default:
		return "string";
	}
}

static const char *schema_format(const struct field *f)
{
	switch (f->type) {
	case F_URL:
	case F_LINK:
	case F_HREF:
	case F_REVERSE:
		return f->one || f->type != F_REVERSE ? "uri" : NULL;
	case F_UUID:
		return "uuid";
	case F_DATETIME:
		return "date-time";
	default:
		return NULL;
	}
}

static void type_of(struct jw *w, const struct field *f, bool null)
{
	key(w, "type");
	if (!null) {
		str(w, schema_type(f));
		return;
	}
	open_(w, '[');
	str(w, schema_type(f));
	str(w, "null");
	close_(w, ']');
}

/* One field's schema; write: as a request body sends it. */
static void field_schema(struct jw *w, const struct field *f, bool write)
{
	open_(w, '{');
	type_of(w, f, nullable(f));
	const char *fmt = schema_format(f);
	if (fmt)
		kstr(w, "format", fmt);
	if (!strcmp(schema_type(f), "array")) {
		key(w, "items");
		open_(w, '{');
		kstr(w, "type", "string");
		if (f->type != F_STRINGS)
			kstr(w, "format", "uri");
		close_(w, '}');
	}
	if (f->max_len) {
		key(w, "maxLength");
		num(w, f->max_len);
	}
	if (write && !f->blank &&
	    (f->type == F_TEXT || f->type == F_NAME || f->type == F_VERSION ||
	     f->type == F_URL)) {
		key(w, "minLength");
		num(w, 1);
	}
	if (f->type == F_NAME)
		kstr(w, "pattern", "^[^\\[\\]?*]*$");
	if (f->type == F_INT) {
		key(w, "minimum");
		num(w, f->min_value);
		if (f->max_value) {
			key(w, "maximum");
			num(w, f->max_value);
		}
	}
	if (f->def && f->type != F_LINKS)
		kraw(w, "default", f->def);
	else if (f->def)
		kraw(w, "default", "[]");
	if (!field_writable(f))
		kraw(w, "readOnly", "true");
	if (f->help)
		kstr(w, "description", f->help);
	if (f->label)
		kstr(w, "title", f->label);
	if (f->type == F_LINK || f->type == F_LINKS || f->type == F_REVERSE)
		kstr(w, "x-target", f->target);
	close_(w, '}');
}

/* ---- schemas ---- */

static bool has_writable(const struct resource *r)
{
	for (const struct field *f = r->fields; f->name; f++)
		if (field_writable(f))
			return true;
	return false;
}

/* A record as GET shows it: every key always present, in table order. */
static void record_schema(struct jw *w, const struct resource *r)
{
	key(w, r->model);
	open_(w, '{');
	kstr(w, "type", "object");
	if (r->doc)
		kstr(w, "description", r->doc);
	key(w, "properties");
	open_(w, '{');
	key(w, "url");
	open_(w, '{');
	kstr(w, "type", "string");
	kstr(w, "format", "uri");
	kraw(w, "readOnly", "true");
	kstr(w, "description",
	     "The address of this record; its last number is the id.");
	close_(w, '}');
	for (const struct field *f = r->fields; f->name; f++) {
		key(w, f->name);
		field_schema(w, f, false);
	}
	close_(w, '}');
	key(w, "required");
	open_(w, '[');
	str(w, "url");
	for (const struct field *f = r->fields; f->name; f++)
		str(w, f->name);
	close_(w, ']');
	kraw(w, "additionalProperties", "false");
	close_(w, '}');
}

/* A request body: the writable fields. Which are required depends on the
 * verb (operation bodies add their "required"). */
static void write_schema(struct jw *w, const struct resource *r)
{
	key(w, arena_printf(w->b->a, "%sWrite", r->model));
	open_(w, '{');
	kstr(w, "type", "object");
	kstr(w, "description",
	     "The writable fields. Unknown keys and read-only fields are "
	     "ignored; text is trimmed of surrounding white space; links are "
	     "record addresses (only their path is read).");
	key(w, "properties");
	open_(w, '{');
	for (const struct field *f = r->fields; f->name; f++)
		if (field_writable(f)) {
			key(w, f->name);
			field_schema(w, f, true);
		}
	close_(w, '}');
	close_(w, '}');
}

/* A page of a list, as src/list.c writes it. */
static void list_schema(struct jw *w, const struct resource *r)
{
	key(w, arena_printf(w->b->a, "%sList", r->model));
	open_(w, '{');
	kstr(w, "type", "object");
	kstr(w, "description",
	     "One page of matching records, newest first unless ordered. "
	     "next and previous carry the same query with a cursor.");
	key(w, "properties");
	open_(w, '{');
	key(w, "count");
	open_(w, '{');
	kstr(w, "type", "integer");
	kraw(w, "minimum", "0");
	kstr(w, "description", "How many records match in all.");
	close_(w, '}');
	const char *edge[] = {"next", "previous"};
	for (int i = 0; i < 2; i++) {
		key(w, edge[i]);
		open_(w, '{');
		key(w, "type");
		open_(w, '[');
		str(w, "string");
		str(w, "null");
		close_(w, ']');
		kstr(w, "format", "uri");
		close_(w, '}');
	}
	key(w, "results");
	open_(w, '{');
	kstr(w, "type", "array");
	key(w, "items");
	ref(w, "schemas", r->model);
	close_(w, '}');
	close_(w, '}');
	key(w, "required");
	open_(w, '[');
	str(w, "count");
	str(w, "next");
	str(w, "previous");
	str(w, "results");
	close_(w, ']');
	kraw(w, "additionalProperties", "false");
	close_(w, '}');
}

/* The shapes every answer outside the table shares. */
static const char common_schemas[] =
    "\"Detail\":{\"type\":\"object\",\"description\":\"An error, or a "
    "message.\",\"properties\":{\"detail\":{\"type\":\"string\"}},"
    "\"required\":[\"detail\"],\"additionalProperties\":false},"
    "\"FieldErrors\":{\"type\":\"object\",\"description\":\"Each bad "
    "field (or non_field_errors, for rules over several fields) with its "
    "messages.\",\"minProperties\":1,\"additionalProperties\":{\"type\":"
    "\"array\",\"items\":{\"type\":\"string\"}}},"
    "\"Metadata\":{\"type\":\"object\",\"description\":\"What OPTIONS "
    "answers: the view's name and documentation, the media it renders "
    "and parses, the filters, and for a caller with a token the fields "
    "it may write.\",\"properties\":{\"name\":{\"type\":\"string\"},"
    "\"description\":{\"type\":\"string\"},\"renders\":{\"type\":\"array\","
    "\"items\":{\"type\":\"string\"}},\"parses\":{\"type\":\"array\","
    "\"items\":{\"type\":\"string\"}},\"actions\":{\"type\":\"object\","
    "\"additionalProperties\":{\"type\":\"object\",\"additionalProperties\":"
    "{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\"},"
    "\"required\":{\"type\":\"boolean\"},\"read_only\":{\"type\":"
    "\"boolean\"},\"label\":{\"type\":\"string\"},\"max_length\":{\"type\":"
    "\"integer\"},\"min_value\":{\"type\":\"integer\"},\"max_value\":"
    "{\"type\":\"integer\"}},\"required\":[\"type\",\"required\","
    "\"read_only\",\"label\"]}}},\"filter_fields\":{\"type\":\"array\","
    "\"items\":{\"type\":\"string\"}}},\"required\":[\"name\","
    "\"description\",\"renders\",\"parses\"]}";

/* Error answers by status, shared by the operations. */
static const char common_responses[] =
    "\"BadRequest\":{\"description\":\"A bad body, filter or query "
    "argument.\",\"content\":{\"application/json\":{\"schema\":{\"anyOf\":"
    "[{\"$ref\":\"#/components/schemas/FieldErrors\"},{\"$ref\":"
    "\"#/components/schemas/Detail\"}]}}}},"
    "\"Forbidden\":{\"description\":\"No token where one is needed, or a "
    "token that is not valid.\",\"content\":{\"application/json\":"
    "{\"schema\":{\"$ref\":\"#/components/schemas/Detail\"}}}},"
    "\"NotFound\":{\"description\":\"No such record, an unknown format or "
    "an invalid cursor.\",\"content\":{\"application/json\":{\"schema\":"
    "{\"$ref\":\"#/components/schemas/Detail\"}}}},"
    "\"NotAcceptable\":{\"description\":\"An Accept header or version "
    "this API cannot answer.\",\"content\":{\"application/json\":"
    "{\"schema\":{\"$ref\":\"#/components/schemas/Detail\"}}}},"
    "\"Conflict\":{\"description\":\"The record breaks a uniqueness rule: "
    "it exists already, look it up with the filters.\",\"content\":"
    "{\"application/json\":{\"schema\":{\"$ref\":"
    "\"#/components/schemas/Detail\"}}}},"
    "\"UnsupportedMediaType\":{\"description\":\"A body that is neither "
    "JSON nor a form.\",\"content\":{\"application/json\":{\"schema\":"
    "{\"$ref\":\"#/components/schemas/Detail\"}}}},"
    "\"Unavailable\":{\"description\":\"The database cannot be "
    "reached (503), or failed (500).\",\"content\":{\"application/json\":"
    "{\"schema\":{\"$ref\":\"#/components/schemas/Detail\"}}}},"
    "\"Options\":{\"description\":\"The view's metadata.\",\"content\":"
    "{\"application/json\":{\"schema\":{\"$ref\":"
    "\"#/components/schemas/Metadata\"}}}}";

static const char common_parameters[] =
    "\"cursor\":{\"name\":\"cursor\",\"in\":\"query\",\"description\":"
    "\"Where a page starts: taken from next or previous, never made "
    "up.\",\"schema\":{\"type\":\"string\"}},"
    "\"format\":{\"name\":\"format\",\"in\":\"query\",\"description\":"
    "\"json for JSON, api for the browsable HTML page; links in the "
    "answer carry it too.\",\"schema\":{\"type\":\"string\",\"enum\":"
    "[\"json\",\"api\"]}},"
    "\"ordering\":{\"name\":\"ordering\",\"in\":\"query\",\"description\":"
    "\"Comma-separated field names to sort by, - first for descending; "
    "unknown names are ignored.\",\"schema\":{\"type\":\"string\"}},"
    "\"page_size\":{\"name\":\"page_size\",\"in\":\"query\","
    "\"description\":\"Records per page (default 100, at most 1000).\","
    "\"schema\":{\"type\":\"integer\",\"minimum\":1}},"
    "\"id\":{\"name\":\"id\",\"in\":\"path\",\"required\":true,"
    "\"description\":\"The record's id.\",\"schema\":{\"type\":"
    "\"integer\",\"minimum\":1}}";

/* ---- paths ---- */

static void response_ref(struct jw *w, const char *status, const char *name)
{
	key(w, status);
	ref(w, "responses", name);
}

static void json_response(struct jw *w, const char *status, const char *what,
                          const char *schema)
{
	key(w, status);
	open_(w, '{');
	kstr(w, "description", what);
	key(w, "content");
	open_(w, '{');
	key(w, "application/json");
	open_(w, '{');
	key(w, "schema");
	ref(w, "schemas", schema);
	close_(w, '}');
	close_(w, '}');
	close_(w, '}');
}

/* Reading is open unless the resource says otherwise; writing needs a
 * token. */
static void security(struct jw *w, bool needed)
{
	key(w, "security");
	open_(w, '[');
	if (!needed) {
		open_(w, '{');
		close_(w, '}');
	}
	open_(w, '{');
	key(w, "tokenAuth");
	open_(w, '[');
	close_(w, ']');
	close_(w, '}');
	close_(w, ']');
}

/* One query argument of r's list: a field that filters, or a name the
 * reference accepts without filtering by it. */
static void filter_parameter(struct jw *w, const struct resource *r,
                             const char *name)
{
	const struct field *f = field_find(r, name);
	bool filters = f && filter_applies(r, f);
	open_(w, '{');
	kstr(w, "name", name);
	kstr(w, "in", "query");
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
	kstr(w, "description",
	     f && f->help && filters
	         ? arena_printf(w->b->a, "%s %s", f->help, how)
	         : how);
	key(w, "schema");
	open_(w, '{');
	if (filters &&
	    (f->type == F_LINK || f->type == F_LINKS || f->type == F_INT))
		kstr(w, "type", "integer");
	else if (filters && f->type == F_BOOL)
		kstr(w, "type", "boolean");
	else
		kstr(w, "type", "string");
	if (filters && schema_format(f) && f->type != F_LINK)
		kstr(w, "format", schema_format(f));
	close_(w, '}');
	if (filters && f->type == F_LINKS) {
		kstr(w, "style", "form");
		kraw(w, "explode", "true");
	}
	close_(w, '}');
}

static void list_parameters(struct jw *w, const struct resource *r)
{
	key(w, "parameters");
	open_(w, '[');
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
		ref(w, "parameters", arena_strndup(w->b->a, p, n));
		p += n + (p[n] == ',');
	}
	close_(w, ']');
}

enum body_kind { B_POST, B_PUT, B_PATCH };

static void body(struct jw *w, const struct resource *r, enum body_kind kind)
{
	key(w, "requestBody");
	open_(w, '{');
	kraw(w, "required", "true");
	key(w, "content");
	open_(w, '{');
	const char *media[] = {"application/json",
	                       "application/x-www-form-urlencoded"};
	for (int m = 0; m < 2; m++) {
		key(w, media[m]);
		open_(w, '{');
		key(w, "schema");
		open_(w, '{');
		key(w, "allOf");
		open_(w, '[');
		ref(w, "schemas", arena_printf(w->b->a, "%sWrite", r->model));
		close_(w, ']');
		/* POST fills in what has a default; PUT sends every required
		 * field; PATCH only what it changes */
		if (kind != B_PATCH) {
			key(w, "required");
			open_(w, '[');
			for (const struct field *f = r->fields; f->name; f++)
				if (field_writable(f) && f->required &&
				    (kind == B_PUT || !f->def))
					str(w, f->name);
			close_(w, ']');
		}
		close_(w, '}');
		close_(w, '}');
	}
	close_(w, '}');
	close_(w, '}');
}

static void operation(struct jw *w, const struct resource *r,
                      const char *method, const char *summary)
{
	key(w, method);
	open_(w, '{');
	kstr(w, "operationId",
	     arena_printf(w->b->a, "%s_%s", r->name, summary));
	key(w, "tags");
	open_(w, '[');
	str(w, r->name);
	close_(w, ']');
}

static void list_path(struct jw *w, const struct resource *r)
{
	key(w, arena_printf(w->b->a, "/api/%s/", r->name));
	open_(w, '{');
	for (int head = 0; head < 2; head++) {
		operation(w, r, head ? "head" : "get", head ? "head" : "list");
		kstr(w, "summary", arena_printf(w->b->a, "%s List", r->title));
		list_parameters(w, r);
		security(w, r->auth_read);
		key(w, "responses");
		open_(w, '{');
		json_response(w, "200", "A page of records.",
		              arena_printf(w->b->a, "%sList", r->model));
		response_ref(w, "400", "BadRequest");
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "406", "NotAcceptable");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		close_(w, '}');
		close_(w, '}');
	}
	if (r->verbs & V_POST) {
		operation(w, r, "post", "create");
		kstr(w, "summary",
		     arena_printf(w->b->a, "Create a %s", r->title));
		body(w, r, B_POST);
		security(w, true);
		key(w, "responses");
		open_(w, '{');
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
		close_(w, '}');
		close_(w, '}');
	}
	operation(w, r, "options", "list_options");
	security(w, r->auth_read);
	key(w, "responses");
	open_(w, '{');
	response_ref(w, "200", "Options");
	response_ref(w, "403", "Forbidden");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	close_(w, '}');
	close_(w, '}');
	close_(w, '}');
}

static void detail_path(struct jw *w, const struct resource *r)
{
	key(w, arena_printf(w->b->a, "/api/%s/{id}/", r->name));
	open_(w, '{');
	key(w, "parameters");
	open_(w, '[');
	ref(w, "parameters", "id");
	ref(w, "parameters", "format");
	close_(w, ']');
	for (int head = 0; head < 2; head++) {
		operation(w, r, head ? "head" : "get",
		          head ? "head_one" : "read");
		kstr(w, "summary",
		     arena_printf(w->b->a, "%s Instance", r->title));
		security(w, r->auth_read);
		key(w, "responses");
		open_(w, '{');
		json_response(w, "200", "The record.", r->model);
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "406", "NotAcceptable");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		close_(w, '}');
		close_(w, '}');
	}
	if (r->verbs & V_PUT) {
		for (int patch = 0; patch < 2; patch++) {
			operation(w, r, patch ? "patch" : "put",
			          patch ? "patch" : "update");
			kstr(w, "summary",
			     patch ? "Change some fields"
			           : "Replace the record's fields");
			body(w, r, patch ? B_PATCH : B_PUT);
			security(w, true);
			key(w, "responses");
			open_(w, '{');
			json_response(w, "200", "The updated record.",
			              r->model);
			response_ref(w, "400", "BadRequest");
			response_ref(w, "403", "Forbidden");
			response_ref(w, "404", "NotFound");
			response_ref(w, "415", "UnsupportedMediaType");
			response_ref(w, "500", "Unavailable");
			response_ref(w, "503", "Unavailable");
			close_(w, '}');
			close_(w, '}');
		}
	}
	if (r->verbs & V_DELETE) {
		operation(w, r, "delete", "delete");
		kstr(w, "summary", "Remove the record");
		security(w, true);
		key(w, "responses");
		open_(w, '{');
		key(w, "204");
		open_(w, '{');
		kstr(w, "description", "Removed.");
		close_(w, '}');
		response_ref(w, "403", "Forbidden");
		response_ref(w, "404", "NotFound");
		response_ref(w, "500", "Unavailable");
		response_ref(w, "503", "Unavailable");
		close_(w, '}');
		close_(w, '}');
	}
	operation(w, r, "options", "options");
	security(w, r->auth_read);
	key(w, "responses");
	open_(w, '{');
	response_ref(w, "200", "Options");
	response_ref(w, "403", "Forbidden");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	close_(w, '}');
	close_(w, '}');
	close_(w, '}');
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
	key(w, o->path);
	open_(w, '{');
	if (o->id || strstr(o->path, "{sha1}")) {
		key(w, "parameters");
		open_(w, '[');
		if (o->id) {
			ref(w, "parameters", "id");
		} else {
			buf_puts(w->b,
			         "{\"name\":\"sha1\",\"in\":\"path\","
			         "\"required\":true,\"schema\":{\"type\":"
			         "\"string\",\"pattern\":\"^[0-9a-f]{40}$\"}"
			         "}");
			w->first[w->depth - 1] = false;
		}
		close_(w, ']');
	}
	key(w, o->method);
	open_(w, '{');
	kstr(w, "summary", o->summary);
	security(w, o->token);
	key(w, "responses");
	open_(w, '{');
	key(w, "200");
	open_(w, '{');
	kstr(w, "description", o->summary);
	key(w, "content");
	open_(w, '{');
	key(w, o->media);
	open_(w, '{');
	if (o->schema)
		kraw(w, "schema", o->schema);
	close_(w, '}');
	close_(w, '}');
	close_(w, '}');
	response_ref(w, "403", "Forbidden");
	response_ref(w, "404", "NotFound");
	response_ref(w, "500", "Unavailable");
	response_ref(w, "503", "Unavailable");
	close_(w, '}');
	close_(w, '}');
	close_(w, '}');
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
	open_(&w, '{');
	kstr(&w, "openapi", "3.1.0");
	key(&w, "info");
	open_(&w, '{');
	kstr(&w, "title", "FAIR Data Registry API");
	kstr(&w, "version", "1.0.0");
	kstr(&w, "description", info_text);
	close_(&w, '}');
	if (rq->root && *rq->root) {
		key(&w, "servers");
		open_(&w, '[');
		open_(&w, '{');
		kstr(&w, "url", rq->root);
		close_(&w, '}');
		close_(&w, ']');
	}
	key(&w, "tags");
	open_(&w, '[');
	for (int i = 0; i < n_resources; i++) {
		open_(&w, '{');
		kstr(&w, "name", resources[i].name);
		kstr(&w, "description", resource_doc(&resources[i]));
		close_(&w, '}');
	}
	close_(&w, ']');

	key(&w, "paths");
	open_(&w, '{');
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
		other_path(&w, &others[i]);
	for (int i = 0; i < n_resources; i++) {
		list_path(&w, &resources[i]);
		detail_path(&w, &resources[i]);
	}
	close_(&w, '}');

	key(&w, "components");
	open_(&w, '{');
	key(&w, "securitySchemes");
	raw(&w, "{\"tokenAuth\":{\"type\":\"apiKey\",\"in\":\"header\","
	        "\"name\":\"Authorization\",\"description\":\"The word token, "
	        "a space and the key: `Authorization: token <key>` (the "
	        "word in any case). A wrong key is refused with 403 even "
	        "where none is needed.\"}}");
	key(&w, "parameters");
	raw(&w, arena_printf(rq->a, "{%s}", common_parameters));
	key(&w, "responses");
	raw(&w, arena_printf(rq->a, "{%s}", common_responses));
	key(&w, "schemas");
	open_(&w, '{');
	for (int i = 0; i < n_resources; i++) {
		record_schema(&w, &resources[i]);
		list_schema(&w, &resources[i]);
		if (has_writable(&resources[i]))
			write_schema(&w, &resources[i]);
	}
	sep(&w);
	buf_puts(&b, common_schemas);
	close_(&w, '}');
	close_(&w, '}');
	close_(&w, '}');
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
