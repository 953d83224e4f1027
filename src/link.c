/* link.c - hyperlinks: every record refers to others by absolute URL, built
 * from the Host the client used, and accepts them back by path alone. */
#include "link.h"
#include "schema.h"

#include <limits.h>
#include <string.h>

char *link_to(struct request *r, const char *resource, long long id)
{
	return arena_printf(r->a, "%s/api/%s/%lld/%s", r->base, resource, id,
			    format_suffix(r));
}

bool parse_id(const char *s, size_t n, long long *id)
{
	if (n == 0 || n > 18)
		return false;
	long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return true;
}

enum link_err link_parse(const char *url, const char *resource,
			 long long *id)
{
	const char *p = url;
	const char *scheme = strstr(url, "://");
	if (scheme) {
		p = strchr(scheme + 3, '/');
		if (!p)
			return LINK_NO_MATCH;
	}
	if (strncmp(p, "/api/", 5))
		return LINK_NO_MATCH;
	p += 5;
	const char *slash = strchr(p, '/');
	if (!slash)
		return LINK_NO_MATCH;
	size_t rlen = (size_t)(slash - p);
	const char *idp = slash + 1;
	size_t idlen = strcspn(idp, "/?#");
	const char *rest = idp + idlen;
	/* one optional trailing slash, then only a query or fragment */
	if (*rest == '/')
		rest++;
	if (idlen == 0 || (*rest && *rest != '?' && *rest != '#'))
		return LINK_NO_MATCH;
	if (!resource_find(p, (int)rlen))
		return LINK_NO_MATCH;
	if (strlen(resource) != rlen || strncmp(p, resource, rlen))
		return LINK_WRONG_MATCH;
	if (!parse_id(idp, idlen, id))
		return LINK_NO_OBJECT;
	return LINK_OK;
}
