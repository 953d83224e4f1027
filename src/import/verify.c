/* verify.c - `registry import --verify URL|DIR`: every record of the source
 * against this registry's answer for the same id, field by field, with the
 * source's base URL taken out of its hyperlinks (this registry's are
 * written without one here). Prints each difference (the first few per
 * resource) and a count; fields the source has and this registry does not
 * keep are named once, not counted. */
#include "parts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX  10
#define PAGE_ROWS 1000

/* The part of the record's url before /api/ */
static size_t base_len(json_object *rec)
{
	json_object *u;
	if (!json_object_object_get_ex(rec, "url", &u))
		return 0;
	const char *s = json_object_get_string(u);
	const char *api = s ? strstr(s, "/api/") : NULL;
	return api ? (size_t)(api - s) : 0;
}

/* A copy of v with every string beginning with base cut after it. */
static json_object *strip(json_object *v, const char *base, size_t n)
{
	switch (json_object_get_type(v)) {
	case json_type_string: {
		const char *s = json_object_get_string(v);
		if (n && !strncmp(s, base, n) && !strncmp(s + n, "/api/", 5))
			return json_object_new_string(s + n);
		return json_object_get(v);
	}
	case json_type_array: {
		json_object *a = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(
			    a, strip(json_object_array_get_idx(v, i), base, n));
		return a;
	}
	case json_type_object: {
		json_object *o = json_object_new_object();
		json_object_object_foreach(v, k, e)
		    json_object_object_add(o, k, strip(e, base, n));
		return o;
	}
	default:
		return json_object_get(v);
	}
}

struct tally {
	const char *resource;
	long long diffs;
	json_object *extra; /* source-only field names */
};

static void differ(struct tally *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void differ(struct tally *t, const char *fmt, ...)
{
	if (t->diffs++ < SHOW_MAX) {
		va_list ap;
		va_start(ap, fmt);
		printf("%s ", t->resource);
		vprintf(fmt, ap);
		putchar('\n');
		va_end(ap);
	} else if (t->diffs == SHOW_MAX + 1) {
		printf("%s: more differences...\n", t->resource);
	}
}

static const char *show(json_object *v)
{
	return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)
	         : "(none)";
}

static void compare(struct tally *t, long long id, json_object *here,
                    json_object *there)
{
	json_object_object_foreach(here, k, v)
	{
		json_object *w = NULL;
		if (!json_object_object_get_ex(there, k, &w)) {
			differ(t, "%lld: %s: here %.300s, not in the source",
			       id, k, show(v));
			continue;
		}
		if (!json_object_equal(v, w))
			differ(t, "%lld: %s: here %.300s, in the source %.300s",
			       id, k, show(v), show(w));
	}
	json_object_object_foreach(there, k2, v2)
	{
		(void)v2;
		if (!json_object_object_get_ex(here, k2, NULL))
			json_object_object_add(t->extra, k2, NULL);
	}
}

/* Every record of the source, by id, without its base URL. */
static bool read_source(struct source *s, const struct resource *r,
                        json_object *by_id, struct progress *pr, bool *hidden)
{
	*hidden = false;
	char *pos = NULL;
	long long n = 0;
	for (;;) {
		struct page p;
		if (!source_page(s, r->name, pos, &p)) {
			if (!pos && source_hidden(s, r)) {
				printf("%s: hidden by the source from this "
				       "reader, not compared\n",
				       r->name);
				page_free(&p);
				*hidden = true;
				return true;
			}
			fprintf(stderr, "registry: %s: %s\n", r->name, s->err);
			free(pos);
			page_free(&p);
			return false;
		}
		if (!pos)
			progress_start(pr, r->name, p.count);
		free(pos);
		for (size_t i = 0; i < json_object_array_length(p.results);
		     i++) {
			json_object *rec =
			    json_object_array_get_idx(p.results, i);
			long long id;
			if (!record_id(rec, r->name, &id)) {
				fprintf(stderr,
				        "registry: %s: a record without a "
				        "usable url\n",
				        r->name);
				page_free(&p);
				return false;
			}
			size_t bl = base_len(rec);
			json_object *rec_url;
			json_object_object_get_ex(rec, "url", &rec_url);
			char key[32];
			snprintf(key, sizeof key, "%lld", id);
			json_object_object_add(
			    by_id, key,
			    strip(rec, json_object_get_string(rec_url), bl));
			n++;
		}
		progress_step(pr, n, 0);
		pos = p.next ? strdup(p.next) : NULL;
		page_free(&p);
		if (!pos)
			return true;
	}
}

static bool verify_resource(PGconn *c, struct source *s,
                            const struct resource *r, long long *total)
{
	struct tally t = {.resource = r->name,
	                  .extra = json_object_new_object()};
	json_object *by_id = json_object_new_object();
	struct progress pr;
	bool hidden;
	if (!read_source(s, r, by_id, &pr, &hidden) || hidden) {
		json_object_put(by_id);
		json_object_put(t.extra);
		return hidden;
	}
	struct local l;
	local_open(&l, c, r, "");
	const char *lines[PAGE_ROWS];
	long long ids[PAGE_ROWS];
	int n;
	bool ok = true;
	while ((n = local_next(&l, PAGE_ROWS, lines, ids)) > 0) {
		for (int i = 0; i < n; i++) {
			char key[32];
			snprintf(key, sizeof key, "%lld", ids[i]);
			json_object *there = NULL;
			if (!json_object_object_get_ex(by_id, key, &there)) {
				differ(&t, "%lld: here, not in the source",
				       ids[i]);
				continue;
			}
			json_object *here = json_tokener_parse(lines[i]);
			compare(&t, ids[i], here, there);
			json_object_put(here);
			json_object_object_del(by_id, key);
		}
	}
	ok = n == 0;
	local_close(&l);
	json_object_object_foreach(by_id, k, v)
	{
		(void)v;
		differ(&t, "%s: in the source, not here", k);
	}
	if (json_object_object_length(t.extra)) {
		printf("%s: not kept here (not compared):", r->name);
		json_object_object_foreach(t.extra, k3, v3)
		{
			(void)v3;
			printf(" %s", k3);
		}
		putchar('\n');
	}
	progress_end(&pr, t.diffs ? "DIFFERENT" : "same");
	*total += t.diffs;
	json_object_put(by_id);
	json_object_put(t.extra);
	return ok;
}

int verify_run(PGconn *c, struct source *s)
{
	const struct resource *order[64];
	int n = resource_order(order);
	long long diffs = 0;
	for (int i = 0; i < n; i++)
		if (!verify_resource(c, s, order[i], &diffs))
			return 2;
	fflush(stdout);
	if (diffs) {
		printf("%lld difference%s between this registry and %s\n",
		       diffs, diffs == 1 ? "" : "s", s->where);
		return 1;
	}
	printf("no difference between this registry and %s\n", s->where);
	return 0;
}
