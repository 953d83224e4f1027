/* page.c - the frame every HTML page shares: head, navigation, footer, the
 * headers that keep a page self-contained, and the error page. */
#include "web.h"

void page_begin(struct html *h, const char *title)
{
	HTML(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	        "<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, "
	        "initial-scale=1\">\n<title>");
	html_text(h, title);
	HTML(h, " &middot; FAIR Data Registry</title>\n"
	        "<link rel=\"stylesheet\" href=\"/static/registry.css\">\n"
	        "<link rel=\"icon\" href=\"/static/favicon.svg\" "
	        "type=\"image/svg+xml\">\n</head>\n<body>\n"
	        "<header class=\"top\"><nav>"
	        "<a class=\"brand\" href=\"/\">FAIR Data Registry</a>"
	        "<a href=\"/data_products/\">Data products</a>"
	        "<a href=\"/code_runs/\">Code runs</a>"
	        "<a href=\"/issues/\">Issues</a>"
	        "<a href=\"/docs/\">Guides</a>"
	        "<a href=\"/api/?format=api\">REST API</a>"
	        "</nav></header>\n<main>\n");
}

void page_end(struct html *h)
{
	HTML(h, "</main>\n<footer>FAIR Data Pipeline data registry &middot; "
	        "<a href=\"/api/?format=api\">browsable API</a> &middot; "
	        "<a href=\"/api/?format=json\">JSON</a></footer>\n"
	        "</body>\n</html>\n");
}

void page_answer(struct request *rq, int status, struct html *h)
{
	/* Pages load nothing from other hosts and run no script: say so, so
	 * that even a missed escape could not run one. */
	req_header(rq, "Content-Security-Policy",
	           "default-src 'self'; script-src 'none'; object-src 'none'; "
	           "base-uri 'none'; form-action 'self'; frame-ancestors "
	           "'none'");
	req_header(rq, "X-Content-Type-Options", "nosniff");
	resp_text(rq, status, "text/html; charset=utf-8", h->b.p, h->b.len);
}

void web_error_page(struct request *rq, int status, const char *message)
{
	struct html h;
	html_init(&h, rq->a);
	const char *title = status_text(status);
	page_begin(&h, title);
	HTML(&h, "<h1>");
	html_int(&h, status);
	HTML(&h, " ");
	html_text(&h, title);
	HTML(&h, "</h1>\n<p class=\"error\">");
	html_text(&h, message ? message : "There is no page at this address.");
	HTML(&h, "</p>\n<p>Requested: <code>");
	html_text(&h, rq->path);
	HTML(&h, "</code></p>\n<p><a href=\"/\">Back to the home "
	         "page</a></p>\n");
	page_end(&h);
	page_answer(rq, status, &h);
}
