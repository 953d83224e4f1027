/* handlers.h - what answers each kind of request, once routed. */
#ifndef HANDLERS_H
#define HANDLERS_H

#include "request.h"
#include "schema.h"

void handle_list(struct request *rq, const struct resource *r);
void handle_detail(struct request *rq, const struct resource *r, long long id);
void handle_create(struct request *rq, const struct resource *r);
/* What handle_create writes, for a body in rq->body, inside the caller's
 * transaction and without an answer: the new record's id, or 0 with the
 * error answer set (and the transaction rolled back when a statement
 * failed). The example data is written through it. */
long long write_create(struct request *rq, const struct resource *r);
void handle_update(struct request *rq, const struct resource *r, long long id,
                   bool partial);
void handle_delete(struct request *rq, const struct resource *r, long long id);
/* The answer of a write whose COMMIT went unanswered but was committed
 * (rq->committed, kept by the write). */
void write_answer_committed(struct request *rq);
/* detail: the record's OPTIONS (id names it), else the list's */
void handle_options(struct request *rq, const struct resource *r, bool detail,
                    long long id);
void handle_api_root(struct request *rq);
void handle_username(struct request *rq);

/* The OPTIONS answer of a view outside the resource table: name,
 * description, renders and parses. */
struct json_object *view_metadata(const char *name, const char *doc);

/* Appends one record's JSON text to b; false with the answer set (404 or a
 * database failure) when it cannot. */
bool record_text(struct request *rq, const struct resource *r, long long id,
                 struct buf *b);
/* The same record as a JSON object, for the web pages. */
struct json_object *fetch_record(struct request *rq, const struct resource *r,
                                 long long id);

#endif
