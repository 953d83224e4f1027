/* prov/jsonw.h - JSON text in the layouts of Python's json module, which
 * the reference's libraries write with (indent, sorted keys, ASCII only or
 * not, separators). */
#ifndef PROV_JSONW_H
#define PROV_JSONW_H

#include "arena.h"

#include <json-c/json.h>
#include <stdbool.h>

struct jw_style {
	int indent; /* 0: all on one line */
	bool sort_keys;
	bool ascii;           /* \uXXXX for anything beyond ASCII */
	const char *item_sep; /* between items, before any newline */
	const char *key_sep;
};

/* json.dumps(obj): one line, ", " and ": ", ASCII */
extern const struct jw_style JW_PYTHON;
/* json.dump(obj, indent=4, sort_keys=True) */
extern const struct jw_style JW_PYTHON_INDENT4_SORTED;
/* rdflib's JSON-LD: indent 4, sorted keys, UTF-8 kept */
extern const struct jw_style JW_RDFLIB;

void jw_write(struct buf *b, struct json_object *o, const struct jw_style *st);

#endif
