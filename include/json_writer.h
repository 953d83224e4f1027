/* json_writer.h - JSON text written piece by piece into a buffer, the
 * commas following from the nesting. For documents built from tables
 * (the OpenAPI document), not from rows: answers from rows write their
 * text directly; prov/jsonw.c lays out a json-c tree as Python does. */
#ifndef JSON_WRITER_H
#define JSON_WRITER_H

#include "arena.h"

#include <stdbool.h>

#define JW_DEPTH_MAX 32

struct jw {
	struct buf *b;
	int depth;
	bool first[JW_DEPTH_MAX]; /* nothing written yet at this level */
	bool keyed;               /* a key was written; its value comes next */
};

/* The separator a value needs before it: none after a key or first in
 * its object or array, else a comma. */
void jw_sep(struct jw *w);
void jw_open(struct jw *w, char c);
void jw_close(struct jw *w, char c);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s);
void jw_raw(struct jw *w, const char *s);
void jw_num(struct jw *w, long long v);
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kraw(struct jw *w, const char *k, const char *s);

#endif
