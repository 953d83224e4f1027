/* forms.c - writing from the browser: the forms a signed-in user sees on
 * the browsable API (raw JSON, as DRF's "Raw data" tab: POST on a list,
 * PUT/PATCH and DELETE on a record) and the decoding of their posts. The
 * pages run no script (page.c's Content-Security-Policy), so a form names
 * its method in a _method field and its JSON in _content; the post is then
 * the same API request a client would send, and gets the same answer.
 * Every form carries the session's CSRF token (src/session.c). */
#include "schema.h"
#include "session.h"
#include "validate.h"
#include "web.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool media_is(const char *ct, const char *type)
{
	size_t n = strlen(type);
	return ct && !strncasecmp(ct, type, n) &&
	       (!ct[n] || ct[n] == ';' || ct[n] == ' ');
}

const char *web_form_unpack(struct request *rq)
{
	if (strcmp(rq->method, "POST") ||
	    !media_is(rq->content_type, "application/x-www-form-urlencoded"))
		return rq->csrf_header;
	struct query q;
	if (query_parse(rq->a, rq->body, &q) < 0)
		return rq->csrf_header;
	const char *csrf = query_get(&q, "csrfmiddlewaretoken");
	const char *method = query_get(&q, "_method");
	const char *content = query_get(&q, "_content");
	const char *ctype = query_get(&q, "_content_type");
	if (content) {
		rq->body = content;
		rq->body_len = strlen(content);
		rq->content_type = ctype && *ctype ? ctype : "application/json";
	}
	if (method) {
		static const char *verbs[] = {"POST", "PUT", "PATCH", "DELETE"};
		for (int i = 0; i < 4; i++)
			if (!strcasecmp(method, verbs[i]))
				rq->method = verbs[i];
	}
	return csrf ? csrf : rq->csrf_header;
}

/* ---- the forms ---- */

/* What a new record's field starts as in the POST form. */
static struct json_object *blank(const struct field *f)
{
	switch (f->type) {
	case F_BOOL:
		return json_object_new_boolean(f->def &&
		                               !strcmp(f->def, "true"));
	case F_INT:
		return json_object_new_int(f->def ? atoi(f->def) : 0);
	case F_LINKS:
		return json_object_new_array();
	default:
		return f->required ? json_object_new_string("") : NULL;
	}
}

static const char *pretty(struct json_object *o)
{
	return json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	           JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* The POST template: every writable field the server does not make
 * itself; the PUT template: the record's writable fields as they are. */
static const char *template(struct request *rq, const struct resource *r,
                            long long id)
{
	struct json_object *rec = NULL, *t = json_object_new_object();
	if (id) {
		struct json_tokener *tok = json_tokener_new();
		rec = json_tokener_parse_ex(tok, rq->out, (int)rq->out_len);
		json_tokener_free(tok);
	}
	for (const struct field *f = r->fields; f->name; f++) {
		struct json_object *v;
		if (!field_writable(f))
			continue;
		if (rec) {
			if (json_object_object_get_ex(rec, f->name, &v))
				json_object_object_add(t, f->name,
				                       json_object_get(v));
		} else if (f->type != F_UUID) {
			json_object_object_add(t, f->name, blank(f));
		}
	}
	const char *s = arena_strdup(rq->a, pretty(t));
	json_object_put(t);
	json_object_put(rec);
	return s;
}

static void form_begin(struct html *h, struct request *rq, const char *csrf)
{
	HTML(h, "<form class=\"api-form\" method=\"post\" action=\"");
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, rq->root ? rq->root : "");
	url_path_encode(&b, rq->path);
	html_text(h, b.p);
	HTML(h, "\">\n<input type=\"hidden\" name=\"csrfmiddlewaretoken\" "
	        "value=\"");
	html_text(h, csrf);
	HTML(h, "\">\n");
}

static void json_area(struct html *h, const char *content)
{
	HTML(h, "<input type=\"hidden\" name=\"_content_type\" "
	        "value=\"application/json\">\n<label>Content (JSON)<br>"
	        "<textarea name=\"_content\" rows=\"12\" cols=\"72\" "
	        "spellcheck=\"false\">");
	html_text(h, content);
	HTML(h, "</textarea></label>\n");
}

void web_forms(struct html *h, struct request *rq, const struct resource *r,
               long long id)
{
	const char *csrf = session_csrf(rq);
	if (!csrf || !r || rq->status != 200 || strcmp(rq->method, "GET"))
		return;
	bool post = !id && (r->verbs & V_POST);
	bool put = id && (r->verbs & V_PUT);
	bool del = id && (r->verbs & V_DELETE);
	if (!post && !put && !del)
		return;
	HTML(h, "<section class=\"forms\">\n<h2>Write</h2>\n<p>Signed in as "
	        "<b>");
	html_text(h, rq->username ? rq->username : "");
	HTML(h, "</b> &middot; ");
	WEB_LINK(h, "/logout", "sign out");
	HTML(h, "</p>\n");
	if (post || put) {
		form_begin(h, rq, csrf);
		json_area(h, template(rq, r, id));
		if (post)
			HTML(h, "<button type=\"submit\" name=\"_method\" "
			        "value=\"POST\">POST</button>\n");
		if (put)
			HTML(h, "<button type=\"submit\" name=\"_method\" "
			        "value=\"PUT\">PUT</button>\n<button "
			        "type=\"submit\" name=\"_method\" "
			        "value=\"PATCH\">PATCH</button>\n");
		HTML(h, "</form>\n");
	}
	if (del) {
		form_begin(h, rq, csrf);
		HTML(h, "<button type=\"submit\" class=\"danger\" "
		        "name=\"_method\" value=\"DELETE\">DELETE</button>\n"
		        "</form>\n");
	}
	HTML(h, "</section>\n");
}
