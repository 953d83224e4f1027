/* fuzz_html.c - what turns text into HTML: the Markdown renderer (the
 * resources' documentation, the guides) and the browsable API's printer of
 * an answer, which must end on any input and never let markup through. */
#include "html.h"
#include "request.h"
#include "router.h"
#include "web.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	struct html h;
	html_init(&h, &a);
	html_markdown(&h, (const char *)data, size);

	char *s = arena_strndup(&a, (const char *)data, size);
	(void)html_url_ok(s);

	struct request rq = {.a = &a, .status = 200};
	buf_init(&rq.headers, &a);
	rq.method = "GET";
	rq.path = "/api/code_run/";
	rq.root = "";
	route_find(&rq);
	rq.raw_query = "format=api";
	rq.format = "api";
	rq.ctype = "application/json";
	rq.out = s;
	rq.out_len = size;
	web_finish(&rq);
	/* nothing of the input may open a tag inside the JSON's block */
	const char *body = strstr(rq.out, "<div class=\"response\">");
	if (body && strstr(body, "<script"))
		abort();
	arena_free(&a);
	return 0;
}
