/* site.c - the website: which page a path asks for. How the site names
 * and lists the records of each resource is in the resource table. Pages are
 * rendered on the server, paginated and searched in SQL, and work without any
 * script. Paths follow the reference's site: / (home.c), /<resource>s/ lists
 * and
 * /<resource>/<id> shows one record (records.c), /docs/ (guides.c). */
#include "site.h"

#include "link.h"

#include <string.h>

/* ---- which page ---- */

bool web_page(struct request *rq)
{
	const char *p = rq->path;
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
		return false;
	if (!strcmp(p, "/")) {
		home(rq);
		return true;
	}
	if (!strcmp(p, "/docs/") || !strcmp(p, "/docs")) {
		docs_index(rq);
		return true;
	}
	if (!strncmp(p, "/docs/", 6) && !strchr(p + 6, '/')) {
		doc_page(rq, p + 6);
		return true;
	}
	if (!strncmp(p, "/api", 4) || p[0] != '/')
		return false;
	/* /<resource>s/ and /<resource>/<id> */
	const char *seg = p + 1;
	size_t n = strcspn(seg, "/");
	const char *rest = seg + n;
	if (n > 1 && seg[n - 1] == 's' && !strcmp(rest, "/")) {
		const struct resource *r = resource_find(seg, (int)n - 1);
		if (r && r->plural) {
			list_page(rq, r);
			return true;
		}
	}
	long long id;
	const struct resource *r = resource_find(seg, (int)n);
	if (r && r->plural && *rest == '/') {
		size_t il = strcspn(rest + 1, "/");
		const char *after = rest + 1 + il;
		if (parse_id(rest + 1, il, &id) &&
		    (!*after || !strcmp(after, "/"))) {
			record_page(rq, r, id);
			return true;
		}
	}
	return false;
}
