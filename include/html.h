/* html.h - the HTML writer used by every page the registry renders. Markup
 * can only come from string literals (the HTML macro refuses anything
 * else at compile time); every other byte goes through an escaping call,
 * so a value can never become markup. Also a small Markdown renderer for
 * the resources' documentation and the guides in docs/. */
#ifndef HTML_H
#define HTML_H

#include "arena.h"

#include <stdbool.h>
#include <stddef.h>

struct html {
	struct buf b;
	/* what the page's root-relative links start with: the path the site
	 * is mounted at, "" (html_init) at the root of a host */
	const char *root;
};

void html_init(struct html *h, struct arena *a);
/* Makes room for n more bytes, so a big page is not copied as it grows. */
void html_reserve(struct html *h, size_t n);

/* Literal markup. `"" lit` only compiles when lit is a string literal. */
#define HTML(h, lit) html_lit_((h), "" lit, sizeof(lit) - 1)
static inline void html_lit_(struct html *h, const char *lit, size_t n)
{
	buf_add(&h->b, lit, n);
}

/* A value: & < > " ' are escaped, so it is safe as element text and as a
 * double-quoted attribute value alike. */
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
void html_int(struct html *h, long long v);

/* A root-relative address, root then path ("/docs/"), escaped for an
 * attribute. */
void html_path(struct html *h, const char *path);

/* True when s may be an href: http(s), mailto, or a relative reference
 * (never javascript:, data: or a protocol-relative //host). */
bool html_url_ok(const char *s);

/* <a href="url">text</a>, or just the escaped text when the URL is not
 * one html_url_ok accepts. */
void html_link(struct html *h, const char *url, const char *text);

/* Renders a Markdown subset: headings, paragraphs, lists, fenced code,
 * block quotes, pipe tables, rules; inline code, strong, emphasis, links.
 * Raw HTML in the source is shown as text. */
void html_markdown(struct html *h, const char *md, size_t n);

/* Appends s percent-encoded for a URL path segment; / : @ stay as they
 * are, as aliases such as namespace:name@version read better that way. */
void url_path_encode(struct buf *b, const char *s);

#endif
