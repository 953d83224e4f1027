/* test_html.c - the HTML writer's escaping, the Markdown renderer, content
 * negotiation and the browsable API's rendering of a finished answer,
 * hostile and broken input included. */
#include "check.h"

#include "html.h"
#include "request.h"
#include "router.h"
#include "web.h"

static const char *markdown(struct arena *a, const char *md)
{
	struct html h;
	html_init(&h, a);
	html_markdown(&h, md, strlen(md));
	return h.b.p ? h.b.p : "";
}

static void test_escaping(struct arena *a)
{
	struct html h;
	html_init(&h, a);
	HTML(&h, "<p title=\"");
	html_text(&h, "a\"b'c");
	HTML(&h, "\">");
	html_text(&h, "<script>alert(1)</script> & more");
	html_textn(&h, "x\0y", 3);
	html_int(&h, -42);
	HTML(&h, "</p>");
	CHECK_STR(h.b.p, "<p title=\"a&quot;b&#39;c\">&lt;script&gt;alert(1)"
	                 "&lt;/script&gt; &amp; morex\xef\xbf\xbdy-42</p>");

	html_init(&h, a);
	html_link(&h, "javascript:alert(1)", "<b>x</b>");
	CHECK_STR(h.b.p, "&lt;b&gt;x&lt;/b&gt;");
	html_init(&h, a);
	html_link(&h, "https://example.org/?a=1&b=\"2\"", "site");
	CHECK_STR(h.b.p, "<a href=\"https://example.org/?a=1&amp;b=&quot;2"
	                 "&quot;\">site</a>");

	html_init(&h, a);
	html_reserve(&h, 100000);
	HTML(&h, "ok");
	CHECK_STR(h.b.p, "ok");
	CHECK(h.b.cap >= 100000);
}

static void test_urls(struct arena *a)
{
	CHECK(html_url_ok("http://x/api/"));
	CHECK(html_url_ok("HTTPS://x/"));
	CHECK(html_url_ok("/code_run/1"));
	CHECK(html_url_ok("web.md"));
	CHECK(html_url_ok("#top"));
	CHECK(html_url_ok("mailto:a@b.org"));
	CHECK(html_url_ok("/data_product/ns:name@1.0.0"));
	CHECK(!html_url_ok("javascript:alert(1)"));
	CHECK(!html_url_ok("JavaScript:alert(1)"));
	CHECK(!html_url_ok(" javascript:alert(1)"));
	CHECK(!html_url_ok("java\tscript:alert(1)"));
	CHECK(!html_url_ok("data:text/html,<b>"));
	CHECK(!html_url_ok("//evil.example/"));
	CHECK(!html_url_ok("/\\evil"));
	CHECK(!html_url_ok(""));
	CHECK(!html_url_ok(NULL));

	struct buf b;
	buf_init(&b, a);
	url_path_encode(&b, "ns:SEIRS model/x@1.0.0?#%\"<");
	CHECK_STR(b.p, "ns:SEIRS%20model/x@1.0.0%3F%23%25%22%3C");
}

static void test_markdown(struct arena *a)
{
	CHECK_STR(markdown(a, "# Title\n\nOne `<b>` **two** *three*\nfour.\n"
	                      "\n- a `x`\n- b\n  more\n\n1. first\n"),
	          "<h1>Title</h1>\n<p>One <code>&lt;b&gt;</code> "
	          "<strong>two</strong> <em>three</em>\nfour.</p>\n"
	          "<ul>\n<li>a <code>x</code></li>\n<li>b\nmore</li>\n</ul>\n"
	          "<ol>\n<li>first</li>\n</ol>\n");
	CHECK_STR(markdown(a, "```\n<script>\n```\n"),
	          "<pre><code>&lt;script&gt;\n</code></pre>\n");
	CHECK_STR(markdown(a, "[doc](web.md) [bad](javascript:alert(1)) "
	                      "<https://x.org/>\n"),
	          "<p><a href=\"web.md\">doc</a> bad) "
	          "<a href=\"https://x.org/\">https://x.org/</a></p>\n");
	CHECK_STR(markdown(a, "| a | b |\n|---|:-:|\n| `1` | <i> |\n"),
	          "<div class=\"scroll\"><table><thead><tr><th>a</th>"
	          "<th>b</th></tr>\n</thead><tbody>\n<tr><td><code>1</code>"
	          "</td><td>&lt;i&gt;</td></tr>\n</tbody></table></div>\n");
	CHECK_STR(markdown(a, "- one:\n  - deep `a`\n  - deeper\n    - x\n"
	                      "- two\n\nafter\n"),
	          "<ul>\n<li>one:<ul>\n<li>deep <code>a</code></li>\n"
	          "<li>deeper<ul>\n<li>x</li>\n</ul>\n</li>\n</ul>\n</li>\n"
	          "<li>two</li>\n</ul>\n<p>after</p>\n");
	CHECK_STR(markdown(a, "- **a** one\n  - x\n\n  more of a\n- b\n"),
	          "<ul>\n<li><strong>a</strong> one<ul>\n<li>x</li>\n</ul>\n"
	          "<p>more of a</p></li>\n<li>b</li>\n</ul>\n");
	CHECK_STR(markdown(a, "Run:\n\n    make <x>\n\n    done\n\nend\n"),
	          "<p>Run:</p>\n<pre><code>make &lt;x&gt;\n\ndone\n</code>"
	          "</pre>\n<p>end</p>\n");
	CHECK_STR(markdown(a, "> quoted\n\n---\n"),
	          "<blockquote><p>quoted</p></blockquote>\n<hr>\n");
	CHECK_STR(markdown(a, "<img src=x onerror=alert(1)>"),
	          "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");

	/* broken and deeply nested input ends, and stays escaped */
	char deep[4001];
	for (int i = 0; i < 4000; i++)
		deep[i] = "*[`<"[i % 4];
	deep[4000] = 0;
	const char *out = markdown(a, deep);
	CHECK(!strstr(out, "<`") && !strstr(out, "<*"));
	CHECK_STR(markdown(a, "**unclosed [link](x `code"),
	          "<p>**unclosed [link](x `code</p>\n");
	CHECK_STR(markdown(a, ""), "");
}

static void test_negotiation(struct arena *a)
{
	struct request rq = {.a = a};
	CHECK(!web_wants_html(&rq));
	rq.accept = "text/html,application/xhtml+xml,application/xml;q=0.9,"
	            "image/avif,image/webp,*/*;q=0.8";
	CHECK(web_wants_html(&rq));
	rq.accept = "*/*";
	CHECK(!web_wants_html(&rq));
	rq.accept = "application/json, text/html";
	CHECK(!web_wants_html(&rq));
	rq.accept = "text/html, application/json; version=1.0.0";
	CHECK(!web_wants_html(&rq)); /* the parameter makes JSON win */
	rq.accept = "text/*, */*";
	CHECK(web_wants_html(&rq));
	rq.accept = "text/html;q=0.1, application/*;q=1";
	CHECK(web_wants_html(&rq)); /* q-values play no part */
	rq.accept = "text/html";
	rq.format = "json";
	CHECK(!web_wants_html(&rq));
	rq.accept = NULL;
	rq.format = "api";
	CHECK(web_wants_html(&rq));
}

static struct request answer(struct arena *a, const char *json)
{
	struct request rq = {.a = a, .status = 200};
	buf_init(&rq.headers, a);
	rq.method = "GET";
	rq.base = "http://h";
	rq.path = "/api/code_run/";
	rq.root = "";
	route_find(&rq);
	rq.raw_query = "format=api";
	rq.format = "api";
	rq.ctype = "application/json";
	rq.out = json;
	rq.out_len = strlen(json);
	req_header(&rq, "Allow", "GET, POST, HEAD, OPTIONS");
	return rq;
}

static void test_browsable(struct arena *a)
{
	struct request rq = answer(
	    a, "{\"count\":2,\"next\":\"http://h/api/code_run/?cursor=cD0x&"
	       "format=api\",\"previous\":null,\"results\":[{\"url\":\"http://"
	       "h/api/code_run/1/?format=api\",\"description\":\"<script>"
	       "alert(1)</script> \\\"q\\\"\",\"inputs\":[],\"n\":1.5,"
	       "\"ok\":true,\"site\":\"javascript:alert(1)\"}]}");
	web_finish(&rq);
	const char *page = rq.out;
	CHECK_STR(rq.ctype, "text/html; charset=utf-8");
	CHECK(rq.status == 200);
	CHECK(strstr(page, "<h1>Code Run List</h1>"));
	CHECK(strstr(page, "<b>GET</b> /api/code_run/?format=api"));
	CHECK(strstr(page, "<b>HTTP 200 OK</b>\n<b>Allow:</b> GET, POST, "
	                   "HEAD, OPTIONS\n<b>Content-Type:</b> "
	                   "application/json\n<b>Vary:</b> Accept\n"));
	CHECK(strstr(page, "<a href=\"/api/code_run/1/?format=api\">"
	                   "http://h/api/code_run/1/?format=api</a>"));
	CHECK(strstr(page, "<a rel=\"next\" href=\"http://h/api/code_run/"
	                   "?cursor=cD0x&amp;format=api\">"));
	CHECK(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt; "
	                   "\\&quot;q\\&quot;"));
	CHECK(strstr(page, "<b>\"inputs\"</b>: []"));
	CHECK(strstr(page, "\n      <b>\"n\"</b>: <u>1.5</u>"));
	CHECK(!strstr(page, "<script"));
	CHECK(!strstr(page, "href=\"javascript"));
	CHECK(strstr(rq.headers.p, "Content-Security-Policy: "));

	/* broken JSON still ends, escaped */
	rq = answer(a, "{\"a\":[1,{\"b\":\"<x\\\"");
	web_finish(&rq);
	CHECK(strstr(rq.out, "&lt;x\\&quot;"));
	rq = answer(a, "]]]}}<>\"");
	web_finish(&rq);
	CHECK(strstr(rq.out, "&lt;&gt;"));

	/* JSON clients and other bodies are left alone */
	rq = answer(a, "{\"a\":1}");
	rq.format = NULL;
	web_finish(&rq);
	CHECK_STR(rq.out, "{\"a\":1}");
	rq = answer(a, "<svg/>");
	rq.ctype = "image/svg+xml";
	web_finish(&rq);
	CHECK_STR(rq.out, "<svg/>");
	rq = answer(a, "");
	rq.status = 204;
	web_finish(&rq);
	CHECK(rq.out_len == 0);

	/* an error outside the API is an HTML page for a browser */
	rq = answer(a, "{\"detail\":\"Not <found>.\"}");
	rq.status = 404;
	rq.path = "/nope";
	route_find(&rq);
	web_finish(&rq);
	CHECK(strstr(rq.out, "<h1>404 Not Found</h1>"));
	CHECK(strstr(rq.out, "Not &lt;found&gt;."));
}

int main(void)
{
	struct arena a = {0};
	test_escaping(&a);
	test_urls(&a);
	test_markdown(&a);
	test_negotiation(&a);
	test_browsable(&a);
	arena_free(&a);
	return check_done("test_html");
}
