/* validate.c - request bodies: JSON or form-encoded, checked field by field
 * against the resource table, with every failing field reported at once in
 * the reference's wording. */
#include "validate.h"
#include "link.h"
#include "values.h"

#include <ctype.h>
#include <openssl/sha.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

bool field_writable(const struct field *f)
{
	return !f->read_only && f->aut == A_NONE && f->type != F_REVERSE &&
	       f->type != F_HREF && !f->copy_link;
}

static bool media_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && !strncasecmp(ct, want, n) &&
	       (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

static struct json_object *form_body(struct request *rq)
{
	struct query q;
	char *text = arena_strndup(rq->a, rq->body, rq->body_len);
	if (query_parse(rq->a, text, &q) < 0) {
		resp_detail(rq, 400, "Too many form fields.");
		return NULL;
	}
	struct json_object *o = json_object_new_object();
	for (int i = 0; i < q.n; i++) {
		struct json_object *old = NULL;
		struct json_object *v = json_object_new_string(q.v[i].val);
		/* a repeated key is a list, as for many-to-many fields */
		if (json_object_object_get_ex(o, q.v[i].key, &old)) {
			if (!json_object_is_type(old, json_type_array)) {
				struct json_object *l =
					json_object_new_array();
				json_object_array_add(l, json_object_get(old));
				json_object_object_add(o, q.v[i].key, l);
				old = l;
			}
			json_object_array_add(old, v);
		} else {
			json_object_object_add(o, q.v[i].key, v);
		}
	}
	return o;
}

struct json_object *parse_body(struct request *rq)
{
	const char *ct = rq->content_type;
	if (rq->body_len == 0)
		return json_object_new_object();
	if (media_is(ct, "application/x-www-form-urlencoded"))
		return form_body(rq);
	if (!media_is(ct, "application/json")) {
		resp_detail(rq, 415,
			    arena_printf(rq->a,
					 "Unsupported media type \"%s\" in "
					 "request.",
					 ct ? ct : ""));
		return NULL;
	}
	struct json_tokener *tok = json_tokener_new_ex(64);
	struct json_object *o =
		json_tokener_parse_ex(tok, rq->body, (int)rq->body_len);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_success) {
		while (end < rq->body_len && isspace((unsigned char)rq->body[end]))
			end++;
		if (end < rq->body_len)
			e = json_tokener_error_parse_unexpected;
	} else if (e == json_tokener_continue) {
		e = json_tokener_error_parse_eof;
	}
	if (e != json_tokener_success) {
		if (o)
			json_object_put(o);
		resp_detail(rq, 400,
			    arena_printf(rq->a, "JSON parse error - %s",
					 json_tokener_error_desc(e)));
		return NULL;
	}
	if (!o) { /* the JSON text "null" */
		struct json_object *err = json_object_new_object();
		struct json_object *l = json_object_new_array();
		json_object_array_add(l,
				      json_object_new_string("No data provided"));
		json_object_object_add(err, "non_field_errors", l);
		resp_json(rq, 400, err);
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		const char *t = json_object_is_type(o, json_type_array) ? "list"
				: json_object_is_type(o, json_type_string)
					? "str"
				: json_object_is_type(o, json_type_null)
					? "NoneType"
				: json_object_is_type(o, json_type_boolean)
					? "bool"
				: json_object_is_type(o, json_type_double)
					? "float"
					: "int";
		json_object_put(o);
		struct json_object *err = json_object_new_object();
		struct json_object *l = json_object_new_array();
		json_object_array_add(
			l, json_object_new_string(arena_printf(
				   rq->a,
				   "Invalid data. Expected a dictionary, but "
				   "got %s.",
				   t)));
		json_object_object_add(err, "non_field_errors", l);
		resp_json(rq, 400, err);
		return NULL;
	}
	return o;
}

static const char *py_type(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_boolean:
		return "bool";
	case json_type_double:
		return "float";
	case json_type_int:
		return "int";
	case json_type_array:
		return "list";
	case json_type_object:
		return "dict";
	case json_type_null:
		return "NoneType";
	default:
		return "str";
	}
}

/* Text as a CharField sees it: strings and numbers, trimmed. */
static const char *as_text(struct request *rq, struct json_object *v)
{
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t n = strlen(s);
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		while (n && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		return arena_strndup(rq->a, s, n);
	}
	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double))
		return arena_strdup(rq->a, json_object_get_string(v));
	return NULL;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

char *uuid_from_identifier(struct arena *a, const char *identifier)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256((const unsigned char *)identifier, strlen(identifier), md);
	char hex[65], pick[33];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	for (int i = 0; i < 32; i++)
		pick[i] = hex[2 * i];
	pick[32] = 0;
	return arena_printf(a, "%.8s-%.4s-%.4s-%.4s-%.12s", pick, pick + 8,
			    pick + 12, pick + 16, pick + 20);
}

static const char *link_error(enum link_err e)
{
	switch (e) {
	case LINK_NO_MATCH:
		return "Invalid hyperlink - No URL match.";
	case LINK_WRONG_MATCH:
		return "Invalid hyperlink - Incorrect URL match.";
	default:
		return "Invalid hyperlink - Object does not exist.";
	}
}

/* One field's value; returns an error message or NULL. */
static const char *check_value(struct request *rq, const struct field *f,
			       struct json_object *v, const char **text)
{
	const char *s;
	long long id;
	switch (f->type) {
	case F_LINK: {
		if (!json_object_is_type(v, json_type_string))
			return arena_printf(rq->a,
					    "Incorrect type. Expected URL "
					    "string, received %s.",
					    py_type(v));
		enum link_err e =
			link_parse(json_object_get_string(v), f->target, &id);
		if (e != LINK_OK)
			return link_error(e);
		*text = arena_printf(rq->a, "%lld", id);
		return NULL;
	}
	case F_LINKS: {
		if (!json_object_is_type(v, json_type_array))
			return arena_printf(rq->a,
					    "Expected a list of items but got "
					    "type \"%s\".",
					    py_type(v));
		struct buf b;
		buf_init(&b, rq->a);
		buf_putc(&b, '{');
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++) {
			struct json_object *e = json_object_array_get_idx(v, i);
			if (!json_object_is_type(e, json_type_string))
				return arena_printf(rq->a,
						    "Incorrect type. Expected "
						    "URL string, received %s.",
						    py_type(e));
			enum link_err le = link_parse(json_object_get_string(e),
						      f->target, &id);
			if (le != LINK_OK)
				return link_error(le);
			buf_printf(&b, "%s%lld", i ? "," : "", id);
		}
		buf_putc(&b, '}');
		*text = b.p;
		return NULL;
	}
	case F_BOOL: {
		int bv = -1;
		if (json_object_is_type(v, json_type_boolean))
			bv = json_object_get_boolean(v);
		else if ((s = as_text(rq, v)))
			bv = parse_bool(s);
		if (bv < 0)
			return "Must be a valid boolean.";
		*text = bv ? "true" : "false";
		return NULL;
	}
	case F_INT: {
		s = json_object_is_type(v, json_type_boolean) ? NULL
							      : as_text(rq, v);
		char *end;
		long long n = s ? strtoll(s, &end, 10) : 0;
		if (!s || !*s || *end || n > 2147483647LL ||
		    n < -2147483648LL)
			return "A valid integer is required.";
		if (n < f->min_value)
			return arena_printf(rq->a,
					    "Ensure this value is greater than "
					    "or equal to %d.",
					    f->min_value);
		if (f->max_value && n > f->max_value)
			return arena_printf(rq->a,
					    "Ensure this value is less than or "
					    "equal to %d.",
					    f->max_value);
		*text = arena_printf(rq->a, "%lld", n);
		return NULL;
	}
	case F_UUID:
		s = json_object_is_type(v, json_type_string)
			    ? parse_uuid(rq->a, as_text(rq, v))
			    : NULL;
		if (!s)
			return "Must be a valid UUID.";
		*text = s;
		return NULL;
	case F_DATETIME:
		s = json_object_is_type(v, json_type_string)
			    ? parse_datetime(rq->a, as_text(rq, v))
			    : NULL;
		if (!s)
			return "Datetime has wrong format. Use one of these "
			       "formats instead: "
			       "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";
		*text = s;
		return NULL;
	default:
		break;
	}
	/* text-like: text, name, version, url */
	s = as_text(rq, v);
	if (!s)
		return "Not a valid string.";
	if (!*s && !f->blank)
		return "This field may not be blank.";
	if (!*s) {
		*text = s;
		return NULL;
	}
	if (f->max_len && utf8_len(s) > (size_t)f->max_len)
		return arena_printf(rq->a,
				    "Ensure this field has no more than %d "
				    "characters.",
				    f->max_len);
	if (f->type == F_NAME && !is_name(s))
		return arena_printf(rq->a,
				    "Name %s contains invalid characters "
				    "([]?*).",
				    s);
	if (f->type == F_VERSION && !is_semver(s))
		return arena_printf(rq->a,
				    "Version %s is not a valid semantic "
				    "version.",
				    s);
	if (f->type == F_URL && !is_url(s))
		return "Enter a valid URL.";
	*text = s;
	return NULL;
}

static void add_error(struct json_object *errs, const char *field,
		      const char *msg)
{
	struct json_object *l = json_object_new_array();
	json_object_array_add(l, json_object_new_string(msg));
	json_object_object_add(errs, field, l);
}

int validate_body(struct request *rq, const struct resource *r, bool partial,
		  struct wval *out)
{
	struct json_object *body = parse_body(rq);
	if (!body)
		return -1;
	struct json_object *errs = json_object_new_object();
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		out[i] = (struct wval){0};
		if (!field_writable(f))
			continue;
		struct json_object *v = NULL;
		bool present = json_object_object_get_ex(body, f->name, &v);
		/* a form sends text: an empty value there means absent */
		if (!present) {
			if (partial)
				continue;
			if (f->def) {
				out[i] = (struct wval){true, f->def};
			} else if (f->required) {
				add_error(errs, f->name,
					  "This field is required.");
			} else if (f->type == F_LINKS) {
				out[i] = (struct wval){true, "{}"};
			} else if (f->type == F_UUID) {
				out[i].given = true; /* filled below */
			}
			continue;
		}
		/* an empty link means none, as the reference reads it */
		if (v && f->type == F_LINK &&
		    json_object_is_type(v, json_type_string) &&
		    !*json_object_get_string(v))
			v = NULL;
		if (!v) { /* JSON null */
			if (f->required || f->type == F_LINKS ||
			    f->type == F_BOOL)
				add_error(errs, f->name,
					  "This field may not be null.");
			else
				out[i] = (struct wval){true, NULL};
			continue;
		}
		const char *text = NULL;
		const char *msg = check_value(rq, f, v, &text);
		if (msg)
			add_error(errs, f->name, msg);
		else
			out[i] = (struct wval){true, text};
	}
	/* uuids: derived from another field when that is given, else made
	 * fresh when the client gave none */
	i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		if (f->type != F_UUID)
			continue;
		const struct field *src = f->uuid_from
						  ? field_find(r, f->uuid_from)
						  : NULL;
		const char *from = src ? out[src - r->fields].text : NULL;
		if (from && *from) {
			out[i] = (struct wval){
				true, uuid_from_identifier(rq->a, from)};
		} else if (out[i].given && !out[i].text) {
			uuid_t u;
			char s[37];
			uuid_generate_random(u);
			uuid_unparse_lower(u, s);
			out[i].text = arena_strdup(rq->a, s);
		}
	}
	json_object_put(body);
	if (json_object_object_length(errs)) {
		resp_json(rq, 400, errs);
		return -1;
	}
	json_object_put(errs);
	return 0;
}
