/* allow.c - address allow-lists: space- or comma-separated IPv4 and IPv6
 * addresses, each optionally with a /PREFIX length. */
#include "allow.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An address as 16 bytes, IPv4 as IPv4-mapped IPv6, so one compare does
 * both families. */
static bool parse_addr(const char *s, size_t n, unsigned char out[16])
{
	char buf[INET6_ADDRSTRLEN + 1];
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	struct in_addr v4;
	if (inet_pton(AF_INET, buf, &v4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &v4, 4);
		return true;
	}
	return inet_pton(AF_INET6, buf, out) == 1;
}

static bool prefix_equal(const unsigned char *a, const unsigned char *b,
                         int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)whole))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/* One entry: address and prefix length in the 128-bit space. */
static bool parse_entry(const char *s, size_t n, unsigned char addr[16],
                        int *bits)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	if (!parse_addr(s, an, addr))
		return false;
	bool v4 = !memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) &&
	          memchr(s, ':', an) == NULL;
	*bits = 128;
	if (slash) {
		char num[8];
		size_t nn = n - an - 1;
		if (!nn || nn >= sizeof num)
			return false;
		memcpy(num, slash + 1, nn);
		num[nn] = 0;
		char *end;
		long b = strtol(num, &end, 10);
		if (*end || b < 0 || b > (v4 ? 32 : 128))
			return false;
		*bits = (int)b + (v4 ? 96 : 0);
	}
	return true;
}

#define SEPARATORS " ,\t"

bool allow_valid(const char *list, const char **bad)
{
	for (const char *p = list; *p;) {
		p += strspn(p, SEPARATORS);
		size_t n = strcspn(p, SEPARATORS);
		unsigned char a[16];
		int bits;
		if (n && !parse_entry(p, n, a, &bits)) {
			static char entry[64];
			snprintf(entry, sizeof entry, "%.*s", (int)n, p);
			*bad = entry;
			return false;
		}
		p += n;
	}
	return true;
}

static bool allow_bytes(const char *list, const unsigned char who[16])
{
	for (const char *p = list; *p;) {
		p += strspn(p, SEPARATORS);
		size_t n = strcspn(p, SEPARATORS);
		unsigned char a[16];
		int bits;
		if (n && parse_entry(p, n, a, &bits) &&
		    prefix_equal(a, who, bits))
			return true;
		p += n;
	}
	return false;
}

bool allow_text(const char *list, const char *addr)
{
	unsigned char who[16];
	if (!addr || !parse_addr(addr, strlen(addr), who))
		return false;
	return allow_bytes(list, who);
}

bool allow_sockaddr(const char *list, const struct sockaddr *sa)
{
	unsigned char who[16];
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		memset(who, 0, 10);
		who[10] = who[11] = 0xff;
		memcpy(who + 12, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)sa;
		memcpy(who, &in->sin6_addr, 16);
	} else {
		return true; /* a unix socket: the file's mode decides */
	}
	return allow_bytes(list, who);
}
