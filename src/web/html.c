/* html.c - the escaping HTML writer and a small Markdown renderer. Nothing
 * here knows about the registry; web pages are built on top of it. */
#include "html.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void html_init(struct html *h, struct arena *a)
{
	buf_init(&h->b, a);
	h->root = "";
}

void html_reserve(struct html *h, size_t n)
{
	struct buf *b = &h->b;
	if (b->cap >= b->len + n + 1)
		return;
	/* the same move buf_add makes when it grows, done once, ahead */
	char *p = arena_alloc_raw(b->a, b->len + n + 1);
	if (b->len)
		memcpy(p, b->p, b->len);
	b->p = p;
	b->cap = b->len + n + 1;
}

/* Which bytes html_textn must replace; all others pass through. */
static const unsigned char special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1, [0] = 1,
};

void html_textn(struct html *h, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!special[(unsigned char)s[i]])
			continue;
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			rep = "\xef\xbf\xbd"; /* NUL: U+FFFD, as browsers do */
			break;
		}
		buf_add(&h->b, s + start, i - start);
		buf_puts(&h->b, rep);
		start = i + 1;
	}
	buf_add(&h->b, s + start, n - start);
}

void html_text(struct html *h, const char *s)
{
	if (s)
		html_textn(h, s, strlen(s));
}

void html_path(struct html *h, const char *path)
{
	html_text(h, h->root);
	html_text(h, path);
}

void html_int(struct html *h, long long v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof tmp, "%lld", v);
	buf_add(&h->b, tmp, (size_t)n);
}

bool html_url_ok(const char *s)
{
	if (!s || !*s)
		return false;
	if (!strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) ||
	    !strncasecmp(s, "mailto:", 7))
		return true;
	if (s[0] == '/' && s[1] == '/')
		return false;
	/* relative: no scheme, i.e. no ':' before the first / ? # */
	size_t n = strcspn(s, "/?#");
	if (memchr(s, ':', n))
		return false;
	/* control characters and backslashes confuse URL parsers */
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return false;
	return true;
}

void html_link(struct html *h, const char *url, const char *text)
{
	if (!html_url_ok(url)) {
		html_text(h, text);
		return;
	}
	HTML(h, "<a href=\"");
	html_text(h, url);
	HTML(h, "\">");
	html_text(h, text);
	HTML(h, "</a>");
}

void url_path_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~/:@", c)) {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

/* ---- Markdown ------------------------------------------------------- */

/* Deep enough for **[`x`](y)**; a hostile text cannot recurse further. */
#define MD_DEPTH 6

static const char *find(const char *s, size_t n, const char *what)
{
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= n; i++)
		if (!memcmp(s + i, what, w))
			return s + i;
	return NULL;
}

static void md_inline(struct html *h, const char *s, size_t n, int depth);

/* [text](url): returns the length consumed, or 0 when s is not a link. */
static size_t md_link(struct html *h, const char *s, size_t n, int depth)
{
	const char *mid = find(s, n, "](");
	if (!mid)
		return 0;
	const char *end = memchr(mid + 2, ')', n - (size_t)(mid + 2 - s));
	if (!end || memchr(s + 1, '\n', (size_t)(mid - s - 1)))
		return 0;
	struct buf url;
	buf_init(&url, h->b.a);
	buf_add(&url, mid + 2, (size_t)(end - mid - 2));
	buf_putc(&url, 0);
	if (!html_url_ok(url.p)) {
		/* the link text without the address */
		md_inline(h, s + 1, (size_t)(mid - s - 1), depth + 1);
		return (size_t)(end - s) + 1;
	}
	HTML(h, "<a href=\"");
	html_text(h, url.p);
	HTML(h, "\">");
	md_inline(h, s + 1, (size_t)(mid - s - 1), depth + 1);
	HTML(h, "</a>");
	return (size_t)(end - s) + 1;
}

static void md_inline(struct html *h, const char *s, size_t n, int depth)
{
	size_t i = 0, start = 0;
	if (depth > MD_DEPTH) {
		html_textn(h, s, n);
		return;
	}
	while (i < n) {
		const char *rest = s + i;
		size_t left = n - i, used = 0;
		if (*rest == '`') {
			const char *end = memchr(rest + 1, '`', left - 1);
			if (end) {
				html_textn(h, s + start, i - start);
				HTML(h, "<code>");
				html_textn(h, rest + 1,
				           (size_t)(end - rest - 1));
				HTML(h, "</code>");
				used = (size_t)(end - rest) + 1;
			}
		} else if (left > 4 && !memcmp(rest, "**", 2) &&
		           rest[2] != ' ') {
			const char *end = find(rest + 2, left - 2, "**");
			if (end && end > rest + 2) {
				html_textn(h, s + start, i - start);
				HTML(h, "<strong>");
				md_inline(h, rest + 2, (size_t)(end - rest - 2),
				          depth + 1);
				HTML(h, "</strong>");
				used = (size_t)(end - rest) + 2;
			}
		} else if (*rest == '*' && left > 2 && rest[1] != ' ' &&
		           rest[1] != '*' && (i == 0 || s[i - 1] == ' ')) {
			const char *end = memchr(rest + 1, '*', left - 1);
			if (end && end[-1] != ' ') {
				html_textn(h, s + start, i - start);
				HTML(h, "<em>");
				md_inline(h, rest + 1, (size_t)(end - rest - 1),
				          depth + 1);
				HTML(h, "</em>");
				used = (size_t)(end - rest) + 1;
			}
		} else if (*rest == '[') {
			size_t mark = h->b.len;
			html_textn(h, s + start, i - start);
			used = md_link(h, rest, left, depth);
			if (!used)
				h->b.len = mark; /* not a link after all */
		} else if (*rest == '<' && left > 9 &&
		           (!strncasecmp(rest + 1, "http://", 7) ||
		            !strncasecmp(rest + 1, "https://", 8))) {
			const char *end = memchr(rest, '>', left);
			if (end && !memchr(rest, ' ', (size_t)(end - rest))) {
				html_textn(h, s + start, i - start);
				char *url = arena_strndup(
				    h->b.a, rest + 1, (size_t)(end - rest - 1));
				html_link(h, url, url);
				used = (size_t)(end - rest) + 1;
			}
		}
		if (used) {
			i += used;
			start = i;
		} else {
			i++;
		}
	}
	html_textn(h, s + start, n - start);
}

enum md_block { B_NONE, B_P, B_QUOTE, B_TABLE, B_CODE };

#define MD_NEST 6 /* list levels; deeper items stay at the last level */

struct md {
	struct html *h;
	enum md_block blk; /* the open block outside list items */
	struct buf text;   /* paragraph, quote or list item text not written */
	int nl;            /* open lists, each with one open <li> */
	struct {
		bool ordered;
		size_t indent; /* the bullet's column */
	} list[MD_NEST];
	bool blank;      /* a blank line came after the last list item */
	bool item_para;  /* the item's pending text is a paragraph of its own */
	int code_blanks; /* blank lines held back in an indented code block */
};

static void md_flush_text(struct md *m, const char *open, const char *close)
{
	if (m->text.len) {
		buf_puts(&m->h->b, open);
		md_inline(m->h, m->text.p, m->text.len, 0);
		buf_puts(&m->h->b, close);
	}
	m->text.len = 0;
}

/* Writes the open list item's pending text. */
static void md_flush_item(struct md *m)
{
	if (m->item_para)
		md_flush_text(m, "<p>", "</p>");
	else
		md_flush_text(m, "", "");
	m->item_para = false;
}

/* Closes the open paragraph, quote, table or code block. */
static void md_close_block(struct md *m)
{
	switch (m->blk) {
	case B_P:
		md_flush_text(m, "<p>", "</p>\n");
		break;
	case B_QUOTE:
		md_flush_text(m, "<blockquote><p>", "</p></blockquote>\n");
		break;
	case B_TABLE:
		HTML(m->h, "</tbody></table></div>\n");
		break;
	case B_CODE:
		HTML(m->h, "</code></pre>\n");
		break;
	case B_NONE:
		break;
	}
	m->blk = B_NONE;
	m->code_blanks = 0;
}

static void md_pop_list(struct md *m)
{
	m->nl--;
	if (m->list[m->nl].ordered)
		HTML(m->h, "</li>\n</ol>\n");
	else
		HTML(m->h, "</li>\n</ul>\n");
}

static void md_push_list(struct md *m, bool ordered, size_t indent)
{
	if (ordered)
		HTML(m->h, "<ol>\n<li>");
	else
		HTML(m->h, "<ul>\n<li>");
	m->list[m->nl].ordered = ordered;
	m->list[m->nl].indent = indent;
	m->nl++;
}

/* Writes the open item's text and closes lists down to `keep` levels. */
static void md_close_lists(struct md *m, int keep)
{
	md_flush_item(m);
	while (m->nl > keep)
		md_pop_list(m);
	m->blank = false;
}

static void md_close(struct md *m)
{
	md_close_block(m);
	md_close_lists(m, 0);
}

/* A bullet at column `indent`: a sibling, a deeper list or a way out. */
static void md_item(struct md *m, bool ordered, size_t indent)
{
	md_flush_item(m);
	m->blank = false;
	while (m->nl && indent + 1 < m->list[m->nl - 1].indent)
		md_pop_list(m);
	if (!m->nl) {
		md_push_list(m, ordered, indent);
	} else if (indent < m->list[m->nl - 1].indent + 2 || m->nl == MD_NEST) {
		if (m->list[m->nl - 1].ordered == ordered) {
			HTML(m->h, "</li>\n<li>");
		} else {
			size_t at = m->list[m->nl - 1].indent;
			md_pop_list(m);
			md_push_list(m, ordered, at);
		}
	} else {
		md_push_list(m, ordered, indent);
	}
}

static void md_add_text(struct md *m, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (m->text.len)
		buf_putc(&m->text, '\n');
	buf_add(&m->text, s, n);
}

static void md_row(struct md *m, const char *s, size_t n, bool head)
{
	/* outer pipes are optional on the right */
	if (n && *s == '|')
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n && s[n - 1] == '|')
		n--;
	HTML(m->h, "<tr>");
	while (true) {
		const char *bar = memchr(s, '|', n);
		size_t len = bar ? (size_t)(bar - s) : n;
		const char *c = s;
		size_t cl = len;
		while (cl && *c == ' ')
			c++, cl--;
		while (cl && c[cl - 1] == ' ')
			cl--;
		if (head)
			HTML(m->h, "<th>");
		else
			HTML(m->h, "<td>");
		md_inline(m->h, c, cl, 0);
		if (head)
			HTML(m->h, "</th>");
		else
			HTML(m->h, "</td>");
		if (!bar)
			break;
		s = bar + 1;
		n -= len + 1;
	}
	HTML(m->h, "</tr>\n");
}

/* |---|:---:| */
static bool md_is_separator(const char *s, size_t n)
{
	bool dash = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dash = true;
		else if (!s[i] || !strchr("|: \t\r", s[i]))
			return false;
	}
	return dash && n && *s == '|';
}

static bool md_is_rule(const char *s, size_t n)
{
	int count = 0;
	char c = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\r')
			continue;
		if (!s[i] || !strchr("-*_", s[i]) || (c && s[i] != c))
			return false;
		c = s[i];
		count++;
	}
	return count >= 3;
}

/* "- x", "* x", "+ x" -> 2; "12. x" -> 4; else 0 */
static size_t md_bullet(const char *s, size_t n, bool *ordered)
{
	if (n >= 2 && s[0] && strchr("-*+", s[0]) && s[1] == ' ') {
		*ordered = false;
		return 2;
	}
	size_t i = 0;
	while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i && i + 1 < n && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
		*ordered = true;
		return i + 2;
	}
	return 0;
}

/* The length of the line at p, without its newline; the text is not
 * NUL-terminated. */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

/* "## x" -> 2; not a heading -> 0 */
static size_t md_heading(const char *s, size_t n, size_t indent)
{
	size_t lvl = 0;
	while (lvl < n && s[lvl] == '#')
		lvl++;
	if (indent >= 4 || lvl == 0 || lvl > 6 || (lvl < n && s[lvl] != ' '))
		return 0;
	return lvl;
}

void html_markdown(struct html *h, const char *md, size_t n)
{
	struct md m = {.h = h};
	buf_init(&m.text, h->b.a);
	bool fenced = false;
	const char *p = md, *end = md + n;
	while (p < end) {
		size_t len = line_len(p, end);
		const char *line = p;
		p += len + (p + len < end);
		if (fenced) {
			if (len >= 3 && !memcmp(line, "```", 3)) {
				HTML(h, "</code></pre>\n");
				fenced = false;
			} else {
				html_textn(h, line, len);
				HTML(h, "\n");
			}
			continue;
		}
		size_t indent = 0;
		while (indent < len && line[indent] == ' ')
			indent++;
		const char *t = line + indent;
		size_t tl = len - indent;
		while (tl && (t[tl - 1] == '\r' || t[tl - 1] == ' '))
			tl--;
		bool ordered = false;
		size_t bullet = md_bullet(t, tl, &ordered), lvl;

		if (tl == 0) {
			if (m.blk == B_CODE) {
				m.code_blanks++;
			} else {
				md_close_block(&m);
				md_flush_item(&m);
				m.blank = m.nl > 0;
			}
			continue;
		}
		if (m.blk == B_CODE) {
			if (indent >= 4) {
				for (; m.code_blanks; m.code_blanks--)
					HTML(h, "\n");
				html_textn(h, line + 4, len - 4);
				HTML(h, "\n");
				continue;
			}
			md_close_block(&m);
		}
		/* after a blank line only an indented line stays in a list */
		if (m.nl && m.blank && indent == 0 && !bullet)
			md_close_lists(&m, 0);
		if (m.nl && m.blank && !bullet) {
			/* a new paragraph of the item whose text is at this
			 * column: deeper lists end here */
			while (m.nl > 1 && indent <= m.list[m.nl - 1].indent)
				md_pop_list(&m);
			m.item_para = true;
		}
		m.blank = false;

		if (tl >= 3 && !memcmp(t, "```", 3)) {
			md_close(&m);
			HTML(h, "<pre><code>");
			fenced = true;
		} else if ((lvl = md_heading(t, tl, indent))) {
			static const char *const open[] = {
			    "<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>"};
			static const char *const close[] = {
			    "</h1>\n", "</h2>\n", "</h3>\n",
			    "</h4>\n", "</h5>\n", "</h6>\n"};
			md_close(&m);
			buf_puts(&h->b, open[lvl - 1]);
			size_t skip = lvl < tl ? lvl + 1 : lvl;
			md_inline(h, t + skip, tl - skip, 0);
			buf_puts(&h->b, close[lvl - 1]);
		} else if (md_is_rule(t, tl) && m.blk != B_P && !m.nl) {
			md_close(&m);
			HTML(h, "<hr>\n");
		} else if (*t == '|' && m.blk == B_TABLE) {
			md_row(&m, t, tl, false);
		} else if (*t == '|' && !m.nl && p < end &&
		           md_is_separator(p, line_len(p, end))) {
			md_close(&m);
			HTML(h, "<div class=\"scroll\"><table><thead>");
			md_row(&m, t, tl, true);
			HTML(h, "</thead><tbody>\n");
			m.blk = B_TABLE;
			p += line_len(p, end);
			if (p < end)
				p++;
		} else if (bullet) {
			md_close_block(&m);
			md_item(&m, ordered, indent);
			md_add_text(&m, t + bullet, tl - bullet);
		} else if (indent >= 4 && !m.nl && m.blk == B_NONE) {
			HTML(h, "<pre><code>");
			html_textn(h, line + 4, len - 4);
			HTML(h, "\n");
			m.blk = B_CODE;
		} else if (*t == '>' && !m.nl) {
			if (m.blk != B_QUOTE) {
				md_close(&m);
				m.blk = B_QUOTE;
			}
			md_add_text(&m, t + 1, tl - 1);
		} else if (m.nl) {
			md_add_text(&m, t, tl); /* more of the item */
		} else {
			if (m.blk != B_P) {
				md_close(&m);
				m.blk = B_P;
			}
			md_add_text(&m, t, tl);
		}
	}
	if (fenced)
		HTML(h, "</code></pre>\n");
	md_close(&m);
}
