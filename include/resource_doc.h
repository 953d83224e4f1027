/* resource_doc.h - a resource's whole documentation (Markdown), written
 * from its paragraph and its fields' help: what OPTIONS, the browsable API,
 * the website and the OpenAPI document show. */
#ifndef RESOURCE_DOC_H
#define RESOURCE_DOC_H

#include "schema.h"

/* Kept for the life of the process; never NULL. */
const char *resource_doc(const struct resource *r);

#endif
