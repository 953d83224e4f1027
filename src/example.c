/* example.c - `registry example-data`: a small registry to browse, in the
 * spirit of the reference's add_example_data. The records tell one story: a
 * SEIRS model run as the fair CLI leaves it behind (a config, a script, a
 * code repository, one input, two outputs), then a second run that weighs
 * its results by population figures pulled from an external source, with
 * issues, keywords, licences, key values and a quality check on the way.
 *
 * The records are plain tables; a table's entry 0 is unused so that a zero
 * link means "none". The loader walks the tables in dependency order, all in
 * one transaction, and writes everything as user admin. */
#include "admin.h"
#include "arena.h"
#include "cli.h"
#include "example.h"
#include "validate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The namespace whose presence means the example is loaded already. */
#define MARKER    "fair_example"
#define MAX_LINKS 4
#define ID_LEN    24
#define LEN(t)    ((int)(sizeof(t) / sizeof *(t)))

typedef char rowid[ID_LEN];

enum file_type { FT_NONE, FT_CSV, FT_YAML, FT_SH, FT_GIT, FT_PNG, FT_PDF };
enum root { R_NONE, R_LOCAL, R_GITHUB, R_OPEN };
enum author { AU_NONE, AU_ADA, AU_GRACE, AU_REVIEW };
enum ns { N_NONE, N_EXAMPLE, N_STATS };
enum location {
	L_NONE,
	L_PARAMS_1,
	L_PARAMS_2,
	L_CONFIG,
	L_SCRIPT,
	L_REPO,
	L_REPO_OLD,
	L_OUT_CSV,
	L_OUT_PNG,
	L_QC,
	L_POP,
	L_POP_ORIGIN,
	L_POP_SCRIPT,
	L_POP_OUT,
};
enum object {
	O_NONE,
	O_PARAMS_1,
	O_PARAMS_2,
	O_CONFIG,
	O_SCRIPT,
	O_REPO,
	O_REPO_OLD,
	O_OUT_CSV,
	O_OUT_PNG,
	O_QC,
	O_POP,
	O_POP_SCRIPT,
	O_POP_OUT,
};
enum component {
	C_NONE,
	C_PARAMS_1,
	C_PARAMS_2,
	C_OUT_CSV,
	C_OUT_PNG,
	C_POP,
	C_POP_OUT,
	C_SUSCEPTIBLE,
	C_EXPOSED,
	C_INFECTIOUS,
	C_RECOVERED,
};
enum data_product {
	D_NONE,
	D_PARAMS_1,
	D_PARAMS_2,
	D_OUT_CSV,
	D_OUT_PNG,
	D_POP,
	D_POP_OUT
};

static const struct {
	const char *name, *extension;
} file_types[] = {
    [FT_CSV] = {"Comma-separated values", "csv"},
    [FT_YAML] = {"YAML document", "yaml"},
    [FT_SH] = {"Shell script", "sh"},
    [FT_GIT] = {"Git repository", "git"},
    [FT_PNG] = {"PNG image", "png"},
    [FT_PDF] = {"PDF document", "pdf"},
};

static const struct {
	const char *root;
	bool local;
} roots[] = {
    [R_LOCAL] = {"file:///home/fair/.fair/data/", true},
    [R_GITHUB] = {"https://github.com/", false},
    [R_OPEN] = {"https://data.example.org/", false},
};

static const struct {
	const char *name, *identifier;
} authors[] = {
    /* 0000-0002-1825-0097 is ORCID's own example identifier */
    [AU_ADA] = {"Ada Example", "https://orcid.org/0000-0002-1825-0097"},
    [AU_GRACE] = {"Grace Sample", NULL},
    [AU_REVIEW] = {"Modelling Review Group", NULL},
};

static const struct {
	const char *name, *full_name, *website;
} namespaces[] = {
    [N_EXAMPLE] = {MARKER, "FAIR Data Pipeline example data",
                   "https://www.fairdatapipeline.org/"},
    [N_STATS] = {"example_statistics_office", "Example Statistics Office",
                 "https://data.example.org/"},
};

/* The file's SHA-1 as hash (a git location: the commit), and a path the way
 * the fair CLI files results: namespace/product/hash.extension. */
static const struct {
	enum root root;
	const char *path, *hash;
	bool public;
} locations[] = {
    [L_PARAMS_1] = {R_LOCAL,
                    "fair_example/SEIRS_model/parameters/"
                    "3cd5593ac2c92ef2856a35a3bdee828ba8605b25.csv",
                    "3cd5593ac2c92ef2856a35a3bdee828ba8605b25", true},
    [L_PARAMS_2] = {R_LOCAL,
                    "fair_example/SEIRS_model/parameters/"
                    "e849ca0e00fbfd13be97e20eb5b6f2d301775d44.csv",
                    "e849ca0e00fbfd13be97e20eb5b6f2d301775d44", true},
    [L_CONFIG] = {R_LOCAL, "jobs/2024-02-09_15_35_42_655339/config.yaml",
                  "fa9ce7cceed667e49a666521032e22f2db84bbfd", true},
    [L_SCRIPT] = {R_LOCAL, "jobs/2024-02-09_15_35_42_655339/script.sh",
                  "9b5e63708acb475542ad65182a3edaf366b6d2e3", true},
    [L_REPO] = {R_GITHUB, "FAIRDataPipeline/pySimpleModel",
                "0bfd61a4f2e9732869e533cd9d8419ebe7fcb94f", true},
    [L_REPO_OLD] = {R_GITHUB, "FAIRDataPipeline/pySimpleModel",
                    "382b942c62f879df8c334cc56d50919bdefd9ce6", true},
    [L_OUT_CSV] = {R_LOCAL,
                   "fair_example/SEIRS_model/results/model_output/python/"
                   "88d3b431a91eedabd7b7797c01e801d6b82730af.csv",
                   "88d3b431a91eedabd7b7797c01e801d6b82730af", true},
    [L_OUT_PNG] = {R_LOCAL,
                   "fair_example/SEIRS_model/results/figure/python/"
                   "70c3482c03373daea77965260ae6fa10d4002bf3.png",
                   "70c3482c03373daea77965260ae6fa10d4002bf3", true},
    [L_QC] = {R_LOCAL,
              "fair_example/reports/"
              "cbe680e5457c55a37c0c0f1f5e97945e03239ac9.pdf",
              "cbe680e5457c55a37c0c0f1f5e97945e03239ac9", false},
    /* a pulled copy has the same content, so the same hash, as its
     * original */
    [L_POP] = {R_LOCAL,
               "example_statistics_office/population/mid_year_estimates/"
               "912929fbf85245cd0fd4568850f16871653d967a.csv",
               "912929fbf85245cd0fd4568850f16871653d967a", true},
    [L_POP_ORIGIN] = {R_OPEN,
                      "statistics/population/mid-year-estimates-2023.csv",
                      "912929fbf85245cd0fd4568850f16871653d967a", true},
    [L_POP_SCRIPT] = {R_LOCAL, "jobs/2024-02-10_09_12_03_104871/script.sh",
                      "c14a998bc38cf573c8dd57b6b1709026949f3d1b", true},
    [L_POP_OUT] = {R_LOCAL,
                   "fair_example/SEIRS_model/population_weighted/"
                   "859b6784fea1461040009377557983411ffd1f23.csv",
                   "859b6784fea1461040009377557983411ffd1f23", true},
};

static const struct {
	const char *description;
	enum location location;
	enum file_type file_type;
	enum author authors[MAX_LINKS];
} objects[] = {
    [O_PARAMS_1] = {"Static parameters of the SEIRS model",
                    L_PARAMS_1,
                    FT_CSV,
                    {AU_ADA}},
    [O_PARAMS_2] = {"Static parameters of the SEIRS model, with the "
                    "revised latent period",
                    L_PARAMS_2,
                    FT_CSV,
                    {AU_ADA}},
    [O_CONFIG] = {"Working config.yaml of the SEIRS run",
                  L_CONFIG,
                  FT_YAML,
                  {AU_GRACE}},
    [O_SCRIPT] = {"Submission script of the SEIRS run",
                  L_SCRIPT,
                  FT_SH,
                  {AU_GRACE}},
    [O_REPO] = {"pySimpleModel source code, release 1.2.0",
                L_REPO,
                FT_GIT,
                {AU_ADA, AU_GRACE}},
    [O_REPO_OLD] = {"pySimpleModel source code, release 1.1.0",
                    L_REPO_OLD,
                    FT_GIT,
                    {AU_ADA}},
    [O_OUT_CSV] = {"SEIRS model results: compartment sizes per day",
                   L_OUT_CSV,
                   FT_CSV,
                   {AU_GRACE}},
    [O_OUT_PNG] = {"SEIRS model results: epidemic curves",
                   L_OUT_PNG,
                   FT_PNG,
                   {AU_GRACE}},
    [O_QC] = {"Validation report for the SEIRS model results",
              L_QC,
              FT_PDF,
              {AU_REVIEW}},
    [O_POP] = {"Mid-year population estimates by region, 2023",
               L_POP,
               FT_CSV,
               {AU_NONE}},
    [O_POP_SCRIPT] = {"Submission script of the population-weighted "
                      "summary",
                      L_POP_SCRIPT,
                      FT_SH,
                      {AU_ADA}},
    [O_POP_OUT] = {"Infections per 100,000 people by region and day",
                   L_POP_OUT,
                   FT_CSV,
                   {AU_ADA}},
};

/* A NULL name is the object's whole_object component, which comes with the
 * object; the others are created here. */
static const struct {
	enum object object;
	const char *name, *description;
} components[] = {
    [C_PARAMS_1] = {O_PARAMS_1, NULL, NULL},
    [C_PARAMS_2] = {O_PARAMS_2, NULL, NULL},
    [C_OUT_CSV] = {O_OUT_CSV, NULL, NULL},
    [C_OUT_PNG] = {O_OUT_PNG, NULL, NULL},
    [C_POP] = {O_POP, NULL, NULL},
    [C_POP_OUT] = {O_POP_OUT, NULL, NULL},
    [C_SUSCEPTIBLE] = {O_OUT_CSV, "susceptible",
                       "People who can still be infected"},
    [C_EXPOSED] = {O_OUT_CSV, "exposed",
                   "People infected but not yet infectious"},
    [C_INFECTIOUS] = {O_OUT_CSV, "infectious", "People who can infect others"},
    [C_RECOVERED] = {O_OUT_CSV, "recovered",
                     "People immune for the time being"},
};

static const struct {
	enum ns ns;
	const char *name, *version;
	enum object object;
} data_products[] = {
    [D_PARAMS_1] = {N_EXAMPLE, "SEIRS_model/parameters", "1.0.0", O_PARAMS_1},
    [D_PARAMS_2] = {N_EXAMPLE, "SEIRS_model/parameters", "1.1.0", O_PARAMS_2},
    [D_OUT_CSV] = {N_EXAMPLE, "SEIRS_model/results/model_output/python",
                   "0.0.1", O_OUT_CSV},
    [D_OUT_PNG] = {N_EXAMPLE, "SEIRS_model/results/figure/python", "0.0.1",
                   O_OUT_PNG},
    [D_POP] = {N_STATS, "population/mid_year_estimates", "2023.0.0", O_POP},
    [D_POP_OUT] = {N_EXAMPLE, "SEIRS_model/population_weighted", "0.1.0",
                   O_POP_OUT},
};

/* Its version is its data product's, as the API would copy it. */
static const struct {
	enum data_product data_product;
	const char *identifier, *title, *description, *release_date;
	bool primary;
	enum location original_store;
} external_objects[] = {
    /* 10.5555 is a DOI prefix reserved for examples */
    {D_POP, "https://doi.org/10.5555/example.population.2023",
     "Mid-year population estimates, 2023",
     "Resident population by region on 30 June 2023", "2024-06-26T09:30:00Z",
     true, L_POP_ORIGIN},
};

static const struct {
	enum object object;
	const char *name, *version, *website;
} releases[] = {
    {O_REPO, "pySimpleModel", "1.2.0",
     "https://github.com/FAIRDataPipeline/pySimpleModel"},
    {O_REPO_OLD, "pySimpleModel", "1.1.0",
     "https://github.com/FAIRDataPipeline/pySimpleModel"},
};

static const struct {
	const char *description, *run_date;
	enum object code_repo, model_config, submission_script;
	enum component inputs[MAX_LINKS], outputs[MAX_LINKS];
} code_runs[] = {
    {"SEIRS Model python",
     "2024-02-09T15:35:42.655339Z",
     O_REPO,
     O_CONFIG,
     O_SCRIPT,
     {C_PARAMS_1},
     {C_OUT_CSV, C_OUT_PNG}},
    {"Population-weighted SEIRS summary",
     "2024-02-10T09:12:03.104871Z",
     O_REPO,
     O_NONE,
     O_POP_SCRIPT,
     {C_INFECTIOUS, C_POP},
     {C_POP_OUT}},
};

static const struct {
	const char *severity, *description;
	enum component components[MAX_LINKS];
} issues[] = {
    {"3",
     "The latent period comes from a preprint; replace it once the "
     "reviewed estimate is published (done in parameters 1.1.0)",
     {C_PARAMS_1}},
    {"5",
     "The model counts 365 days a year rather than 365.25, so late "
     "timesteps drift",
     {C_OUT_CSV, C_INFECTIOUS}},
};

static const struct {
	enum object object;
	const char *keyphrase;
} keywords[] = {
    {O_OUT_CSV, "SEIRS"},
    {O_OUT_CSV, "compartmental model"},
    {O_POP, "population estimates"},
};

static const struct {
	enum object object;
	const char *info, *identifier;
} licences[] = {
    {O_PARAMS_1, "Creative Commons Attribution 4.0 International",
     "https://creativecommons.org/licenses/by/4.0/"},
    {O_POP, "Open Government Licence v3.0",
     "https://www.nationalarchives.gov.uk/doc/open-government-licence/"
     "version/3/"},
};

static const struct {
	enum object object;
	const char *key, *value;
} key_values[] = {
    {O_PARAMS_1, "time_unit", "days"},
    {O_PARAMS_1, "population_size", "1000000"},
    {O_OUT_CSV, "timesteps", "1000"},
};

static const struct {
	enum object object, document;
} quality_checks[] = {
    {O_OUT_CSV, O_QC},
};

/* Ids of the rows loaded, indexed like the tables. */
struct load {
	PGconn *c;
	struct arena a;
	rowid user;
	rowid file_type[LEN(file_types)], root[LEN(roots)],
	    author[LEN(authors)], ns[LEN(namespaces)], location[LEN(locations)],
	    object[LEN(objects)], component[LEN(components)],
	    data_product[LEN(data_products)];
};

static const char *boolean(bool b)
{
	return b ? "true" : "false";
}

/* A link's id, or NULL (SQL NULL) for "none". */
static const char *opt_id(rowid *ids, int i)
{
	return i ? ids[i] : NULL;
}

/* Runs one statement. With id, it must return exactly one row, whose first
 * column is kept there; rows (if given) gets the number of rows. */
static int run(PGconn *c, const char *sql, int n, const char *const *v,
               char *id, int *rows)
{
	PGresult *r = cli_exec(c, "example-data", sql, n, v);
	int rc = 0;
	if (!r)
		return -1;
	if (rows) {
		*rows = PQntuples(r);
	} else if (id && PQntuples(r) != 1) {
		fprintf(stderr, "registry: example-data: %d rows from: %s\n",
		        PQntuples(r), sql);
		rc = -1;
	}
	if (rc == 0 && id && PQntuples(r) == 1)
		snprintf(id, ID_LEN, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return rc;
}

/* INSERT ... RETURNING id */
static int insert(struct load *l, const char *sql, int n, const char *const *v,
                  char *id)
{
	return run(l->c, sql, n, v, id, NULL);
}

static int load_file_types(struct load *l)
{
	for (int i = 1; i < LEN(file_types); i++) {
		const char *v[] = {l->user, file_types[i].name,
		                   file_types[i].extension};
		/* shared vocabulary: reuse what the registry already has */
		if (insert(
		        l,
		        "WITH ins AS (INSERT INTO file_type "
		        "(updated_by_id, name, extension) VALUES ($1, $2, $3) "
		        "ON CONFLICT DO NOTHING RETURNING id) "
		        "SELECT id FROM ins UNION ALL SELECT id FROM "
		        "file_type WHERE name = $2 AND extension = $3",
		        3, v, l->file_type[i]) < 0)
			return -1;
	}
	return 0;
}

static int load_roots(struct load *l)
{
	for (int i = 1; i < LEN(roots); i++) {
		const char *v[] = {l->user, roots[i].root,
		                   boolean(roots[i].local)};
		if (insert(l,
		           "WITH ins AS (INSERT INTO storage_root "
		           "(updated_by_id, root, local) VALUES ($1, $2, $3) "
		           "ON CONFLICT DO NOTHING RETURNING id) "
		           "SELECT id FROM ins UNION ALL "
		           "SELECT id FROM storage_root WHERE root = $2",
		           3, v, l->root[i]) < 0)
			return -1;
	}
	return 0;
}

static int load_authors(struct load *l)
{
	for (int i = 1; i < LEN(authors); i++) {
		const char *ident = authors[i].identifier;
		const char *v[] = {l->user, authors[i].name, ident,
		                   ident ? uuid_from_identifier(&l->a, ident)
		                         : NULL};
		/* an author with an identifier may be known already */
		if (insert(
		        l,
		        "WITH ins AS (INSERT INTO author "
		        "(updated_by_id, name, identifier, uuid) VALUES "
		        "($1, $2, $3, coalesce($4::uuid, gen_random_uuid())) "
		        "ON CONFLICT (identifier) DO NOTHING RETURNING id) "
		        "SELECT id FROM ins UNION ALL "
		        "SELECT id FROM author WHERE identifier = $3",
		        4, v, l->author[i]) < 0)
			return -1;
	}
	return 0;
}

/* The first namespace is the marker, inserted by the caller. */
static int load_namespaces(struct load *l)
{
	for (int i = N_EXAMPLE + 1; i < LEN(namespaces); i++) {
		const char *v[] = {l->user, namespaces[i].name,
		                   namespaces[i].full_name,
		                   namespaces[i].website};
		if (insert(l,
		           "WITH ins AS (INSERT INTO namespace "
		           "(updated_by_id, name, full_name, website) VALUES "
		           "($1, $2, $3, $4) "
		           "ON CONFLICT (name) DO NOTHING RETURNING id) "
		           "SELECT id FROM ins UNION ALL "
		           "SELECT id FROM namespace WHERE name = $2",
		           4, v, l->ns[i]) < 0)
			return -1;
	}
	return 0;
}

static int load_locations(struct load *l)
{
	for (int i = 1; i < LEN(locations); i++) {
		const char *v[] = {
		    l->user, locations[i].path, locations[i].hash,
		    boolean(locations[i].public), l->root[locations[i].root]};
		if (insert(l,
		           "INSERT INTO storage_location (updated_by_id, path, "
		           "hash, public, storage_root_id) "
		           "VALUES ($1, $2, $3, $4, $5) RETURNING id",
		           5, v, l->location[i]) < 0)
			return -1;
	}
	return 0;
}

/* Each object with its authors and, as the API does, its whole_object
 * component. */
static int load_objects(struct load *l)
{
	for (int i = 1; i < LEN(objects); i++) {
		const char *v[] = {l->user, objects[i].description,
		                   opt_id(l->location, objects[i].location),
		                   opt_id(l->file_type, objects[i].file_type)};
		if (insert(l,
		           "INSERT INTO object (updated_by_id, description, "
		           "storage_location_id, file_type_id) "
		           "VALUES ($1, $2, $3, $4) RETURNING id",
		           4, v, l->object[i]) < 0)
			return -1;
		const char *w[] = {l->user, l->object[i]};
		rowid whole;
		if (insert(l,
		           "INSERT INTO object_component (updated_by_id, "
		           "object_id, name, whole_object) "
		           "VALUES ($1, $2, 'whole_object', true) RETURNING id",
		           2, w, whole) < 0)
			return -1;
		for (int c = 1; c < LEN(components); c++)
			if (components[c].object == (enum object)i &&
			    !components[c].name)
				memcpy(l->component[c], whole, ID_LEN);
		for (int k = 0; k < MAX_LINKS && objects[i].authors[k]; k++) {
			const char *a[] = {l->object[i],
			                   l->author[objects[i].authors[k]]};
			if (run(l->c,
			        "INSERT INTO object_authors (object_id, "
			        "author_id) VALUES ($1, $2)",
			        2, a, NULL, NULL) < 0)
				return -1;
		}
	}
	return 0;
}

static int load_components(struct load *l)
{
	for (int i = 1; i < LEN(components); i++) {
		if (!components[i].name)
			continue;
		const char *v[] = {l->user, l->object[components[i].object],
		                   components[i].name,
		                   components[i].description};
		if (insert(l,
		           "INSERT INTO object_component (updated_by_id, "
		           "object_id, name, description) "
		           "VALUES ($1, $2, $3, $4) RETURNING id",
		           4, v, l->component[i]) < 0)
			return -1;
	}
	return 0;
}

static int load_data_products(struct load *l)
{
	for (int i = 1; i < LEN(data_products); i++) {
		const char *v[] = {l->user, data_products[i].name,
		                   data_products[i].version,
		                   l->object[data_products[i].object],
		                   l->ns[data_products[i].ns]};
		if (insert(l,
		           "INSERT INTO data_product (updated_by_id, name, "
		           "version, object_id, namespace_id) "
		           "VALUES ($1, $2, $3, $4, $5) RETURNING id",
		           5, v, l->data_product[i]) < 0)
			return -1;
	}
	return 0;
}

static int load_external_objects(struct load *l)
{
	for (int i = 0; i < LEN(external_objects); i++) {
		const char *v[] = {
		    l->user,
		    l->data_product[external_objects[i].data_product],
		    external_objects[i].identifier,
		    boolean(external_objects[i].primary),
		    external_objects[i].release_date,
		    external_objects[i].title,
		    external_objects[i].description,
		    opt_id(l->location, external_objects[i].original_store)};
		rowid id;
		if (insert(l,
		           "INSERT INTO external_object (updated_by_id, "
		           "data_product_id, identifier, "
		           "primary_not_supplement, release_date, title, "
		           "description, version, original_store_id) "
		           "SELECT $1, d.id, $3, $4, $5, $6, $7, d.version, $8 "
		           "FROM data_product d WHERE d.id = $2 RETURNING id",
		           8, v, id) < 0)
			return -1;
	}
	return 0;
}

static int load_releases(struct load *l)
{
	for (int i = 0; i < LEN(releases); i++) {
		const char *v[] = {l->user, l->object[releases[i].object],
		                   releases[i].name, releases[i].version,
		                   releases[i].website};
		rowid id;
		if (insert(l,
		           "INSERT INTO code_repo_release (updated_by_id, "
		           "object_id, name, version, website) "
		           "VALUES ($1, $2, $3, $4, $5) RETURNING id",
		           5, v, id) < 0)
			return -1;
	}
	return 0;
}

/* Adds (owner, component) rows to a join table for each listed component. */
static int link_components(struct load *l, const char *sql, const char *owner,
                           const enum component *list)
{
	for (int k = 0; k < MAX_LINKS && list[k]; k++) {
		const char *v[] = {owner, l->component[list[k]]};
		if (run(l->c, sql, 2, v, NULL, NULL) < 0)
			return -1;
	}
	return 0;
}

static int load_code_runs(struct load *l)
{
	for (int i = 0; i < LEN(code_runs); i++) {
		const char *v[] = {l->user,
		                   code_runs[i].run_date,
		                   code_runs[i].description,
		                   opt_id(l->object, code_runs[i].code_repo),
		                   opt_id(l->object, code_runs[i].model_config),
		                   l->object[code_runs[i].submission_script]};
		rowid id;
		if (insert(l,
		           "INSERT INTO code_run (updated_by_id, run_date, "
		           "description, code_repo_id, model_config_id, "
		           "submission_script_id) "
		           "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
		           6, v, id) < 0 ||
		    link_components(l,
		                    "INSERT INTO code_run_inputs (code_run_id, "
		                    "object_component_id) VALUES ($1, $2)",
		                    id, code_runs[i].inputs) < 0 ||
		    link_components(
		        l,
		        "INSERT INTO code_run_outputs (code_run_id, "
		        "object_component_id) VALUES ($1, $2)",
		        id, code_runs[i].outputs) < 0)
			return -1;
	}
	return 0;
}

static int load_issues(struct load *l)
{
	for (int i = 0; i < LEN(issues); i++) {
		const char *v[] = {l->user, issues[i].severity,
		                   issues[i].description};
		rowid id;
		if (insert(l,
		           "INSERT INTO issue (updated_by_id, severity, "
		           "description) VALUES ($1, $2, $3) RETURNING id",
		           3, v, id) < 0 ||
		    link_components(l,
		                    "INSERT INTO issue_component_issues "
		                    "(issue_id, object_component_id) "
		                    "VALUES ($1, $2)",
		                    id, issues[i].components) < 0)
			return -1;
	}
	return 0;
}

/* Keywords, licences, key values and quality checks: small rows that hang
 * off an object. */
static int load_annotations(struct load *l)
{
	rowid id;
	for (int i = 0; i < LEN(keywords); i++) {
		const char *v[] = {l->user, l->object[keywords[i].object],
		                   keywords[i].keyphrase};
		if (insert(l,
		           "INSERT INTO keyword (updated_by_id, object_id, "
		           "keyphrase) VALUES ($1, $2, $3) RETURNING id",
		           3, v, id) < 0)
			return -1;
	}
	for (int i = 0; i < LEN(licences); i++) {
		const char *v[] = {l->user, l->object[licences[i].object],
		                   licences[i].info, licences[i].identifier};
		if (insert(l,
		           "INSERT INTO licence (updated_by_id, object_id, "
		           "licence_info, identifier) "
		           "VALUES ($1, $2, $3, $4) RETURNING id",
		           4, v, id) < 0)
			return -1;
	}
	for (int i = 0; i < LEN(key_values); i++) {
		const char *v[] = {l->user, l->object[key_values[i].object],
		                   key_values[i].key, key_values[i].value};
		if (insert(l,
		           "INSERT INTO key_value (updated_by_id, object_id, "
		           "key, value) VALUES ($1, $2, $3, $4) RETURNING id",
		           4, v, id) < 0)
			return -1;
	}
	for (int i = 0; i < LEN(quality_checks); i++) {
		const char *v[] = {l->user, l->object[quality_checks[i].object],
		                   l->object[quality_checks[i].document]};
		if (insert(l,
		           "INSERT INTO quality_controlled (updated_by_id, "
		           "object_id, document_id) "
		           "VALUES ($1, $2, $3) RETURNING id",
		           3, v, id) < 0)
			return -1;
	}
	return 0;
}

static int (*const steps[])(struct load *) = {
    load_file_types,       load_roots,    load_authors,    load_namespaces,
    load_locations,        load_objects,  load_components, load_data_products,
    load_external_objects, load_releases, load_code_runs,  load_issues,
    load_annotations,
};

/* The admin user's id, creating the user if missing. */
static int admin_id(struct load *l)
{
	if (admin_user(l->c, "admin") < 0)
		return -1;
	const char *v[] = {"admin"};
	return insert(l, "SELECT id FROM users WHERE username = $1", 1, v,
	              l->user);
}

/* Inserts the marker namespace: 1 if it is new, 0 if it existed. */
static int claim_marker(struct load *l)
{
	const char *v[] = {l->user, namespaces[N_EXAMPLE].name,
	                   namespaces[N_EXAMPLE].full_name,
	                   namespaces[N_EXAMPLE].website};
	int rows = 0;
	if (run(l->c,
	        "INSERT INTO namespace (updated_by_id, name, full_name, "
	        "website) VALUES ($1, $2, $3, $4) "
	        "ON CONFLICT (name) DO NOTHING RETURNING id",
	        4, v, l->ns[N_EXAMPLE], &rows) < 0)
		return -1;
	return rows;
}

static void summary(void)
{
	int named = 0;
	for (int i = 1; i < LEN(components); i++)
		named += components[i].name != NULL;
	printf("example data loaded as admin: %d namespaces, %d authors, "
	       "%d file types, %d storage roots, %d storage locations, "
	       "%d objects with %d components, %d data products, "
	       "%d external object, %d code repo releases, %d code runs, "
	       "%d issues, %d keywords, %d licences, %d key values, "
	       "%d quality_controlled record\n",
	       LEN(namespaces) - 1, LEN(authors) - 1, LEN(file_types) - 1,
	       LEN(roots) - 1, LEN(locations) - 1, LEN(objects) - 1,
	       LEN(objects) - 1 + named, LEN(data_products) - 1,
	       LEN(external_objects), LEN(releases), LEN(code_runs),
	       LEN(issues), LEN(keywords), LEN(licences), LEN(key_values),
	       LEN(quality_checks));
}

int example_data_load(PGconn *c)
{
	struct load l = {.c = c};
	if (cli_run(c, "example-data", "BEGIN", 0, NULL) < 0)
		return -1;
	/* a concurrent second load waits on the marker's unique key, then
	 * finds it taken */
	int rc = admin_id(&l);
	int fresh = rc < 0 ? -1 : claim_marker(&l);
	if (fresh == 0)
		printf("example data already loaded (namespace %s exists); "
		       "nothing to do\n",
		       MARKER);
	rc = fresh < 0 ? -1 : 0;
	for (int i = 0; fresh > 0 && rc == 0 && i < LEN(steps); i++)
		rc = steps[i](&l);
	if (fresh > 0 && rc == 0)
		rc = cli_run(c, "example-data", "COMMIT", 0, NULL);
	else
		PQclear(PQexec(c, "ROLLBACK"));
	arena_free(&l.a);
	if (fresh > 0 && rc == 0)
		summary();
	return rc;
}
