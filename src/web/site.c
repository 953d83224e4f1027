/* site.c - the website: which page a path asks for, and how the site
 * names the records of each resource. Pages are rendered on the server,
 * paginated and searched in SQL, and work without any script. Paths follow
 * the reference's site: / (home.c), /<resource>s/ lists and
 * /<resource>/<id> shows one record (records.c), /docs/ (guides.c). */
#include "site.h"

#include "link.h"

#include <string.h>

/* An object has no name of its own: the product or release it holds,
 * else its description, else its file's path. o is the row's alias. */
#define OBJECT_LABEL(o)                                                        \
	"coalesce((SELECT n.name || ':' || d.name || '@' || d.version "        \
	"FROM data_product d JOIN namespace n ON n.id = d.namespace_id "       \
	"WHERE d.object_id = " o ".id ORDER BY d.id LIMIT 1), "                \
	"(SELECT c.name || '@' || c.version FROM code_repo_release c "         \
	"WHERE c.object_id = " o ".id), nullif(" o ".description, ''), "       \
	"(SELECT l.path FROM storage_location l "                              \
	"WHERE l.id = " o ".storage_location_id), 'Object ' || " o ".id)"

const struct site_res site[] = {
    {"users", NULL, "t.username", NULL, NULL},
    {"groups", NULL, "t.name", NULL, NULL},
    {"file_type", "File types", "t.name || ' (' || t.extension || ')'", NULL,
     NULL},
    {"issue", "Issues", "t.description", "Severity", "t.severity::text"},
    {"author", "Authors", "coalesce(t.name, t.identifier)", NULL, NULL},
    {"object", "Objects", OBJECT_LABEL("t"), NULL, NULL},
    {"user_author", "User authors",
     "(SELECT u.username FROM users u WHERE u.id = t.user_id) || ' is ' || "
     "(SELECT coalesce(a.name, a.identifier) FROM author a "
     "WHERE a.id = t.author_id)",
     NULL, NULL},
    {"object_component", "Object components",
     "t.name || ' of ' || (SELECT " OBJECT_LABEL(
         "o") " FROM object o "
              "WHERE o.id = t.object_id)",
     NULL, NULL},
    {"code_run", "Code runs", "t.description", "Run date", STAMP("t.run_date")},
    {"storage_root", "Storage roots", "t.root", NULL, NULL},
    {"storage_location", "Storage locations",
     "(SELECT r.root FROM storage_root r WHERE r.id = t.storage_root_id) "
     "|| t.path",
     NULL, NULL},
    {"namespace", "Namespaces", "t.name", "Full name", "t.full_name"},
    {"data_product", "Data products",
     "(SELECT n.name FROM namespace n WHERE n.id = t.namespace_id) || ':' "
     "|| t.name || '@' || t.version",
     NULL, NULL},
    {"external_object", "External objects",
     "coalesce(t.alternate_identifier || ':', '') || t.title || '@' || "
     "t.version",
     "Release date", STAMP("t.release_date")},
    {"quality_controlled", "Quality controlled",
     "'Object ' || t.object_id || ' checked by object ' || t.document_id", NULL,
     NULL},
    {"keyword", "Keywords", "t.keyphrase", NULL, NULL},
    {"licence", "Licences", "t.licence_info", NULL, NULL},
    {"code_repo_release", "Code repo releases", "t.name || '@' || t.version",
     "Website", "t.website"},
    {"key_value", "Key values", "t.key || ' = ' || t.value", NULL, NULL},
};

const int n_site = (int)(sizeof site / sizeof site[0]);

const struct site_res *site_find(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof site / sizeof site[0]; i++)
		if (strlen(site[i].name) == n &&
		    !strncmp(site[i].name, name, n))
			return &site[i];
	return NULL;
}

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
		const struct site_res *s = site_find(seg, n - 1);
		if (s && s->plural) {
			list_page(rq, s);
			return true;
		}
	}
	long long id;
	const struct site_res *s = site_find(seg, n);
	if (s && s->plural && *rest == '/') {
		size_t il = strcspn(rest + 1, "/");
		const char *after = rest + 1 + il;
		if (parse_id(rest + 1, il, &id) &&
		    (!*after || !strcmp(after, "/"))) {
			record_page(rq, s, id);
			return true;
		}
	}
	return false;
}
