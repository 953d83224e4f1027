/* import.c - `registry import URL|DIR`: every resource of a FAIR data
 * registry, in dependency order, a batch (whole pages of the source) per
 * transaction. Each batch commits together with the position of the next
 * page (table import_state), so a run that stops for any reason resumes at
 * the first page it had not committed; a finished run clears its positions
 * and a later run reads everything again but writes only what is new or
 * changed. An advisory lock keeps a second import out. */
#include "import.h"
#include "parts.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any fixed number; the same for every import into this database. */
#define IMPORT_LOCK_KEY "7261730015"

struct run {
	PGconn *c;
	struct source s;
	const char *key; /* the source as import_state names it */
	int batch_max;
	long long read, written;
	bool users_hidden; /* the source shows no users to this reader */
};

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 2; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static bool exec_ok(PGconn *c, const char *sql, int n, const char **v)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "registry: %s", PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

/* The position stored for r: NULL = from the start, "" = done. */
static char *state_get(struct run *u, const char *r)
{
	const char *v[] = {u->key, r};
	PGresult *res =
	    PQexecParams(u->c,
	                 "SELECT next FROM import_state WHERE source = $1 AND "
	                 "resource = $2",
	                 2, NULL, v, NULL, NULL, 0);
	char *next = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res)
	                 ? strdup(PQgetvalue(res, 0, 0))
	                 : NULL;
	PQclear(res);
	return next;
}

static bool resuming(struct run *u)
{
	const char *v[] = {u->key};
	PGresult *res = PQexecParams(
	    u->c, "SELECT 1 FROM import_state WHERE source = $1 LIMIT 1", 1,
	    NULL, v, NULL, NULL, 0);
	bool yes = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res);
	PQclear(res);
	return yes;
}

static bool state_put(struct run *u, const char *r, const char *next)
{
	const char *v[] = {u->key, r, next ? next : ""};
	return exec_ok(u->c,
	               "INSERT INTO import_state VALUES ($1, $2, $3) ON "
	               "CONFLICT (source, resource) DO UPDATE SET next = $3",
	               3, v);
}

static void stopped(struct run *u, const char *r, long long id, const char *why)
{
	if (id)
		fprintf(stderr, "registry: import stopped at %s %lld: %s\n", r,
		        id, why);
	else
		fprintf(stderr, "registry: import stopped at %s: %s\n", r, why);
	fprintf(stderr,
	        "registry: the %lld records written before are kept (whole "
	        "batches); once the cause is fixed, the same command "
	        "resumes\n",
	        u->written);
}

/* After a failed batch: which record it was, trying them one at a time
 * (each under a savepoint) in a transaction that is then rolled back. */
static void locate(struct run *u, const struct plan *p, const struct batch *b,
                   long long *bad, char *why)
{
	char w2[ERR_LEN];
	PQclear(PQexec(u->c, "BEGIN"));
	for (int i = 0; i < b->n; i++) {
		struct batch one = *b;
		one.spans = &b->spans[i];
		one.n = 1;
		long long written, at;
		PQclear(PQexec(u->c, "SAVEPOINT one"));
		if (!load_batch(u->c, p, &one, &written, &at, w2)) {
			*bad = b->spans[i].id;
			memcpy(why, w2, ERR_LEN);
			break;
		}
		PQclear(PQexec(u->c, "RELEASE SAVEPOINT one"));
	}
	PQclear(PQexec(u->c, "ROLLBACK"));
}

static bool write_batch(struct run *u, const struct plan *p,
                        const struct batch *b, const char *next,
                        long long *written)
{
	char why[ERR_LEN] = "";
	long long bad = 0;
	bool ok = exec_ok(u->c, "BEGIN", 0, NULL) &&
	          load_batch(u->c, p, b, written, &bad, why) &&
	          load_sequences(u->c, p, why) &&
	          state_put(u, p->r->name, next) &&
	          exec_ok(u->c, "COMMIT", 0, NULL);
	if (ok)
		return true;
	PQclear(PQexec(u->c, "ROLLBACK"));
	if (!bad)
		locate(u, p, b, &bad, why);
	stopped(u, p->r->name, bad, why);
	return false;
}

/* Users and groups are hidden from anonymous readers: the import goes on
 * without them and makes the users records name by id. */
static void hidden(struct run *u, const struct resource *r)
{
	fprintf(stderr,
	        "%s: hidden by the source from anonymous readers (give "
	        "--token TOKEN to bring them); %s\n",
	        r->name,
	        strcmp(r->name, "users")
	            ? "not imported"
	            : "each user a record names is made as user<id>");
	if (!strcmp(r->name, "users"))
		u->users_hidden = true;
}

static bool import_resource(struct run *u, const struct resource *r)
{
	char *pos = state_get(u, r->name);
	struct progress pr;
	if (pos && !*pos) {
		progress_start(&pr, r->name, -1);
		progress_end(&pr, "done in the interrupted run");
		free(pos);
		return true;
	}
	struct plan p;
	char why[ERR_LEN];
	plan_make(&p, r);
	p.make_users = u->users_hidden;
	if (!load_prepare(u->c, &p, why)) {
		stopped(u, r->name, 0, why);
		return false;
	}
	struct arena a = {0};
	long long done = 0, written = 0;
	bool ok = true, started = false;
	while (ok) {
		struct batch b;
		batch_init(&b, &a);
		bool more = true;
		while (ok && more && b.n < u->batch_max) {
			struct page pg;
			if (!source_page(&u->s, r->name, pos, &pg)) {
				if (!started && source_hidden(&u->s, r)) {
					hidden(u, r);
					free(pos);
					arena_free(&a);
					return true;
				}
				stopped(u, r->name, 0, u->s.err);
				ok = false;
			}
			if (ok && !started) {
				progress_start(&pr, r->name, pg.count);
				started = true;
			}
			size_t n =
			    ok ? json_object_array_length(pg.results) : 0;
			for (size_t i = 0; ok && i < n; i++) {
				long long id;
				json_object *rec =
				    json_object_array_get_idx(pg.results, i);
				if (!batch_add(&b, &p, rec, &id, why)) {
					stopped(u, r->name, id, why);
					ok = false;
				}
			}
			free(pos);
			pos = ok && pg.next ? strdup(pg.next) : NULL;
			more = pos != NULL;
			page_free(&pg);
		}
		long long w = 0;
		if (ok && !write_batch(u, &p, &b, pos, &w))
			ok = false;
		done += b.n;
		written += w;
		u->written += w;
		if (started)
			progress_step(&pr, done, written);
		arena_reset(&a);
		if (!pos)
			break;
	}
	if (ok) {
		u->read += done;
		progress_end(&pr, NULL);
	}
	free(pos);
	arena_free(&a);
	return ok;
}

static bool lock(PGconn *c)
{
	PGresult *res =
	    PQexec(c, "SELECT pg_try_advisory_lock(" IMPORT_LOCK_KEY ")");
	bool got = PQresultStatus(res) == PGRES_TUPLES_OK &&
	           *PQgetvalue(res, 0, 0) == 't';
	PQclear(res);
	if (!got)
		fprintf(stderr, "registry: another import into this database "
		                "is running; this one does not start\n");
	return got;
}

static char *source_key(const struct source *s)
{
	if (!s->dir)
		return strdup(s->where);
	char path[PATH_MAX];
	return strdup(realpath(s->where, path) ? path : s->where);
}

int import_command(PGconn *c, int argc, char **argv)
{
	const char *where = NULL;
	bool verify = false;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--verify"))
			verify = true;
		else if (!strncmp(argv[i], "--", 2))
			i++;
		else if (!where)
			where = argv[i];
	}
	const char *ps = opt(argc, argv, "--page-size");
	const char *bs = opt(argc, argv, "--batch");
	int page_size = ps ? atoi(ps) : 1000;
	struct run u = {.c = c, .batch_max = bs ? atoi(bs) : 5000};
	if (!where || page_size < 1 || u.batch_max < 1) {
		fputs("usage: registry import URL|DIR [--token TOKEN] "
		      "[--verify] [--page-size N] [--batch N]\n",
		      stderr);
		return 2;
	}
	PQclear(PQexec(c, "SET TimeZone = 'UTC'"));
	if (!source_open(&u.s, where, opt(argc, argv, "--token"), page_size)) {
		fprintf(stderr, "registry: %s\n", u.s.err);
		source_close(&u.s);
		return 1;
	}
	int rc = 0;
	if (verify) {
		rc = verify_run(c, &u.s);
		source_close(&u.s);
		return rc;
	}
	if (!lock(c)) {
		source_close(&u.s);
		return 1;
	}
	char *key = source_key(&u.s);
	u.key = key;
	if (resuming(&u))
		fprintf(stderr, "registry: resuming the import from %s\n",
		        u.s.where);
	const struct resource *order[64];
	int n = resource_order(order);
	double t0 = now_seconds();
	for (int i = 0; i < n && !rc; i++)
		if (!import_resource(&u, order[i]))
			rc = 1;
	if (!rc) {
		const char *v[] = {key};
		if (!exec_ok(c, "DELETE FROM import_state WHERE source = $1", 1,
		             v))
			rc = 1;
		printf("imported from %s: %lld records read, %lld written, "
		       "%.1f s\n",
		       u.s.where, u.read, u.written, now_seconds() - t0);
	}
	free(key);
	source_close(&u.s);
	return rc;
}
