/* json_text.c - JSON strings written straight into a buffer: the API's
 * records (src/record.c) and the provenance documents (src/prov/jsonw.c)
 * are written as text, not built as json-c objects first, and both escape
 * strings the same way. */
#include "json_text.h"

#include <string.h>

static void put_u(struct buf *b, unsigned c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = {'\\',
	             'u',
	             hex[c >> 12 & 15],
	             hex[c >> 8 & 15],
	             hex[c >> 4 & 15],
	             hex[c & 15]};
	buf_add(b, u, sizeof u);
}

/* Decodes one UTF-8 sequence at p (lead byte c) as \uXXXX; returns the
 * bytes it used. */
static size_t put_ascii(struct buf *b, const unsigned char *p,
                        const unsigned char *end)
{
	unsigned c = *p;
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
	unsigned cp = c & (more == 3 ? 0x07 : more == 2 ? 0x0f : 0x1f);
	int i = 1;
	for (; i <= more && p + i < end && (p[i] & 0xc0) == 0x80; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	if (cp >= 0x10000) {
		cp -= 0x10000;
		put_u(b, 0xd800 | (cp >> 10));
		put_u(b, 0xdc00 | (cp & 0x3ff));
	} else {
		put_u(b, cp);
	}
	return (size_t)i;
}

/* Bytes that a JSON string cannot hold as they are: control characters,
 * the quote and the backslash. */
static bool special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

void json_chars(struct buf *b, const char *s, size_t n, bool ascii)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		/* the plain run up to the next byte that needs care */
		const unsigned char *run = p;
		while (p < end && !special(*p) && (!ascii || *p < 0x7f))
			p++;
		buf_add(b, (const char *)run, (size_t)(p - run));
		if (p == end)
			break;
		unsigned c = *p;
		const char *esc = c == '"'    ? "\\\""
		                  : c == '\\' ? "\\\\"
		                  : c == '\n' ? "\\n"
		                  : c == '\r' ? "\\r"
		                  : c == '\t' ? "\\t"
		                  : c == '\b' ? "\\b"
		                  : c == '\f' ? "\\f"
		                              : NULL;
		if (esc) {
			buf_add(b, esc, 2);
			p++;
		} else if (c <
		           0x80) { /* control characters, and DEL if ascii */
			put_u(b, c);
			p++;
		} else {
			p += put_ascii(b, p, end);
		}
	}
}

void json_string(struct buf *b, const char *s, size_t n, bool ascii)
{
	buf_putc(b, '"');
	json_chars(b, s, n, ascii);
	buf_putc(b, '"');
}
