/* source.c - where imported records come from: a FAIR data registry's REST
 * API (this one's or the Django reference's), read a list page at a time by
 * following each answer's `next` link whatever the pagination (cursor or
 * page number), or a directory `registry export` wrote, one JSON-lines file
 * per resource, read the same way a page of lines at a time. */
#include "parts.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Transient failures (a dropped connection, a 502 while the source
 * restarts) are tried again this often before the import stops. */
#define TRIES 3

struct body {
	char *p;
	size_t len;
};

static size_t take(char *data, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = size * n;
	char *p = realloc(b->p, b->len + add + 1);
	if (!p)
		return 0;
	memcpy(p + b->len, data, add);
	b->p = p;
	b->len += add;
	b->p[b->len] = 0;
	return add;
}

/* GET url as JSON; the status, or -1 when the source could not be reached
 * (s->err says why). */
static long http_get(struct source *s, const char *url, struct body *b)
{
	CURL *h = s->curl;
	struct curl_slist *hdr = NULL;
	char auth[512];
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (s->token && *s->token) {
		snprintf(auth, sizeof auth, "Authorization: token %s",
		         s->token);
		hdr = curl_slist_append(hdr, auth);
	}
	long status = -1;
	for (int t = 0; t < TRIES; t++) {
		if (t)
			usleep(500000u * (unsigned)t);
		free(b->p);
		*b = (struct body){0};
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, take);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 600L);
		CURLcode rc = curl_easy_perform(h);
		if (rc != CURLE_OK) {
			snprintf(s->err, ERR_LEN, "%s: %s", url,
			         curl_easy_strerror(rc));
			status = -1;
			continue;
		}
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (status < 500)
			break;
		snprintf(s->err, ERR_LEN, "%s answered %ld", url, status);
	}
	curl_slist_free_all(hdr);
	return status;
}

static json_object *parse(const char *text, size_t len)
{
	json_tokener *tok = json_tokener_new_ex(64);
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool open_dir(struct source *s)
{
	for (int i = 0; i < n_resources; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.jsonl", s->where,
		         resources[i].name);
		if (access(path, R_OK)) {
			snprintf(s->err, ERR_LEN,
			         "%.300s is not a registry export: %.600s is "
			         "missing "
			         "(registry export DIR writes one)",
			         s->where, path);
			return false;
		}
	}
	return true;
}

/* The API root answers an object naming every resource's list. */
static bool open_api(struct source *s)
{
	struct body b = {0};
	long st = http_get(s, s->where, &b);
	json_object *root = st == 200 ? parse(b.p, b.len) : NULL;
	free(b.p);
	if (st < 0)
		return false;
	const char *missing = NULL;
	for (int i = 0; root && i < n_resources && !missing; i++) {
		json_object *v;
		if (!json_object_object_get_ex(root, resources[i].name, &v))
			missing = resources[i].name;
	}
	if (st != 200 || !root || !json_object_is_type(root, json_type_object))
		snprintf(s->err, ERR_LEN,
		         "%s is not a FAIR data registry's API root (it "
		         "answered %ld%s); give the address ending in /api/",
		         s->where, st, st == 200 ? " but not with JSON" : "");
	else if (missing)
		snprintf(s->err, ERR_LEN,
		         "%s is not a FAIR data registry's API root: its "
		         "answer names no \"%s\" list",
		         s->where, missing);
	json_object_put(root);
	return st == 200 && root && !missing;
}

bool source_open(struct source *s, const char *where, const char *token,
                 int page_size)
{
	*s = (struct source){.token = token, .page_size = page_size};
	s->dir = is_dir(where);
	size_t n = strlen(where);
	s->where = malloc(n + 2);
	memcpy(s->where, where, n + 1);
	if (s->dir)
		return open_dir(s);
	if (strncmp(where, "http://", 7) && strncmp(where, "https://", 8)) {
		snprintf(s->err, ERR_LEN,
		         "%s is neither a directory nor an http(s) URL", where);
		return false;
	}
	if (n && where[n - 1] != '/')
		strcpy(s->where + n, "/");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	s->curl = curl_easy_init();
	return open_api(s);
}

static bool api_page(struct source *s, const char *resource, const char *pos,
                     struct page *p)
{
	char first[4096];
	if (!pos) {
		/* users and groups take no page_size (nor any argument) */
		const struct resource *r = resource_find(resource, -1);
		bool sized =
		    r && r->query_args &&
		    (!r->control_args || strstr(r->control_args, "page_size"));
		if (sized)
			snprintf(first, sizeof first, "%s%s/?page_size=%d",
			         s->where, resource, s->page_size);
		else
			snprintf(first, sizeof first, "%s%s/", s->where,
			         resource);
		pos = first;
	}
	struct body b = {0};
	long st = http_get(s, pos, &b);
	if (st >= 0 && st != 200) {
		bool hidden = st == 401 || st == 403;
		snprintf(s->err, ERR_LEN, "%.600s answered %ld%s", pos, st,
		         hidden ? ": the source hides these records from "
		                  "this reader (give --token TOKEN)"
		                : "");
	}
	s->status = st;
	p->doc = st == 200 ? parse(b.p, b.len) : NULL;
	free(b.p);
	if (st != 200)
		return false;
	json_object *next = NULL, *count = NULL;
	if (!p->doc ||
	    !json_object_object_get_ex(p->doc, "results", &p->results) ||
	    !json_object_is_type(p->results, json_type_array)) {
		snprintf(s->err, ERR_LEN,
		         "%.600s is not a FAIR data registry's list (no "
		         "\"results\")",
		         pos);
		return false;
	}
	json_object_object_get_ex(p->doc, "next", &next);
	json_object_object_get_ex(p->doc, "count", &count);
	const char *n = json_object_get_string(next);
	p->next = next && *n ? strdup(n) : NULL;
	p->count = count ? json_object_get_int64(count) : -1;
	return true;
}

static long long count_lines(FILE *f)
{
	long long n = 0;
	int ch, last = '\n';
	while ((ch = getc(f)) != EOF) {
		n += ch == '\n';
		last = ch;
	}
	return n + (last != '\n');
}

/* pos is "#<byte offset>" in <resource>.jsonl */
static bool dir_page(struct source *s, const char *resource, const char *pos,
                     struct page *p)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.jsonl", s->where, resource);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(s->err, ERR_LEN, "%.600s: cannot read", path);
		return false;
	}
	long off = pos && *pos == '#' ? atol(pos + 1) : 0;
	p->count = off ? -1 : count_lines(f);
	fseek(f, off, SEEK_SET);
	p->doc = json_object_new_array();
	p->results = p->doc;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool ok = true;
	while (json_object_array_length(p->results) < (size_t)s->page_size &&
	       (len = getline(&line, &cap, f)) > 0) {
		long at = off;
		off += (long)len;
		if (len == 1 && line[0] == '\n')
			continue;
		json_object *rec = parse(line, (size_t)len);
		if (!rec || !json_object_is_type(rec, json_type_object)) {
			snprintf(
			    s->err, ERR_LEN,
			    "%.600s: line at byte %ld is not a JSON record",
			    path, at);
			json_object_put(rec);
			ok = false;
			break;
		}
		json_object_array_add(p->results, rec);
	}
	if (ok && getc(f) != EOF) {
		char next[32];
		snprintf(next, sizeof next, "#%ld", off);
		p->next = strdup(next);
	}
	free(line);
	fclose(f);
	return ok;
}

bool source_hidden(const struct source *s, const struct resource *r)
{
	return !s->dir && r->auth_read &&
	       (s->status == 401 || s->status == 403);
}

bool source_page(struct source *s, const char *resource, const char *pos,
                 struct page *p)
{
	*p = (struct page){.count = -1};
	return s->dir ? dir_page(s, resource, pos, p)
	              : api_page(s, resource, pos, p);
}

void page_free(struct page *p)
{
	json_object_put(p->doc);
	free(p->next);
	*p = (struct page){0};
}

void source_close(struct source *s)
{
	if (s->curl)
		curl_easy_cleanup(s->curl);
	free(s->where);
	s->curl = NULL;
	s->where = NULL;
}
