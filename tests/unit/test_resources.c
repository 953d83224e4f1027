/* test_resources.c - every resource in the table carries what every layer
 * needs: the API (names, fields, documentation), the website and the
 * browsable API (how a record is named, the list page, the file alias).
 * Nothing is added to the table here; a new resource that misses
 * something fails here first. */
#include "check.h"

#include "schema.h"

#include <ctype.h>

static bool has(const char *s)
{
	return s && *s;
}

/* "a,b,c": every name a field of r */
static bool fields_exist(const struct resource *r, const char *list)
{
	char name[128];
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		if (!n || n >= sizeof name)
			return false;
		memcpy(name, p, n);
		name[n] = 0;
		if (!field_find(r, name))
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

static void test_api(const struct resource *r)
{
	CHECK(has(r->name) && has(r->model) && has(r->title));
	CHECK(r->fields && r->fields[0].name);
	CHECK(has(r->doc));
	CHECK(r->verbs & V_GET);
	for (int i = 0; i < 2; i++)
		if (r->unique_together[i])
			CHECK(fields_exist(r, r->unique_together[i]));
	for (int i = 0; i < 2; i++)
		if (r->checks[i].constraint)
			CHECK(has(r->checks[i].key) &&
			      has(r->checks[i].message));
	for (const struct field *f = r->fields; f->name; f++) {
		if (f->type == F_HREF)
			CHECK(f->href && strstr(f->href, "%lld") &&
			      !strstr(strstr(f->href, "%lld") + 1, "%"));
		if (f->copy_link)
			CHECK(f->copy_column && field_find(r, f->copy_link) &&
			      field_find(r, f->copy_link)->type == F_LINK);
		if (f->uuid_from)
			CHECK(f->type == F_UUID && field_find(r, f->uuid_from));
	}
}

static void test_web(const struct resource *r)
{
	/* every record is named wherever another one links to it */
	CHECK(has(r->label));
	/* a resource only a token may read has no public pages */
	CHECK(r->auth_read ? !r->plural : has(r->plural));
	if (r->plural)
		CHECK(isupper((unsigned char)r->plural[0]));
	CHECK(!r->column.head == !r->column.expr);
	if (r->file.text || r->file.parts[0]) {
		CHECK(has(r->file.text));
		for (int i = 0; i < 3; i++) {
			const struct field *f = field_find(r, r->file.parts[i]);
			CHECK(f != NULL);
			if (f && f->type == F_LINK)
				CHECK(resource_find(f->target, -1)->label);
		}
	}
	for (const struct field *f = r->fields; f->name; f++)
		if (f->type == F_LINK || f->type == F_LINKS ||
		    f->type == F_REVERSE) {
			const struct resource *t = resource_find(f->target, -1);
			CHECK(t && has(t->label));
		}
}

int main(void)
{
	CHECK(n_resources > 0);
	for (int i = 0; i < n_resources; i++) {
		const struct resource *r = &resources[i];
		int before = check_failed;
		test_api(r);
		test_web(r);
		if (check_failed != before)
			printf("  ... in resource %s\n", r->name);
	}
	return check_done("test_resources");
}
