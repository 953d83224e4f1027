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
/* clang-format off */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x0f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10-0x1f */
	['"'] = 1, ['\\'] = 1,
};
/* clang-format on */

/* How many bytes from p need no escape. Eight a step while all are plain:
 * the table look-ups do not wait for each other as one byte's test does,
 * and most strings (links, dates, names) are plain throughout. */
static size_t plain_run(const unsigned char *p, const unsigned char *end,
                        bool ascii)
{
	const unsigned char *q = p;
	if (!ascii)
		while (end - q >= 8 &&
		       !(special[q[0]] | special[q[1]] | special[q[2]] |
		         special[q[3]] | special[q[4]] | special[q[5]] |
		         special[q[6]] | special[q[7]]))
			q += 8;
	while (q < end && !special[*q] && (!ascii || *q < 0x7f))
		q++;
	return (size_t)(q - p);
}

void json_chars(struct buf *b, const char *s, size_t n, bool ascii)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		/* the plain run up to the next byte that needs care */
		size_t run = plain_run(p, end, ascii);
		buf_add(b, (const char *)p, run);
		p += run;
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
