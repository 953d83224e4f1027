/* health.h - /health/live, /health/ready and /metrics. */
#ifndef HEALTH_H
#define HEALTH_H

#include "request.h"

/* Answers rq if its path is one of the operators' endpoints. */
bool health_route(struct request *rq);

#endif
