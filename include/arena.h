/* arena.h - per-request memory: everything a request allocates comes from
 * one arena, released in one go when the answer has been sent. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>
#include <string.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first */
	size_t total;             /* bytes held, for the high-water check */
};

void *arena_alloc(struct arena *a, size_t n); /* zeroed, 16-aligned */
/* Not zeroed: for memory about to be written whole (strings, buffers),
 * where clearing a large page first would cost as much as writing it. */
void *arena_alloc_raw(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Keeps the first chunk for the next request; frees the rest. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/* A growable byte string in an arena (SQL text, bodies). */
struct buf {
	struct arena *a;
	char *p;
	size_t len, cap;
};

void buf_init(struct buf *b, struct arena *a);
/* Makes room for need more bytes (and the terminating NUL). */
void buf_grow(struct buf *b, size_t need);

/* Inline: pages and bodies are built from many small appends, and a call
 * for each costs more than the copy. */
static inline void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_putc(struct buf *b, char c);
/* v in decimal, without printf (hyperlinks hold hundreds a page) */
void buf_put_int(struct buf *b, long long v);

#endif
