/* values.c - the typed values clients send: booleans in all the spellings
 * the reference accepts, ISO 8601 datetimes, semantic versions, URLs as
 * Django validates them, UUIDs in any of Python's spellings. */
#include "values.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

int parse_bool(const char *s)
{
	static const char *yes[] = {"true", "t", "yes", "y", "on", "1", NULL};
	static const char *no[] = {"false", "f", "no", "n", "off", "0", NULL};
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return 1;
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i]))
			return 0;
	return -1;
}

static bool digits(const char **p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
	*p += n;
	return true;
}

static int num(const char *p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static bool valid_date(int year, int mon, int day)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (year < 1 || mon < 1 || mon > 12 || day < 1)
		return false;
	return day <= days[mon - 1] + (mon == 2 && leap);
}

char *parse_datetime(struct arena *a, const char *s)
{
	const char *p = s;
	if (!digits(&p, 4) || *p++ != '-' || !digits(&p, 2) || *p++ != '-' ||
	    !digits(&p, 2))
		return NULL;
	if (!valid_date(num(s, 4), num(s + 5, 2), num(s + 8, 2)))
		return NULL;
	if (!*p) /* a bare date is its midnight */
		return arena_printf(a, "%sT00:00:00", s);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return NULL;
	p++;
	const char *t = p;
	ptrdiff_t frac = 0, frac_end = 0; /* where a fraction is in s */
	if (!digits(&p, 2) || *p++ != ':' || !digits(&p, 2))
		return NULL;
	if (num(t, 2) > 23 || num(t + 3, 2) > 59)
		return NULL;
	if (*p == ':') {
		p++;
		const char *sec = p;
		if (!digits(&p, 2) || num(sec, 2) > 59)
			return NULL;
		if (*p == '.' || *p == ',') {
			/* Django reads up to six digits and ignores six more */
			frac = p - s;
			p++;
			int n = 0;
			while (isdigit((unsigned char)p[n]))
				n++;
			if (n < 1 || n > 12)
				return NULL;
			frac_end = p + n - s;
			p += n;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		p++;
		if (!digits(&p, 2))
			return NULL;
		if (*p == ':')
			p++;
		if (*p && !digits(&p, 2))
			return NULL;
	}
	if (*p)
		return NULL;
	char *out = arena_strdup(a, s);
	if (out[10] == ' ' || out[10] == 't')
		out[10] = 'T';
	if (frac) {
		out[frac] = '.';
		if (frac_end - frac > 7) /* drop the digits past six */
			memmove(out + frac + 7, out + frac_end,
			        strlen(out + frac_end) + 1);
	}
	return out;
}

static bool ident(const char **pp, bool numeric_rule)
{
	const char *p = *pp;
	size_t n = 0;
	bool all_digits = true;
	while (isalnum((unsigned char)p[n]) || p[n] == '-') {
		if (!isdigit((unsigned char)p[n]))
			all_digits = false;
		n++;
	}
	if (n == 0)
		return false;
	if (numeric_rule && all_digits && n > 1 && p[0] == '0')
		return false;
	*pp = p + n;
	return true;
}

static bool number(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;
	while (isdigit((unsigned char)p[n]))
		n++;
	if (n == 0 || (n > 1 && p[0] == '0'))
		return false;
	*pp = p + n;
	return true;
}

bool is_semver(const char *s)
{
	const char *p = s;
	if (!number(&p) || *p++ != '.' || !number(&p) || *p++ != '.' ||
	    !number(&p))
		return false;
	if (*p == '-') {
		p++;
		do {
			if (!ident(&p, true))
				return false;
		} while (*p == '.' && p++);
	}
	if (*p == '+') {
		p++;
		do {
			if (!ident(&p, false))
				return false;
		} while (*p == '.' && p++);
	}
	return *p == 0;
}

static bool host_label(const char **pp)
{
	const char *p = *pp;
	size_t n = 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '-' ||
	       (unsigned char)p[n] >= 0x80)
		n++;
	if (n == 0 || n > 63 || p[0] == '-' || p[n - 1] == '-')
		return false;
	*pp = p + n;
	return true;
}

bool is_url(const char *s)
{
	static const char *schemes[] = {"http://", "https://", "ftp://",
	                                "ftps://", NULL};
	const char *p = NULL;
	for (int i = 0; schemes[i]; i++)
		if (!strncasecmp(s, schemes[i], strlen(schemes[i])))
			p = s + strlen(schemes[i]);
	if (!p)
		return false;
	for (const char *q = s; *q; q++)
		if (isspace((unsigned char)*q))
			return false;
	/* user:password@ */
	const char *end = p + strcspn(p, "/?#");
	const char *at = memchr(p, '@', (size_t)(end - p));
	if (at)
		p = at + 1;
	if (*p == '[') { /* IPv6 */
		const char *close = strchr(p, ']');
		if (!close || close > end)
			return false;
		for (const char *q = p + 1; q < close; q++)
			if (!isxdigit((unsigned char)*q) && *q != ':' &&
			    *q != '.')
				return false;
		p = close + 1;
	} else if (!strncasecmp(p, "localhost", 9) &&
	           (p[9] == ':' || p + 9 == end)) {
		p += 9;
	} else {
		int labels = 0;
		const char *last = p;
		for (;;) {
			last = p;
			if (!host_label(&p))
				return false;
			labels++;
			if (*p != '.')
				break;
			p++;
			if (p == end || *p == ':') /* trailing dot */
				break;
		}
		if (labels < 2)
			return false;
		/* the top-level label: letters (or xn--), or all digits
		 * for an IPv4 address */
		bool alpha = true, numeric = true;
		for (const char *q = last; q < p && *q != '.'; q++) {
			if (!isalpha((unsigned char)*q))
				alpha = false;
			if (!isdigit((unsigned char)*q))
				numeric = false;
		}
		if (!alpha && !numeric && strncasecmp(last, "xn--", 4))
			return false;
		if (alpha && p - last < 2)
			return false;
	}
	if (*p == ':') {
		p++;
		int n = 0;
		long port = 0;
		/* only the first six digits count: more is too many */
		for (; isdigit((unsigned char)p[n]); n++)
			if (n < 6)
				port = port * 10 + (p[n] - '0');
		if (n < 1 || n > 5 || port > 65535)
			return false;
		p += n;
	}
	return *p == 0 || *p == '/' || *p == '?' || *p == '#';
}

char *parse_uuid(struct arena *a, const char *s)
{
	if (!strncasecmp(s, "urn:uuid:", 9))
		s += 9;
	char hex[33];
	int n = 0;
	size_t len = strlen(s);
	if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
		s++;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-')
			continue;
		if (!isxdigit((unsigned char)s[i]) || n == 32)
			return NULL;
		hex[n++] = (char)tolower((unsigned char)s[i]);
	}
	if (n != 32)
		return NULL;
	hex[32] = 0;
	return arena_printf(a, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
	                    hex + 12, hex + 16, hex + 20);
}

bool is_name(const char *s)
{
	return !strpbrk(s, "[]?*");
}
