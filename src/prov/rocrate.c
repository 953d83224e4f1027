/* rocrate.c - the RO-Crate of a data product or a code run, as the
 * reference's crate library builds it: the root dataset and the metadata
 * descriptor, one File per data product or script, a CreateAction per code
 * run (instrument: the code repo; object: what it read; result: what it
 * wrote; agent: who ran it), persons, licences (CC0 for the metadata
 * itself). Entities are kept in the order first added; adding one with an
 * id already present replaces it in place, as the library does. */
#include "prov/crate.h"
#include "prov/doc.h"
#include "prov/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#define CLI_URL  "https://github.com/FAIRDataPipeline/FAIR-CLI"
#define CC0_URL  "https://creativecommons.org/publicdomain/zero/1.0/"
#define CCBY_URL "https://creativecommons.org/licenses/by/4.0/"
#define PROFILE  "https://w3id.org/ro/crate/1.1"

struct entity {
	const char *id;
	struct json_object *props;
	const char *file; /* a local file the zip carries, or NULL */
};

struct crate {
	struct arena *a;
	const struct pv_graph *g;
	const char *url; /* the registry's, with its trailing slash */
	struct entity *e;
	int n, cap;
	bool sha1;
	struct json_object *root_licences; /* refs gathered for the root */
};

/* ---- small helpers ---- */

static struct json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *ref(const char *id)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "@id", json_object_new_string(id));
	return o;
}

static void set(struct crate *c, int at, const char *key, struct json_object *v)
{
	json_object_object_add(c->e[at].props, key, v);
}

static int find(const struct crate *c, const char *id)
{
	size_t n = strlen(id);
	while (n > 1 && id[n - 1] == '/')
		n--;
	for (int i = 0; i < c->n; i++) {
		size_t m = strlen(c->e[i].id);
		while (m > 1 && c->e[i].id[m - 1] == '/')
			m--;
		if (m == n && !strncmp(c->e[i].id, id, n))
			return i;
	}
	return -1;
}

/* A new entity's properties: "@id" and "@type". */
static struct json_object *props(const char *id, const char *type)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "@id", json_object_new_string(id));
	json_object_object_add(p, "@type", json_object_new_string(type));
	return p;
}

/* Adds (or replaces in place) an entity; a data entity that is new joins
 * the root's hasPart. Returns its index. */
static int add(struct crate *c, struct json_object *p, bool data,
               const char *file)
{
	const char *id =
	    json_object_get_string(json_object_object_get(p, "@id"));
	int at = find(c, id);
	if (at >= 0) {
		json_object_put(c->e[at].props);
		c->e[at].props = p;
		c->e[at].file = file;
		return at;
	}
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		struct entity *v = arena_alloc(c->a, sizeof *v * (size_t)cap);
		if (c->n)
			memcpy(v, c->e, sizeof *v * (size_t)c->n);
		c->e = v;
		c->cap = cap;
	}
	c->e[c->n] = (struct entity){arena_strdup(c->a, id), p, file};
	if (data) {
		struct json_object *parts;
		if (!json_object_object_get_ex(c->e[0].props, "hasPart",
		                               &parts)) {
			parts = json_object_new_array();
			json_object_object_add(c->e[0].props, "hasPart", parts);
		}
		json_object_array_add(parts, ref(id));
	}
	return c->n++;
}

/* urllib's urlsplit: a scheme and a non-empty path make a URL. */
static bool is_url(const char *s)
{
	const char *colon = strchr(s, ':');
	if (!colon || colon == s ||
	    !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (const char *p = s; p < colon; p++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789+-.",
		        *p))
			return false;
	const char *rest = colon + 1;
	if (rest[0] == '/' && rest[1] == '/')
		rest += 2 + strcspn(rest + 2, "/?#");
	return strcspn(rest, "?#") > 0;
}

static const char *basename_of(const char *s)
{
	const char *slash = strrchr(s, '/');
	return slash ? slash + 1 : s;
}

/* The system's table of MIME types, read once per process: "type ext
 * ext..." lines. */
struct mime {
	char *ext, *type;
};

static const struct mime *system_mimes(int *n)
{
	static struct mime *table;
	static int count = -1;
	if (count >= 0) {
		*n = count;
		return table;
	}
	count = 0;
	FILE *f = fopen("/etc/mime.types", "r");
	int cap = 0;
	char line[1024];
	while (f && fgets(line, sizeof line, f)) {
		char *save, *type = strtok_r(line, " \t\r\n", &save);
		if (!type || *type == '#')
			continue;
		for (char *w; (w = strtok_r(NULL, " \t\r\n", &save));) {
			if (count == cap) {
				cap = cap ? cap * 2 : 256;
				struct mime *t =
				    realloc(table, sizeof *t * (size_t)cap);
				if (!t)
					break;
				table = t;
			}
			table[count].ext = strdup(w);
			table[count].type = strdup(type);
			if (table[count].ext && table[count].type)
				count++;
		}
	}
	if (f)
		fclose(f);
	*n = count;
	return table;
}

/* The MIME type Python's mimetypes module gives ".ext": the system's
 * table (the last line naming it wins), then a few built-in ones, else the
 * extension itself. */
static const char *mime_type(const char *ext)
{
	static const char *builtin[][2] = {
	    {"csv", "text/csv"},          {"h5", "application/x-hdf5"},
	    {"json", "application/json"}, {"nc", "application/x-netcdf"},
	    {"py", "text/x-python"},      {"txt", "text/plain"},
	    {"xml", "text/xml"},          {"zip", "application/zip"},
	};
	int n;
	const struct mime *t = system_mimes(&n);
	for (int i = n - 1; i >= 0; i--)
		if (!strcmp(t[i].ext, ext))
			return t[i].type;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (!strcmp(builtin[i][0], ext))
			return builtin[i][1];
	return ext;
}

/* ---- the entities ---- */

/* Whether list holds a reference to the same "@id" as r. */
static bool has_ref(struct json_object *list, struct json_object *r)
{
	const char *id =
	    json_object_get_string(json_object_object_get(r, "@id"));
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		if (!strcmp(id, json_object_get_string(
		                    json_object_object_get(e, "@id"))))
			return true;
	}
	return false;
}

static void licences(struct crate *c, int at, const struct pv_object *o,
                     bool root)
{
	struct json_object *list = json_object_new_array();
	for (int i = 0; i < o->nlicences; i++) {
		const struct pv_note *l = &o->licences[i];
		const char *id = l->identifier
		                     ? l->identifier
		                     : arena_printf(c->a, "%sapi/license/%lld",
		                                    c->url, l->id);
		struct json_object *p = props(id, "CreativeWork");
		json_object_object_add(p, "description", str_or_null(l->text));
		json_object_object_add(p, "identifier",
		                       json_object_new_string(id));
		json_object_object_add(p, "name",
		                       json_object_new_string(arena_printf(
		                           c->a, "license %lld", l->id)));
		add(c, p, false, NULL);
		json_object_array_add(list, ref(id));
	}
	if (root) {
		/* the root gathers the licences of every product, once */
		int n = (int)json_object_array_length(list);
		for (int i = 0; i < n; i++) {
			struct json_object *r =
			    json_object_array_get_idx(list, i);
			if (!has_ref(c->root_licences, r))
				json_object_array_add(c->root_licences,
				                      json_object_get(r));
		}
		json_object_put(list);
		return;
	}
	size_t n = json_object_array_length(list);
	if (n == 1)
		set(c, at, "license",
		    json_object_get(json_object_array_get_idx(list, 0)));
	else if (n > 1)
		set(c, at, "license", json_object_get(list));
	json_object_put(list);
}

static void person(struct crate *c, const char *id, const char *name)
{
	struct json_object *p = props(id, "Person");
	json_object_object_add(p, "name", str_or_null(name));
	add(c, p, false, NULL);
}

static void authors(struct crate *c, int at, const struct pv_object *o)
{
	struct json_object *list = json_object_new_array();
	for (int i = 0; i < o->authors.n; i++) {
		const struct pv_author *au =
		    pv_author_at(c->g, (int)o->authors.v[i]);
		const char *id = au->identifier
		                     ? au->identifier
		                     : arena_printf(c->a, "%sapi/author/%lld",
		                                    c->url, au->id);
		person(c, id, au->name);
		json_object_array_add(list, ref(id));
	}
	set(c, at, "author", list);
}

/* Where an object's file is: a local path with the crate path it takes,
 * or the registry's record of the location (no crate path). */
static const char *locate(struct crate *c, const struct pv_object *o,
                          const char *dir, const char **dest)
{
	*dest = NULL;
	if (!o->location_id) /* the reference fails here; name the object */
		return arena_printf(c->a, "%sapi/object/%lld", c->url, o->id);
	const char *file = strstr(o->location, "file:");
	if (o->public_ && file) {
		const char *s = file + 5;
		const char *end = strstr(s, "file:");
		const char *path =
		    arena_strndup(c->a, s, end ? (size_t)(end - s) : strlen(s));
		*dest = arena_printf(c->a, "%s%s", dir, basename_of(path));
		return path;
	}
	return arena_printf(c->a, "%sapi/storage_location/%lld", c->url,
	                    o->location_id);
}

static int file_entity(struct crate *c, const char *source, const char *dest,
                       struct json_object *p)
{
	const char *id =
	    dest ? dest : (is_url(source) ? source : basename_of(source));
	struct json_object *full = props(id, "File");
	json_object_object_foreach(p, k, v)
	{
		json_object_object_add(full, k, json_object_get(v));
	}
	json_object_put(p);
	return add(c, full, true, dest ? source : NULL);
}

static int local_product(struct crate *c, const struct pv_product *dp,
                         bool output)
{
	const struct pv_object *o = pv_object(c->g, dp->object);
	const char *dest;
	const char *source =
	    locate(c, o, output ? "outputs/" : "inputs/data/", &dest);
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "name", str_or_null(dp->name));
	if (o->extension)
		json_object_object_add(
		    p, "encodingFormat",
		    json_object_new_string(mime_type(o->extension)));
	if (o->hash) {
		json_object_object_add(p, "sha1",
		                       json_object_new_string(o->hash));
		c->sha1 = true;
	}
	if (o->description)
		json_object_object_add(p, "description",
		                       json_object_new_string(o->description));
	return file_entity(c, source, dest, p);
}

static int external_file(struct crate *c, const struct pv_external *e)
{
	struct json_object *p = json_object_new_object();
	json_object_object_add(p, "name", str_or_null(e->title));
	char *date = pv_isoformat(c->a, e->release_date);
	char *t = strchr(date, 'T');
	if (t)
		*t = ' '; /* str() of the date, not isoformat() */
	json_object_object_add(p, "datePublished",
	                       json_object_new_string(date));
	if (e->description && *e->description)
		json_object_object_add(p, "description",
		                       json_object_new_string(e->description));
	const char *source = e->identifier && *e->identifier ? e->identifier
	                     : e->alt                        ? e->alt
	                                                     : "";
	return file_entity(c, source, NULL, p);
}

/* A product made from an external object: the making, as an action. */
static int extraction(struct crate *c, const struct pv_product *dp,
                      const struct pv_external *e)
{
	const char *id =
	    arena_printf(c->a, "%sapi/data_extraction/%lld", c->url, dp->id);
	struct json_object *action = props(id, "CreateAction");
	json_object_object_add(action, "name",
	                       json_object_new_string(arena_printf(
	                           c->a, "data extraction %lld", dp->id)));
	json_object_object_add(
	    action, "startTime",
	    json_object_new_string(pv_isoformat(c->a, dp->last_updated)));
	json_object_object_add(
	    action, "description",
	    json_object_new_string(
	        "import/extract data from an external source"));
	int made = local_product(c, dp, false);
	json_object_object_add(action, "result", ref(c->e[made].id));
	int from = external_file(c, e);
	json_object_object_add(action, "object", ref(c->e[from].id));
	struct json_object *tool = props(CLI_URL, "SoftwareApplication");
	json_object_object_add(tool, "url", json_object_new_string(CLI_URL));
	json_object_object_add(action, "instrument", ref(CLI_URL));
	add(c, tool, false, NULL);
	add(c, action, false, NULL);
	return made;
}

static int product(struct crate *c, const struct pv_product *dp, bool output)
{
	int at;
	if (dp->ext && !dp->ext->primary)
		at = extraction(c, dp, dp->ext);
	else if (dp->ext)
		at = external_file(c, dp->ext);
	else
		at = local_product(c, dp, output);
	const struct pv_object *o = pv_object(c->g, dp->object);
	licences(c, at, o, false);
	authors(c, at, o);
	return at;
}

static void products_of(struct crate *c, const struct pv_io *io, int n,
                        bool output, struct json_object *list)
{
	for (int i = 0; i < n; i++) {
		const struct pv_object *o = pv_object(c->g, io[i].object);
		if (!o)
			continue;
		for (int k = 0; k < o->products.n; k++) {
			const struct pv_product *p =
			    pv_product(c->g, o->products.v[k]);
			if (!p)
				continue;
			/* product() may grow c->e: index it afterwards */
			int at = product(c, p, output);
			json_object_array_add(list, ref(c->e[at].id));
		}
	}
}

static int software(struct crate *c, long long object, const char *kind)
{
	const struct pv_object *o = pv_object(c->g, object);
	if (!o)
		return -1;
	const char *dest;
	const char *source =
	    locate(c, o, arena_printf(c->a, "inputs/%s/", kind), &dest);
	struct json_object *p = json_object_new_object();
	struct json_object *types = json_object_new_array();
	json_object_array_add(types, json_object_new_string("File"));
	json_object_array_add(types,
	                      json_object_new_string("SoftwareSourceCode"));
	json_object_object_add(p, "@type", types);
	json_object_object_add(p, "name",
	                       json_object_new_string(basename_of(
	                           o->location ? o->location : "None")));
	int at = file_entity(c, source, dest, p);
	if (o->description)
		set(c, at, "description",
		    json_object_new_string(o->description));
	if (o->extension)
		set(c, at, "encodingFormat",
		    json_object_new_string(mime_type(o->extension)));
	if (o->hash) {
		set(c, at, "sha1", json_object_new_string(o->hash));
		c->sha1 = true;
	}
	licences(c, at, o, false);
	authors(c, at, o);
	return at;
}

static const char *code_repo(struct crate *c, long long object)
{
	const struct pv_object *o = pv_object(c->g, object);
	if (!o)
		return NULL;
	const char *url = o->location ? o->location : "None";
	const char *id = strchr(url, '#') || is_url(url)
	                     ? url
	                     : arena_printf(c->a, "#%s", url);
	struct json_object *p = props(id, "SoftwareApplication");
	json_object_object_add(p, "url", json_object_new_string(url));
	if (o->release_id) {
		json_object_object_add(p, "name", str_or_null(o->release_name));
		json_object_object_add(p, "version",
		                       str_or_null(o->release_version));
	}
	/* the authors are added before the release itself */
	struct json_object *list = json_object_new_array();
	for (int i = 0; i < o->authors.n; i++) {
		const struct pv_author *au =
		    pv_author_at(c->g, (int)o->authors.v[i]);
		const char *aid = au->identifier
		                      ? au->identifier
		                      : arena_printf(c->a, "%sapi/author/%lld",
		                                     c->url, au->id);
		person(c, aid, au->name);
		json_object_array_add(list, ref(aid));
	}
	json_object_object_add(p, "author", list);
	add(c, p, false, NULL);
	return id;
}

/* The code run's action; result is the product it is met through. */
static int run_action(struct crate *c, const struct pv_run *run,
                      const char *result)
{
	const char *id =
	    arena_printf(c->a, "%sapi/code_run/%lld", c->url, run->id);
	struct json_object *p = props(id, "CreateAction");
	json_object_object_add(p, "name",
	                       json_object_new_string(arena_printf(
	                           c->a, "code run %lld", run->id)));
	json_object_object_add(
	    p, "startTime",
	    json_object_new_string(pv_isoformat(c->a, run->run_date)));
	json_object_object_add(p, "description", str_or_null(run->description));
	int at = add(c, p, false, NULL);
	const char *agent;
	if (run->ua_author) {
		agent = run->ua_identifier
		            ? run->ua_identifier
		            : arena_printf(c->a, "%sapi/author/%lld", c->url,
		                           run->ua_author);
		person(c, agent, run->ua_name);
	} else {
		agent =
		    arena_printf(c->a, "%sapi/users/%lld", c->url, run->user);
		person(c, agent, run->user_name);
	}
	at = find(c, id);
	set(c, at, "agent", ref(agent));
	set(c, at, "result", result ? ref(result) : NULL);
	return at;
}

/* What a run used: instrument, then config, script and input products. */
static void run_inputs(struct crate *c, const struct pv_run *run, int at)
{
	const char *id = c->e[at].id;
	struct json_object *objects = json_object_new_array();
	if (run->code_repo) {
		const char *tool = code_repo(c, run->code_repo);
		if (tool)
			set(c, find(c, id), "instrument", ref(tool));
	}
	if (run->model_config) {
		int k = software(c, run->model_config, "model_config");
		if (k >= 0)
			json_object_array_add(objects, ref(c->e[k].id));
	}
	int k = software(c, run->script, "submission_script");
	if (k >= 0)
		json_object_array_add(objects, ref(c->e[k].id));
	products_of(c, run->inputs, run->ninputs, false, objects);
	set(c, find(c, id), "object", objects);
}

static void from_product(struct crate *c, const struct pv_product *dp,
                         bool output)
{
	int at = product(c, dp, output);
	const char *result = c->e[at].id;
	const struct pv_object *o = pv_object(c->g, dp->object);
	for (int i = 0; i < o->ncomps; i++) {
		const struct pv_run *run = pv_run(c->g, o->comps[i].run);
		if (run)
			run_inputs(c, run, run_action(c, run, result));
	}
}

static void from_run(struct crate *c, const struct pv_run *run)
{
	int at = run_action(c, run, NULL);
	const char *id = c->e[at].id;
	run_inputs(c, run, at);
	struct json_object *results = json_object_new_array();
	products_of(c, run->outputs, run->noutputs, true, results);
	set(c, find(c, id), "result", results);
}

static const char *now_local(struct arena *a)
{
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	char s[64];
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
	return tv.tv_usec ? arena_printf(a, "%s.%06ld", s, (long)tv.tv_usec)
	                  : arena_strdup(a, s);
}

static const char *now_utc(struct arena *a)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char s[64];
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
	return arena_strdup(a, s);
}

static void licence_entity(struct crate *c, const char *url,
                           const char *description, const char *name)
{
	struct json_object *p = props(url, "CreativeWork");
	json_object_object_add(p, "description",
	                       json_object_new_string(description));
	json_object_object_add(p, "identifier", json_object_new_string(url));
	json_object_object_add(p, "name", json_object_new_string(name));
	add(c, p, false, NULL);
}

static void build(struct crate *c)
{
	const struct pv_graph *g = c->g;
	struct json_object *root = props("./", "Dataset");
	json_object_object_add(root, "datePublished",
	                       json_object_new_string(now_utc(c->a)));
	add(c, root, false, NULL);
	struct json_object *meta =
	    props("ro-crate-metadata.json", "CreativeWork");
	json_object_object_add(meta, "conformsTo", ref(PROFILE));
	json_object_object_add(meta, "about", ref("./"));
	add(c, meta, false, NULL);
	set(c, 0, "publisher", json_object_new_string("FAIR Data Pipeline"));
	set(c, 0, "datePublished", json_object_new_string(now_local(c->a)));

	c->root_licences = json_object_new_array();
	const struct pv_product *dp = NULL;
	const struct pv_run *run = NULL;
	if (g->root_is_run) {
		run = pv_run(g, g->root);
		set(c, 0, "name",
		    json_object_new_string(arena_printf(
		        c->a, "RO Crate for code run %lld", run->id)));
		for (int i = 0; i < run->noutputs; i++) {
			const struct pv_object *o =
			    pv_object(g, run->outputs[i].object);
			if (o)
				licences(c, 0, o, true);
		}
	} else {
		dp = pv_product(g, g->root);
		set(c, 0, "name",
		    json_object_new_string(
		        arena_printf(c->a, "RO Crate for %s", dp->name)));
		licences(c, 0, pv_object(g, dp->object), true);
	}
	size_t nl = json_object_array_length(c->root_licences);
	if (nl == 1)
		set(c, 0, "license",
		    json_object_get(
		        json_object_array_get_idx(c->root_licences, 0)));
	else if (nl > 1)
		set(c, 0, "license", json_object_get(c->root_licences));
	json_object_put(c->root_licences);
	if (!nl) {
		licence_entity(c, CCBY_URL, "Attribution 4.0 International",
		               "CC BY 4.0");
		set(c, 0, "license", ref(CCBY_URL));
	}
	licence_entity(c, CC0_URL,
	               "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication",
	               "CC0 Public Domain Dedication");
	set(c, 1, "license", ref(CC0_URL));

	if (run)
		from_run(c, run);
	for (int i = 0; i < g->order.n; i++) {
		const struct pv_product *p = pv_product(g, g->order.v[i]);
		if (p)
			from_product(c, p, p == dp);
	}
}

static struct json_object *metadata(struct crate *c)
{
	struct json_object *top = json_object_new_object();
	struct json_object *ctx = json_object_new_string(PROFILE "/context");
	if (c->sha1) {
		struct json_object *l = json_object_new_array();
		struct json_object *terms = json_object_new_object();
		json_object_array_add(l, ctx);
		json_object_object_add(
		    terms, "sha1",
		    json_object_new_string(
		        "https://w3id.org/ro/terms/workflow-run#sha1"));
		json_object_array_add(l, terms);
		ctx = l;
	}
	json_object_object_add(top, "@context", ctx);
	struct json_object *graph = json_object_new_array();
	for (int i = 0; i < c->n; i++)
		json_object_array_add(graph, json_object_get(c->e[i].props));
	json_object_object_add(top, "@graph", graph);
	return top;
}

/* Adds "a/", "a/b/" ... for a member's directories, once each. */
static void add_dirs(zip_t *z, struct arena *a, const char *path)
{
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		char *dir = arena_strndup(a, path, (size_t)(s - path + 1));
		if (zip_name_locate(z, dir, 0) < 0)
			zip_dir_add(z, dir, ZIP_FL_ENC_UTF_8);
	}
}

/* The zip is written by libzip to a temporary file, which files are
 * streamed into (deflated a piece at a time), and then sent from disk in
 * pieces (resp_fd): a crate of large local files costs the worker
 * bounded memory, not the size of the zip. The file is unlinked once
 * open, so nothing is left behind whatever happens next. */
static void write_zip(struct request *rq, struct crate *c,
                      struct json_object *meta)
{
	struct buf text;
	buf_init(&text, rq->a);
	jw_write(&text, meta, &JW_PYTHON_INDENT4_SORTED);
	const char *tmp = getenv("TMPDIR");
	char *path = arena_printf(rq->a, "%s/registry-crate-XXXXXX",
	                          tmp && *tmp ? tmp : "/tmp");
	int tfd = mkstemp(path);
	if (tfd < 0) {
		perror("registry: ro-crate: mkstemp");
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	close(tfd);
	int zerr = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z) {
		unlink(path);
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	zip_source_t *m = zip_source_buffer(z, text.p, text.len, 0);
	if (m && zip_file_add(z, "ro-crate-metadata.json", m, 0) < 0)
		zip_source_free(m);
	for (int i = 0; i < c->n; i++) {
		struct stat st;
		const char *f = c->e[i].file;
		if (!f || stat(f, &st) || !S_ISREG(st.st_mode))
			continue;
		if (zip_name_locate(z, c->e[i].id, 0) >= 0)
			continue;
		add_dirs(z, rq->a, c->e[i].id);
		zip_source_t *fs = zip_source_file(z, f, 0, 0);
		if (fs && zip_file_add(z, c->e[i].id, fs, ZIP_FL_ENC_UTF_8) < 0)
			zip_source_free(fs);
	}
	bool ok = zip_close(z) == 0;
	if (!ok) {
		fprintf(stderr, "registry: ro-crate: %s\n", zip_strerror(z));
		zip_discard(z);
	}
	int fd = ok ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	unlink(path);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	resp_fd(rq, 200, "application/zip", fd, (size_t)st.st_size);
}

void rocrate_write(struct request *rq, const struct pv_graph *g,
                   const char *registry_url, enum rc_format format)
{
	struct crate c = {.a = rq->a, .g = g, .url = registry_url};
	build(&c);
	struct json_object *meta = metadata(&c);
	for (int i = 0; i < c.n; i++)
		json_object_put(c.e[i].props);
	if (format == RC_JSON) {
		resp_json(rq, 200, meta);
		return;
	}
	if (format == RC_JSONLD) {
		struct buf b;
		buf_init(&b, rq->a);
		jw_write(&b, meta, &JW_PYTHON);
		json_object_put(meta);
		resp_text(rq, 200, "application/ld+json; charset=utf8", b.p,
		          b.len);
		return;
	}
	write_zip(rq, &c, meta);
	json_object_put(meta);
}
