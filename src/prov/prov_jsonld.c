/* prov_jsonld.c - the PROV document as JSON-LD: the RDF (PROV-O) that the
 * reference's library makes of the document, written as rdflib writes
 * JSON-LD (a context of prefixes, a flat @graph, keys sorted, indent 4).
 * The triples follow that library's rules, including its choices: a used
 * or start with a role is stated only through its qualified blank node,
 * an attribution with a role both directly and through a blank node that
 * names no agent. */
#include "prov/doc.h"
#include "prov/jsonw.h"

#include <string.h>

#define PROV_NS  "http://www.w3.org/ns/prov#"
#define RDF_TYPE "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

/* The prefixes of the reference's output: rdflib's own bindings and the
 * two it learns from the document (foaf is taken, so the document's foaf
 * becomes foaf1). */
static const struct pr_ns context[] = {
    {"brick", "https://brickschema.org/schema/Brick#"},
    {"csvw", "http://www.w3.org/ns/csvw#"},
    {"dc", "http://purl.org/dc/elements/1.1/"},
    {"dcam", "http://purl.org/dc/dcam/"},
    {"dcat", "http://www.w3.org/ns/dcat#"},
    {"dcmitype", "http://purl.org/dc/dcmitype/"},
    {"dcterms", "http://purl.org/dc/terms/"},
    {"doap", "http://usefulinc.com/ns/doap#"},
    {"fair", PR_CENTRAL_URL "vocab/#"},
    {"foaf", "http://xmlns.com/foaf/0.1/"},
    {"foaf1", "http://xmlns.com/foaf/spec/#"},
    {"odrl", "http://www.w3.org/ns/odrl/2/"},
    {"org", "http://www.w3.org/ns/org#"},
    {"owl", "http://www.w3.org/2002/07/owl#"},
    {"prof", "http://www.w3.org/ns/dx/prof/"},
    {"prov", PROV_NS},
    {"qb", "http://purl.org/linked-data/cube#"},
    {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"schema", "https://schema.org/"},
    {"sh", "http://www.w3.org/ns/shacl#"},
    {"skos", "http://www.w3.org/2004/02/skos/core#"},
    {"sosa", "http://www.w3.org/ns/sosa/"},
    {"ssn", "http://www.w3.org/ns/ssn/"},
    {"time", "http://www.w3.org/2006/time#"},
    {"vann", "http://purl.org/vocab/vann/"},
    {"void", "http://rdfs.org/ns/void#"},
    {"xml", "http://www.w3.org/XML/1998/namespace"},
    {"xsd", "http://www.w3.org/2001/XMLSchema#"},
};

enum obj { O_IRI, O_STRING, O_TIME };

struct triple {
	const char *s, *p, *o;
	enum obj kind;
};

struct graph {
	struct arena *a;
	const struct pr_doc *d;
	struct triple *t;
	int n, cap;
	struct json_object *seen; /* the triples stated, as a hashed set */
	int bnodes;
};

static void add(struct graph *g, const char *s, const char *p, const char *o,
                enum obj kind)
{
	if (!s || !p || !o)
		return;
	const char *key =
	    arena_printf(g->a, "%s\x1f%s\x1f%d\x1f%s", s, p, (int)kind, o);
	if (json_object_object_get_ex(g->seen, key, NULL))
		return;
	json_object_object_add(g->seen, key, NULL);
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 256;
		struct triple *v = arena_alloc(g->a, sizeof *v * (size_t)cap);
		if (g->n)
			memcpy(v, g->t, sizeof *v * (size_t)g->n);
		g->t = v;
		g->cap = cap;
	}
	g->t[g->n++] = (struct triple){s, p, o, kind};
}

static const char *iri(struct graph *g, const char *qname)
{
	return qname ? pr_expand(g->d, qname) : NULL;
}

static const char *prov(struct graph *g, const char *local)
{
	return arena_printf(g->a, PROV_NS "%s", local);
}

static void element(struct graph *g, const struct pr_record *r)
{
	static const char *types[] = {"Entity", "Activity", "Agent"};
	const char *s = iri(g, r->id);
	add(g, s, RDF_TYPE, prov(g, types[r->kind]), O_IRI);
	if (r->kind == PR_ACTIVITY)
		add(g, s, prov(g, "startedAtTime"), r->time, O_TIME);
	for (int i = 0; i < r->nattrs; i++) {
		const struct pr_attr *a = &r->attrs[i];
		const char *p = iri(g, a->name);
		if (a->type == PV_QNAME)
			add(g, s, p, iri(g, a->value), O_IRI);
		else
			add(g, s, p, a->value,
			    a->type == PV_TIME ? O_TIME : O_STRING);
	}
}

static const char *role_of(const struct pr_record *r)
{
	for (int i = 0; i < r->nattrs; i++)
		if (!strcmp(r->attrs[i].name, "prov:role"))
			return r->attrs[i].value;
	return NULL;
}

static void relation(struct graph *g, const struct pr_record *r)
{
	static const char *direct[PR_NKINDS] = {
	    [PR_GENERATION] = "wasGeneratedBy",
	    [PR_USAGE] = "used",
	    [PR_START] = "wasStartedBy",
	    [PR_DERIVATION] = "wasDerivedFrom",
	    [PR_ATTRIBUTION] = "wasAttributedTo",
	    [PR_SPECIALIZATION] = "specializationOf",
	};
	static const char *qualified[PR_NKINDS] = {
	    [PR_GENERATION] = "Generation",
	    [PR_USAGE] = "Usage",
	    [PR_START] = "Start",
	    [PR_DERIVATION] = "Derivation",
	    [PR_ATTRIBUTION] = "Attribution",
	};
	const char *s = iri(g, r->a), *o = iri(g, r->b);
	const char *role = role_of(r);
	bool extra = r->nattrs > 0 || (r->kind == PR_START && r->time);
	/* usage and start only go direct when they say nothing more */
	bool qualified_only = r->kind == PR_USAGE || r->kind == PR_START ||
	                      r->kind == PR_GENERATION ||
	                      r->kind == PR_DERIVATION;
	if (!extra || !qualified_only)
		add(g, s, prov(g, direct[r->kind]), o, O_IRI);
	if (!extra || !qualified[r->kind])
		return;
	const char *bn = arena_printf(g->a, "_:b%d", ++g->bnodes);
	add(g, s,
	    prov(g, arena_printf(g->a, "qualified%s", qualified[r->kind])), bn,
	    O_IRI);
	add(g, bn, RDF_TYPE, prov(g, qualified[r->kind]), O_IRI);
	if (qualified_only)
		add(g, bn, prov(g, "entity"), o, O_IRI);
	if (r->kind == PR_START)
		add(g, bn, prov(g, "atTime"), r->time, O_TIME);
	add(g, bn, prov(g, "hadRole"), iri(g, role), O_IRI);
}

/* rdflib's shortening: the part up to the last '#', '/' or ':' must be
 * exactly a known prefix's IRI. */
static const char *compact(struct graph *g, const char *uri)
{
	if (!strncmp(uri, "_:", 2))
		return uri;
	const char *cut = strrchr(uri, '#');
	if (!cut)
		cut = strrchr(uri, '/');
	if (!cut)
		cut = strrchr(uri, ':');
	if (!cut)
		return uri;
	size_t n = (size_t)(cut + 1 - uri);
	for (size_t i = 0; i < sizeof context / sizeof context[0]; i++)
		if (strlen(context[i].uri) == n &&
		    !strncmp(context[i].uri, uri, n))
			return arena_printf(g->a, "%s:%s", context[i].prefix,
			                    cut + 1);
	return uri;
}

static struct json_object *value(struct graph *g, const struct triple *t)
{
	if (t->kind == O_STRING)
		return json_object_new_string(t->o);
	struct json_object *v = json_object_new_object();
	if (t->kind == O_IRI) {
		json_object_object_add(
		    v, "@id", json_object_new_string(compact(g, t->o)));
	} else {
		json_object_object_add(v, "@type",
		                       json_object_new_string("xsd:dateTime"));
		json_object_object_add(v, "@value",
		                       json_object_new_string(t->o));
	}
	return v;
}

/* Adds v under key, turning a single value into a list on the second. */
static void put(struct json_object *node, const char *key,
                struct json_object *v)
{
	struct json_object *prev;
	if (!json_object_object_get_ex(node, key, &prev)) {
		json_object_object_add(node, key, v);
		return;
	}
	if (!json_object_is_type(prev, json_type_array)) {
		struct json_object *l = json_object_new_array();
		json_object_array_add(l, json_object_get(prev));
		json_object_object_add(node, key, l);
		prev = l;
	}
	json_object_array_add(prev, v);
}

void prov_write_jsonld(struct request *rq, const struct pr_doc *d)
{
	struct graph g = {.a = rq->a, .d = d};
	g.seen = json_object_new_object();
	for (int i = 0; i < d->n; i++) {
		if (pr_is_element(d->recs[i].kind))
			element(&g, &d->recs[i]);
		else
			relation(&g, &d->recs[i]);
	}

	struct json_object *top = json_object_new_object();
	struct json_object *ctx = json_object_new_object();
	for (size_t i = 0; i < sizeof context / sizeof context[0]; i++)
		json_object_object_add(ctx, context[i].prefix,
		                       json_object_new_string(context[i].uri));
	json_object_object_add(top, "@context", ctx);
	/* one node per subject, in the order subjects first occur */
	struct json_object *nodes = json_object_new_array();
	struct json_object *by_subject = json_object_new_object();
	for (int i = 0; i < g.n; i++) {
		const struct triple *t = &g.t[i];
		struct json_object *node;
		if (!json_object_object_get_ex(by_subject, t->s, &node)) {
			node = json_object_new_object();
			json_object_object_add(
			    node, "@id",
			    json_object_new_string(compact(&g, t->s)));
			json_object_array_add(nodes, node);
			json_object_object_add(by_subject, t->s,
			                       json_object_get(node));
		}
		if (!strcmp(t->p, RDF_TYPE))
			put(node, "@type",
			    json_object_new_string(compact(&g, t->o)));
		else
			put(node, compact(&g, t->p), value(&g, t));
	}
	json_object_put(by_subject);
	json_object_put(g.seen);
	json_object_object_add(top, "@graph", nodes);

	struct buf b;
	buf_init(&b, rq->a);
	jw_write(&b, top, &JW_RDFLIB);
	json_object_put(top);
	resp_text(rq, 200, "application/ld+json; charset=utf8", b.p, b.len);
}
