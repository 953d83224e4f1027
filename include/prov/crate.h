/* prov/crate.h - RO-Crate 1.1 of a data product or code run, written from
 * the provenance graph (src/prov/rocrate.c). */
#ifndef PROV_CRATE_H
#define PROV_CRATE_H

#include "prov/graph.h"
#include "request.h"

enum rc_format { RC_JSON, RC_JSONLD, RC_ZIP };

/* Sets rq's answer: the crate's metadata as JSON or JSON-LD, or a zip of
 * the metadata and the locally stored files it describes. registry_url is
 * the request's base with a trailing slash. */
void rocrate_write(struct request *rq, const struct pv_graph *g,
                   const char *registry_url, enum rc_format format);

#endif
