/* glob.c - name filters are Unix globs (as Python's fnmatch reads them);
 * PostgreSQL matches them as anchored regular expressions. A regular
 * expression that arrives as a parameter gives a prepared statement's
 * generic plan no index range, so the glob's literal prefix is also given
 * as a range of its own (glob_prefix_range). */
#include "glob.h"

#include <stdbool.h>
#include <string.h>

static void put_literal(struct buf *b, char c)
{
	if (strchr("\\^$.|?*+()[]{}", c))
		buf_putc(b, '\\');
	buf_putc(b, c);
}

/* The code point of the UTF-8 character at g[*i] (bytes beyond n or not
 * UTF-8 count as one character each); *i moves past it. */
static unsigned next_cp(const char *g, size_t n, size_t *i)
{
	unsigned char c = (unsigned char)g[*i];
	size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	if (c < 0xc2 || c > 0xf4 || *i + len > n)
		len = 1;
	unsigned cp = len == 1 ? c : c & (0x7f >> len);
	for (size_t k = 1; k < len; k++)
		cp = cp << 6 | ((unsigned char)g[*i + k] & 0x3f);
	*i += len;
	return cp;
}

static void put_member(struct buf *b, const char *g, size_t from, size_t to)
{
	if (to - from == 1 && strchr("\\[^", g[from]))
		buf_putc(b, '\\');
	buf_add(b, g + from, to - from);
}

/* The class g[i..j) (after '[' or "[!", before ']') into b, as Python's
 * fnmatch reads it: a reversed range such as z-a is dropped, and a class
 * left empty matches nothing (negated: any character). */
static void put_class(struct buf *b, const char *g, size_t i, size_t j,
                      bool negated)
{
	struct buf m;
	buf_init(&m, b->a);
	bool dash = false, bracket = false;
	while (i < j) {
		size_t s = i;
		unsigned lo = next_cp(g, j, &i), e = i;
		if (i + 1 < j && g[i] == '-') {
			size_t hs = i + 1, he = hs;
			unsigned hi = next_cp(g, j, &he);
			if (lo <= hi) {
				put_member(&m, g, s, e);
				buf_putc(&m, '-');
				put_member(&m, g, hs, he);
			}
			i = he;
		} else if (g[s] == '-') {
			dash = true;
		} else if (g[s] == ']') {
			bracket = true;
		} else {
			put_member(&m, g, s, e);
		}
	}
	if (!m.len && !dash && !bracket) {
		buf_puts(b, negated ? "." : "(?!)");
		return;
	}
	buf_putc(b, '[');
	if (negated)
		buf_putc(b, '^');
	if (bracket)
		buf_putc(b, ']');
	if (m.len)
		buf_add(b, m.p, m.len);
	if (dash)
		buf_putc(b, '-');
	buf_putc(b, ']');
}

/* The end of the class that starts at g[i] == '[' (the index of its ']'),
 * or 0 when it is not closed: one right after '[' or "[!" is a member. */
static size_t class_end(const char *g, size_t n, size_t i)
{
	size_t j = i + 1;
	if (j < n && g[j] == '!')
		j++;
	if (j < n && g[j] == ']')
		j++;
	while (j < n && g[j] != ']')
		j++;
	return j < n ? j : 0;
}

char *glob_to_regex(struct arena *a, const char *g)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "^");
	size_t n = strlen(g);
	for (size_t i = 0; i < n; i++) {
		char c = g[i];
		if (c == '*' || c == '?') {
			/* a run of wildcards is one: "**?*" is ".+" read as
			 * "..*", so that no run multiplies the matcher's
			 * work (1,000 '*' in a row once took a minute) */
			bool star = false;
			for (; i < n && (g[i] == '*' || g[i] == '?'); i++) {
				if (g[i] == '*')
					star = true;
				else
					buf_putc(&b, '.');
			}
			if (star)
				buf_puts(&b, ".*");
			i--;
			continue;
		}
		size_t j = c == '[' ? class_end(g, n, i) : 0;
		if (!j) {
			put_literal(&b, c);
			continue;
		}
		bool negated = g[i + 1] == '!';
		put_class(&b, g, i + 1 + negated, j, negated);
		i = j;
	}
	buf_puts(&b, "$");
	return b.p;
}

int glob_parts(const char *g)
{
	int parts = 0;
	size_t n = strlen(g);
	for (size_t i = 0; i < n; i++) {
		size_t j;
		if (g[i] == '*' || g[i] == '?') {
			parts++;
			while (i + 1 < n &&
			       (g[i + 1] == '*' || g[i + 1] == '?'))
				i++;
		} else if (g[i] == '[' && (j = class_end(g, n, i))) {
			parts++;
			i = j;
		}
	}
	return parts;
}

/* Length of the UTF-8 sequence that starts with byte c, 0 if c cannot
 * start one. */
static size_t utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

static void put_utf8(struct buf *b, unsigned cp)
{
	char o[4];
	size_t n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | cp >> 18);
		o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, o, n);
}

bool glob_prefix_range(struct arena *a, const char *g, char **lo, char **hi)
{
	size_t n = strcspn(g, "*?[");
	/* the code points of the prefix, to find the last that can grow */
	unsigned cps[256];
	size_t starts[256], k = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len((unsigned char)g[i]);
		if (!len || i + len > n || k == 256)
			return false; /* not UTF-8, or too long to bother */
		unsigned cp = len == 1 ? (unsigned char)g[i]
		                       : (unsigned char)g[i] & (0x7f >> len);
		for (size_t j = 1; j < len; j++) {
			if (((unsigned char)g[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | ((unsigned char)g[i + j] & 0x3f);
		}
		starts[k] = i;
		cps[k++] = cp;
		i += len;
	}
	/* the least text above every text that starts with the prefix: the
	 * prefix with its last code point that is not the highest raised
	 * by one, and cut after it */
	while (k && cps[k - 1] >= 0x10ffff)
		k--;
	if (!k)
		return false;
	unsigned next = cps[k - 1] + 1;
	if (next >= 0xd800 && next <= 0xdfff)
		next = 0xe000; /* surrogates are no characters */
	struct buf b;
	buf_init(&b, a);
	buf_add(&b, g, starts[k - 1]);
	put_utf8(&b, next);
	*lo = arena_strndup(a, g, n);
	*hi = b.p;
	return true;
}
