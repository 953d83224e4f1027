/* test_prov_walk.c - the provenance walk on hand-built graphs held in
 * memory: depth honoured, cycles ending, each level costing a bounded
 * number of queries whatever its width, the reference's expansion order;
 * and the PROV document built from such a graph stating each record once. */
#include "check.h"

#include "arena.h"
#include "prov/doc.h"
#include "prov/graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- an in-memory source: rows per query, keyed by their first cell ---- */

#define MAXROWS 4096

struct table {
	int n, ncols;
	const char *cell[MAXROWS * 16];
};

struct mock {
	struct table t[PQ_COUNT];
	int calls[PQ_COUNT];
	int widest; /* most ids asked for in one call */
	struct arena *a;
};

static void row(struct mock *m, enum pv_query q, int ncols, ...)
{
	struct table *t = &m->t[q];
	va_list ap;
	va_start(ap, ncols);
	t->ncols = ncols;
	for (int i = 0; i < ncols; i++)
		t->cell[t->n * ncols + i] = va_arg(ap, const char *);
	va_end(ap);
	t->n++;
}

static bool fetch(void *ctx, struct arena *a, enum pv_query q,
                  const long long *ids, int n, struct pv_rows *out)
{
	struct mock *m = ctx;
	const struct table *t = &m->t[q];
	m->calls[q]++;
	if (n > m->widest)
		m->widest = n;
	out->ncols = t->ncols;
	out->n = 0;
	out->cell =
	    arena_alloc(a, sizeof *out->cell * (size_t)(t->n * t->ncols + 1));
	for (int r = 0; r < t->n; r++) {
		long long key = strtoll(t->cell[r * t->ncols], NULL, 10);
		bool want = false;
		for (int i = 0; i < n && !want; i++)
			want = ids[i] == key;
		if (!want)
			continue;
		memcpy(&out->cell[out->n * t->ncols], &t->cell[r * t->ncols],
		       sizeof *out->cell * (size_t)t->ncols);
		out->n++;
	}
	return true;
}

static const char *num(struct mock *m, long long v)
{
	return arena_printf(m->a, "%lld", v);
}

#define T0 "2024-01-02T03:04:05.000000"

/* An object with one component (id object*10) and one data product. */
static void product(struct mock *m, long long id, long long object)
{
	const char *o = num(m, object), *p = num(m, id);
	const char *name = arena_printf(m->a, "model/p%lld", id);
	row(m, PQ_PRODUCTS, 7, p, p, o, name, "1.0.0", "ns", T0);
	row(m, PQ_OBJECT_PRODUCTS, 7, o, p, o, name, "1.0.0", "ns", T0);
	row(m, PQ_OBJECTS, 14, o, T0, NULL, NULL, NULL, NULL, NULL, "t", NULL,
	    NULL, NULL, NULL, NULL, NULL);
}

/* The last run that output object's component. */
static void made_by(struct mock *m, long long object, long long run)
{
	row(m, PQ_COMPONENTS, 3, num(m, object), num(m, object * 10),
	    run ? num(m, run) : NULL);
}

/* A code run reading the whole of each object in inputs (0-ended). */
static void run(struct mock *m, long long id, long long script, ...)
{
	const char *r = num(m, id);
	row(m, PQ_RUNS, 11, r, T0, "a run", "1", "User Not Found", NULL, NULL,
	    NULL, NULL, NULL, num(m, script));
	va_list ap;
	va_start(ap, script);
	for (long long o; (o = va_arg(ap, long long));)
		row(m, PQ_RUN_INPUTS, 3, r, num(m, o * 10), num(m, o));
	va_end(ap);
}

static void script(struct mock *m, long long object)
{
	const char *o = num(m, object);
	row(m, PQ_OBJECTS, 14, o, T0, "script", NULL, NULL, NULL, NULL, "t",
	    NULL, NULL, NULL, NULL, NULL, NULL);
	row(m, PQ_COMPONENTS, 3, o, num(m, object * 10), NULL);
}

static struct pv_source source(struct mock *m)
{
	struct pv_source s = {m, fetch};
	return s;
}

static int total_calls(const struct mock *m)
{
	int n = 0;
	for (int q = 0; q < PQ_COUNT; q++)
		n += m->calls[q];
	return n;
}

static bool order_is(const struct pv_graph *g, int n, ...)
{
	if (g->order.n != n)
		return false;
	va_list ap;
	va_start(ap, n);
	bool same = true;
	for (int i = 0; i < n; i++)
		same = same && g->order.v[i] == va_arg(ap, long long);
	va_end(ap);
	return same;
}

/* p1 -> run 1 -> p2 -> run 2 -> p3 -> run 3 -> p4 (object = 100 + id) */
static void chain(struct mock *m)
{
	script(m, 99);
	for (long long p = 1; p <= 4; p++)
		product(m, p, 100 + p);
	made_by(m, 101, 0);
	for (long long r = 1; r <= 3; r++) {
		run(m, r, 99LL, 100 + r, 0LL);
		made_by(m, 100 + r + 1, r);
	}
}

static void test_depth(struct arena *a)
{
	for (int depth = -2; depth <= 6; depth++) {
		struct mock *m = calloc(1, sizeof *m);
		m->a = a;
		chain(m);
		struct pv_source src = source(m);
		struct pv_graph g;
		CHECK(pv_walk(&g, a, &src, false, 4, depth) == PV_OK);
		/* depth below 1 counts as 1; the chain has four levels (the
		 * last expands p1, which no run made) */
		int want = depth < 1 ? 1 : depth > 4 ? 4 : depth;
		CHECK(g.order.n == want && g.levels == want);
		long long expect[] = {4, 3, 2, 1};
		for (int i = 0; i < g.order.n && i < 4; i++)
			CHECK(g.order.v[i] == expect[i]);
		if (want < 4) {
			/* the last level's inputs are described, not
			 * expanded, and what made them is not read */
			long long edge = 4 - want;
			CHECK(pv_product(&g, edge) != NULL);
			CHECK(pv_object(&g, 100 + edge)->loaded);
			CHECK(!pv_object(&g, 100 + edge)->comps_loaded);
			CHECK(pv_run(&g, edge - 1) == NULL);
		}
		CHECK(pv_run(&g, 3) != NULL);
		free(m);
	}
}

static void test_cycle(struct arena *a)
{
	/* p1 is made from p2 by run 1, p2 from p1 by run 2 */
	struct mock *m = calloc(1, sizeof *m);
	m->a = a;
	script(m, 99);
	product(m, 1, 101);
	product(m, 2, 102);
	run(m, 1, 99LL, 102LL, 0LL);
	run(m, 2, 99LL, 101LL, 0LL);
	made_by(m, 101, 1);
	made_by(m, 102, 2);
	struct pv_source src = source(m);
	struct pv_graph g;
	CHECK(pv_walk(&g, a, &src, false, 1, 1000000) == PV_OK);
	CHECK(order_is(&g, 2, 1LL, 2LL));
	CHECK(g.levels == 2);
	CHECK(total_calls(m) < 30);

	/* a product made from itself */
	struct mock *s = calloc(1, sizeof *s);
	s->a = a;
	script(s, 99);
	product(s, 7, 107);
	run(s, 7, 99LL, 107LL, 0LL);
	made_by(s, 107, 7);
	src = source(s);
	CHECK(pv_walk(&g, a, &src, false, 7, 1000) == PV_OK);
	CHECK(order_is(&g, 1, 7LL));

	/* and the document of the cycle states each record once */
	struct pr_doc d;
	CHECK(pv_walk(&g, a, &(struct pv_source){m, fetch}, false, 1, 50) ==
	      PV_OK);
	pr_build(&d, a, &g, "http://localhost/");
	int activities = 0, derivations = 0;
	for (int i = 0; i < d.n; i++) {
		activities += d.recs[i].kind == PR_ACTIVITY;
		derivations += d.recs[i].kind == PR_DERIVATION;
	}
	CHECK(activities == 2);
	CHECK(derivations == 2);
	free(m);
	free(s);
}

static void test_width(struct arena *a)
{
	/* one run reading 200 products, each made by its own run from the
	 * same source: a level's queries do not grow with its width */
	struct mock *m = calloc(1, sizeof *m);
	m->a = a;
	script(m, 99);
	product(m, 1, 1001);
	product(m, 2, 1002);
	made_by(m, 1002, 0);
	row(m, PQ_RUNS, 11, "1", T0, "wide", "1", "User Not Found", NULL, NULL,
	    NULL, NULL, NULL, "99");
	made_by(m, 1001, 1);
	for (long long i = 0; i < 200; i++) {
		long long p = 10 + i, o = 2000 + i, r = 100 + i;
		product(m, p, o);
		row(m, PQ_RUN_INPUTS, 3, "1", num(m, o * 10), num(m, o));
		run(m, r, 99LL, 1002LL, 0LL);
		made_by(m, o, r);
	}
	struct pv_source src = source(m);
	struct pv_graph g;
	CHECK(pv_walk(&g, a, &src, false, 1, 10) == PV_OK);
	CHECK(g.levels == 3);
	CHECK(g.order.n == 202);
	CHECK(g.order.v[0] == 1 && g.order.v[1] == 10 && g.order.v[200] == 209);
	CHECK(g.order.v[201] == 2);
	/* at most one query per kind of row and level */
	for (int q = 0; q < PQ_COUNT; q++)
		CHECK(m->calls[q] <= g.levels);
	CHECK(g.statements == total_calls(m));
	CHECK(m->widest >= 200);
	free(m);
}

static void test_run_root(struct arena *a)
{
	struct mock *m = calloc(1, sizeof *m);
	m->a = a;
	chain(m);
	row(m, PQ_RUN_OUTPUTS, 3, "3", "1040", "104");
	struct pv_source src = source(m);
	struct pv_graph g;
	CHECK(pv_walk(&g, a, &src, true, 3, 1) == PV_OK);
	CHECK(g.order.n == 0);
	CHECK(pv_run(&g, 3)->noutputs == 1);
	CHECK(pv_object(&g, 104)->loaded);
	CHECK(pv_walk(&g, a, &src, true, 3, 2) == PV_OK);
	CHECK(order_is(&g, 1, 3LL));
	CHECK(pv_walk(&g, a, &src, true, 3, 99) == PV_OK);
	CHECK(order_is(&g, 3, 3LL, 2LL, 1LL));
	CHECK(pv_walk(&g, a, &src, true, 42, 1) == PV_NOT_FOUND);
	CHECK(pv_walk(&g, a, &src, false, 42, 1) == PV_NOT_FOUND);
	free(m);
}

static void test_text(struct arena *a)
{
	CHECK_STR(pv_isoformat(a, "2021-07-17T18:21:11.000000"),
	          "2021-07-17T18:21:11+00:00");
	CHECK_STR(pv_isoformat(a, "2021-07-17T18:21:11.500000"),
	          "2021-07-17T18:21:11.500000+00:00");
	CHECK_STR(pv_join_location(a, "file:///data/", "/a/b.csv"),
	          "file:///data/a/b.csv");
	CHECK_STR(pv_join_location(a, "https://x.org", "a.csv"),
	          "https://x.org/a.csv");
	CHECK_STR(pv_join_location(a, "", "a.csv"), "a.csv");
	CHECK_STR(pv_join_location(a, "r/", "\\\\/abs"), "/abs");
}

static void test_document(struct arena *a)
{
	/* run 1 outputs two components of one object: one activity */
	struct mock *m = calloc(1, sizeof *m);
	m->a = a;
	script(m, 99);
	product(m, 1, 101);
	product(m, 2, 102);
	made_by(m, 101, 1);
	row(m, PQ_COMPONENTS, 3, "101", "1011", "1");
	made_by(m, 102, 0);
	run(m, 1, 99LL, 102LL, 0LL);
	struct pv_source src = source(m);
	struct pv_graph g;
	CHECK(pv_walk(&g, a, &src, false, 1, 1) == PV_OK);
	struct pr_doc d;
	pr_build(&d, a, &g, "http://localhost:8000/");
	CHECK_STR(d.reg, "lreg");
	CHECK_STR(d.recs[0].id, "lreg:api/data_product/1");
	int activities = 0, used = 0;
	for (int i = 0; i < d.n; i++) {
		activities += d.recs[i].kind == PR_ACTIVITY;
		used += d.recs[i].kind == PR_USAGE;
	}
	CHECK(activities == 1);
	CHECK(used == 2); /* the script and the input */
	CHECK_STR(pr_expand(&d, "lreg:api/x/1"),
	          "http://localhost:8000/api/x/1");
	CHECK_STR(pr_expand(&d, "prov:Person"),
	          "http://www.w3.org/ns/prov#Person");
	pr_build(&d, a, &g, PR_CENTRAL_URL);
	CHECK_STR(d.reg, "reg");
	free(m);
}

int main(void)
{
	struct arena a = {0};
	test_depth(&a);
	test_cycle(&a);
	test_width(&a);
	test_run_root(&a);
	test_text(&a);
	test_document(&a);
	arena_free(&a);
	return check_done("test_prov_walk");
}
