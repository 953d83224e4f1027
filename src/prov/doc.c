/* doc.c - the PROV document of a data product, built from the provenance
 * graph as the reference builds it: the same records with the same
 * attributes, in the same order, each stated once (the reference restates
 * a record each time its walk meets it again; the copies are identical,
 * and a PROV reader merges them). */
#include "prov/doc.h"

#include <string.h>

#define FAIR_VOCAB PR_CENTRAL_URL "vocab/#"

static const struct pr_ns defaults[] = {
    {"prov", "http://www.w3.org/ns/prov#"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
};

const char *pr_kind_name(enum pr_kind k)
{
	static const char *names[PR_NKINDS] = {
	    "entity",
	    "activity",
	    "agent",
	    "wasGeneratedBy",
	    "used",
	    "wasStartedBy",
	    "wasDerivedFrom",
	    "wasAttributedTo",
	    "specializationOf",
	};
	return names[k];
}

bool pr_is_element(enum pr_kind k)
{
	return k == PR_ENTITY || k == PR_ACTIVITY || k == PR_AGENT;
}

int pr_formals(const struct pr_record *r, struct pr_formal f[5])
{
	static const char *names[PR_NKINDS][5] = {
	    [PR_ACTIVITY] = {"prov:startTime", "prov:endTime"},
	    [PR_GENERATION] = {"prov:entity", "prov:activity", "prov:time"},
	    [PR_USAGE] = {"prov:activity", "prov:entity", "prov:time"},
	    [PR_START] = {"prov:activity", "prov:trigger", "prov:starter",
	                  "prov:time"},
	    [PR_DERIVATION] = {"prov:generatedEntity", "prov:usedEntity",
	                       "prov:activity", "prov:generation",
	                       "prov:usage"},
	    [PR_ATTRIBUTION] = {"prov:entity", "prov:agent"},
	    [PR_SPECIALIZATION] = {"prov:specificEntity", "prov:generalEntity"},
	};
	int n = 0;
	while (n < 5 && names[r->kind][n]) {
		f[n].name = names[r->kind][n];
		f[n].time = !strcmp(f[n].name, "prov:time") ||
		            !strcmp(f[n].name, "prov:startTime") ||
		            !strcmp(f[n].name, "prov:endTime");
		f[n].value = NULL;
		n++;
	}
	if (r->kind == PR_ACTIVITY) {
		f[0].value = r->time;
	} else if (n) {
		f[0].value = r->a;
		f[1].value = r->b;
		if (r->kind == PR_START)
			f[3].value = r->time;
	}
	return n;
}

const char *pr_expand(const struct pr_doc *d, const char *qname)
{
	const char *colon = strchr(qname, ':');
	if (!colon)
		return NULL;
	size_t pl = (size_t)(colon - qname);
	for (int i = 0; i < d->nns + 2; i++) {
		const struct pr_ns *ns =
		    i < d->nns ? &d->ns[i] : &defaults[i - d->nns];
		if (strlen(ns->prefix) == pl && !strncmp(ns->prefix, qname, pl))
			return arena_printf(d->a, "%s%s", ns->uri, colon + 1);
	}
	return NULL;
}

/* ---- records stated once ---- */

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The index stored under key, or -1. */
static int set_get(const struct pr_doc *d, const char *key)
{
	if (!d->scap)
		return -1;
	for (unsigned i = hash_str(key) & (unsigned)(d->scap - 1);;
	     i = (i + 1) & (unsigned)(d->scap - 1)) {
		if (!d->skeys[i])
			return -1;
		if (!strcmp(d->skeys[i], key))
			return d->svals[i];
	}
}

static void set_put(struct pr_doc *d, const char *key, int val)
{
	if ((d->sn + 1) * 2 > d->scap) {
		const char **ok = d->skeys;
		int *ov = d->svals, oc = d->scap;
		d->scap = oc ? oc * 2 : 256;
		d->skeys =
		    arena_alloc(d->a, sizeof *d->skeys * (size_t)d->scap);
		d->svals =
		    arena_alloc(d->a, sizeof *d->svals * (size_t)d->scap);
		d->sn = 0;
		for (int i = 0; i < oc; i++)
			if (ok[i])
				set_put(d, ok[i], ov[i]);
	}
	unsigned i = hash_str(key) & (unsigned)(d->scap - 1);
	while (d->skeys[i] && strcmp(d->skeys[i], key))
		i = (i + 1) & (unsigned)(d->scap - 1);
	if (!d->skeys[i])
		d->sn++;
	d->skeys[i] = key;
	d->svals[i] = val;
}

/* A record's whole content as one string: equal strings, equal records. */
static const char *signature(struct pr_doc *d, const struct pr_record *r)
{
	struct buf b;
	buf_init(&b, d->a);
	buf_printf(&b, "%d\x1f%s\x1f%s\x1f%s\x1f%s", (int)r->kind,
	           r->id ? r->id : "", r->a ? r->a : "", r->b ? r->b : "",
	           r->time ? r->time : "");
	for (int i = 0; i < r->nattrs; i++)
		buf_printf(&b, "\x1e%s\x1f%d\x1f%s", r->attrs[i].name,
		           (int)r->attrs[i].type, r->attrs[i].value);
	return b.p;
}

static struct pr_record *draft(struct pr_doc *d, enum pr_kind k)
{
	struct pr_record *r = arena_alloc(d->a, sizeof *r);
	r->kind = k;
	return r;
}

/* Adds a value to a draft; a (name, value) pair already there is kept
 * once, and values of one name stay together. NULL values are dropped, as
 * the reference's library drops them. */
static void attr(struct pr_doc *d, struct pr_record *r, const char *name,
                 enum pr_vtype type, const char *value)
{
	if (!value)
		return;
	int at = r->nattrs;
	for (int i = 0; i < r->nattrs; i++) {
		if (strcmp(r->attrs[i].name, name))
			continue;
		if (r->attrs[i].type == type &&
		    !strcmp(r->attrs[i].value, value))
			return;
		at = i + 1;
	}
	if (r->nattrs == r->capattrs) {
		int cap = r->capattrs ? r->capattrs * 2 : 8;
		struct pr_attr *v = arena_alloc(d->a, sizeof *v * (size_t)cap);
		if (r->nattrs)
			memcpy(v, r->attrs, sizeof *v * (size_t)r->nattrs);
		r->attrs = v;
		r->capattrs = cap;
	}
	memmove(&r->attrs[at + 1], &r->attrs[at],
	        sizeof *r->attrs * (size_t)(r->nattrs - at));
	r->attrs[at] = (struct pr_attr){name, type, value};
	r->nattrs++;
}

/* States a drafted record unless the very same one is stated already. */
static void state(struct pr_doc *d, const struct pr_record *r)
{
	const char *sig = signature(d, r);
	if (set_get(d, sig) >= 0)
		return;
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 64;
		struct pr_record *v =
		    arena_alloc(d->a, sizeof *v * (size_t)cap);
		if (d->n)
			memcpy(v, d->recs, sizeof *v * (size_t)d->n);
		d->recs = v;
		d->cap = cap;
	}
	d->recs[d->n] = *r;
	set_put(d, sig, d->n);
	if (r->id) {
		/* the first element of an id is what the reference's
		 * get_record finds */
		const char *key = arena_printf(d->a, "id\x1f%s", r->id);
		if (set_get(d, key) < 0)
			set_put(d, key, d->n);
	}
	d->n++;
}

int pr_find(const struct pr_doc *d, const char *id)
{
	return set_get(d, arena_printf(d->a, "id\x1f%s", id));
}

static bool has_element(const struct pr_doc *d, const char *id)
{
	return pr_find(d, id) >= 0;
}

static void relation(struct pr_doc *d, enum pr_kind k, const char *a,
                     const char *b, const char *time, const char *role)
{
	struct pr_record *r = draft(d, k);
	r->a = a;
	r->b = b;
	r->time = time;
	attr(d, r, "prov:role", PV_QNAME, role);
	state(d, r);
}

/* ---- the reference's document, piece by piece ---- */

struct builder {
	struct pr_doc *d;
	const struct pv_graph *g;
	struct arena *a;
};

static const char *ident(struct builder *b, const char *what, long long id)
{
	return arena_printf(b->a, "%s:api/%s/%lld", b->d->reg, what, id);
}

/* The attributes every object-backed entity carries. */
static void object_meta(struct builder *b, struct pr_record *r,
                        const struct pv_object *o)
{
	struct pr_doc *d = b->d;
	attr(d, r, "dcterms:modified", PV_TIME,
	     pv_isoformat(b->a, o->last_updated));
	attr(d, r, "prov:atLocation", PV_STRING, o->location);
	if (o->description && *o->description)
		attr(d, r, "dcterms:description", PV_STRING, o->description);
	for (int i = 0; i < o->products.n; i++) {
		const struct pv_product *p = pv_product(b->g, o->products.v[i]);
		if (!p)
			continue;
		attr(d, r, "fair:namespace", PV_STRING, p->namespace);
		attr(d, r, "dcterms:title", PV_STRING, p->name);
		attr(d, r, "dcat:hasVersion", PV_STRING, p->version);
	}
	for (int i = 0; i < o->nissues; i++)
		attr(d, r, "fair:issue", PV_STRING,
		     arena_printf(b->a, "%s severity: %s ID: %lld",
		                  o->issues[i].description,
		                  o->issues[i].severity, o->issues[i].id));
	attr(d, r, "dcterms:format", PV_STRING, o->file_type);
}

static void authors(struct builder *b, const struct pv_object *o,
                    const char *entity)
{
	for (int i = 0; i < o->authors.n; i++) {
		const struct pv_author *au =
		    pv_author_at(b->g, (int)o->authors.v[i]);
		const char *id = ident(b, "author", au->id);
		if (!has_element(b->d, id)) {
			struct pr_record *r = draft(b->d, PR_AGENT);
			r->id = id;
			attr(b->d, r, "rdf:type", PV_QNAME, "prov:Person");
			attr(b->d, r, "foaf:name", PV_STRING, au->name);
			attr(b->d, r, "dcterms:identifier", PV_STRING,
			     au->identifier);
			state(b->d, r);
		}
		relation(b->d, PR_ATTRIBUTION, entity, id, NULL,
		         "dcterms:creator");
	}
}

static void external(struct builder *b, const struct pv_product *p,
                     const char *entity)
{
	const struct pv_external *e = p->ext;
	if (!e)
		return;
	struct pr_doc *d = b->d;
	struct pr_record *r = draft(d, PR_ENTITY);
	r->id = ident(b, "external_object", e->id);
	attr(d, r, "rdf:type", PV_QNAME, "dcat:Dataset");
	attr(d, r, "dcterms:title", PV_STRING, e->title);
	attr(d, r, "dcterms:issued", PV_TIME,
	     pv_isoformat(b->a, e->release_date));
	attr(d, r, "dcat:hasVersion", PV_STRING, e->version);
	if (e->identifier && *e->identifier)
		attr(d, r, "dcterms:identifier", PV_STRING, e->identifier);
	if (e->alt && *e->alt)
		attr(d, r, "fair:alternate_identifier", PV_STRING, e->alt);
	if (e->alt_type && *e->alt_type)
		attr(d, r, "fair:alternate_identifier_type", PV_STRING,
		     e->alt_type);
	if (e->description && *e->description)
		attr(d, r, "dcterms:description", PV_STRING, e->description);
	attr(d, r, "prov:atLocation", PV_STRING, e->original_store);
	state(d, r);
	relation(d, PR_SPECIALIZATION, r->id, entity, NULL, NULL);
}

/* A data product's entity: the product described by its object. */
static struct pr_record *product_entity(struct builder *b,
                                        const struct pv_product *p,
                                        const struct pv_object *o)
{
	struct pr_record *r = draft(b->d, PR_ENTITY);
	r->id = ident(b, "data_product", p->id);
	attr(b->d, r, "rdf:type", PV_QNAME, "dcat:Dataset");
	if (o)
		object_meta(b, r, o);
	return r;
}

static const char *prime(struct builder *b, const struct pv_product *p)
{
	const char *id = ident(b, "data_product", p->id);
	if (has_element(b->d, id))
		return id;
	const struct pv_object *o = pv_object(b->g, p->object);
	state(b->d, product_entity(b, p, o));
	if (o)
		authors(b, o, id);
	external(b, p, id);
	return id;
}

/* The agent that started a run: the user's author if it has one. */
static const char *runner(struct builder *b, const struct pv_run *run)
{
	struct pr_doc *d = b->d;
	if (run->ua_author) {
		const char *id = ident(b, "author", run->ua_author);
		if (!has_element(d, id)) {
			struct pr_record *r = draft(d, PR_AGENT);
			r->id = id;
			attr(d, r, "rdf:type", PV_QNAME, "prov:Person");
			attr(d, r, "foaf:name", PV_STRING, run->ua_name);
			attr(d, r, "fair:identifier", PV_STRING,
			     run->ua_identifier);
			state(d, r);
		}
		return id;
	}
	struct pr_record *r = draft(d, PR_AGENT);
	r->id = ident(b, "users", run->user);
	attr(d, r, "rdf:type", PV_QNAME, "prov:Person");
	attr(d, r, "foaf:name", PV_STRING, run->user_name);
	state(d, r);
	return r->id;
}

/* An object the run used: code repo, model config or submission script. */
static void used_object(struct builder *b, const char *activity,
                        long long object, const char *role)
{
	const struct pv_object *o = pv_object(b->g, object);
	if (!o)
		return;
	struct pr_doc *d = b->d;
	struct pr_record *r = draft(d, PR_ENTITY);
	bool software = !strcmp(role, "fair:submission_script");
	if (!strcmp(role, "fair:software") && o->release_id) {
		r->id = ident(b, "code_repo_release", o->release_id);
		attr(d, r, "rdf:type", PV_QNAME, "dcmitype:Software");
		object_meta(b, r, o);
		attr(d, r, "dcterms:title", PV_STRING, o->release_name);
		attr(d, r, "dcat:hasVersion", PV_STRING, o->release_version);
		attr(d, r, "fair:website", PV_STRING, o->release_website);
	} else {
		r->id = ident(b, "object", o->id);
		if (software)
			attr(d, r, "rdf:type", PV_QNAME, "dcmitype:Software");
		object_meta(b, r, o);
	}
	state(d, r);
	authors(b, o, r->id);
	relation(d, PR_USAGE, activity, r->id, NULL, role);
}

static void inputs(struct builder *b, const struct pv_run *run,
                   const char *activity, const char *product)
{
	for (int i = 0; i < run->ninputs; i++) {
		const struct pv_object *o =
		    pv_object(b->g, run->inputs[i].object);
		if (!o)
			continue;
		for (int k = 0; k < o->products.n; k++) {
			const struct pv_product *p =
			    pv_product(b->g, o->products.v[k]);
			if (!p)
				continue;
			const char *id = ident(b, "data_product", p->id);
			if (!has_element(b->d, id)) {
				state(b->d, product_entity(b, p, o));
				external(b, p, id);
				authors(b, o, id);
			}
			relation(b->d, PR_USAGE, activity, id, NULL,
			         "fair:input_data");
			relation(b->d, PR_DERIVATION, product, id, NULL, NULL);
		}
	}
}

static void expand(struct builder *b, const struct pv_product *p)
{
	struct pr_doc *d = b->d;
	const char *product = prime(b, p);
	const struct pv_object *o = pv_object(b->g, p->object);
	if (!o)
		return;
	for (int c = 0; c < o->ncomps; c++) {
		const struct pv_run *run = pv_run(b->g, o->comps[c].run);
		if (!run)
			continue;
		const char *time = pv_isoformat(b->a, run->run_date);
		struct pr_record *r = draft(d, PR_ACTIVITY);
		r->id = ident(b, "code_run", run->id);
		r->time = time;
		attr(d, r, "rdf:type", PV_QNAME, "fair:Run");
		attr(d, r, "dcterms:description", PV_STRING, run->description);
		state(d, r);
		const char *activity = r->id;
		relation(d, PR_GENERATION, product, activity, NULL, NULL);
		relation(d, PR_START, activity, runner(b, run), time,
		         "fair:code_runner");
		if (run->code_repo)
			used_object(b, activity, run->code_repo,
			            "fair:software");
		if (run->model_config)
			used_object(b, activity, run->model_config,
			            "fair:model_configuration");
		used_object(b, activity, run->script, "fair:submission_script");
		inputs(b, run, activity, product);
	}
}

void pr_build(struct pr_doc *d, struct arena *a, const struct pv_graph *g,
              const char *registry_url)
{
	memset(d, 0, sizeof *d);
	d->a = a;
	bool central = !strcmp(registry_url, PR_CENTRAL_URL);
	d->reg = central ? "reg" : "lreg";
	const struct pr_ns ns[] = {
	    {d->reg, central ? PR_CENTRAL_URL : registry_url},
	    {"fair", FAIR_VOCAB},
	    {"dcat", "http://www.w3.org/ns/dcat#"},
	    {"dcmitype", "http://purl.org/dc/dcmitype/"},
	    {"dcterms", "http://purl.org/dc/terms/"},
	    {"foaf", "http://xmlns.com/foaf/spec/#"},
	    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
	};
	memcpy(d->ns, ns, sizeof ns);
	d->nns = (int)(sizeof ns / sizeof ns[0]);

	struct builder b = {d, g, a};
	for (int i = 0; i < g->order.n; i++) {
		const struct pv_product *p = pv_product(g, g->order.v[i]);
		if (p)
			expand(&b, p);
	}
}

static int attr_rank(const char *name)
{
	static const char *first[] = {"prov:label", "prov:location",
	                              "prov:role", "prov:type", "prov:value"};
	for (int i = 0; i < 5; i++)
		if (!strcmp(name, first[i]))
			return i;
	return 5;
}

int pr_attr_order(const void *x, const void *y)
{
	const struct pr_attr *a = x, *b = y;
	int ra = attr_rank(a->name), rb = attr_rank(b->name);
	if (ra != rb)
		return ra - rb;
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->value, b->value);
}
