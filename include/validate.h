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

/* What the body is for: it decides what an absent field means. */
enum wmode {
	W_CREATE, /* POST: defaults apply, required fields must be there */
	W_PUT,    /* required fields must be there, others stay as stored */
	W_PATCH,  /* absent fields stay as they are */
};

/* Parses the body (JSON or form) and checks every writable field of r.
 * out is indexed like r->fields. False with the 400/415 answer set. */
bool validate_body(struct request *rq, const struct resource *r,
                   enum wmode mode, struct wval *out);

/* Parses the body alone into a JSON object (NULL with the answer set). */
struct json_object *parse_body(struct request *rq);

/* Whether clients may write this field. */
bool field_writable(const struct field *f);

/* The uuid the reference derives from an identifier. */
char *uuid_from_identifier(struct arena *a, const char *identifier);

#endif
