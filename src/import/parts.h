/* parts.h - the pieces of `registry import` / `export` (src/import/) as they
 * see each other: where records come from (a registry's REST API or an
 * export directory), how a record becomes rows, how rows reach the database,
 * this registry's own records as the API writes them, and progress lines. */
#ifndef IMPORT_PARTS_H
#define IMPORT_PARTS_H

#include "arena.h"
#include "schema.h"

#include <json-c/json.h>
#include <libpq-fe.h>
#include <stdbool.h>

#define ERR_LEN 1024

/* ---- source.c: records from a registry's API or an export directory */

struct source {
	char *where; /* API root ending in '/', or the directory */
	bool dir;
	const char *token;
	int page_size;
	void *curl;
	long status;       /* of the last answer; -1 unreachable */
	char err[ERR_LEN]; /* why the last call failed */
};

struct page {
	json_object *doc;     /* the whole answer; owns results */
	json_object *results; /* the records, an array */
	char *next;           /* malloc'd position of the next page; NULL */
	long long count;      /* records of the resource, -1 unknown */
};

/* Checks that `where` is a FAIR data registry's API root (or an export
 * directory) before anything is read. */
bool source_open(struct source *s, const char *where, const char *token,
                 int page_size);
/* The page at pos (NULL: the first) of resource's records. */
bool source_page(struct source *s, const char *resource, const char *pos,
                 struct page *p);
void page_free(struct page *p);
void source_close(struct source *s);

/* ---- rows.c: an API record as rows of its table and join tables */

#define PLAN_MAX_COLS  24
#define PLAN_MAX_JOINS 4

struct plan {
	const struct resource *r;
	const struct field *cols[PLAN_MAX_COLS]; /* stored columns, in order */
	int ncols;
	/* many-to-many fields this side writes; the users' orgs (group
	 * names) come last as an extra "join" when orgs is set */
	const struct field *joins[PLAN_MAX_JOINS];
	int njoins;
	bool orgs;
	bool has_ts; /* last_updated decides what is newer */
	/* the source hides its users: make each user a record names, by
	 * id, as "user<id>" */
	bool make_users;
	const struct field *key; /* without it: this must not differ */
};

/* Where one record's lines lie in the batch's buffers. */
struct span {
	long long id;
	size_t row, row_end;
	size_t join[PLAN_MAX_JOINS + 1], join_end[PLAN_MAX_JOINS + 1];
};

struct batch {
	struct buf rows;
	struct buf joins[PLAN_MAX_JOINS + 1];
	struct span *spans;
	int n, cap;
};

void plan_make(struct plan *p, const struct resource *r);
int plan_nlists(const struct plan *p); /* joins, plus one for orgs */
void batch_init(struct batch *b, struct arena *a);
/* Adds the record's lines (COPY text format) to the batch; false with the
 * reason in why when the record cannot be taken. *id is its id when known
 * (0 otherwise). */
bool batch_add(struct batch *b, const struct plan *p, json_object *rec,
               long long *id, char *why);
/* The record's id from its "url". */
bool record_id(json_object *rec, const char *resource, long long *id);

/* ---- load.c: batches into the database */

bool load_prepare(PGconn *c, const struct plan *p, char *why);
/* Writes the batch inside the caller's transaction: records new here are
 * inserted, records the source changed since are updated (by
 * last_updated), the rest left alone. *written counts the records written.
 * On failure *bad is the record at fault when known, why the reason. */
bool load_batch(PGconn *c, const struct plan *p, const struct batch *b,
                long long *written, long long *bad, char *why);
/* Whether the source hides resource r from this reader (users and groups
 * without a token), after its first page failed. */
bool source_hidden(const struct source *s, const struct resource *r);
/* Each identity sequence above the highest id its table holds. */
bool load_sequences(PGconn *c, const struct plan *p, char *why);

/* ---- local.c: this registry's records, as its API writes them */

struct local {
	PGconn *c;
	const struct resource *r;
	const char *base; /* before /api/ in hyperlinks */
	long long after;  /* last id read */
	struct arena a;
	char *sql;
};

void local_open(struct local *l, PGconn *c, const struct resource *r,
                const char *base);
/* The next up to n records in id order, each a JSON text in lines[i] and
 * its id in ids[i] (memory of the local's arena, valid until the next
 * call); -1 on a database error. */
int local_next(struct local *l, int n, const char **lines, long long *ids);
void local_close(struct local *l);

/* ---- verify.c */

int verify_run(PGconn *c, struct source *s);

/* ---- progress.c: a line per resource */

struct progress {
	const char *name;
	long long total, done, written;
	double start, last_draw;
	bool tty;
};

void progress_start(struct progress *p, const char *name, long long total);
void progress_step(struct progress *p, long long done, long long written);
void progress_end(struct progress *p, const char *what);
double now_seconds(void);

/* ---- order.c */

/* The resources in an order where every link points at an earlier one. */
int resource_order(const struct resource **out);
/* A many-to-many field whose target writes the same join table. */
bool join_two_sided(const struct field *f);

#endif
