/* prov/routes.h - the provenance endpoints, as entries of the router's
 * table: `rest` is what follows the route's prefix ("<id>/"). Each one
 * negotiates its own formats (xml, provn, svg, jpg, json-ld, zip). */
#ifndef PROV_ROUTES_H
#define PROV_ROUTES_H

#include "request.h"

/* /api/prov-report/<data product id>/ */
void route_prov_report(struct request *rq, const char *rest);
/* /api/ro-crate/data-product/<id>/ */
void route_crate_product(struct request *rq, const char *rest);
/* /api/ro-crate/code-run/<id>/ */
void route_crate_run(struct request *rq, const char *rest);
/* /api/data_extraction/<data product id>/ */
void route_data_extraction(struct request *rq, const char *rest);

#endif
