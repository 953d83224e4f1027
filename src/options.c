/* options.c - OPTIONS metadata: what a client learns of a resource before
 * writing to it (writable fields and their types, filterable fields), in
 * the shape and key order of the reference's metadata. */
#include "filter.h"
#include "handlers.h"
#include "resource_doc.h"
#include "validate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(const struct field *f)
{
	if (f->expr)
		return "field"; /* computed on the server */
	switch (f->type) {
	case F_BOOL:
		return "boolean";
	case F_INT:
		return "integer";
	case F_DATETIME:
		return "datetime";
	case F_URL:
		return "url";
	case F_LINK:
	case F_LINKS:
	case F_REVERSE:
	case F_HREF:
	case F_STRINGS:
		return "field";
	default:
		return "string";
	}
}

/* "storage_root" -> "Storage root", as Django makes labels */
static const char *label(struct request *rq, const char *name)
{
	char *s = arena_strdup(rq->a, name);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

static struct json_object *describe(const char *type, bool required, bool ro,
                                    const char *label)
{
	struct json_object *m = json_object_new_object();
	json_object_object_add(m, "type", json_object_new_string(type));
	json_object_object_add(m, "required",
	                       json_object_new_boolean(required));
	json_object_object_add(m, "read_only", json_object_new_boolean(ro));
	json_object_object_add(m, "label", json_object_new_string(label));
	return m;
}

/* The writable-field map of actions.POST / actions.PUT. */
static struct json_object *field_map(struct request *rq,
                                     const struct resource *r)
{
	struct json_object *map = json_object_new_object();
	json_object_object_add(map, "url",
	                       describe("field", false, true, "Url"));
	for (const struct field *f = r->fields; f->name; f++) {
		bool ro = !field_writable(f);
		struct json_object *m =
		    describe(type_name(f), !ro && f->required, ro,
		             f->label ? f->label : label(rq, f->name));
		if (!ro && f->max_len)
			json_object_object_add(m, "max_length",
			                       json_object_new_int(f->max_len));
		if (!ro && f->type == F_INT) {
			json_object_object_add(
			    m, "min_value", json_object_new_int(f->min_value));
			if (f->max_value)
				json_object_object_add(
				    m, "max_value",
				    json_object_new_int(f->max_value));
		}
		json_object_object_add(map, f->name, m);
	}
	return map;
}

static struct json_object *string_array(const char *const *v)
{
	struct json_object *a = json_object_new_array();
	for (; *v; v++)
		json_object_array_add(a, json_object_new_string(*v));
	return a;
}

static void add_media(struct json_object *o)
{
	static const char *renders[] = {"application/json", "text/html", NULL};
	static const char *parses[] = {"application/json",
	                               "application/x-www-form-urlencoded",
	                               "multipart/form-data", NULL};
	json_object_object_add(o, "renders", string_array(renders));
	json_object_object_add(o, "parses", string_array(parses));
}

struct json_object *view_metadata(const char *name, const char *doc)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "description", json_object_new_string(doc));
	add_media(o);
	return o;
}

/* The verb whose field map this caller sees: POST on a list, PUT on an
 * updatable record that exists; NULL for none (anonymous callers never
 * see one). -1 in *err after a database failure. */
static const char *action_verb(struct request *rq, const struct resource *r,
                               bool detail, long long id, int *err)
{
	*err = 0;
	if (!rq->user)
		return NULL;
	if (!detail)
		return r->verbs & V_POST ? "POST" : NULL;
	if (!(r->verbs & V_PUT))
		return NULL;
	const char *v = arena_printf(rq->a, "%lld", id);
	char *sql =
	    arena_printf(rq->a, "SELECT 1 FROM \"%s\" WHERE id = $1", r->name);
	PGresult *res = db_query(rq->db, sql, 1, &v);
	bool found = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		*err = -1;
	PQclear(res);
	if (*err)
		resp_db_failure(rq);
	return found ? "PUT" : NULL;
}

static struct json_object *filter_fields(const struct resource *r)
{
	struct json_object *ff = json_object_new_array();
	for (const char *p = r->query_args; *p;) {
		size_t n = strcspn(p, ",");
		json_object_array_add(ff,
		                      json_object_new_string_len(p, (int)n));
		p += n + (p[n] == ',');
	}
	return ff;
}

/* The answer depends only on the resource, list or instance, and whether
 * the caller sees an action, so each worker writes each one once and keeps
 * its text: building it was most of an OPTIONS request's work. */
#define KEPT_MAX 64
static char *kept[KEPT_MAX][2][2];

void handle_options(struct request *rq, const struct resource *r, bool detail,
                    long long id)
{
	if (r->auth_read && !rq->user) {
		resp_detail(rq, 403,
		            "Authentication credentials were not provided.");
		return;
	}
	int err;
	const char *verb = action_verb(rq, r, detail, id, &err);
	if (err)
		return;
	long i = r - resources;
	char **keep = i >= 0 && i < n_resources && i < KEPT_MAX
	                  ? &kept[i][detail][verb != NULL]
	                  : NULL;
	if (keep && *keep) {
		resp_text(rq, 200, "application/json", *keep, strlen(*keep));
		return;
	}
	struct json_object *o =
	    view_metadata(arena_printf(rq->a, "%s %s", r->title,
	                               detail ? "Instance" : "List"),
	                  resource_doc(r));
	if (verb) {
		struct json_object *actions = json_object_new_object();
		json_object_object_add(actions, verb, field_map(rq, r));
		json_object_object_add(o, "actions", actions);
	}
	/* users and groups have no filter_fields in the reference */
	if (r->query_args && !r->control_args)
		json_object_object_add(o, "filter_fields", filter_fields(r));
	resp_json(rq, 200, o);
	if (keep)
		*keep = strdup(rq->out); /* NULL: written again next time */
}

void handle_username(struct request *rq)
{
	if (!strcmp(rq->method, "OPTIONS")) {
		resp_json(rq, 200,
		          view_metadata("User",
		                        "The name of the user whose token "
		                        "made the request."));
		return;
	}
	const char *v = arena_printf(rq->a, "%lld", rq->user);
	PGresult *res =
	    db_query(rq->db, "SELECT username FROM users WHERE id = $1", 1, &v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || !PQntuples(res)) {
		PQclear(res);
		resp_db_failure(rq);
		return;
	}
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "username",
	                       json_object_new_string(PQgetvalue(res, 0, 0)));
	PQclear(res);
	resp_json(rq, 200, o);
}
