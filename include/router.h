/* router.h - from method and path to the handler that answers. */
#ifndef ROUTER_H
#define ROUTER_H

#include "request.h"

/* Records what rq's path names (rq->view, resource, id, view_name,
 * guide). Runs first, even for a request answered without routing (the
 * database is down), whose browsable error page names the view too. */
void route_find(struct request *rq);

/* Answers rq (sets status, headers and body) from what route_find
 * recorded. */
void route(struct request *rq);

#endif
