/* query.c - query-string and form-body decoding, lenient the way clients
 * need it: values arrive unencoded (file:///x/, paths with '/'). */
#include "query.h"
#include "json_strict.h"

#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(struct arena *a, const char *s, size_t n, bool plus)
{
	size_t len;
	return url_decode_len(a, s, n, plus, &len);
}

char *url_decode_len(struct arena *a, const char *s, size_t n, bool plus,
                     size_t *len)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (plus && s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = 0;
	*len = (size_t)(o - out);
	return out;
}

int query_parse(struct arena *a, const char *qs, struct query *out)
{
	out->v = NULL;
	out->n = 0;
	if (!qs || !*qs)
		return 0;
	int cap = 1;
	for (const char *p = qs; *p; p++)
		cap += *p == '&';
	if (cap > QUERY_MAX_ARGS)
		return QUERY_TOO_MANY;
	out->v = arena_alloc(a, sizeof *out->v * (size_t)cap);
	const char *p = qs;
	while (*p) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len) {
			const char *eq = memchr(p, '=', len);
			size_t klen = eq ? (size_t)(eq - p) : len;
			struct qarg *q = &out->v[out->n++];
			size_t kn, vn = 0;
			q->key = url_decode_len(a, p, klen, true, &kn);
			q->val = eq ? url_decode_len(a, eq + 1, len - klen - 1,
			                             true, &vn)
			            : arena_strdup(a, "");
			if (!utf8_text_ok(q->key, kn) ||
			    !utf8_text_ok(q->val, vn))
				return QUERY_BAD_TEXT;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return 0;
}

const char *query_get(const struct query *q, const char *key)
{
	for (int i = q->n - 1; i >= 0; i--)
		if (!strcmp(q->v[i].key, key))
			return q->v[i].val;
	return NULL;
}

void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-_.~/:", c)) {
			buf_putc(b, (char)c);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void query_with(struct buf *b, const struct query *q, const char *key,
                const char *value)
{
	char sep = '?';
	for (int i = 0; i < q->n; i++) {
		if (!strcmp(q->v[i].key, key))
			continue;
		buf_putc(b, sep);
		url_encode(b, q->v[i].key);
		buf_putc(b, '=');
		url_encode(b, q->v[i].val);
		sep = '&';
	}
	buf_printf(b, "%c%s=%s", sep, key, value);
}
