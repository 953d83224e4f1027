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

char *glob_to_regex(struct arena *a, const char *g)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "^");
	size_t n = strlen(g);
	for (size_t i = 0; i < n; i++) {
		char c = g[i];
		if (c == '*') {
			buf_puts(&b, ".*");
			continue;
		}
		if (c == '?') {
			buf_putc(&b, '.');
			continue;
		}
		if (c != '[') {
			put_literal(&b, c);
			continue;
		}
		/* find the closing ']': one right after '[' or '[!' is
		 * a member, not the end */
		size_t j = i + 1;
		if (j < n && g[j] == '!')
			j++;
		if (j < n && g[j] == ']')
			j++;
		while (j < n && g[j] != ']')
			j++;
		if (j >= n) {
			buf_puts(&b, "\\[");
			continue;
		}
		buf_putc(&b, '[');
		size_t k = i + 1;
		if (g[k] == '!') {
			buf_putc(&b, '^');
			k++;
		} else if (g[k] == '^') {
			buf_puts(&b, "\\^");
			k++;
		}
		for (; k < j; k++) {
			if (g[k] == '\\' || g[k] == '[')
				buf_putc(&b, '\\');
			buf_putc(&b, g[k]);
		}
		buf_putc(&b, ']');
		i = j;
	}
	buf_puts(&b, "$");
	return b.p;
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
