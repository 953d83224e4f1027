/* source.c - the provenance walk's rows from the registry's database: one
 * statement per kind of row, each taking a whole level's ids as one array
 * parameter. Column layouts are those of include/prov/graph.h. */
#include "db.h"
#include "prov/graph.h"

#include <libpq-fe.h>
#include <string.h>

/* a time as "YYYY-MM-DDTHH:MM:SS.ffffff" in UTC; the statements below are
 * laid out as SQL, which the formatter would break up */
/* clang-format off */
#define UTC(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"

static const char *const sql[PQ_COUNT] = {
	[PQ_PRODUCTS] =
		"SELECT dp.id, dp.id, dp.object_id, dp.name, dp.version, "
		"       ns.name, " UTC("dp.last_updated") " "
		"FROM data_product dp JOIN namespace ns ON ns.id = dp.namespace_id "
		"WHERE dp.id = ANY($1::bigint[]) ORDER BY dp.id",
	[PQ_OBJECT_PRODUCTS] =
		"SELECT dp.object_id, dp.id, dp.object_id, dp.name, dp.version, "
		"       ns.name, " UTC("dp.last_updated") " "
		"FROM data_product dp JOIN namespace ns ON ns.id = dp.namespace_id "
		"WHERE dp.object_id = ANY($1::bigint[]) "
		"ORDER BY dp.object_id, dp.id",
	/* the reference takes a component's runs newest-updated first and
	 * keeps the first */
	[PQ_COMPONENTS] =
		"SELECT oc.object_id, oc.id, "
		"       (SELECT cr.id FROM code_run_outputs o "
		"        JOIN code_run cr ON cr.id = o.code_run_id "
		"        WHERE o.object_component_id = oc.id "
		"        ORDER BY cr.last_updated DESC, cr.id DESC LIMIT 1) "
		"FROM object_component oc WHERE oc.object_id = ANY($1::bigint[]) "
		"ORDER BY oc.object_id, oc.id",
	[PQ_RUNS] =
		"SELECT cr.id, " UTC("cr.run_date") ", cr.description, "
		"       cr.updated_by_id, u.full_name, a.id, a.name, a.identifier, "
		"       cr.code_repo_id, cr.model_config_id, "
		"       cr.submission_script_id "
		"FROM code_run cr JOIN users u ON u.id = cr.updated_by_id "
		"LEFT JOIN user_author ua ON ua.user_id = u.id "
		"LEFT JOIN author a ON a.id = ua.author_id "
		"WHERE cr.id = ANY($1::bigint[]) ORDER BY cr.id",
	[PQ_RUN_INPUTS] =
		"SELECT i.code_run_id, oc.id, oc.object_id "
		"FROM code_run_inputs i "
		"JOIN object_component oc ON oc.id = i.object_component_id "
		"WHERE i.code_run_id = ANY($1::bigint[]) "
		"ORDER BY i.code_run_id, oc.id",
	[PQ_RUN_OUTPUTS] =
		"SELECT i.code_run_id, oc.id, oc.object_id "
		"FROM code_run_outputs i "
		"JOIN object_component oc ON oc.id = i.object_component_id "
		"WHERE i.code_run_id = ANY($1::bigint[]) "
		"ORDER BY i.code_run_id, oc.id",
	[PQ_OBJECTS] =
		"SELECT o.id, " UTC("o.last_updated") ", o.description, "
		"       sl.id, sr.root, sl.path, sl.hash, sl.public, "
		"       ft.name, ft.extension, "
		"       crr.id, crr.name, crr.version, crr.website "
		"FROM object o "
		"LEFT JOIN storage_location sl ON sl.id = o.storage_location_id "
		"LEFT JOIN storage_root sr ON sr.id = sl.storage_root_id "
		"LEFT JOIN file_type ft ON ft.id = o.file_type_id "
		"LEFT JOIN code_repo_release crr ON crr.object_id = o.id "
		"WHERE o.id = ANY($1::bigint[]) ORDER BY o.id",
	[PQ_OBJECT_AUTHORS] =
		"SELECT oa.object_id, a.id, a.name, a.identifier "
		"FROM object_authors oa JOIN author a ON a.id = oa.author_id "
		"WHERE oa.object_id = ANY($1::bigint[]) "
		"ORDER BY oa.object_id, a.id",
	/* components by id, each one's issues newest-updated first, as the
	 * reference's model orderings give them */
	[PQ_OBJECT_ISSUES] =
		"SELECT oc.object_id, i.id, i.description, i.severity "
		"FROM object_component oc "
		"JOIN issue_component_issues ci ON ci.object_component_id = oc.id "
		"JOIN issue i ON i.id = ci.issue_id "
		"WHERE oc.object_id = ANY($1::bigint[]) "
		"ORDER BY oc.object_id, oc.id, i.last_updated DESC, i.id DESC",
	[PQ_OBJECT_LICENCES] =
		"SELECT l.object_id, l.id, l.licence_info, l.identifier "
		"FROM licence l WHERE l.object_id = ANY($1::bigint[]) "
		"ORDER BY l.object_id, l.last_updated DESC, l.id DESC",
	[PQ_OBJECT_KEYWORDS] =
		"SELECT k.object_id, k.id, k.keyphrase, k.identifier "
		"FROM keyword k WHERE k.object_id = ANY($1::bigint[]) "
		"ORDER BY k.object_id, k.id",
	[PQ_EXTERNAL] =
		"SELECT eo.data_product_id, eo.id, eo.identifier, "
		"       eo.alternate_identifier, eo.alternate_identifier_type, "
		"       eo.primary_not_supplement, " UTC("eo.release_date") ", "
		"       eo.title, eo.description, eo.version, sr.root, sl.path "
		"FROM external_object eo "
		"LEFT JOIN storage_location sl ON sl.id = eo.original_store_id "
		"LEFT JOIN storage_root sr ON sr.id = sl.storage_root_id "
		"WHERE eo.data_product_id = ANY($1::bigint[]) "
		"ORDER BY eo.data_product_id",
};
/* clang-format on */

static bool fetch(void *ctx, struct arena *a, enum pv_query q,
                  const long long *ids, int n, struct pv_rows *out)
{
	struct db *db = ctx;
	struct buf arr;
	buf_init(&arr, a);
	buf_putc(&arr, '{');
	for (int i = 0; i < n; i++)
		buf_printf(&arr, "%s%lld", i ? "," : "", ids[i]);
	buf_putc(&arr, '}');
	const char *param = arr.p;
	PGresult *res = db_query(db, sql[q], 1, &param);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return false;
	}
	out->n = PQntuples(res);
	out->ncols = PQnfields(res);
	out->cell = arena_alloc(a, sizeof *out->cell *
	                               (size_t)(out->n * out->ncols + 1));
	for (int r = 0; r < out->n; r++)
		for (int c = 0; c < out->ncols; c++)
			out->cell[r * out->ncols + c] =
			    PQgetisnull(res, r, c)
			        ? NULL
			        : arena_strndup(a, PQgetvalue(res, r, c),
			                        (size_t)PQgetlength(res, r, c));
	PQclear(res);
	return true;
}

struct pv_source pv_db_source(struct db *db)
{
	struct pv_source s = {db, fetch};
	return s;
}
