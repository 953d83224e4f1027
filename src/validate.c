/* validate.c - request bodies: JSON or form-encoded, checked field by field
 * against the resource table, with every failing field reported at once in
 * the reference's wording. */
#include "validate.h"
#include "digest.h"
#include "link.h"
#include "values.h"

#include <ctype.h>
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
				struct json_object *l = json_object_new_array();
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

static void non_field_error(struct request *rq, const char *msg)
{
	resp_field_error(rq, "non_field_errors", msg);
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

static struct json_object *json_body(struct request *rq)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	/* the body's terminating NUL ends a top-level scalar ("null", "5"),
	 * which json-c would otherwise wait for more of */
	struct json_object *o =
	    json_tokener_parse_ex(tok, rq->body, (int)rq->body_len + 1);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e == json_tokener_success) {
		while (end < rq->body_len &&
		       isspace((unsigned char)rq->body[end]))
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
		non_field_error(rq, "No data provided");
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		const char *t = py_type(o);
		json_object_put(o);
		non_field_error(rq, arena_printf(rq->a,
		                                 "Invalid data. Expected a "
		                                 "dictionary, but got %s.",
		                                 t));
		return NULL;
	}
	return o;
}

/* *form tells whether the body was a form, whose fields read differently */
static struct json_object *body_object(struct request *rq, bool *form)
{
	const char *ct = rq->content_type;
	*form = false;
	if (rq->body_len == 0)
		return json_object_new_object();
	if (media_is(ct, "application/x-www-form-urlencoded")) {
		*form = true;
		return form_body(rq);
	}
	if (!media_is(ct, "application/json")) {
		/* the reference's local server calls a body without a type
		 * text/plain */
		ct = ct ? ct : "text/plain";
		resp_detail(rq, 415,
		            arena_printf(rq->a,
		                         "Unsupported media type \"%s\" in "
		                         "request.",
		                         ct));
		return NULL;
	}
	return json_body(rq);
}

struct json_object *parse_body(struct request *rq)
{
	bool form;
	return body_object(rq, &form);
}

/* Text as a CharField sees it: strings and numbers, trimmed. *nul is set
 * when a string holds a NUL character. */
static const char *as_text(struct request *rq, struct json_object *v, bool *nul)
{
	*nul = false;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t n = strlen(s);
		*nul = n != (size_t)json_object_get_string_len(v);
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
	unsigned char md[SHA256_LEN];
	digest_sha256(identifier, strlen(identifier), md);
	char hex[65], pick[33];
	digest_hex(md, sizeof md, hex);
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

/* Every check below appends its messages to msgs (a JSON array) and, when
 * there are none, sets *text to the value as a SQL parameter. */
static void msg(struct json_object *msgs, const char *m)
{
	json_object_array_add(msgs, json_object_new_string(m));
}

/* One hyperlink: the id it names, or NULL with a message. */
static const char *link_id(struct request *rq, const struct field *f,
                           struct json_object *v, struct json_object *msgs)
{
	long long id;
	if (!json_object_is_type(v, json_type_string)) {
		msg(msgs, arena_printf(rq->a,
		                       "Incorrect type. Expected URL string, "
		                       "received %s.",
		                       py_type(v)));
		return NULL;
	}
	enum link_err e = link_parse(json_object_get_string(v), f->target, &id);
	if (e != LINK_OK) {
		msg(msgs, link_error(e));
		return NULL;
	}
	return arena_printf(rq->a, "%lld", id);
}

/* A link, or a list of them as a PostgreSQL array "{1,2}"; only the first
 * bad item is reported, as the reference does. Whether the records exist
 * is the database's to say, when the row is written. */
static void check_links(struct request *rq, const struct field *f,
                        struct json_object *v, const char **text,
                        struct json_object *msgs)
{
	if (f->type == F_LINK) {
		*text = link_id(rq, f, v, msgs);
		return;
	}
	if (!json_object_is_type(v, json_type_array)) {
		msg(msgs, arena_printf(rq->a,
		                       "Expected a list of items but got type "
		                       "\"%s\".",
		                       py_type(v)));
		return;
	}
	struct buf ids;
	buf_init(&ids, rq->a);
	buf_putc(&ids, '{');
	size_t n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		const char *id =
		    link_id(rq, f, json_object_array_get_idx(v, i), msgs);
		if (!id)
			return;
		buf_printf(&ids, "%s%s", i ? "," : "", id);
	}
	buf_putc(&ids, '}');
	*text = ids.p;
}

static void check_bool(struct request *rq, struct json_object *v,
                       const char **text, struct json_object *msgs)
{
	int bv = -1;
	bool nul;
	if (json_object_is_type(v, json_type_boolean))
		bv = json_object_get_boolean(v);
	else if (json_object_is_type(v, json_type_int) ||
	         json_object_is_type(v, json_type_double)) {
		/* Python compares numbers by value: 1.0 is True */
		double d = json_object_get_double(v);
		bv = d == 1 ? 1 : d == 0 ? 0 : -1;
	} else if (json_object_is_type(v, json_type_string))
		bv = parse_bool(as_text(rq, v, &nul));
	if (bv < 0)
		msg(msgs, "Must be a valid boolean.");
	else
		*text = bv ? "true" : "false";
}

/* An integer as Python's int() reads the text, after the reference strips
 * a fraction of zeros ("5.0", "5."). Out-of-range values still get the
 * range messages. */
static void check_int(struct request *rq, const struct field *f,
                      struct json_object *v, const char **text,
                      struct json_object *msgs)
{
	bool nul;
	const char *s = json_object_is_type(v, json_type_boolean)
	                    ? NULL
	                    : as_text(rq, v, &nul);
	if (s && json_object_is_type(v, json_type_string) && strlen(s) > 1000) {
		msg(msgs, "String value too large.");
		return;
	}
	const char *p = s ? s + (*s == '+' || *s == '-') : NULL;
	size_t digits = p ? strspn(p, "0123456789") : 0;
	const char *rest = p ? p + digits : NULL;
	if (rest && *rest == '.')
		rest += 1 + strspn(rest + 1, "0");
	if (!digits || *rest) {
		msg(msgs, "A valid integer is required.");
		return;
	}
	long long n = strtoll(s, NULL, 10); /* saturates when too long */
	if (n < f->min_value)
		msg(msgs, arena_printf(rq->a,
		                       "Ensure this value is greater than or "
		                       "equal to %d.",
		                       f->min_value));
	else if (f->max_value && n > f->max_value)
		msg(msgs, arena_printf(rq->a,
		                       "Ensure this value is less than or "
		                       "equal to %d.",
		                       f->max_value));
	else
		*text = arena_printf(rq->a, "%lld", n);
}

static void check_uuid(struct request *rq, struct json_object *v,
                       const char **text, struct json_object *msgs)
{
	bool nul;
	const char *s = json_object_is_type(v, json_type_string)
	                    ? parse_uuid(rq->a, as_text(rq, v, &nul))
	                    : NULL;
	if (!s)
		msg(msgs, "Must be a valid UUID.");
	else
		*text = s;
}

static void check_datetime(struct request *rq, struct json_object *v,
                           const char **text, struct json_object *msgs)
{
	bool nul;
	const char *s = json_object_is_type(v, json_type_string)
	                    ? parse_datetime(rq->a, as_text(rq, v, &nul))
	                    : NULL;
	if (!s)
		msg(msgs, "Datetime has wrong format. Use one of these formats "
		          "instead: "
		          "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
	else
		*text = s;
}

/* Text, name, version and url fields. Every failing rule reports, in the
 * reference's order: the name or version rule, the length, NUL
 * characters, then the URL rule. */
static void check_text(struct request *rq, const struct field *f,
                       struct json_object *v, const char **text,
                       struct json_object *msgs)
{
	bool nul;
	const char *s = as_text(rq, v, &nul);
	if (!s) {
		msg(msgs, "Not a valid string.");
		return;
	}
	if (!*s && !nul) {
		if (f->blank)
			*text = s;
		else
			msg(msgs, "This field may not be blank.");
		return;
	}
	if (f->type == F_NAME && !is_name(s))
		msg(msgs, arena_printf(rq->a,
		                       "Name %s contains invalid characters "
		                       "([]?*).",
		                       s));
	if (f->type == F_VERSION && !is_semver(s))
		msg(msgs, arena_printf(rq->a,
		                       "Version %s is not a valid semantic "
		                       "version.",
		                       s));
	if (f->max_len && utf8_len(s) > (size_t)f->max_len)
		msg(msgs, arena_printf(rq->a,
		                       "Ensure this field has no more than %d "
		                       "characters.",
		                       f->max_len));
	if (nul)
		msg(msgs, "Null characters are not allowed.");
	if (f->type == F_URL && !is_url(s))
		msg(msgs, "Enter a valid URL.");
	if (!json_object_array_length(msgs))
		*text = s;
}

/* One present, non-null value of a field. */
static void check_value(struct request *rq, const struct field *f,
                        struct json_object *v, const char **text,
                        struct json_object *msgs)
{
	switch (f->type) {
	case F_LINK:
	case F_LINKS:
		check_links(rq, f, v, text, msgs);
		break;
	case F_BOOL:
		check_bool(rq, v, text, msgs);
		break;
	case F_INT:
		check_int(rq, f, v, text, msgs);
		break;
	case F_UUID:
		check_uuid(rq, v, text, msgs);
		break;
	case F_DATETIME:
		check_datetime(rq, v, text, msgs);
		break;
	default:
		check_text(rq, f, v, text, msgs);
	}
}

static void add_error(struct json_object *errs, const char *field,
                      const char *m)
{
	struct json_object *l = json_object_new_array();
	msg(l, m);
	json_object_object_add(errs, field, l);
}

/* Whether JSON null is a value of f (else "This field may not be null."):
 * only optional columns that the database lets be NULL. */
static bool nullable(const struct field *f)
{
	return !f->required && f->type != F_LINKS && f->type != F_BOOL &&
	       f->type != F_UUID && f->type != F_INT;
}

/* A field the body leaves out: defaults apply on create only (an update
 * keeps what is stored), required fields must be there except in PATCH. */
static void absent(const struct field *f, enum wmode mode, bool form,
                   struct wval *out, struct json_object *errs)
{
	if (mode == W_PATCH)
		return;
	if (form && f->type == F_BOOL) /* an unticked checkbox */
		*out = (struct wval){true, "false"};
	else if (f->def && mode == W_CREATE)
		*out = (struct wval){true, f->def};
	else if (f->required)
		add_error(errs, f->name, "This field is required.");
	else if (f->type == F_UUID)
		out->given = true; /* a fresh one, made below */
}

/* uuids: derived from another field when that is given, else made fresh
 * when the client gave none */
static void fill_uuids(struct request *rq, const struct resource *r,
                       struct wval *out)
{
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		if (f->type != F_UUID)
			continue;
		const struct field *src =
		    f->uuid_from ? field_find(r, f->uuid_from) : NULL;
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
}

/* One writable field from the body into out, or its error into errs. */
static void body_field(struct request *rq, const struct field *f,
                       struct json_object *body, enum wmode mode, bool form,
                       struct wval *out, struct json_object *errs)
{
	struct json_object *v = NULL;
	*out = (struct wval){0};
	if (!json_object_object_get_ex(body, f->name, &v)) {
		absent(f, mode, form, out, errs);
		return;
	}
	/* an empty link means none, as the reference reads it */
	if (v && f->type == F_LINK &&
	    json_object_is_type(v, json_type_string) &&
	    !*json_object_get_string(v))
		v = NULL;
	if (!v) { /* JSON null */
		if (nullable(f))
			*out = (struct wval){true, NULL};
		else
			add_error(errs, f->name, "This field may not be null.");
		return;
	}
	/* a form names one linked record as a single value */
	struct json_object *one = NULL;
	if (form && f->type == F_LINKS &&
	    !json_object_is_type(v, json_type_array)) {
		one = json_object_new_array();
		json_object_array_add(one, json_object_get(v));
		v = one;
	}
	const char *text = NULL;
	struct json_object *msgs = json_object_new_array();
	check_value(rq, f, v, &text, msgs);
	if (json_object_array_length(msgs))
		json_object_object_add(errs, f->name, json_object_get(msgs));
	else
		*out = (struct wval){true, text};
	json_object_put(msgs);
	if (one)
		json_object_put(one);
}

bool validate_body(struct request *rq, const struct resource *r,
                   enum wmode mode, struct wval *out)
{
	bool form;
	struct json_object *body = body_object(rq, &form);
	if (!body)
		return false;
	struct json_object *errs = json_object_new_object();
	int i = 0;
	for (const struct field *f = r->fields; f->name; f++, i++) {
		out[i] = (struct wval){0};
		if (field_writable(f))
			body_field(rq, f, body, mode, form, &out[i], errs);
	}
	json_object_put(body);
	fill_uuids(rq, r, out);
	if (json_object_object_length(errs)) {
		resp_json(rq, 400, errs);
		return false;
	}
	json_object_put(errs);
	return true;
}
