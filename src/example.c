/* example.c - `registry example-data`: a small registry to browse, in the
 * spirit of the reference's add_example_data, loaded from the story in
 * src/example/story.c. The loader walks its tables in dependency order, all
 * in one transaction, and writes everything as user admin through the
 * API's own rules (write_create: validation, defaults, derived fields, an
 * object's whole_object component), as the JSON bodies a client would
 * POST. */
#include "admin.h"
#include "arena.h"
#include "cli.h"
#include "example.h"
#include "example_story.h"
#include "handlers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_xact_lock key that queues concurrent loads */
#define EXAMPLE_LOCK_KEY "7243101"
#define LEN(t)           ((int)(sizeof(t) / sizeof *(t)))

/* The loader's state: one request, as if admin POSTed every record, and
 * the ids the records got (entry 0: none). */
struct load {
	struct request rq;
	struct db db;
	struct arena a;
	long long file_type[FT_COUNT], root[R_COUNT], author[AU_COUNT],
	    ns[N_COUNT], location[L_COUNT], object[O_COUNT], component[C_COUNT],
	    data_product[D_COUNT];
};

/* ---- bodies ---- */

static void put_text(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

static const char *link(struct load *l, const char *resource, long long id)
{
	return arena_printf(&l->a, "/api/%s/%lld/", resource, id);
}

/* A hyperlink to a record, or nothing when id is 0 ("none"). */
static void put_link(struct load *l, struct json_object *o, const char *key,
                     const char *resource, long long id)
{
	if (id)
		put_text(o, key, link(l, resource, id));
}

/* Hyperlinks to the listed records (the list ends at its first 0). */
static void put_links(struct load *l, struct json_object *o, const char *key,
                      const char *resource, const long long *ids,
                      const int *which, int n)
{
	struct json_object *a = json_object_new_array();
	for (int k = 0; k < n && which[k]; k++)
		json_object_array_add(a, json_object_new_string(
		                             link(l, resource, ids[which[k]])));
	json_object_object_add(o, key, a);
}

/* Writes body as a new record of resource, through the API's own rules
 * (validation, defaults, derived fields, an object's whole_object
 * component): its id, or 0 after saying why. */
static long long create(struct load *l, const char *resource,
                        struct json_object *body)
{
	const struct resource *r = resource_find(resource, -1);
	const char *text = arena_strdup(
	    &l->a,
	    json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN));
	json_object_put(body);
	l->rq.body = text;
	l->rq.body_len = strlen(text);
	l->rq.out = NULL;
	long long id = write_create(&l->rq, r);
	if (!id)
		fprintf(stderr, "registry: example-data: %s: %d %.*s\n",
		        resource, l->rq.status, (int)l->rq.out_len,
		        l->rq.out ? l->rq.out : "");
	return id;
}

/* The id of the one row sql finds (0: none, -1: failed). */
static long long find(struct load *l, const char *sql, int n,
                      const char *const *v)
{
	PGresult *r = db_query(&l->db, sql, n, v);
	long long id = -1;
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		id = PQntuples(r) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
	else
		fprintf(stderr, "registry: example-data: %s",
		        PQresultErrorMessage(r));
	PQclear(r);
	return id;
}

/* Shared vocabulary (file types, roots, authors with an identifier,
 * namespaces): what the registry has already is reused, else created. */
static bool reuse_or_create(struct load *l, long long *id, const char *sql,
                            int n, const char *const *v, const char *resource,
                            struct json_object *body)
{
	*id = find(l, sql, n, v);
	if (*id > 0) {
		json_object_put(body);
		return true;
	}
	if (*id < 0) {
		json_object_put(body);
		return false;
	}
	return (*id = create(l, resource, body)) > 0;
}

/* ---- the records, in dependency order ---- */

static bool load_file_types(struct load *l)
{
	for (int i = 1; i < FT_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "name", file_types[i].name);
		put_text(o, "extension", file_types[i].extension);
		const char *v[] = {file_types[i].name, file_types[i].extension};
		if (!reuse_or_create(l, &l->file_type[i],
		                     "SELECT id FROM file_type WHERE name = $1 "
		                     "AND extension = $2",
		                     2, v, "file_type", o))
			return false;
	}
	return true;
}

static bool load_roots(struct load *l)
{
	for (int i = 1; i < R_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "root", roots[i].root);
		json_object_object_add(o, "local",
		                       json_object_new_boolean(roots[i].local));
		const char *v[] = {roots[i].root};
		if (!reuse_or_create(
		        l, &l->root[i],
		        "SELECT id FROM storage_root WHERE root = $1", 1, v,
		        "storage_root", o))
			return false;
	}
	return true;
}

static bool load_authors(struct load *l)
{
	for (int i = 1; i < AU_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "name", authors[i].name);
		put_text(o, "identifier", authors[i].identifier);
		const char *v[] = {authors[i].identifier};
		/* an author with an identifier may be known already */
		if (!reuse_or_create(
		        l, &l->author[i],
		        "SELECT id FROM author WHERE identifier = $1", 1, v,
		        "author", o))
			return false;
	}
	return true;
}

static struct json_object *namespace_body(int i)
{
	struct json_object *o = json_object_new_object();
	put_text(o, "name", namespaces[i].name);
	put_text(o, "full_name", namespaces[i].full_name);
	put_text(o, "website", namespaces[i].website);
	return o;
}

/* The first namespace is the marker, written by the caller. */
static bool load_namespaces(struct load *l)
{
	for (int i = N_EXAMPLE + 1; i < N_COUNT; i++) {
		const char *v[] = {namespaces[i].name};
		if (!reuse_or_create(l, &l->ns[i],
		                     "SELECT id FROM namespace WHERE name = $1",
		                     1, v, "namespace", namespace_body(i)))
			return false;
	}
	return true;
}

static bool load_locations(struct load *l)
{
	for (int i = 1; i < L_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "path", locations[i].path);
		put_text(o, "hash", locations[i].hash);
		json_object_object_add(
		    o, "public", json_object_new_boolean(locations[i].public));
		put_link(l, o, "storage_root", "storage_root",
		         l->root[locations[i].root]);
		if (!(l->location[i] = create(l, "storage_location", o)))
			return false;
	}
	return true;
}

/* Each object with its authors; the API adds its whole_object component,
 * which the components the story leaves unnamed stand for. */
static bool load_objects(struct load *l)
{
	for (int i = 1; i < O_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "description", objects[i].description);
		put_link(l, o, "storage_location", "storage_location",
		         l->location[objects[i].location]);
		put_link(l, o, "file_type", "file_type",
		         l->file_type[objects[i].file_type]);
		int which[MAX_LINKS] = {0};
		for (int k = 0; k < MAX_LINKS; k++)
			which[k] = (int)objects[i].authors[k];
		put_links(l, o, "authors", "author", l->author, which,
		          MAX_LINKS);
		if (!(l->object[i] = create(l, "object", o)))
			return false;
		const char *v[] = {arena_printf(&l->a, "%lld", l->object[i])};
		long long whole = find(l,
		                       "SELECT id FROM object_component WHERE "
		                       "object_id = $1 AND whole_object",
		                       1, v);
		if (whole <= 0)
			return false;
		for (int c = 1; c < C_COUNT; c++)
			if (components[c].object == (enum object)i &&
			    !components[c].name)
				l->component[c] = whole;
	}
	return true;
}

static bool load_components(struct load *l)
{
	for (int i = 1; i < C_COUNT; i++) {
		if (!components[i].name)
			continue;
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[components[i].object]);
		put_text(o, "name", components[i].name);
		put_text(o, "description", components[i].description);
		if (!(l->component[i] = create(l, "object_component", o)))
			return false;
	}
	return true;
}

static bool load_data_products(struct load *l)
{
	for (int i = 1; i < D_COUNT; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "name", data_products[i].name);
		put_text(o, "version", data_products[i].version);
		put_link(l, o, "object", "object",
		         l->object[data_products[i].object]);
		put_link(l, o, "namespace", "namespace",
		         l->ns[data_products[i].ns]);
		if (!(l->data_product[i] = create(l, "data_product", o)))
			return false;
	}
	return true;
}

/* Its version is the data product's, which the API copies. */
static bool load_external_objects(struct load *l)
{
	for (int i = 0; i < n_external_objects; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "data_product", "data_product",
		         l->data_product[external_objects[i].data_product]);
		put_text(o, "identifier", external_objects[i].identifier);
		json_object_object_add(
		    o, "primary_not_supplement",
		    json_object_new_boolean(external_objects[i].primary));
		put_text(o, "release_date", external_objects[i].release_date);
		put_text(o, "title", external_objects[i].title);
		put_text(o, "description", external_objects[i].description);
		put_link(l, o, "original_store", "storage_location",
		         l->location[external_objects[i].original_store]);
		if (!create(l, "external_object", o))
			return false;
	}
	return true;
}

static bool load_releases(struct load *l)
{
	for (int i = 0; i < n_releases; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[releases[i].object]);
		put_text(o, "name", releases[i].name);
		put_text(o, "version", releases[i].version);
		put_text(o, "website", releases[i].website);
		if (!create(l, "code_repo_release", o))
			return false;
	}
	return true;
}

static void put_components(struct load *l, struct json_object *o,
                           const char *key, const enum component *list)
{
	int which[MAX_LINKS] = {0};
	for (int k = 0; k < MAX_LINKS; k++)
		which[k] = (int)list[k];
	put_links(l, o, key, "object_component", l->component, which,
	          MAX_LINKS);
}

static bool load_code_runs(struct load *l)
{
	for (int i = 0; i < n_code_runs; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "run_date", code_runs[i].run_date);
		put_text(o, "description", code_runs[i].description);
		put_link(l, o, "code_repo", "object",
		         l->object[code_runs[i].code_repo]);
		put_link(l, o, "model_config", "object",
		         l->object[code_runs[i].model_config]);
		put_link(l, o, "submission_script", "object",
		         l->object[code_runs[i].submission_script]);
		put_components(l, o, "inputs", code_runs[i].inputs);
		put_components(l, o, "outputs", code_runs[i].outputs);
		if (!create(l, "code_run", o))
			return false;
	}
	return true;
}

static bool load_issues(struct load *l)
{
	for (int i = 0; i < n_issues; i++) {
		struct json_object *o = json_object_new_object();
		put_text(o, "severity", issues[i].severity);
		put_text(o, "description", issues[i].description);
		put_components(l, o, "component_issues", issues[i].components);
		if (!create(l, "issue", o))
			return false;
	}
	return true;
}

/* Keywords, licences, key values and quality checks: small records that
 * hang off an object. */
static bool load_annotations(struct load *l)
{
	for (int i = 0; i < n_keywords; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[keywords[i].object]);
		put_text(o, "keyphrase", keywords[i].keyphrase);
		if (!create(l, "keyword", o))
			return false;
	}
	for (int i = 0; i < n_licences; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[licences[i].object]);
		put_text(o, "licence_info", licences[i].info);
		put_text(o, "identifier", licences[i].identifier);
		if (!create(l, "licence", o))
			return false;
	}
	for (int i = 0; i < n_key_values; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[key_values[i].object]);
		put_text(o, "key", key_values[i].key);
		put_text(o, "value", key_values[i].value);
		if (!create(l, "key_value", o))
			return false;
	}
	for (int i = 0; i < n_quality_checks; i++) {
		struct json_object *o = json_object_new_object();
		put_link(l, o, "object", "object",
		         l->object[quality_checks[i].object]);
		put_link(l, o, "document", "object",
		         l->object[quality_checks[i].document]);
		if (!create(l, "quality_controlled", o))
			return false;
	}
	return true;
}

static bool (*const steps[])(struct load *) = {
    load_file_types,       load_roots,    load_authors,    load_namespaces,
    load_locations,        load_objects,  load_components, load_data_products,
    load_external_objects, load_releases, load_code_runs,  load_issues,
    load_annotations,
};

/* Whether the example is there already (its marker namespace), else the
 * marker written: 1 written, 0 there already, -1 failed. Concurrent loads
 * queue on a lock for the rest of the transaction, so only one writes. */
static int claim_marker(struct load *l)
{
	const char *key[] = {EXAMPLE_LOCK_KEY};
	PGresult *r = db_query(
	    &l->db, "SELECT pg_advisory_xact_lock($1::bigint)", 1, key);
	bool locked = PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	if (!locked)
		return -1;
	const char *v[] = {MARKER};
	long long id =
	    find(l, "SELECT id FROM namespace WHERE name = $1", 1, v);
	if (id != 0)
		return id > 0 ? 0 : -1;
	return (l->ns[N_EXAMPLE] =
	            create(l, "namespace", namespace_body(N_EXAMPLE))) > 0
	           ? 1
	           : -1;
}

static void summary(void)
{
	int named = 0;
	for (int i = 1; i < C_COUNT; i++)
		named += components[i].name != NULL;
	printf("example data loaded as admin: %d namespaces, %d authors, "
	       "%d file types, %d storage roots, %d storage locations, "
	       "%d objects with %d components, %d data products, "
	       "%d external object, %d code repo releases, %d code runs, "
	       "%d issues, %d keywords, %d licences, %d key values, "
	       "%d quality_controlled record\n",
	       N_COUNT - 1, AU_COUNT - 1, FT_COUNT - 1, R_COUNT - 1,
	       L_COUNT - 1, O_COUNT - 1, O_COUNT - 1 + named, D_COUNT - 1,
	       n_external_objects, n_releases, n_code_runs, n_issues,
	       n_keywords, n_licences, n_key_values, n_quality_checks);
}

int example_data_load(PGconn *c)
{
	static struct load l; /* big, and one per process */
	memset(&l, 0, sizeof l);
	if (admin_user(c, "admin") < 0)
		return -1;
	/* the API's statements, on this connection */
	db_init(&l.db, "");
	l.db.conn = c;
	l.rq = (struct request){.a = &l.a,
	                        .db = &l.db,
	                        .method = "POST",
	                        .base = "http://localhost",
	                        .root = "",
	                        .content_type = "application/json",
	                        .status = 200};
	buf_init(&l.rq.headers, &l.a);
	const char *admin[] = {"admin"};
	l.rq.user =
	    find(&l, "SELECT id FROM users WHERE username = $1", 1, admin);
	int fresh = -1;
	if (l.rq.user > 0 &&
	    cli_run(c, "example-data", "SET TimeZone = 'UTC'; BEGIN", 0,
	            NULL) == 0)
		fresh = claim_marker(&l);
	if (fresh == 0)
		printf("example data already loaded (namespace %s exists); "
		       "nothing to do\n",
		       MARKER);
	bool ok = fresh >= 0;
	for (int i = 0; fresh > 0 && ok && i < LEN(steps); i++)
		ok = steps[i](&l);
	if (fresh > 0 && ok)
		ok = cli_run(c, "example-data", "COMMIT", 0, NULL) == 0;
	else if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
	l.db.conn = NULL; /* the caller's to close */
	db_close(&l.db);
	arena_free(&l.a);
	if (fresh > 0 && ok)
		summary();
	return ok ? 0 : -1;
}
