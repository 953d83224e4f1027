/* prov/doc.h - a W3C PROV document as a list of records, built from the
 * provenance graph in the order the reference builds its document, and
 * read by every PROV writer (JSON, JSON-LD, XML, PROV-N, pictures). */
#ifndef PROV_DOC_H
#define PROV_DOC_H

#include "prov/graph.h"
#include "request.h"

enum pr_kind {
	PR_ENTITY,
	PR_ACTIVITY,
	PR_AGENT,
	PR_GENERATION,     /* wasGeneratedBy(entity, activity) */
	PR_USAGE,          /* used(activity, entity) */
	PR_START,          /* wasStartedBy(activity, trigger, -, time) */
	PR_DERIVATION,     /* wasDerivedFrom(generated, used) */
	PR_ATTRIBUTION,    /* wasAttributedTo(entity, agent) */
	PR_SPECIALIZATION, /* specializationOf(specific, general) */
	PR_NKINDS
};

enum pr_vtype {
	PV_STRING,
	PV_QNAME, /* a qualified name such as dcat:Dataset */
	PV_TIME,  /* an xsd:dateTime in Python's isoformat */
};

struct pr_attr {
	const char *name; /* qualified, e.g. "dcterms:title" */
	enum pr_vtype type;
	const char *value;
};

/* One formal attribute of a record: its name and value (NULL = absent). */
struct pr_formal {
	const char *name;
	const char *value;
	bool time; /* the value is a time, not a qualified name */
};

struct pr_record {
	enum pr_kind kind;
	const char *id;    /* elements; NULL for relations */
	const char *a, *b; /* a relation's first two arguments */
	const char *time;  /* an activity's start, a start's time */
	/* The other attributes: distinct (name, value) pairs, grouped by
	 * name, names in order of first use (prov keeps a set per name). */
	struct pr_attr *attrs;
	int nattrs, capattrs;
};

struct pr_ns {
	const char *prefix, *uri;
};

struct pr_doc {
	struct arena *a;
	const char *reg;    /* "lreg" on a local registry, "reg" centrally */
	struct pr_ns ns[8]; /* the registered namespaces, in order */
	int nns;
	struct pr_record *recs;
	int n, cap;
	/* records by content, to state each once */
	const char **skeys;
	int *svals;
	int scap, sn;
};

/* The reference's central registry and the vocabulary it names. */
#define PR_CENTRAL_URL "https://data.fairdatapipeline.org/"

/* Builds the document of g (rooted at a data product); registry_url is the
 * request's base with a trailing slash. */
void pr_build(struct pr_doc *d, struct arena *a, const struct pv_graph *g,
              const char *registry_url);

/* The record's formal attributes, as PROV-DM orders them; returns how
 * many (0 for entities and agents). */
int pr_formals(const struct pr_record *r, struct pr_formal out[5]);

/* "entity", "wasGeneratedBy", ... */
const char *pr_kind_name(enum pr_kind k);
/* qsort order of attributes in PROV-XML and the pictures, as the prov
 * library writes them: prov:label, location, role, type, value first, then
 * by name and value. */
int pr_attr_order(const void *x, const void *y);
bool pr_is_element(enum pr_kind k);

/* The index of the first element record of id, or -1. */
int pr_find(const struct pr_doc *d, const char *id);

/* "dcat:Dataset" -> "http://www.w3.org/ns/dcat#Dataset" (prov and xsd
 * included); NULL when the prefix is unknown. */
const char *pr_expand(const struct pr_doc *d, const char *qname);

/* ---- the writers; each sets rq's answer ---- */

void prov_write_json(struct request *rq, const struct pr_doc *d);
void prov_write_jsonld(struct request *rq, const struct pr_doc *d);
void prov_write_xml(struct request *rq, const struct pr_doc *d);
void prov_write_provn(struct request *rq, const struct pr_doc *d);
/* format "svg" or "jpg"; dpi <= 0 means graphviz's default */
void prov_write_picture(struct request *rq, const struct pr_doc *d,
                        const char *format, double aspect_ratio, double dpi,
                        bool show_attributes);

#endif
