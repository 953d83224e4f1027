/* site.c - the website: the page the router found for a path. How the
 * site names and lists the records of each resource is in the resource
 * table. Pages are
 * rendered on the server, paginated and searched in SQL, and work without any
 * script. Paths follow the reference's site: / (home.c), /<resource>s/ lists
 * and
 * /<resource>/<id> shows one record (records.c), /docs/ (guides.c). */
#include "site.h"

#include <string.h>

/* ---- which page ---- */

void web_page(struct request *rq)
{
	switch (rq->view) {
	case PAGE_HOME:
		home(rq);
		break;
	case PAGE_LIST:
		list_page(rq, rq->resource);
		break;
	case PAGE_RECORD:
		record_page(rq, rq->resource, rq->id);
		break;
	case PAGE_GUIDES:
		docs_index(rq);
		break;
	case PAGE_GUIDE:
		doc_page(rq, rq->guide);
		break;
	default:
		web_error_page(rq, 404, NULL);
	}
}
