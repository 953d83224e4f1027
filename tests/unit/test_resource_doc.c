/* test_resource_doc.c - every field is described once, beside its
 * definition: each has its help, each resource's documentation has one line
 * per field written from it (with what the table says of the field), and a
 * resource's own paragraph lists no fields of its own. */
#include "check.h"

#include "resource_doc.h"
#include "validate.h"

#include <stdio.h>
#include <string.h>

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* The line of doc that describes field name, or NULL. */
static const char *line_of(const char *doc, const char *name, char *out,
                           size_t n)
{
	char head[128];
	snprintf(head, sizeof head, "\n- `%s` (", name);
	const char *p = strstr(doc, head);
	if (!p)
		return NULL;
	p++;
	size_t len = strcspn(p, "\n");
	snprintf(out, n, "%.*s", (int)len, p);
	return out;
}

static void test_every_field(void)
{
	char line[2048], head[128];
	for (int i = 0; i < n_resources; i++) {
		const struct resource *r = &resources[i];
		const char *doc = resource_doc(r);
		CHECK(r->doc && *r->doc);
		/* the paragraph says nothing field by field */
		CHECK(!strstr(r->doc, "\n- `"));
		CHECK(!strstr(r->doc, "(optional"));
		CHECK(!strncmp(doc, r->doc, strlen(r->doc)));
		CHECK(line_of(doc, "url", line, sizeof line));
		for (const struct field *f = r->fields; f->name; f++) {
			CHECK(f->help && *f->help);
			snprintf(head, sizeof head, "\n- `%s` (", f->name);
			CHECK(count(doc, head) == 1);
			if (!line_of(doc, f->name, line, sizeof line)) {
				printf("not ok - %s.%s has no line\n", r->name,
				       f->name);
				continue;
			}
			CHECK(f->help && strstr(line, f->help));
			bool w = field_writable(f);
			if (w && f->required && !f->def)
				CHECK(strstr(line, "; required)") ||
				      strstr(line, "; required;"));
			if (w && !f->required)
				CHECK(strstr(line, "; optional"));
			if (!w)
				CHECK(!strstr(line, "required") &&
				      !strstr(line, "optional"));
			bool under_writable =
			    strstr(doc, "Writable fields:") &&
			    strstr(doc, "Writable fields:") <
			        strstr(doc, head) &&
			    strstr(doc, head) <
			        strstr(doc, "Read-only fields:");
			CHECK(under_writable == w);
		}
	}
}

/* The example the issue names: component_issues is required by PUT and
 * filled in by POST, and the text says so rather than "(optional)". */
static void test_component_issues(void)
{
	char line[2048];
	const struct resource *r = resource_find("issue", -1);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(line_of(resource_doc(r), "component_issues", line, sizeof line));
	CHECK(strstr(line, "needed by PUT") != NULL);
	CHECK(strstr(line, "(optional") == NULL);
}

int main(void)
{
	test_every_field();
	test_component_issues();
	return check_done("test_resource_doc");
}
