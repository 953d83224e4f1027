/* health.c - the operators' endpoints, outside the API's paths and
 * answered before the database is waited for: /health/live (the process
 * answers), /health/ready (it reaches its database), /metrics. */
#include "health.h"
#include "metrics.h"

#include <string.h>

static void live(struct request *rq)
{
	resp_text(rq, 200, "application/json", "{\"status\": \"ok\"}", 16);
}

/* One statement, no wait: a load balancer asks often and wants to know
 * now, not after the db_wait a request would give the database. */
static void ready(struct request *rq)
{
	bool ok = false;
	if (db_ready(rq->db)) {
		PGresult *r = db_query(rq->db, "SELECT 1", 0, NULL);
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
	}
	if (ok) {
		resp_text(rq, 200, "application/json",
		          "{\"status\": \"ready\"}", 19);
		return;
	}
	req_header(rq, "Retry-After", "5");
	resp_detail(rq, 503, "The database is unavailable.");
}

static const struct {
	const char *path;
	void (*fn)(struct request *rq);
} ops[] = {
    {"/health/live", live},
    {"/health/ready", ready},
    {"/metrics", metrics_page},
};

bool health_route(struct request *rq)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (strcmp(rq->path, ops[i].path))
			continue;
		if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD")) {
			req_header(rq, "Allow", "GET, HEAD");
			resp_detail(rq, 405,
			            arena_printf(rq->a,
			                         "Method \"%s\" not allowed.",
			                         rq->method));
			return true;
		}
		ops[i].fn(rq);
		return true;
	}
	return false;
}
