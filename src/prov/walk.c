/* walk.c - the one provenance walk. From a data product (or a code run) it
 * loads, level by level, the runs that output it, what those runs used and
 * the data products of their inputs, which make the next level. The ids of
 * a level are asked for together, one query per kind of row, so the cost
 * is a bounded number of queries per level whatever the graph's width; a
 * data product is expanded once, so cycles end. The rows come from a
 * pv_source, which is the database in service and plain arrays in the unit
 * tests. */
#include "prov/graph.h"

#include <stdlib.h>
#include <string.h>

/* ---- small containers ---- */

void pv_ids_add(struct arena *a, struct pv_ids *l, long long v)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 8;
		long long *v2 = arena_alloc(a, sizeof *v2 * (size_t)cap);
		if (l->n)
			memcpy(v2, l->v, sizeof *v2 * (size_t)l->n);
		l->v = v2;
		l->cap = cap;
	}
	l->v[l->n++] = v;
}

bool pv_ids_has(const struct pv_ids *l, long long v)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

static unsigned hash_id(long long id)
{
	unsigned long long x = (unsigned long long)id * 0x9e3779b97f4a7c15ull;
	return (unsigned)(x >> 32);
}

/* id -> index into the graph's array of that kind of node; open
 * addressing, -1 marks a free slot */
static int map_get(const struct pv_map *m, long long key)
{
	if (!m->cap)
		return -1;
	for (unsigned i = hash_id(key) & (unsigned)(m->cap - 1);;
	     i = (i + 1) & (unsigned)(m->cap - 1)) {
		if (m->vals[i] < 0)
			return -1;
		if (m->keys[i] == key)
			return m->vals[i];
	}
}

static void map_put(struct arena *a, struct pv_map *m, long long key, int val)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct pv_map old = *m;
		m->cap = old.cap ? old.cap * 2 : 64;
		m->keys = arena_alloc(a, sizeof *m->keys * (size_t)m->cap);
		m->vals = arena_alloc(a, sizeof *m->vals * (size_t)m->cap);
		for (int i = 0; i < m->cap; i++)
			m->vals[i] = -1;
		m->n = 0;
		for (int i = 0; i < old.cap; i++)
			if (old.vals[i] >= 0)
				map_put(a, m, old.keys[i], old.vals[i]);
	}
	unsigned i = hash_id(key) & (unsigned)(m->cap - 1);
	while (m->vals[i] >= 0 && m->keys[i] != key)
		i = (i + 1) & (unsigned)(m->cap - 1);
	if (m->vals[i] < 0)
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

/* Appends p to a growable array of pointers. */
static void push(struct arena *a, void ***arr, int *n, int *cap, void *p)
{
	if (*n == *cap) {
		int c = *cap ? *cap * 2 : 16;
		void **v = arena_alloc(a, sizeof *v * (size_t)c);
		if (*n)
			memcpy(v, *arr, sizeof *v * (size_t)*n);
		*arr = v;
		*cap = c;
	}
	(*arr)[(*n)++] = p;
}

struct pv_product *pv_product(const struct pv_graph *g, long long id)
{
	int i = map_get(&g->mproducts, id);
	return i < 0 ? NULL : g->products[i];
}

struct pv_object *pv_object(const struct pv_graph *g, long long id)
{
	int i = map_get(&g->mobjects, id);
	return i < 0 ? NULL : g->objects[i];
}

struct pv_run *pv_run(const struct pv_graph *g, long long id)
{
	int i = map_get(&g->mruns, id);
	return i < 0 ? NULL : g->runs[i];
}

struct pv_author *pv_author_at(const struct pv_graph *g, int index)
{
	return index >= 0 && index < g->nauthors ? g->authors[index] : NULL;
}

static struct pv_object *object_get(struct pv_graph *g, long long id)
{
	struct pv_object *o = pv_object(g, id);
	if (o)
		return o;
	o = arena_alloc(g->a, sizeof *o);
	o->id = id;
	map_put(g->a, &g->mobjects, id, g->nobjects);
	push(g->a, (void ***)&g->objects, &g->nobjects, &g->capobjects, o);
	return o;
}

/* ---- text helpers ---- */

char *pv_join_location(struct arena *a, const char *root, const char *path)
{
	while (*path == '/')
		path++;
	while (*path == '\\')
		path++;
	size_t rl = strlen(root);
	if (*path == '/' || rl == 0)
		return arena_strdup(a, path);
	return arena_printf(a, "%s%s%s", root, root[rl - 1] == '/' ? "" : "/",
	                    path);
}

char *pv_isoformat(struct arena *a, const char *t)
{
	if (!t)
		return NULL;
	size_t n = strlen(t);
	const char *dot = strchr(t, '.');
	if (dot && strspn(dot + 1, "0") == strlen(dot + 1))
		n = (size_t)(dot - t);
	return arena_printf(a, "%.*s+00:00", (int)n, t);
}

static const char *cell(const struct pv_rows *r, int row, int col)
{
	return col < r->ncols ? r->cell[row * r->ncols + col] : NULL;
}

static long long num(const struct pv_rows *r, int row, int col)
{
	const char *s = cell(r, row, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

static bool flag(const struct pv_rows *r, int row, int col)
{
	const char *s = cell(r, row, col);
	return s && (*s == 't' || *s == '1');
}

/* ---- asking the source ---- */

static bool ask(struct pv_graph *g, const struct pv_source *src,
                enum pv_query q, const struct pv_ids *ids, struct pv_rows *out)
{
	memset(out, 0, sizeof *out);
	if (!ids->n)
		return true;
	g->statements++;
	return src->fetch(src->ctx, g->a, q, ids->v, ids->n, out);
}

/* product rows: key, id, object, name, version, namespace, last_updated */
static void read_products(struct pv_graph *g, const struct pv_rows *r,
                          bool by_object)
{
	for (int i = 0; i < r->n; i++) {
		long long id = num(r, i, 1);
		struct pv_product *p = pv_product(g, id);
		if (!p) {
			p = arena_alloc(g->a, sizeof *p);
			p->id = id;
			p->object = num(r, i, 2);
			p->name = cell(r, i, 3);
			p->version = cell(r, i, 4);
			p->namespace = cell(r, i, 5);
			p->last_updated = cell(r, i, 6);
			map_put(g->a, &g->mproducts, id, g->nproducts);
			push(g->a, (void ***)&g->products, &g->nproducts,
			     &g->capproducts, p);
		}
		if (by_object) {
			struct pv_object *o = object_get(g, num(r, i, 0));
			if (!pv_ids_has(&o->products, id))
				pv_ids_add(g->a, &o->products, id);
		}
	}
}

static bool load_root_product(struct pv_graph *g, const struct pv_source *src,
                              long long id)
{
	struct pv_ids ids = {0};
	struct pv_rows r;
	pv_ids_add(g->a, &ids, id);
	if (!ask(g, src, PQ_PRODUCTS, &ids, &r))
		return false;
	read_products(g, &r, false);
	return true;
}

/* run rows: key, run_date, description, updated_by, full name, author id,
 * author name, author identifier, code_repo, model_config, script */
static bool load_runs(struct pv_graph *g, const struct pv_source *src,
                      const struct pv_ids *want, bool outputs)
{
	struct pv_ids missing = {0}, noio = {0}, noout = {0};
	struct pv_rows r;
	for (int i = 0; i < want->n; i++)
		if (!pv_run(g, want->v[i]) && !pv_ids_has(&missing, want->v[i]))
			pv_ids_add(g->a, &missing, want->v[i]);
	if (!ask(g, src, PQ_RUNS, &missing, &r))
		return false;
	for (int i = 0; i < r.n; i++) {
		long long id = num(&r, i, 0);
		if (pv_run(g, id))
			continue;
		struct pv_run *run = arena_alloc(g->a, sizeof *run);
		run->id = id;
		run->run_date = cell(&r, i, 1);
		run->description = cell(&r, i, 2);
		run->user = num(&r, i, 3);
		run->user_name = cell(&r, i, 4);
		run->ua_author = num(&r, i, 5);
		run->ua_name = cell(&r, i, 6);
		run->ua_identifier = cell(&r, i, 7);
		run->code_repo = num(&r, i, 8);
		run->model_config = num(&r, i, 9);
		run->script = num(&r, i, 10);
		map_put(g->a, &g->mruns, id, g->nruns);
		push(g->a, (void ***)&g->runs, &g->nruns, &g->capruns, run);
	}
	for (int i = 0; i < want->n; i++) {
		struct pv_run *run = pv_run(g, want->v[i]);
		if (run && !run->io_loaded && !pv_ids_has(&noio, run->id))
			pv_ids_add(g->a, &noio, run->id);
		if (run && outputs && !run->outputs_loaded &&
		    !pv_ids_has(&noout, run->id))
			pv_ids_add(g->a, &noout, run->id);
	}
	for (int pass = 0; pass < 2; pass++) {
		const struct pv_ids *ids = pass ? &noout : &noio;
		if (!ask(g, src, pass ? PQ_RUN_OUTPUTS : PQ_RUN_INPUTS, ids,
		         &r))
			return false;
		for (int k = 0; k < ids->n; k++) {
			struct pv_run *run = pv_run(g, ids->v[k]);
			int n = 0;
			for (int i = 0; i < r.n; i++)
				n += num(&r, i, 0) == run->id;
			struct pv_io *io =
			    arena_alloc(g->a, sizeof *io * (size_t)(n + 1));
			n = 0;
			for (int i = 0; i < r.n; i++) {
				if (num(&r, i, 0) != run->id)
					continue;
				io[n].component = num(&r, i, 1);
				io[n].object = num(&r, i, 2);
				n++;
			}
			if (pass) {
				run->outputs = io;
				run->noutputs = n;
				run->outputs_loaded = true;
			} else {
				run->inputs = io;
				run->ninputs = n;
				run->io_loaded = true;
			}
		}
	}
	return true;
}

/* Counts the rows of r keyed by key. */
static int count_key(const struct pv_rows *r, long long key)
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		n += num(r, i, 0) == key;
	return n;
}

static int author_index(struct pv_graph *g, const struct pv_rows *r, int i)
{
	long long id = num(r, i, 1);
	int at = map_get(&g->mauthors, id);
	if (at >= 0)
		return at;
	struct pv_author *au = arena_alloc(g->a, sizeof *au);
	au->id = id;
	au->name = cell(r, i, 2);
	au->identifier = cell(r, i, 3);
	map_put(g->a, &g->mauthors, id, g->nauthors);
	push(g->a, (void ***)&g->authors, &g->nauthors, &g->capauthors, au);
	return g->nauthors - 1;
}

static void read_notes(struct pv_graph *g, const struct pv_rows *r,
                       struct pv_object *o, struct pv_note **out, int *nout)
{
	*out =
	    arena_alloc(g->a, sizeof **out * (size_t)(count_key(r, o->id) + 1));
	*nout = 0;
	for (int i = 0; i < r->n; i++) {
		if (num(r, i, 0) != o->id)
			continue;
		struct pv_note *n = &(*out)[(*nout)++];
		n->id = num(r, i, 1);
		n->text = cell(r, i, 2);
		n->identifier = cell(r, i, 3);
	}
}

/* Loads the rows and lists of the objects in want that are not loaded. */
static bool load_objects(struct pv_graph *g, const struct pv_source *src,
                         const struct pv_ids *want)
{
	struct pv_ids ids = {0};
	for (int i = 0; i < want->n; i++) {
		struct pv_object *o = object_get(g, want->v[i]);
		if (!o->loaded && !pv_ids_has(&ids, o->id))
			pv_ids_add(g->a, &ids, o->id);
	}
	if (!ids.n)
		return true;
	struct pv_rows r;
	if (!ask(g, src, PQ_OBJECTS, &ids, &r))
		return false;
	for (int i = 0; i < r.n; i++) {
		struct pv_object *o = object_get(g, num(&r, i, 0));
		o->last_updated = cell(&r, i, 1);
		o->description = cell(&r, i, 2);
		o->location_id = num(&r, i, 3);
		if (o->location_id)
			o->location = pv_join_location(
			    g->a, cell(&r, i, 4) ? cell(&r, i, 4) : "",
			    cell(&r, i, 5) ? cell(&r, i, 5) : "");
		o->hash = cell(&r, i, 6);
		o->public_ = flag(&r, i, 7);
		o->file_type = cell(&r, i, 8);
		o->extension = cell(&r, i, 9);
		o->release_id = num(&r, i, 10);
		o->release_name = cell(&r, i, 11);
		o->release_version = cell(&r, i, 12);
		o->release_website = cell(&r, i, 13);
	}
	if (!ask(g, src, PQ_OBJECT_PRODUCTS, &ids, &r))
		return false;
	read_products(g, &r, true);
	if (!ask(g, src, PQ_OBJECT_AUTHORS, &ids, &r))
		return false;
	for (int i = 0; i < r.n; i++) {
		struct pv_object *o = object_get(g, num(&r, i, 0));
		pv_ids_add(g->a, &o->authors, author_index(g, &r, i));
	}
	if (!ask(g, src, PQ_OBJECT_ISSUES, &ids, &r))
		return false;
	for (int k = 0; k < ids.n; k++) {
		struct pv_object *o = object_get(g, ids.v[k]);
		o->issues =
		    arena_alloc(g->a, sizeof *o->issues *
		                          (size_t)(count_key(&r, o->id) + 1));
		for (int i = 0; i < r.n; i++) {
			if (num(&r, i, 0) != o->id)
				continue;
			struct pv_issue *is = &o->issues[o->nissues++];
			is->id = num(&r, i, 1);
			is->description = cell(&r, i, 2);
			is->severity = cell(&r, i, 3);
		}
	}
	if (!ask(g, src, PQ_OBJECT_LICENCES, &ids, &r))
		return false;
	for (int k = 0; k < ids.n; k++) {
		struct pv_object *o = object_get(g, ids.v[k]);
		read_notes(g, &r, o, &o->licences, &o->nlicences);
	}
	if (!ask(g, src, PQ_OBJECT_KEYWORDS, &ids, &r))
		return false;
	for (int k = 0; k < ids.n; k++) {
		struct pv_object *o = object_get(g, ids.v[k]);
		read_notes(g, &r, o, &o->keywords, &o->nkeywords);
		o->loaded = true;
	}
	return true;
}

/* The components of the objects in want, each with its last run. */
static bool load_components(struct pv_graph *g, const struct pv_source *src,
                            const struct pv_ids *want)
{
	struct pv_ids ids = {0};
	for (int i = 0; i < want->n; i++) {
		struct pv_object *o = object_get(g, want->v[i]);
		if (!o->comps_loaded && !pv_ids_has(&ids, o->id))
			pv_ids_add(g->a, &ids, o->id);
	}
	struct pv_rows r;
	if (!ask(g, src, PQ_COMPONENTS, &ids, &r))
		return false;
	for (int k = 0; k < ids.n; k++) {
		struct pv_object *o = object_get(g, ids.v[k]);
		o->comps =
		    arena_alloc(g->a, sizeof *o->comps *
		                          (size_t)(count_key(&r, o->id) + 1));
		for (int i = 0; i < r.n; i++) {
			if (num(&r, i, 0) != o->id)
				continue;
			struct pv_component *c = &o->comps[o->ncomps++];
			c->id = num(&r, i, 1);
			c->run = num(&r, i, 2);
		}
		o->comps_loaded = true;
	}
	return true;
}

/* External objects of every product the graph holds without one yet. */
static bool load_externals(struct pv_graph *g, const struct pv_source *src)
{
	struct pv_ids ids = {0};
	for (int i = 0; i < g->nproducts; i++)
		if (!g->products[i]->ext_loaded)
			pv_ids_add(g->a, &ids, g->products[i]->id);
	struct pv_rows r;
	if (!ask(g, src, PQ_EXTERNAL, &ids, &r))
		return false;
	for (int i = 0; i < r.n; i++) {
		struct pv_product *p = pv_product(g, num(&r, i, 0));
		if (!p)
			continue;
		struct pv_external *e = arena_alloc(g->a, sizeof *e);
		e->id = num(&r, i, 1);
		e->identifier = cell(&r, i, 2);
		e->alt = cell(&r, i, 3);
		e->alt_type = cell(&r, i, 4);
		e->primary = flag(&r, i, 5);
		e->release_date = cell(&r, i, 6);
		e->title = cell(&r, i, 7);
		e->description = cell(&r, i, 8);
		e->version = cell(&r, i, 9);
		if (cell(&r, i, 10) || cell(&r, i, 11))
			e->original_store = pv_join_location(
			    g->a, cell(&r, i, 10) ? cell(&r, i, 10) : "",
			    cell(&r, i, 11) ? cell(&r, i, 11) : "");
		p->ext = e;
	}
	for (int k = 0; k < ids.n; k++)
		pv_product(g, ids.v[k])->ext_loaded = true;
	return true;
}

/* Queues, in order, the data products of a run's inputs that were never
 * queued: the next level. */
static void queue_inputs(struct pv_graph *g, const struct pv_run *run,
                         struct pv_ids *next)
{
	for (int i = 0; i < run->ninputs; i++) {
		struct pv_object *o = pv_object(g, run->inputs[i].object);
		if (!o)
			continue;
		for (int k = 0; k < o->products.n; k++) {
			struct pv_product *p = pv_product(g, o->products.v[k]);
			if (p && !p->queued) {
				p->queued = true;
				pv_ids_add(g->a, next, p->id);
			}
		}
	}
}

static void add_unique(struct arena *a, struct pv_ids *l, long long v)
{
	if (v && !pv_ids_has(l, v))
		pv_ids_add(a, l, v);
}

/* The objects a run's level needs described. */
static void run_objects(struct pv_graph *g, const struct pv_run *run,
                        struct pv_ids *objs)
{
	add_unique(g->a, objs, run->code_repo);
	add_unique(g->a, objs, run->model_config);
	add_unique(g->a, objs, run->script);
	for (int i = 0; i < run->ninputs; i++)
		add_unique(g->a, objs, run->inputs[i].object);
	for (int i = 0; i < run->noutputs; i++)
		add_unique(g->a, objs, run->outputs[i].object);
}

enum pv_status pv_walk(struct pv_graph *g, struct arena *a,
                       const struct pv_source *src, bool root_is_run,
                       long long root, int depth)
{
	memset(g, 0, sizeof *g);
	g->a = a;
	g->root_is_run = root_is_run;
	g->root = root;
	g->depth = depth < 1 ? 1 : depth;

	struct pv_ids frontier = {0};
	if (root_is_run) {
		struct pv_ids one = {0};
		pv_ids_add(a, &one, root);
		if (!load_runs(g, src, &one, true))
			return PV_FAILED;
		if (!pv_run(g, root))
			return PV_NOT_FOUND;
	} else {
		if (!load_root_product(g, src, root))
			return PV_FAILED;
		struct pv_product *p = pv_product(g, root);
		if (!p)
			return PV_NOT_FOUND;
		p->queued = true;
		pv_ids_add(a, &frontier, root);
	}

	for (int level = 1; level <= g->depth; level++) {
		bool run_level = root_is_run && level == 1;
		if (!run_level && !frontier.n)
			break;
		struct pv_ids runs = {0}, objs = {0};
		if (run_level) {
			pv_ids_add(a, &runs, root);
		} else {
			for (int i = 0; i < frontier.n; i++) {
				pv_ids_add(a, &g->order, frontier.v[i]);
				add_unique(
				    a, &objs,
				    pv_product(g, frontier.v[i])->object);
			}
			if (!load_components(g, src, &objs))
				return PV_FAILED;
			for (int i = 0; i < frontier.n; i++) {
				struct pv_object *o = pv_object(
				    g, pv_product(g, frontier.v[i])->object);
				for (int c = 0; c < o->ncomps; c++)
					add_unique(a, &runs, o->comps[c].run);
			}
			if (!load_runs(g, src, &runs, false))
				return PV_FAILED;
		}
		for (int i = 0; i < runs.n; i++) {
			struct pv_run *run = pv_run(g, runs.v[i]);
			if (run)
				run_objects(g, run, &objs);
		}
		if (!load_objects(g, src, &objs) || !load_externals(g, src))
			return PV_FAILED;
		g->levels = level;

		/* the next level, in the order the reference meets it */
		struct pv_ids next = {0};
		if (run_level) {
			queue_inputs(g, pv_run(g, root), &next);
		} else {
			for (int i = 0; i < frontier.n; i++) {
				struct pv_object *o = pv_object(
				    g, pv_product(g, frontier.v[i])->object);
				for (int c = 0; c < o->ncomps; c++) {
					struct pv_run *run =
					    pv_run(g, o->comps[c].run);
					if (run)
						queue_inputs(g, run, &next);
				}
			}
		}
		frontier = next;
	}
	return PV_OK;
}
