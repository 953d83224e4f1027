/* openapi_parts.h - what src/openapi.c (the paths) and
 * src/openapi_schema.c (the schemas) share. */
#ifndef OPENAPI_PARTS_H
#define OPENAPI_PARTS_H

#include "json_writer.h"
#include "schema.h"

/* {"$ref": "#/components/KIND/NAME"} */
void openapi_ref(struct jw *w, const char *kind, const char *name);
/* The JSON Schema format of a field's values (uri, uuid, date-time), or
 * NULL. */
const char *openapi_format(const struct field *f);
/* "components": {...} of the document. */
void openapi_components(struct jw *w);

#endif
