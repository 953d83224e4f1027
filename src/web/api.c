/* api.c - the browsable API: the finished JSON answer of any /api/ request,
 * shown as an HTML page with the view's name and documentation, the
 * request line, the status line and headers, and the body pretty-printed
 * with every hyperlink clickable. Rendering from the finished answer keeps
 * one code path for JSON and HTML: the handlers never know. */
#include "resource_doc.h"
#include "schema.h"
#include "web.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- content negotiation ---- */

/* How the reference ranks an Accept entry: */
enum { P_ANY, P_TYPE_ANY, P_FULL, P_PARAMS };

struct media {
	const char *type;
	size_t len;
	int precedence;
};

static bool media_is(const struct media *m, const char *what)
{
	return m->len == strlen(what) && !strncasecmp(m->type, what, m->len);
}

static bool matches_json(const struct media *m)
{
	return media_is(m, "application/json") ||
	       media_is(m, "application/*") || media_is(m, "*/*");
}

static bool matches_html(const struct media *m)
{
	return media_is(m, "text/html") || media_is(m, "text/*") ||
	       media_is(m, "*/*");
}

/* Like the reference: entries grouped by precedence, most specific group
 * first; within a group the JSON renderer is tried before the HTML one.
 * q-values play no part. */
static bool accept_prefers_html(const char *accept)
{
	struct media m[32];
	int n = 0;
	if (!accept)
		return false;
	for (const char *p = accept; *p && n < 32;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t entry = strcspn(p, ",");
		size_t tl = strcspn(p, ";, ");
		if (tl > entry)
			tl = entry;
		struct media *e = &m[n++];
		e->type = p;
		e->len = tl;
		const char *slash = memchr(p, '/', tl);
		bool params = false;
		/* a parameter other than q makes the entry more specific */
		for (const char *s = p + tl; s < p + entry; s++) {
			if (*s != ';')
				continue;
			s++;
			while (s < p + entry && *s == ' ')
				s++;
			if (!(s + 1 < p + entry && (*s == 'q' || *s == 'Q') &&
			      s[1] == '='))
				params = true;
		}
		if (tl == 3 && !memcmp(p, "*/*", 3))
			e->precedence = P_ANY;
		else if (slash && slash + 2 == p + tl && slash[1] == '*')
			e->precedence = P_TYPE_ANY;
		else
			e->precedence = params ? P_PARAMS : P_FULL;
		p += entry;
	}
	for (int prec = P_PARAMS; prec >= P_ANY; prec--) {
		bool html = false;
		for (int i = 0; i < n; i++) {
			if (m[i].precedence != prec)
				continue;
			if (matches_json(&m[i]))
				return false;
			html = html || matches_html(&m[i]);
		}
		if (html)
			return true;
	}
	return false;
}

bool web_wants_html(const struct request *rq)
{
	if (rq->format)
		return !strcmp(rq->format, "api");
	return accept_prefers_html(rq->accept);
}

/* ---- the JSON body, pretty-printed ---- */

/* The body is shown as the JSON text itself, re-indented in one pass over
 * the text: no parse, no allocation per value, and strings appear exactly
 * as a JSON client receives them. Any input terminates (each step consumes
 * at least one byte) and every byte of it goes out escaped. */

/* Two spaces a level: the page's size is most of its cost. */
static void newline(struct html *h, int depth)
{
	static const char spaces[] = "\n                                ";
	int n = depth * 2;
	html_lit_(h, spaces, (size_t)(n < 32 ? n : 32) + 1);
	for (n -= 32; n > 0; n -= 32)
		html_lit_(h, spaces + 1, (size_t)(n < 32 ? n : 32));
}

static size_t skip_space(const char *s, size_t i, size_t n)
{
	while (i < n &&
	       (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
		i++;
	return i;
}

/* How string_at sees the bytes of a string: the closing quote, a
 * backslash escape, one of the bytes html_textn replaces, or any other. */
enum { C_PLAIN, C_QUOTE, C_ESCAPE, C_MARKUP };
static const unsigned char str_class[256] = {
    ['"'] = C_QUOTE,  ['\\'] = C_ESCAPE, ['&'] = C_MARKUP, ['<'] = C_MARKUP,
    ['>'] = C_MARKUP, ['\''] = C_MARKUP, [0] = C_MARKUP,
};

/* A string token: s[0] is its opening quote. */
struct str {
	const char *s;
	size_t n;     /* up to just past the closing quote, or the end */
	bool escapes; /* holds a backslash escape */
	bool plain;   /* no escape, no byte html_textn replaces: copy it */
	bool closed;  /* the closing quote was there at all */
};

/* The string token at s[i]. The scan also tells whether the text needs
 * escaping at all: most (links, dates, names) do not, and are copied
 * rather than looked at a second time. */
static struct str string_at(const char *s, size_t i, size_t n)
{
	struct str t = {.s = s + i, .n = n - i};
	bool markup = false;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t j = i + 1; j < n; j++) {
		/* eight bytes a step while all are plain: the lookups do not
		 * wait for each other as a byte's test does */
		while (j + 8 <= n &&
		       !(str_class[u[j]] | str_class[u[j + 1]] |
		         str_class[u[j + 2]] | str_class[u[j + 3]] |
		         str_class[u[j + 4]] | str_class[u[j + 5]] |
		         str_class[u[j + 6]] | str_class[u[j + 7]]))
			j += 8;
		if (j >= n)
			break;
		unsigned char c = str_class[u[j]];
		if (c == C_PLAIN)
			continue;
		if (c == C_QUOTE) {
			t.closed = true;
			t.n = j + 1 - i;
			break;
		}
		if (c == C_ESCAPE) {
			t.escapes = true;
			j++;
		} else {
			markup = true;
		}
	}
	t.plain = !t.escapes && !markup;
	return t;
}

/* s starts with p (lower case) in any case: strncasecmp by hand, which
 * costs less than the library's for the few bytes of a URL's scheme */
static bool starts_nocase(const char *s, const char *p, size_t pl)
{
	for (size_t i = 0; i < pl; i++)
		if (tolower((unsigned char)s[i]) != p[i])
			return false;
	return true;
}

static bool is_link(const char *s, size_t n)
{
	return (n > 7 && starts_nocase(s, "http://", 7)) ||
	       (n > 8 && starts_nocase(s, "https://", 8));
}

/* Text of a string token: as it is when the scan found nothing to escape
 * (an escape sequence's \" would need it). */
static void put_text(struct html *h, const struct str *t, const char *s,
                     size_t n)
{
	if (t->plain)
		html_lit_(h, s, n);
	else
		html_textn(h, s, n);
}

/* One string token, quotes included. The page is several times the size
 * of the JSON it shows, and its size is most of its cost (to write, and to
 * nginx to send), so the markup is short: <b> for keys, <i> for strings
 * (styled in registry.css), and links to this registry as bare paths
 * (base is bl bytes long). */
static void put_string(struct html *h, const struct str *t, bool key,
                       const char *base, size_t bl)
{
	const char *in = t->s + 1;
	size_t il = t->closed ? t->n - 2 : t->n - 1;
	if (!key && !t->escapes && t->closed && is_link(in, il)) {
		/* without escapes the JSON text is the URL itself; the
		 * quotes stay outside the link, as they are in the JSON */
		bool ours =
		    bl && il > bl && !memcmp(in, base, bl) && in[bl] == '/';
		HTML(h, "\"<a href=\"");
		size_t at = h->b.len;
		put_text(h, t, ours ? in + bl : in, ours ? il - bl : il);
		size_t done = h->b.len - at;
		HTML(h, "\">");
		/* the text is the href again, after the base: copy what is
		 * already escaped rather than escape it twice */
		if (ours)
			put_text(h, t, in, bl);
		html_reserve(h, done);
		html_lit_(h, h->b.p + at, done);
		HTML(h, "</a>\"");
		return;
	}
	if (key)
		HTML(h, "<b>\"");
	else
		HTML(h, "<i>\"");
	put_text(h, t, in, il);
	if (t->closed)
		HTML(h, "\"");
	/* else cut short: the JSON was, too */
	if (key)
		HTML(h, "</b>");
	else
		HTML(h, "</i>");
}

static void put_json(struct html *h, const char *s, size_t n, const char *base)
{
	size_t bl = base ? strlen(base) : 0;
	int depth = 0;
	size_t i = skip_space(s, 0, n);
	while (i < n) {
		char c = s[i];
		if (c == '{' || c == '[') {
			size_t j = skip_space(s, i + 1, n);
			html_lit_(h, s + i, 1); /* a bracket is markup-free */
			if (j < n && s[j] == (c == '{' ? '}' : ']')) {
				html_lit_(h, s + j, 1);
				j++;
			} else {
				newline(h, ++depth);
			}
			i = j;
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			newline(h, depth);
			html_lit_(h, s + i, 1);
			i++;
		} else if (c == ',') {
			HTML(h, ",");
			newline(h, depth);
			i = skip_space(s, i + 1, n);
		} else if (c == ':') {
			HTML(h, ": ");
			i = skip_space(s, i + 1, n);
		} else if (c == '"') {
			struct str t = string_at(s, i, n);
			size_t after = skip_space(s, i + t.n, n);
			put_string(h, &t, after < n && s[after] == ':', base,
			           bl);
			i = after;
		} else {
			/* a number, true, false or null */
			size_t e = i;
			while (e < n && s[e] &&
			       !strchr(",:{}[]\" \n\r\t", s[e]))
				e++;
			if (e == i)
				e++; /* a stray byte: show it and go on */
			HTML(h, "<u>");
			html_textn(h, s + i, e - i);
			HTML(h, "</u>");
			i = skip_space(s, e, n);
		}
	}
}

/* ---- which view answered ---- */

struct view {
	const char *name;
	const char *doc;
	const struct resource *r;
	long long id; /* > 0 on an instance */
};

static const char root_doc[] =
    "The registry's REST API. Each key of the answer names a kind of "
    "record; follow its link to list the records of that kind. Records "
    "refer to each other by these links.\n"
    "\n"
    "Reading is open to everyone; writing needs a token, sent as "
    "`Authorization: token <token>`. Add `?format=json` to any address to "
    "get the plain JSON a program sees.\n";

static struct view find_view(struct request *rq)
{
	struct view v = {0};
	switch (rq->view) {
	case VIEW_LIST:
	case VIEW_DETAIL:
		v.r = rq->resource;
		v.id = rq->view == VIEW_LIST || rq->id == ID_NOT_NUMBER
		           ? 0
		           : rq->id;
		v.name =
		    arena_printf(rq->a, "%s %s", v.r->title,
		                 rq->view == VIEW_DETAIL ? "Instance" : "List");
		v.doc = resource_doc(v.r);
		break;
	case VIEW_OTHER:
		if (rq->status >= 400 && rq->status != 403 && rq->status != 405)
			v.name = status_text(rq->status);
		else
			v.name = rq->view_name;
		break;
	default:
		v.name = "Api Root";
		v.doc = root_doc;
	}
	return v;
}

/* ---- the page ---- */

/* The current address with format=<fmt> in place of any format. */
static const char *with_format(struct request *rq, const char *fmt)
{
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, rq->root);
	url_path_encode(&b, rq->path);
	query_with(&b, &rq->q, "format", fmt);
	return b.p;
}

static void breadcrumbs(struct html *h, const struct view *v)
{
	HTML(h, "<ol class=\"crumbs\">");
	if (!v->r && !strcmp(v->name, "Api Root")) {
		HTML(h, "<li>Api Root</li></ol>\n");
		return;
	}
	HTML(h, "<li>");
	WEB_LINK(h, "/api/?format=api", "Api Root");
	HTML(h, "</li>");
	if (v->r && v->id) {
		HTML(h, "<li><a href=\"");
		html_path(h, "/api/");
		html_text(h, v->r->name);
		HTML(h, "/?format=api\">");
		html_text(h, v->r->title);
		HTML(h, " List</a></li>");
	}
	HTML(h, "<li>");
	html_text(h, v->name);
	HTML(h, "</li></ol>\n");
}

/* The headers a JSON client gets, in the reference's order. */
static void response_head(struct html *h, struct request *rq)
{
	HTML(h, "<span class=\"head\"><b>HTTP ");
	html_int(h, rq->status);
	HTML(h, " ");
	html_text(h, status_text(rq->status));
	HTML(h, "</b>\n");
	const char *p = rq->headers.p ? rq->headers.p : "";
	/* Allow first, then Content-Type, the rest, and Vary last */
	for (int pass = 0; pass < 2; pass++) {
		for (const char *l = p; *l;) {
			size_t n = strcspn(l, "\r\n");
			bool allow = n > 6 && !strncasecmp(l, "Allow:", 6);
			if (allow == (pass == 0)) {
				const char *colon = memchr(l, ':', n);
				size_t k = colon ? (size_t)(colon - l) : n;
				HTML(h, "<b>");
				html_textn(h, l, k);
				HTML(h, ":</b>");
				if (colon)
					html_textn(h, colon + 1, n - k - 1);
				HTML(h, "\n");
			}
			l += n;
			while (*l == '\r' || *l == '\n')
				l++;
		}
		if (pass == 0) {
			HTML(h, "<b>Content-Type:</b> ");
			html_text(h, rq->ctype);
			HTML(h, "\n");
		}
	}
	HTML(h, "<b>Vary:</b> Accept\n</span>");
}

/* The value of a top-level "next" or "previous" of a list answer, or NULL.
 * A list is {"count":..,"next":..,"previous":..,"results":[..]}: the keys
 * come before the first '[', so nothing nested can be mistaken for them. */
static const char *top_link(struct request *rq, const char *key)
{
	const char *end = rq->out + rq->out_len;
	size_t kl = strlen(key);
	for (const char *p = rq->out; p + kl + 3 < end && *p != '['; p++) {
		if (*p != '"' || strncmp(p + 1, key, kl) || p[kl + 1] != '"')
			continue;
		const char *v = p + kl + 2;
		while (v < end && (*v == ' ' || *v == ':'))
			v++;
		if (v >= end || *v != '"')
			return NULL; /* null */
		const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
		if (!q || memchr(v + 1, '\\', (size_t)(q - v - 1)))
			return NULL;
		return arena_strndup(rq->a, v + 1, (size_t)(q - v - 1));
	}
	return NULL;
}

static bool is_list(struct request *rq)
{
	static const char key[] = "\"results\"";
	size_t n = rq->out_len < 300 ? rq->out_len : 300;
	if (!n || rq->out[0] != '{')
		return false;
	for (size_t i = 0; i + sizeof key - 1 <= n; i++)
		if (!memcmp(rq->out + i, key, sizeof key - 1))
			return true;
	return false;
}

static void pager(struct html *h, struct request *rq)
{
	if (!is_list(rq))
		return;
	const char *n = top_link(rq, "next");
	const char *p = top_link(rq, "previous");
	if (!n && !p)
		return;
	HTML(h, "<nav class=\"pager\">");
	if (p && html_url_ok(p)) {
		HTML(h, "<a rel=\"prev\" href=\"");
		html_text(h, p);
		HTML(h, "\">&laquo; Previous</a>");
	} else {
		HTML(h, "<span class=\"off\">&laquo; Previous</span>");
	}
	if (n && html_url_ok(n)) {
		HTML(h, "<a rel=\"next\" href=\"");
		html_text(h, n);
		HTML(h, "\">Next &raquo;</a>");
	} else {
		HTML(h, "<span class=\"off\">Next &raquo;</span>");
	}
	HTML(h, "</nav>\n");
}

static void filters(struct html *h, const struct view *v)
{
	if (!v->r || v->id || !v->r->query_args || v->r->control_args)
		return;
	HTML(h, "<p class=\"filters\">Filter with <code>?field=value</code> "
	        "on: ");
	for (const char *p = v->r->query_args; *p;) {
		size_t n = strcspn(p, ",");
		HTML(h, "<code>");
		html_textn(h, p, n);
		HTML(h, "</code>");
		p += n;
		if (*p == ',') {
			HTML(h, ", ");
			p++;
		}
	}
	HTML(h, "</p>\n");
}

static void render_api(struct request *rq)
{
	struct view v = find_view(rq);
	struct html h;
	page_init(&h, rq);
	/* the page is about twice the JSON: grow the buffer once */
	html_reserve(&h, rq->out_len * 5 / 2 + 16384);

	page_begin(&h, v.name);
	breadcrumbs(&h, &v);
	HTML(&h, "<div class=\"formats\">Formats: <a href=\"");
	html_text(&h, with_format(rq, "json"));
	HTML(&h, "\">json</a> <a class=\"on\" href=\"");
	html_text(&h, with_format(rq, "api"));
	HTML(&h, "\">api</a></div>\n");
	HTML(&h, "<h1>");
	html_text(&h, v.name);
	HTML(&h, "</h1>\n");
	if (v.doc) {
		HTML(&h, "<div class=\"doc\">");
		html_markdown(&h, v.doc, strlen(v.doc));
		HTML(&h, "</div>\n");
	}
	filters(&h, &v);
	if (v.r && v.id > 0 && rq->status == 200 && !v.r->auth_read) {
		HTML(&h, "<p class=\"site\">On the website: <a href=\"");
		html_path(&h, "/");
		html_text(&h, v.r->name);
		HTML(&h, "/");
		html_int(&h, v.id);
		HTML(&h, "\">this record&#39;s page</a></p>\n");
	}
	pager(&h, rq);
	HTML(&h, "<div class=\"request\"><pre><b>");
	html_text(&h, rq->method);
	HTML(&h, "</b> ");
	html_text(&h, rq->path);
	if (rq->raw_query && *rq->raw_query) {
		HTML(&h, "?");
		html_text(&h, rq->raw_query);
	}
	HTML(&h, "</pre></div>\n<div class=\"response\"><pre>");
	response_head(&h, rq);
	if (rq->out_len) {
		HTML(&h, "\n");
		put_json(&h, rq->out, rq->out_len, rq->base);
	}
	HTML(&h, "</pre></div>\n");
	pager(&h, rq);
	web_forms(&h, rq, v.r, v.id);
	page_end(&h);
	page_answer(rq, rq->status, &h);
}

/* The "detail" of a JSON error, for the HTML error page. */
static const char *detail_of(struct request *rq)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL, *d = NULL;
	const char *msg = NULL;
	if (tok && rq->out_len)
		o = json_tokener_parse_ex(tok, rq->out, (int)rq->out_len);
	if (tok)
		json_tokener_free(tok);
	if (o && json_object_object_get_ex(o, "detail", &d) &&
	    json_object_is_type(d, json_type_string))
		msg = arena_strdup(rq->a, json_object_get_string(d));
	json_object_put(o);
	return msg;
}

void web_finish(struct request *rq)
{
	if (!rq->path || !rq->ctype || strcmp(rq->ctype, "application/json"))
		return;
	/* 204 has no body to show, and must not get one */
	if (rq->status == 204 || !web_wants_html(rq))
		return;
	if (rq->view >= VIEW_ROOT && rq->view <= VIEW_OTHER)
		render_api(rq);
	else if (rq->status >= 400)
		web_error_page(rq, rq->status, detail_of(rq));
}
