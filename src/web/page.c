/* page.c - the frame every HTML page shares: head, navigation, footer, the
 * headers that keep a page self-contained, and the error page. */
#include "web.h"

void page_init(struct html *h, struct request *rq)
{
	html_init(h, rq->a);
	h->root = rq->root ? rq->root : "";
}

void page_begin(struct html *h, const char *title)
{
	HTML(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	        "<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, "
	        "initial-scale=1\">\n<title>");
	html_text(h, title);
	HTML(h, " &middot; FAIR Data Registry</title>\n"
	        "<link rel=\"stylesheet\" href=\"");
	html_path(h, "/static/registry.css");
	HTML(h, "\">\n<link rel=\"icon\" href=\"");
	html_path(h, "/static/favicon.svg");
	HTML(h, "\" type=\"image/svg+xml\">\n</head>\n<body>\n"
	        "<header class=\"top\"><nav><a class=\"brand\" href=\"");
	html_path(h, "/");
	HTML(h, "\">FAIR Data Registry</a>");
	WEB_LINK(h, "/data_products/", "Data products");
	WEB_LINK(h, "/code_runs/", "Code runs");
	WEB_LINK(h, "/issues/", "Issues");
	WEB_LINK(h, "/docs/", "Guides");
	WEB_LINK(h, "/api/?format=api", "REST API");
	HTML(h, "</nav></header>\n<main>\n");
}

void page_end(struct html *h)
{
	HTML(h, "</main>\n<footer>FAIR Data Pipeline data registry &middot; ");
	WEB_LINK(h, "/api/?format=api", "browsable API");
	HTML(h, " &middot; ");
	WEB_LINK(h, "/api/?format=json", "JSON");
	HTML(h, "</footer>\n</body>\n</html>\n");
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
	page_init(&h, rq);
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
	HTML(&h, "</code></p>\n<p>");
	WEB_LINK(&h, "/", "Back to the home page");
	HTML(&h, "</p>\n");
	page_end(&h);
	page_answer(rq, status, &h);
}
