/* openapi_schema.c - the schemas of the OpenAPI document: one per field
 * of the resource table (type, format, bounds, flags, help), and from
 * them each resource's record, list page and request body, with the
 * shapes shared by every answer. src/openapi.c writes the paths that
 * refer to them. */
#include "openapi_parts.h"
#include "validate.h"

#include <string.h>

void openapi_ref(struct jw *w, const char *kind, const char *name)
{
	jw_open(w, '{');
	jw_key(w, "$ref");
	jw_sep(w);
	buf_printf(w->b, "\"#/components/%s/%s\"", kind, name);
	jw_close(w, '}');
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

const char *openapi_format(const struct field *f)
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
	jw_key(w, "type");
	if (!null) {
		jw_str(w, schema_type(f));
		return;
	}
	jw_open(w, '[');
	jw_str(w, schema_type(f));
	jw_str(w, "null");
	jw_close(w, ']');
}

/* One field's schema; write: as a request body sends it. */
static void field_schema(struct jw *w, const struct field *f, bool write)
{
	jw_open(w, '{');
	type_of(w, f, nullable(f));
	const char *fmt = openapi_format(f);
	if (fmt)
		jw_kstr(w, "format", fmt);
	if (!strcmp(schema_type(f), "array")) {
		jw_key(w, "items");
		jw_open(w, '{');
		jw_kstr(w, "type", "string");
		if (f->type != F_STRINGS)
			jw_kstr(w, "format", "uri");
		jw_close(w, '}');
	}
	if (f->max_len) {
		jw_key(w, "maxLength");
		jw_num(w, f->max_len);
	}
	if (write && !f->blank &&
	    (f->type == F_TEXT || f->type == F_NAME || f->type == F_VERSION ||
	     f->type == F_URL)) {
		jw_key(w, "minLength");
		jw_num(w, 1);
	}
	if (f->type == F_NAME)
		jw_kstr(w, "pattern", "^[^\\[\\]?*]*$");
	if (f->type == F_INT) {
		jw_key(w, "minimum");
		jw_num(w, f->min_value);
		if (f->max_value) {
			jw_key(w, "maximum");
			jw_num(w, f->max_value);
		}
	}
	if (f->def && f->type != F_LINKS)
		jw_kraw(w, "default", f->def);
	else if (f->def)
		jw_kraw(w, "default", "[]");
	if (!field_writable(f))
		jw_kraw(w, "readOnly", "true");
	if (f->help)
		jw_kstr(w, "description", f->help);
	if (f->label)
		jw_kstr(w, "title", f->label);
	if (f->type == F_LINK || f->type == F_LINKS || f->type == F_REVERSE)
		jw_kstr(w, "x-target", f->target);
	jw_close(w, '}');
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
	jw_key(w, r->model);
	jw_open(w, '{');
	jw_kstr(w, "type", "object");
	if (r->doc)
		jw_kstr(w, "description", r->doc);
	jw_key(w, "properties");
	jw_open(w, '{');
	jw_key(w, "url");
	jw_open(w, '{');
	jw_kstr(w, "type", "string");
	jw_kstr(w, "format", "uri");
	jw_kraw(w, "readOnly", "true");
	jw_kstr(w, "description",
	        "The address of this record; its last number is the id.");
	jw_close(w, '}');
	for (const struct field *f = r->fields; f->name; f++) {
		jw_key(w, f->name);
		field_schema(w, f, false);
	}
	jw_close(w, '}');
	jw_key(w, "required");
	jw_open(w, '[');
	jw_str(w, "url");
	for (const struct field *f = r->fields; f->name; f++)
		jw_str(w, f->name);
	jw_close(w, ']');
	jw_kraw(w, "additionalProperties", "false");
	jw_close(w, '}');
}

/* A request body: the writable fields. Which are required depends on the
 * verb (operation bodies add their "required"). */
static void write_schema(struct jw *w, const struct resource *r)
{
	jw_key(w, arena_printf(w->b->a, "%sWrite", r->model));
	jw_open(w, '{');
	jw_kstr(w, "type", "object");
	jw_kstr(
	    w, "description",
	    "The writable fields. Unknown keys and read-only fields are "
	    "ignored; text is trimmed of surrounding white space; links are "
	    "record addresses (only their path is read).");
	jw_key(w, "properties");
	jw_open(w, '{');
	for (const struct field *f = r->fields; f->name; f++)
		if (field_writable(f)) {
			jw_key(w, f->name);
			field_schema(w, f, true);
		}
	jw_close(w, '}');
	jw_close(w, '}');
}

/* A page of a list, as src/list.c writes it. */
static void list_schema(struct jw *w, const struct resource *r)
{
	jw_key(w, arena_printf(w->b->a, "%sList", r->model));
	jw_open(w, '{');
	jw_kstr(w, "type", "object");
	jw_kstr(w, "description",
	        "One page of matching records, newest first unless ordered. "
	        "next and previous carry the same query with a cursor.");
	jw_key(w, "properties");
	jw_open(w, '{');
	jw_key(w, "count");
	jw_open(w, '{');
	jw_kstr(w, "type", "integer");
	jw_kraw(w, "minimum", "0");
	jw_kstr(w, "description", "How many records match in all.");
	jw_close(w, '}');
	const char *edge[] = {"next", "previous"};
	for (int i = 0; i < 2; i++) {
		jw_key(w, edge[i]);
		jw_open(w, '{');
		jw_key(w, "type");
		jw_open(w, '[');
		jw_str(w, "string");
		jw_str(w, "null");
		jw_close(w, ']');
		jw_kstr(w, "format", "uri");
		jw_close(w, '}');
	}
	jw_key(w, "results");
	jw_open(w, '{');
	jw_kstr(w, "type", "array");
	jw_key(w, "items");
	openapi_ref(w, "schemas", r->model);
	jw_close(w, '}');
	jw_close(w, '}');
	jw_key(w, "required");
	jw_open(w, '[');
	jw_str(w, "count");
	jw_str(w, "next");
	jw_str(w, "previous");
	jw_str(w, "results");
	jw_close(w, ']');
	jw_kraw(w, "additionalProperties", "false");
	jw_close(w, '}');
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

/* The components every path refers to: the token scheme, the shared
 * parameters and error answers, and each resource's record, list page
 * and request body. */
void openapi_components(struct jw *w)
{
	jw_key(w, "components");
	jw_open(w, '{');
	jw_key(w, "securitySchemes");
	jw_raw(w,
	       "{\"tokenAuth\":{\"type\":\"apiKey\",\"in\":\"header\","
	       "\"name\":\"Authorization\",\"description\":\"The word token, "
	       "a space and the key: `Authorization: token <key>` (the "
	       "word in any case). A wrong key is refused with 403 even "
	       "where none is needed.\"}}");
	jw_key(w, "parameters");
	jw_raw(w, arena_printf(w->b->a, "{%s}", common_parameters));
	jw_key(w, "responses");
	jw_raw(w, arena_printf(w->b->a, "{%s}", common_responses));
	jw_key(w, "schemas");
	jw_open(w, '{');
	for (int i = 0; i < n_resources; i++) {
		record_schema(w, &resources[i]);
		list_schema(w, &resources[i]);
		if (has_writable(&resources[i]))
			write_schema(w, &resources[i]);
	}
	jw_sep(w);
	buf_puts(w->b, common_schemas);
	jw_close(w, '}');
	jw_close(w, '}');
}
