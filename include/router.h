/* router.h - from method and path to the handler that answers. */
#ifndef ROUTER_H
#define ROUTER_H

#include "request.h"

/* Answers rq (sets status, headers and body). */
void route(struct request *rq);

#endif
