/* resource_doc.c - a resource's documentation, written from the table: its
 * own paragraph (.doc, what is not about one field), then one line per
 * field from the field's .help with its type, bounds and flags, then the
 * rules over several fields. OPTIONS, the browsable API, the website and
 * the OpenAPI document all show this text, so a field is described once,
 * beside its definition, and cannot disagree with itself. */
#include "resource_doc.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LONG_TEXT 1048576 /* the bound API.md calls "long text" */

/* A malloc'd growing string: the text outlives every request. */
struct text {
	char *p;
	size_t len, cap;
	bool failed;
};

static void put(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	if (t->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap + (size_t)(n < 0 ? 0 : n) + 1) * 2;
		char *p = n < 0 ? NULL : realloc(t->p, cap);
		if (!p) {
			t->failed = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

/* What kind of value the field holds, in words. */
static void kind(struct text *t, const struct field *f)
{
	switch (f->type) {
	case F_TEXT:
		if (f->max_len && f->max_len != LONG_TEXT)
			put(t, "text, at most %d characters", f->max_len);
		else
			put(t, "text");
		break;
	case F_NAME:
		put(t, "a name without any of [ ] ? *");
		if (f->max_len)
			put(t, ", at most %d characters", f->max_len);
		break;
	case F_VERSION:
		put(t, "a semantic version: MAJOR.MINOR.PATCH, then maybe "
		       "-prerelease and +build");
		break;
	case F_URL:
		put(t, "a URL");
		if (f->max_len && f->max_len != LONG_TEXT)
			put(t, ", at most %d characters", f->max_len);
		break;
	case F_UUID:
		put(t, "a UUID");
		break;
	case F_DATETIME:
		put(t, "a date and time, ISO 8601");
		break;
	case F_BOOL:
		put(t, "true or false");
		break;
	case F_INT:
		if (f->max_value)
			put(t, "a whole number from %d to %d", f->min_value,
			    f->max_value);
		else
			put(t, "a whole number, %d or more", f->min_value);
		break;
	case F_LINK:
		put(t, "link to `%s`", f->target);
		break;
	case F_LINKS:
		put(t, "links to `%s`", f->target);
		break;
	case F_REVERSE:
		if (f->one)
			put(t, "link to `%s`, or null", f->target);
		else
			put(t, "links to `%s`", f->target);
		break;
	case F_HREF:
		put(t, "an address");
		break;
	case F_STRINGS:
		put(t, "a list of text");
		break;
	}
}

static void field_line(struct text *t, const struct field *f, bool writable)
{
	put(t, "- `%s` (", f->name);
	kind(t, f);
	if (writable) {
		if (f->required && f->def)
			/* the reference fills it in on POST, wants it on PUT */
			put(t, "; optional when created, needed by PUT");
		else if (f->required)
			put(t, "; required");
		else
			put(t, "; optional");
		if (f->def && f->type != F_LINKS)
			put(t, ", default %s", f->def);
	}
	if (f->unique)
		put(t, "; unique");
	put(t, "): %s\n", f->help ? f->help : "");
}

static bool any(const struct resource *r, bool writable)
{
	for (const struct field *f = r->fields; f->name; f++)
		if (field_writable(f) == writable)
			return true;
	return false;
}

/* "a,b,c" -> "`a`, `b` and `c`" */
static void name_list(struct text *t, const char *list)
{
	int n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ',';
	int i = 0;
	for (const char *p = list; *p; i++) {
		size_t len = strcspn(p, ",");
		put(t, "%s`%.*s`",
		    i == 0       ? ""
		    : i == n - 1 ? " and "
		                 : ", ",
		    (int)len, p);
		p += len + (p[len] == ',');
	}
}

static char *write_doc(const struct resource *r)
{
	struct text t = {0};
	put(&t, "%s", r->doc ? r->doc : "");
	if (t.len && t.p[t.len - 1] != '\n')
		put(&t, "\n");
	if (r->auth_read)
		put(&t, "\nReading these records needs a token.\n");
	if (!(r->verbs & V_POST))
		put(&t, "\nThey cannot be created through the API.\n");
	if (r->verbs & (V_PUT | V_DELETE))
		put(&t, "\nA record may be %s%s%s.\n",
		    r->verbs & V_PUT ? "changed with PUT or PATCH" : "",
		    (r->verbs & V_PUT) && (r->verbs & V_DELETE) ? " and " : "",
		    r->verbs & V_DELETE ? "removed with DELETE" : "");
	if (any(r, true)) {
		put(&t, "\nWritable fields:\n");
		for (const struct field *f = r->fields; f->name; f++)
			if (field_writable(f))
				field_line(&t, f, true);
	}
	put(&t, "\nRead-only fields:\n- `url` (an address): The address of "
	        "this record; its last number is the record's id.\n");
	for (const struct field *f = r->fields; f->name; f++)
		if (!field_writable(f))
			field_line(&t, f, false);
	bool rules = false;
	for (int i = 0; i < 2 && r->unique_together[i]; i++) {
		put(&t, "%sNo two records share ", rules ? "" : "\n");
		name_list(&t, r->unique_together[i]);
		put(&t, ".\n");
		rules = true;
	}
	for (int i = 0; i < 2 && r->checks[i].message; i++) {
		put(&t, "%s%s\n", rules ? "" : "\n", r->checks[i].message);
		rules = true;
	}
	if (t.failed) {
		free(t.p);
		return NULL;
	}
	return t.p;
}

/* Written once per process, on first use. */
static char **kept;

const char *resource_doc(const struct resource *r)
{
	long i = r - resources;
	if (i < 0 || i >= n_resources)
		return r->doc ? r->doc : "";
	if (!kept)
		kept = calloc((size_t)n_resources, sizeof *kept);
	if (!kept)
		return r->doc ? r->doc : "";
	if (!kept[i])
		kept[i] = write_doc(r);
	return kept[i] ? kept[i] : r->doc ? r->doc : "";
}
