/* alias.h - the reference's aliases: a data product or external object by
 * name and version, answered with its file. */
#ifndef ALIAS_H
#define ALIAS_H

#include "request.h"

/* GET /data_product/<namespace>:<name>@<version>[?root] */
void alias_data_product(struct request *rq, const char *rest);

/* GET /external_object/<alternate_identifier>:<title>@<version>
 * [?original][?root] */
void alias_external_object(struct request *rq, const char *rest);

/* ---- exposed for the unit tests ---- */

struct alias {
	char *first; /* namespace or alternate identifier */
	char *name;  /* data product name or title */
	char *version;
};

/* Splits "<first>:<name>@<version>" the way the reference's URL pattern
 * matches it: version after the last '@' (no '/'), first up to the last
 * ':' that leaves a name (first_any: first may hold '/', else not). */
bool alias_split(struct arena *a, const char *s, bool first_any,
                 struct alias *out);

/* A storage root and a location's path as one URI, joined as the
 * reference does (Python's os.path.join after stripping leading '/'
 * and '\' from the path). */
char *alias_join(struct arena *a, const char *root, const char *path);

#endif
