/* record.h - database rows to JSON records, in the reference's key order. */
#ifndef RECORD_H
#define RECORD_H

#include "request.h"
#include "schema.h"

#include <libpq-fe.h>

/* Row `row` of res, whose columns from `col` on are those of
 * sql_select_list (id first), as a JSON object in the reference's key order
 * and layout (compact, '/' unescaped), appended to b. */
void record_write(struct buf *b, struct request *rq, const struct resource *r,
                  PGresult *res, int row, int col);

/* "2024-02-09 15:38:35.754175+00" -> "2024-02-09T15:38:35.754175Z" */
char *iso_datetime(struct arena *a, const char *pg);

#endif
