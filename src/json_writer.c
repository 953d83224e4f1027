/* json_writer.c - JSON text written piece by piece: each value asks for
 * its separator, so callers never count commas. */
#include "json_writer.h"
#include "json_text.h"

#include <string.h>

void jw_sep(struct jw *w)
{
	if (w->keyed) {
		w->keyed = false;
		return;
	}
	if (w->depth && !w->first[w->depth - 1])
		buf_putc(w->b, ',');
	if (w->depth)
		w->first[w->depth - 1] = false;
}

void jw_open(struct jw *w, char c)
{
	jw_sep(w);
	buf_putc(w->b, c);
	w->first[w->depth++] = true;
}

void jw_close(struct jw *w, char c)
{
	w->depth--;
	buf_putc(w->b, c);
}

void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	json_string(w->b, k, strlen(k), false);
	buf_putc(w->b, ':');
	w->keyed = true;
}

void jw_str(struct jw *w, const char *s)
{
	jw_sep(w);
	json_string(w->b, s, strlen(s), false);
}

/* A number, true, false or null, or a whole value already written as
 * JSON text. */
void jw_raw(struct jw *w, const char *s)
{
	jw_sep(w);
	buf_puts(w->b, s);
}

void jw_num(struct jw *w, long long v)
{
	jw_sep(w);
	buf_put_int(w->b, v);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void jw_kraw(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_raw(w, s);
}
