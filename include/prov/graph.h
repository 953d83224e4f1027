/* prov/graph.h - the provenance graph of a data product or code run, as the
 * one walk (src/prov/walk.c) loads it, and the row source it loads it from.
 *
 * The walk goes level by level: data product -> the code runs that output
 * it -> their code repo, model config, submission script and inputs -> the
 * data products of those inputs (and their external objects), which are the
 * next level. Each level costs a bounded number of queries: the ids of a
 * level go to the source together, one query per kind of row, never one
 * per node. A data product is expanded at most once, so a cycle in the data
 * ends the walk instead of looping.
 *
 * The writers (PROV in its formats, RO-Crate) read the graph and replay the
 * reference's order from `order`. */
#ifndef PROV_GRAPH_H
#define PROV_GRAPH_H

#include "arena.h"

#include <stdbool.h>

/* A table of text cells as a query answers it; cell[r * ncols + c], NULL
 * for SQL NULL. */
struct pv_rows {
	int n, ncols;
	const char **cell;
};

/* What the walk asks for. Every query takes a list of ids and answers the
 * rows whose FIRST column is one of them (the key), in this layout:
 *
 * PQ_PRODUCTS         key=product id: id, object, name, version,
 *                     namespace name, last_updated
 * PQ_OBJECT_PRODUCTS  key=object id: same columns as PQ_PRODUCTS after the
 *                     key; the object's products by ascending id
 * PQ_COMPONENTS       key=object id: component id, the id of the code run
 *                     that last output it (by last_updated) or NULL;
 *                     ascending component id
 * PQ_RUNS             key=run id: run_date, description, updated_by,
 *                     that user's full name, user_author author id, its
 *                     name, its identifier, code_repo, model_config,
 *                     submission_script
 * PQ_RUN_INPUTS       key=run id: component id, its object id
 * PQ_RUN_OUTPUTS      key=run id: component id, its object id
 * PQ_OBJECTS          key=object id: last_updated, description,
 *                     storage_location id, its root, its path, its hash,
 *                     public (t/f), file type name, extension, code repo
 *                     release id, name, version, website
 * PQ_OBJECT_AUTHORS   key=object id: author id, name, identifier
 * PQ_OBJECT_ISSUES    key=object id: issue id, description, severity (all
 *                     issues of all the object's components)
 * PQ_OBJECT_LICENCES  key=object id: licence id, licence_info, identifier
 * PQ_OBJECT_KEYWORDS  key=object id: keyword id, keyphrase, identifier
 * PQ_EXTERNAL         key=product id: id, identifier, alternate_identifier,
 *                     alternate_identifier_type, primary_not_supplement
 *                     (t/f), release_date, title, description, version,
 *                     original store root, original store path
 *
 * Times are "YYYY-MM-DDTHH:MM:SS.ffffff" in UTC. */
enum pv_query {
	PQ_PRODUCTS,
	PQ_OBJECT_PRODUCTS,
	PQ_COMPONENTS,
	PQ_RUNS,
	PQ_RUN_INPUTS,
	PQ_RUN_OUTPUTS,
	PQ_OBJECTS,
	PQ_OBJECT_AUTHORS,
	PQ_OBJECT_ISSUES,
	PQ_OBJECT_LICENCES,
	PQ_OBJECT_KEYWORDS,
	PQ_EXTERNAL,
	PQ_COUNT
};

struct pv_source {
	void *ctx;
	/* Fills out (cells in a); false when the source failed. */
	bool (*fetch)(void *ctx, struct arena *a, enum pv_query q,
	              const long long *ids, int n, struct pv_rows *out);
};

/* A growable list of ids (or indexes) in the arena. */
struct pv_ids {
	long long *v;
	int n, cap;
};

struct pv_author {
	long long id;
	const char *name, *identifier; /* either may be NULL */
};

struct pv_issue {
	long long id;
	const char *description, *severity;
};

/* licence or keyword */
struct pv_note {
	long long id;
	const char *text, *identifier;
};

struct pv_component {
	long long id;
	long long run; /* the run that last output it, 0 = none */
};

struct pv_external {
	long long id;
	const char *identifier, *alt, *alt_type; /* NULL when absent */
	bool primary;
	const char *release_date, *title, *description, *version;
	const char *original_store; /* full URI, NULL when none */
};

struct pv_object {
	long long id;
	bool loaded;       /* the object's own row and its lists */
	bool comps_loaded; /* its components and their runs */
	const char *last_updated, *description;
	long long location_id; /* 0 = no storage location */
	const char *location;  /* root and path joined as the reference */
	const char *hash;
	bool public_;
	const char *file_type, *extension; /* NULL = no file type */
	long long release_id;              /* 0 = no code repo release */
	const char *release_name, *release_version, *release_website;
	struct pv_ids products; /* data product ids */
	struct pv_ids authors;  /* indexes into graph.authors */
	struct pv_issue *issues;
	int nissues;
	struct pv_note *licences, *keywords;
	int nlicences, nkeywords;
	struct pv_component *comps;
	int ncomps;
};

struct pv_product {
	long long id, object;
	const char *name, *version, *namespace, *last_updated;
	bool ext_loaded;
	struct pv_external *ext; /* NULL = none */
	bool queued;             /* in `order` already */
};

struct pv_io {
	long long component, object;
};

struct pv_run {
	long long id;
	bool io_loaded, outputs_loaded;
	const char *run_date, *description;
	long long user;
	const char *user_name;
	long long ua_author; /* the user's author, 0 = none */
	const char *ua_name, *ua_identifier;
	long long code_repo, model_config, script; /* 0 = none */
	struct pv_io *inputs, *outputs;
	int ninputs, noutputs;
};

/* id -> index into one of the graph's arrays */
struct pv_map {
	long long *keys;
	int *vals;
	int cap, n;
};

struct pv_graph {
	struct arena *a;
	bool root_is_run;
	long long root;
	int depth;
	/* nodes are allocated one by one, so pointers to them stay valid */
	struct pv_product **products;
	struct pv_object **objects;
	struct pv_run **runs;
	struct pv_author **authors;
	int nproducts, nobjects, nruns, nauthors;
	int capproducts, capobjects, capruns, capauthors;
	struct pv_map mproducts, mobjects, mruns, mauthors;
	/* The data products to expand, level after level, each once, in the
	 * order the reference expands them. For a code run root the run is
	 * level 1 and `order` starts with level 2. */
	struct pv_ids order;
	int levels;     /* levels walked */
	int statements; /* queries asked of the source */
};

enum pv_status { PV_OK, PV_NOT_FOUND, PV_FAILED };

/* Walks from a data product (root_is_run false) or a code run, depth
 * levels (below 1 counts as 1). */
enum pv_status pv_walk(struct pv_graph *g, struct arena *a,
                       const struct pv_source *src, bool root_is_run,
                       long long root, int depth);

/* NULL when the graph does not hold it. */
struct pv_product *pv_product(const struct pv_graph *g, long long id);
struct pv_object *pv_object(const struct pv_graph *g, long long id);
struct pv_run *pv_run(const struct pv_graph *g, long long id);
struct pv_author *pv_author_at(const struct pv_graph *g, int index);

/* os.path.join(root, path.lstrip("/").lstrip("\\")), as the reference
 * builds a storage location's URI. */
char *pv_join_location(struct arena *a, const char *root, const char *path);

/* "YYYY-MM-DDTHH:MM:SS.ffffff" (UTC) -> Python's isoformat() of the same
 * aware datetime: microseconds only when not zero, then "+00:00". */
char *pv_isoformat(struct arena *a, const char *t);

void pv_ids_add(struct arena *a, struct pv_ids *l, long long v);
bool pv_ids_has(const struct pv_ids *l, long long v);

/* The source that reads the registry's database. */
struct db;
struct pv_source pv_db_source(struct db *db);

#endif
