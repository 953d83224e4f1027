/* glob.c - name filters are Unix globs (as Python's fnmatch reads them);
 * PostgreSQL matches them as anchored regular expressions, so a literal
 * prefix can still use the column's index. */
#include "glob.h"

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
