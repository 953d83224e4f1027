/* prov_json.c - the PROV document as PROV-JSON, shaped as the reference's
 * library writes it: "prefix", then one object per kind of record in the
 * order the kinds first occur, relations under blank names _:id1, _:id2...
 * numbered in record order. */
#include "prov/doc.h"

#include <string.h>

static struct json_object *typed(const char *value, const char *type)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "$", json_object_new_string(value));
	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

static struct json_object *attr_value(const struct pr_attr *a)
{
	switch (a->type) {
	case PV_QNAME:
		return typed(a->value, "prov:QUALIFIED_NAME");
	case PV_TIME:
		return typed(a->value, "xsd:dateTime");
	default:
		return json_object_new_string(a->value);
	}
}

static struct json_object *record_json(const struct pr_record *r)
{
	struct json_object *o = json_object_new_object();
	struct pr_formal f[5];
	int nf = pr_formals(r, f);
	for (int i = 0; i < nf; i++)
		if (f[i].value)
			json_object_object_add(
			    o, f[i].name, json_object_new_string(f[i].value));
	for (int i = 0; i < r->nattrs;) {
		int k = i + 1;
		while (k < r->nattrs &&
		       !strcmp(r->attrs[k].name, r->attrs[i].name))
			k++;
		if (k - i == 1) {
			json_object_object_add(o, r->attrs[i].name,
			                       attr_value(&r->attrs[i]));
		} else {
			struct json_object *l = json_object_new_array();
			for (int j = i; j < k; j++)
				json_object_array_add(l,
				                      attr_value(&r->attrs[j]));
			json_object_object_add(o, r->attrs[i].name, l);
		}
		i = k;
	}
	return o;
}

void prov_write_json(struct request *rq, const struct pr_doc *d)
{
	struct json_object *top = json_object_new_object();
	struct json_object *prefix = json_object_new_object();
	for (int i = 0; i < d->nns; i++)
		json_object_object_add(prefix, d->ns[i].prefix,
		                       json_object_new_string(d->ns[i].uri));
	json_object_object_add(top, "prefix", prefix);
	int anon = 0;
	for (int i = 0; i < d->n; i++) {
		const struct pr_record *r = &d->recs[i];
		const char *kind = pr_kind_name(r->kind);
		struct json_object *group;
		if (!json_object_object_get_ex(top, kind, &group)) {
			group = json_object_new_object();
			json_object_object_add(top, kind, group);
		}
		const char *id =
		    r->id ? r->id : arena_printf(rq->a, "_:id%d", ++anon);
		struct json_object *rec = record_json(r), *prev;
		if (!json_object_object_get_ex(group, id, &prev)) {
			json_object_object_add(group, id, rec);
			continue;
		}
		/* a second record under one id: the library lists them */
		if (!json_object_is_type(prev, json_type_array)) {
			struct json_object *l = json_object_new_array();
			json_object_array_add(l, json_object_get(prev));
			json_object_object_add(group, id, l);
			prev = l;
		}
		json_object_array_add(prev, rec);
	}
	resp_json(rq, 200, top);
}
