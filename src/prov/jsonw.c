/* jsonw.c - writes JSON the way Python's json module does in the layouts
 * the reference's libraries use, so crates and JSON-LD read the same. */
#include "prov/jsonw.h"
#include "json_text.h"

#include <stdlib.h>
#include <string.h>

const struct jw_style JW_PYTHON = {0, false, true, ", ", ": "};
const struct jw_style JW_PYTHON_INDENT4_SORTED = {4, true, true, ",", ": "};
const struct jw_style JW_RDFLIB = {4, true, false, ",", ": "};

static void newline(struct buf *b, const struct jw_style *st, int level)
{
	if (!st->indent)
		return;
	buf_putc(b, '\n');
	for (int i = 0; i < level * st->indent; i++)
		buf_putc(b, ' ');
}

struct kv {
	const char *k;
	struct json_object *v;
};

static int by_key(const void *x, const void *y)
{
	return strcmp(((const struct kv *)x)->k, ((const struct kv *)y)->k);
}

static void write_at(struct buf *b, struct json_object *o,
                     const struct jw_style *st, int level)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		buf_puts(b, "null");
		break;
	case json_type_boolean:
		buf_puts(b, json_object_get_boolean(o) ? "true" : "false");
		break;
	case json_type_int:
		buf_printf(b, "%lld", (long long)json_object_get_int64(o));
		break;
	case json_type_double:
		buf_printf(b, "%.17g", json_object_get_double(o));
		break;
	case json_type_string:
		json_string(b, json_object_get_string(o),
		            (size_t)json_object_get_string_len(o), st->ascii);
		break;
	case json_type_array: {
		size_t n = json_object_array_length(o);
		if (!n) {
			buf_puts(b, "[]");
			break;
		}
		buf_putc(b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_puts(b, st->item_sep);
			newline(b, st, level + 1);
			write_at(b, json_object_array_get_idx(o, i), st,
			         level + 1);
		}
		newline(b, st, level);
		buf_putc(b, ']');
		break;
	}
	case json_type_object: {
		int n = json_object_object_length(o);
		if (!n) {
			buf_puts(b, "{}");
			break;
		}
		struct kv *kv = arena_alloc(b->a, sizeof *kv * (size_t)n);
		int i = 0;
		json_object_object_foreach(o, key, val)
		{
			kv[i].k = key;
			kv[i].v = val;
			i++;
		}
		if (st->sort_keys)
			qsort(kv, (size_t)n, sizeof *kv, by_key);
		buf_putc(b, '{');
		for (i = 0; i < n; i++) {
			if (i)
				buf_puts(b, st->item_sep);
			newline(b, st, level + 1);
			json_string(b, kv[i].k, strlen(kv[i].k), st->ascii);
			buf_puts(b, st->key_sep);
			write_at(b, kv[i].v, st, level + 1);
		}
		newline(b, st, level);
		buf_putc(b, '}');
		break;
	}
	}
}

void jw_write(struct buf *b, struct json_object *o, const struct jw_style *st)
{
	write_at(b, o, st, 0);
}
