/* openapi.h - the OpenAPI 3.1 document of the API, from the resource
 * table (GET /api/openapi.json). */
#ifndef OPENAPI_H
#define OPENAPI_H

#include "request.h"

void handle_openapi(struct request *rq);

#endif
