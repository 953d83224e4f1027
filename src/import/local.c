/* local.c - this registry's records as its API writes them (the same
 * select list and record writer a detail answer uses), read in id order a
 * page at a time, for `registry export` and `registry import --verify`. */
#include "parts.h"
#include "record.h"
#include "sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void local_open(struct local *l, PGconn *c, const struct resource *r,
                const char *base)
{
	*l = (struct local){.c = c, .r = r, .base = base};
	struct buf b;
	buf_init(&b, &l->a);
	buf_puts(&b, "SELECT ");
	sql_select_list(&b, r);
	buf_printf(&b, " FROM \"%s\" t WHERE t.id > $1 ORDER BY t.id LIMIT $2",
	           r->name);
	l->sql = strdup(b.p);
}

int local_next(struct local *l, int n, const char **lines, long long *ids)
{
	arena_reset(&l->a);
	char after[32], limit[32];
	snprintf(after, sizeof after, "%lld", l->after);
	snprintf(limit, sizeof limit, "%d", n);
	const char *v[] = {after, limit};
	PGresult *res = PQexecParams(l->c, l->sql, 2, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "registry: %s: %s", l->r->name,
		        PQresultErrorMessage(res));
		PQclear(res);
		return -1;
	}
	struct request rq = {.a = &l->a, .base = (char *)l->base};
	int rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		struct buf b;
		buf_init(&b, &l->a);
		record_write(&b, &rq, l->r, res, i, 0);
		lines[i] = b.p;
		ids[i] = atoll(PQgetvalue(res, i, 0));
		l->after = ids[i];
	}
	PQclear(res);
	return rows;
}

void local_close(struct local *l)
{
	free(l->sql);
	arena_free(&l->a);
}
