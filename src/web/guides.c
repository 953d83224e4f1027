/* guides.c - the guides in docs/ on the website: an index of the Markdown
 * files with their titles, and each file rendered as a page. */
#include "site.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MAX (4L * 1024 * 1024)

/* ---- the guides in docs/ ---- */

static bool doc_name_ok(const char *s, size_t n)
{
	if (!n || *s == '.' || n > 100)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

static char *read_doc(struct request *rq, const char *name, size_t *len)
{
	const char *path = arena_printf(rq->a, "%s/%s", rq->docs, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n >= 0 && n <= DOC_MAX && fseek(f, 0, SEEK_SET) == 0) {
			text = arena_alloc(rq->a, (size_t)n + 1);
			*len = fread(text, 1, (size_t)n, f);
		}
	}
	fclose(f);
	return text;
}

/* The text of the first "# " heading, else the file name. */
static const char *doc_title(struct request *rq, const char *name,
                             const char *text, size_t len)
{
	for (const char *p = text; p && p < text + len;) {
		size_t n = strcspn(p, "\n");
		if (n > 2 && p[0] == '#' && p[1] == ' ')
			return arena_strndup(rq->a, p + 2, n - 2);
		p += n + 1;
	}
	return name;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void docs_index(struct request *rq)
{
	DIR *d = rq->docs ? opendir(rq->docs) : NULL;
	if (!d) {
		web_error_page(rq, 404, "The guides are not installed here.");
		return;
	}
	char **names = arena_alloc(rq->a, sizeof *names * 256);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);
		if (l > 3 && !strcmp(e->d_name + l - 3, ".md") &&
		    doc_name_ok(e->d_name, l))
			names[n++] = arena_strdup(rq->a, e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, str_cmp);
	struct html h;
	page_init(&h, rq);
	page_begin(&h, "Guides");
	HTML(&h, "<ol class=\"crumbs\"><li>");
	WEB_LINK(&h, "/", "Home");
	HTML(&h, "</li><li>Guides</li></ol>\n<h1>Guides</h1>\n<section "
	         "class=\"card\"><ul class=\"docs\">");
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		const char *text = read_doc(rq, names[i], &len);
		HTML(&h, "<li><a href=\"");
		html_path(&h, "/docs/");
		html_text(&h, names[i]);
		HTML(&h, "\">");
		html_text(&h, doc_title(rq, names[i], text, len));
		HTML(&h, "</a> <span class=\"file\">");
		html_text(&h, names[i]);
		HTML(&h, "</span></li>");
	}
	if (!n)
		HTML(&h, "<li>No guides yet.</li>");
	HTML(&h, "</ul></section>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}

void doc_page(struct request *rq, const char *name)
{
	size_t n = strlen(name);
	if (!rq->docs || !doc_name_ok(name, n)) {
		web_error_page(rq, 404, NULL);
		return;
	}
	const char *file = n > 3 && !strcmp(name + n - 3, ".md")
	                       ? name
	                       : arena_printf(rq->a, "%s.md", name);
	size_t len = 0;
	char *text = read_doc(rq, file, &len);
	if (!text) {
		web_error_page(rq, 404, "There is no such guide.");
		return;
	}
	struct html h;
	page_init(&h, rq);
	page_begin(&h, doc_title(rq, file, text, len));
	HTML(&h, "<ol class=\"crumbs\"><li>");
	WEB_LINK(&h, "/", "Home");
	HTML(&h, "</li><li>");
	WEB_LINK(&h, "/docs/", "Guides");
	HTML(&h, "</li><li>");
	html_text(&h, file);
	HTML(&h, "</li></ol>\n<article class=\"card guide\">");
	html_markdown(&h, text, len);
	HTML(&h, "</article>\n");
	page_end(&h);
	page_answer(rq, 200, &h);
}
