/* json_strict.c - a validating pass over a JSON body's bytes by the grammar
 * of RFC 8259, so that only strict JSON reaches json-c: json-c alone lets
 * through comments, trailing commas, single quotes, NaN, leading zeros,
 * raw control characters and invalid UTF-8. Nothing is built here; errors
 * are worded as Python's json module (the reference's parser) words them,
 * with the position in characters. */
#include "json_strict.h"

#include <string.h>

struct js {
	const unsigned char *s;
	size_t n, i;
	int depth;
	const char *err; /* message, set once */
	size_t at;       /* byte offset it is about */
	struct arena *a;
};

int utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	int len;
	unsigned min, cp;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

bool utf8_text_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (u[i] == 0)
			return false;
		int k = utf8_seq(u + i, n - i);
		if (!k)
			return false;
		i += (size_t)k;
	}
	return true;
}

static bool fail(struct js *j, const char *msg, size_t at)
{
	if (!j->err) {
		j->err = msg;
		j->at = at;
	}
	return false;
}

static void ws(struct js *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	                       j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int peek(const struct js *j)
{
	return j->i < j->n ? j->s[j->i] : -1;
}

static int hex4(const unsigned char *p)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		int c = p[k], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* \uXXXX at j->i (past the backslash and 'u'); a high surrogate must be
 * followed by an escaped low one */
static bool unicode_escape(struct js *j, size_t esc)
{
	if (j->n - j->i < 4 || hex4(j->s + j->i) < 0)
		return fail(j, "Invalid \\uXXXX escape", esc);
	int v = hex4(j->s + j->i);
	j->i += 4;
	if (v >= 0xDC00 && v <= 0xDFFF)
		return fail(j, "Unpaired surrogate in \\uXXXX escape", esc);
	if (v < 0xD800 || v > 0xDBFF)
		return true;
	if (j->n - j->i < 6 || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
		return fail(j, "Unpaired surrogate in \\uXXXX escape", esc);
	int lo = hex4(j->s + j->i + 2);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return fail(j, "Unpaired surrogate in \\uXXXX escape", esc);
	j->i += 6;
	return true;
}

/* A string; j->i is at its opening quote. */
static bool string(struct js *j)
{
	size_t start = j->i++;
	while (j->i < j->n) {
		unsigned c = j->s[j->i];
		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return fail(j, "Invalid control character at", j->i);
		if (c == '\\') {
			size_t esc = j->i++;
			if (j->i >= j->n)
				break;
			c = j->s[j->i++];
			if (c == 'u') {
				if (!unicode_escape(j, esc))
					return false;
			} else if (!strchr("\"\\/bfnrt", (int)c) || !c) {
				return fail(j, "Invalid \\escape", esc);
			}
			continue;
		}
		int k = utf8_seq(j->s + j->i, j->n - j->i);
		if (!k)
			return fail(j, "Invalid UTF-8", j->i);
		j->i += (size_t)k;
	}
	return fail(j, "Unterminated string starting at", start);
}

/* A number, as Python's json reads it: a fraction or exponent without
 * digits is not part of the number (so "1." is 1 followed by junk). */
static bool number(struct js *j)
{
	size_t start = j->i;
	if (peek(j) == '-')
		j->i++;
	if (peek(j) == '0') {
		j->i++;
	} else if (is_digit(peek(j))) {
		while (is_digit(peek(j)))
			j->i++;
	} else {
		return fail(j, "Expecting value", start);
	}
	if (peek(j) == '.' && j->i + 1 < j->n && is_digit(j->s[j->i + 1])) {
		j->i++;
		while (is_digit(peek(j)))
			j->i++;
	}
	if (peek(j) == 'e' || peek(j) == 'E') {
		size_t k = j->i + 1;
		if (k < j->n && (j->s[k] == '+' || j->s[k] == '-'))
			k++;
		if (k < j->n && is_digit(j->s[k])) {
			j->i = k;
			while (is_digit(peek(j)))
				j->i++;
		}
	}
	return true;
}

static bool word(struct js *j, const char *w)
{
	size_t n = strlen(w);
	if (j->n - j->i >= n && !memcmp(j->s + j->i, w, n)) {
		j->i += n;
		return true;
	}
	return false;
}

static bool value(struct js *j);

static bool array(struct js *j)
{
	j->i++;
	ws(j);
	if (peek(j) == ']') {
		j->i++;
		return true;
	}
	for (;;) {
		if (!value(j))
			return false;
		ws(j);
		if (peek(j) == ']') {
			j->i++;
			return true;
		}
		if (peek(j) != ',')
			return fail(j, "Expecting ',' delimiter", j->i);
		j->i++;
		ws(j);
		if (peek(j) == ']')
			return fail(j,
			            "Illegal trailing comma before end of "
			            "array",
			            j->i - 1);
	}
}

static bool object(struct js *j)
{
	j->i++;
	ws(j);
	if (peek(j) == '}') {
		j->i++;
		return true;
	}
	for (;;) {
		if (peek(j) != '"')
			return fail(j,
			            "Expecting property name enclosed in "
			            "double quotes",
			            j->i);
		if (!string(j))
			return false;
		ws(j);
		if (peek(j) != ':')
			return fail(j, "Expecting ':' delimiter", j->i);
		j->i++;
		if (!value(j))
			return false;
		ws(j);
		if (peek(j) == '}') {
			j->i++;
			return true;
		}
		if (peek(j) != ',')
			return fail(j, "Expecting ',' delimiter", j->i);
		j->i++;
		ws(j);
		if (peek(j) == '}')
			return fail(j,
			            "Illegal trailing comma before end of "
			            "object",
			            j->i - 1);
	}
}

static bool value(struct js *j)
{
	ws(j);
	int c = peek(j);
	if (c == '{' || c == '[') {
		if (++j->depth > JSON_MAX_DEPTH)
			return fail(j, "Nesting deeper than 64 levels at",
			            j->i);
		bool ok = c == '{' ? object(j) : array(j);
		j->depth--;
		return ok;
	}
	if (c == '"')
		return string(j);
	if (c == '-' || is_digit(c)) {
		if (word(j, "-Infinity"))
			return fail(j,
			            "Out of range float values are not "
			            "permitted",
			            j->i - 9);
		return number(j);
	}
	if (word(j, "true") || word(j, "false") || word(j, "null"))
		return true;
	if (word(j, "NaN") || word(j, "Infinity"))
		return fail(j, "Out of range float values are not permitted",
		            j->i);
	return fail(j, "Expecting value", j->i);
}

/* Python's "msg: line L column C (char N)", N in characters */
static const char *where(struct js *j)
{
	size_t line = 1, col = 1, ch = 0;
	for (size_t i = 0; i < j->at && i < j->n; ch++) {
		if (j->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		int k = utf8_seq(j->s + i, j->n - i);
		i += k ? (size_t)k : 1;
	}
	return arena_printf(j->a, "%s: line %zu column %zu (char %zu)", j->err,
	                    line, col, ch);
}

const char *json_strict_check(struct arena *a, const char *s, size_t n)
{
	struct js j = {.s = (const unsigned char *)s, .n = n, .a = a};
	/* invalid UTF-8 anywhere is a decoding error before any parsing,
	 * as in Python */
	for (size_t i = 0; i < n;) {
		int k = utf8_seq(j.s + i, n - i);
		if (!k)
			return arena_printf(a,
			                    "'utf-8' codec can't decode byte "
			                    "0x%02x in position %zu: invalid "
			                    "or overlong sequence",
			                    j.s[i], i);
		i += (size_t)k;
	}
	if (value(&j)) {
		ws(&j);
		if (j.i < n)
			fail(&j, "Extra data", j.i);
	}
	return j.err ? where(&j) : NULL;
}
