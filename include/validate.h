/* validate.h - request bodies to typed, checked values, with the
 * reference's field errors. */
#ifndef VALIDATE_H
#define VALIDATE_H

#include "request.h"
#include "schema.h"

/* One writable field's value, ready to be a SQL parameter. */
struct wval {
	bool given;       /* set by the body, a default or the server */
	const char *text; /* NULL = SQL NULL; links: id; many: "{1,2}" */
};

#define MAX_FIELDS 32

/* Parses the body (JSON or form) and checks every writable field of r.
 * partial: PATCH (absent fields stay as they are). out is indexed like
 * r->fields. Returns 0, or -1 with the 400/415 answer set. */
int validate_body(struct request *rq, const struct resource *r, bool partial,
		  struct wval *out);

/* Parses the body alone into a JSON object (NULL with the answer set). */
struct json_object *parse_body(struct request *rq);

/* Whether clients may write this field. */
bool field_writable(const struct field *f);

/* The uuid the reference derives from an identifier. */
char *uuid_from_identifier(struct arena *a, const char *identifier);

#endif
