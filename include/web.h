/* web.h - what people see in a browser: the browsable API (every /api/
 * answer as an HTML page) and the website (home page, record pages,
 * issues, the guides in docs/). All of it is rendered here, in C, with the
 * escaping writer of html.h; nginx serves the stylesheet. */
#ifndef WEB_H
#define WEB_H

#include "html.h"
#include "request.h"

/* True when the client asked for HTML: ?format=api, or no format and an
 * Accept header that the reference would answer with its HTML renderer. */
bool web_wants_html(const struct request *rq);

/* Runs once the answer is complete. A JSON answer to a client that wants
 * HTML becomes the browsable API page (under /api/) or an HTML error page
 * (elsewhere); anything else is left alone, so JSON clients see no
 * change. */
void web_finish(struct request *rq);

/* The website: answers rq with the page the router found (rq->view is
 * one of PAGE_*: /, /docs/..., /<resource>s/, /<resource>/<id>). */
void web_page(struct request *rq);

/* ---- writing from the browser (src/web/forms.c) ---- */

/* A signed-in browser's form post to the API: the raw JSON of the form's
 * _content field becomes the body and _method (PUT, PATCH, DELETE) the
 * method, as DRF's browsable API does. Returns the CSRF token the request
 * carries (the form's field, else the X-CSRFToken header), or NULL. */
const char *web_form_unpack(struct request *rq);

struct resource;
/* The forms of a browsable page for a signed-in user: POST on a list,
 * PUT/PATCH and DELETE on a record, where the resource allows them. */
void web_forms(struct html *h, struct request *rq, const struct resource *r,
               long long id);

/* ---- shared by the pages ---- */

/* <a href="<root><path>">text</a>: a link to one of the site's own pages;
 * text is markup (a literal). */
#define WEB_LINK(h, path, text)                                                \
	do {                                                                   \
		HTML(h, "<a href=\"");                                         \
		html_path(h, path);                                            \
		HTML(h, "\">" text "</a>");                                    \
	} while (0)

/* An empty page whose root-relative links start with rq->root. */
void page_init(struct html *h, struct request *rq);
/* The document head and the site's navigation bar; title is a value. */
void page_begin(struct html *h, const char *title);
void page_end(struct html *h);
/* Sets h as rq's HTML answer, with the headers every page carries. */
void page_answer(struct request *rq, int status, struct html *h);
/* A whole error page: the status, a message and a way back. */
void web_error_page(struct request *rq, int status, const char *message);

#endif
