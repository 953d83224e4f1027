/* detail.c - one record by id, and the API root that lists every endpoint. */
#include "handlers.h"
#include "record.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>

#define DETAIL_SQL_MAX 64

/* A resource's detail statement. Its text never changes, so each worker
 * builds it once and keeps it: building it anew was a quarter of the
 * worker's work for a detail GET. */
static const char *detail_sql(struct request *rq, const struct resource *r)
{
	static char *kept[DETAIL_SQL_MAX];
	long i = r - resources;
	bool keep = i >= 0 && i < n_resources && i < DETAIL_SQL_MAX;
	if (keep && kept[i])
		return kept[i];
	struct buf sql;
	buf_init(&sql, rq->a);
	buf_puts(&sql, "SELECT ");
	sql_select_list(&sql, r);
	buf_printf(&sql, " FROM \"%s\" t WHERE t.id = $1", r->name);
	if (keep)
		kept[i] = strdup(sql.p); /* NULL: built again next time */
	return sql.p;
}

bool record_text(struct request *rq, const struct resource *r, long long id,
                 struct buf *b)
{
	const char *v = arena_printf(rq->a, "%lld", id);
	PGresult *res = db_query(rq->db, detail_sql(rq, r), 1, &v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return false;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_detail(rq, 404,
		            arena_printf(rq->a,
		                         "No %s matches the given query.",
		                         r->model));
		return false;
	}
	record_write(b, rq, r, res, 0, 0);
	PQclear(res);
	return true;
}

struct json_object *fetch_record(struct request *rq, const struct resource *r,
                                 long long id)
{
	struct buf b;
	buf_init(&b, rq->a);
	return record_text(rq, r, id, &b) ? json_tokener_parse(b.p) : NULL;
}

void handle_detail(struct request *rq, const struct resource *r, long long id)
{
	struct buf b;
	buf_init(&b, rq->a);
	if (record_text(rq, r, id, &b))
		resp_text(rq, 200, "application/json", b.p, b.len);
}

void handle_api_root(struct request *rq)
{
	if (!strcmp(rq->method, "OPTIONS")) {
		resp_json(rq, 200,
		          view_metadata("Api Root",
		                        "The registry's entry point: the "
		                        "address of every resource list."));
		return;
	}
	struct json_object *o = json_object_new_object();
	for (int i = 0; i < n_resources; i++)
		json_object_object_add(
		    o, resources[i].name,
		    json_object_new_string(
		        arena_printf(rq->a, "%s/api/%s/%s", rq->base,
		                     resources[i].name, format_suffix(rq))));
	resp_json(rq, 200, o);
}
