/* example_story.h - the records of `registry example-data` (src/example/
 * story.c), as plain tables the loader (src/example.c) walks: an enum names
 * each record of the enum-indexed tables, whose entry 0 is unused so that a
 * zero link means "none". */
#ifndef EXAMPLE_STORY_H
#define EXAMPLE_STORY_H

#include <stdbool.h>

/* The namespace whose presence means the example is loaded already. */
#define MARKER    "fair_example"
#define MAX_LINKS 4

enum file_type {
	FT_NONE,
	FT_CSV,
	FT_YAML,
	FT_SH,
	FT_GIT,
	FT_PNG,
	FT_PDF,
	FT_COUNT
};
enum root { R_NONE, R_LOCAL, R_GITHUB, R_OPEN, R_COUNT };
enum author { AU_NONE, AU_ADA, AU_GRACE, AU_REVIEW, AU_COUNT };
enum ns { N_NONE, N_EXAMPLE, N_STATS, N_COUNT };
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
	L_COUNT
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
	O_COUNT
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
	C_COUNT
};
enum data_product {
	D_NONE,
	D_PARAMS_1,
	D_PARAMS_2,
	D_OUT_CSV,
	D_OUT_PNG,
	D_POP,
	D_POP_OUT,
	D_COUNT
};

struct ex_file_type {
	const char *name, *extension;
};
extern const struct ex_file_type file_types[FT_COUNT];

struct ex_root {
	const char *root;
	bool local;
};
extern const struct ex_root roots[R_COUNT];

struct ex_author {
	const char *name, *identifier;
};
extern const struct ex_author authors[AU_COUNT];

struct ex_namespace {
	const char *name, *full_name, *website;
};
extern const struct ex_namespace namespaces[N_COUNT];

struct ex_location {
	enum root root;
	const char *path, *hash;
	bool public;
};
extern const struct ex_location locations[L_COUNT];

struct ex_object {
	const char *description;
	enum location location;
	enum file_type file_type;
	enum author authors[MAX_LINKS];
};
extern const struct ex_object objects[O_COUNT];

struct ex_component {
	enum object object;
	const char *name, *description;
};
extern const struct ex_component components[C_COUNT];

struct ex_data_product {
	enum ns ns;
	const char *name, *version;
	enum object object;
};
extern const struct ex_data_product data_products[D_COUNT];

struct ex_external_object {
	enum data_product data_product;
	const char *identifier, *title, *description, *release_date;
	bool primary;
	enum location original_store;
};
extern const struct ex_external_object external_objects[];
extern const int n_external_objects;

struct ex_release {
	enum object object;
	const char *name, *version, *website;
};
extern const struct ex_release releases[];
extern const int n_releases;

struct ex_code_run {
	const char *description, *run_date;
	enum object code_repo, model_config, submission_script;
	enum component inputs[MAX_LINKS], outputs[MAX_LINKS];
};
extern const struct ex_code_run code_runs[];
extern const int n_code_runs;

struct ex_issue {
	const char *severity, *description;
	enum component components[MAX_LINKS];
};
extern const struct ex_issue issues[];
extern const int n_issues;

struct ex_keyword {
	enum object object;
	const char *keyphrase;
};
extern const struct ex_keyword keywords[];
extern const int n_keywords;

struct ex_licence {
	enum object object;
	const char *info, *identifier;
};
extern const struct ex_licence licences[];
extern const int n_licences;

struct ex_key_value {
	enum object object;
	const char *key, *value;
};
extern const struct ex_key_value key_values[];
extern const int n_key_values;

struct ex_quality_check {
	enum object object, document;
};
extern const struct ex_quality_check quality_checks[];
extern const int n_quality_checks;

#endif
