/* filter.h - list query arguments to SQL conditions. */
#ifndef FILTER_H
#define FILTER_H

#include "request.h"
#include "schema.h"
#include "sql.h"

/* Is key an allowed query argument of r (field or control argument)? */
bool filter_allowed(const struct resource *r, const char *key);

/* Does f filter r's lists? Only stored fields named in query_args do;
 * the other names there are accepted and ignored, as the reference does. */
bool filter_applies(const struct resource *r, const struct field *f);

/* Checks every query argument and appends one " AND <cond>" per filter on
 * alias t. False with the 400 answer set when an argument is wrong. */
bool filter_build(struct request *rq, const struct resource *r,
                  struct buf *where, struct params *p);

#endif
