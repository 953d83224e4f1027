/* values.h - parsers for the typed values clients send (booleans, ISO
 * datetimes, semantic versions, URLs, UUIDs), shared by filters and
 * request-body validation. */
#ifndef VALUES_H
#define VALUES_H

#include "arena.h"
#include <stdbool.h>

/* "true"/"True"/"1"/... -> 1, "false"/... -> 0, else -1 */
int parse_bool(const char *s);
/* ISO 8601 datetime -> text PostgreSQL reads as timestamptz, or NULL */
char *parse_datetime(struct arena *a, const char *s);
bool is_semver(const char *s);
/* Django's URLValidator, close enough: scheme://host[:port][/path] */
bool is_url(const char *s);
/* canonical lower-case form, or NULL */
char *parse_uuid(struct arena *a, const char *s);
/* no []?* */
bool is_name(const char *s);

#endif
