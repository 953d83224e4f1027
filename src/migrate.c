/* migrate.c - applies migrations/NNNN_*.sql in name order, each file in its
 * own transaction together with its row in schema_migrations, so a file is
 * either fully applied and recorded or not at all. */
#define _POSIX_C_SOURCE 200809L

#include "migrate.h"
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any fixed number will do; it only has to be the same for every process
 * that migrates this database, so two concurrent runs queue up. */
#define MIGRATE_LOCK_KEY "7261730001"

/* NNNN_<something>.sql */
static int is_migration(const char *name)
{
	size_t len = strlen(name);

	if (len < 10) /* "0001_x.sql" */
		return 0;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return name[4] == '_' && strcmp(name + len - 4, ".sql") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The migration file names in dir, sorted; NULL on error. */
static char **list_migrations(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "migrate: cannot open %s: %s\n", dir,
		        strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_migration(e->d_name))
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **p = realloc(names, ncap * sizeof *p);
			if (!p)
				goto oom;
			names = p;
			cap = ncap;
		}
		names[n] = strdup(e->d_name);
		if (!names[n])
			goto oom;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	*count = n;
	/* An empty directory is not an error; hand back a freeable pointer. */
	return names ? names : calloc(1, sizeof *names);
oom:
	closedir(d);
	free_names(names, n);
	fprintf(stderr, "migrate: out of memory\n");
	return NULL;
}

/* The whole file as a NUL-terminated string; NULL on error. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "migrate: cannot open %s: %s\n", path,
		        strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p = realloc(buf, ncap);
			if (!p) {
				fprintf(stderr, "migrate: out of memory\n");
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		fprintf(stderr, "migrate: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static int ensure_table(PGconn *conn)
{
	/* Checked first because CREATE TABLE IF NOT EXISTS prints a notice
	 * on every run; the advisory lock makes the check race-free. */
	PGresult *r = cli_exec(conn, "migrate",
	                       "SELECT to_regclass('schema_migrations') "
	                       "IS NOT NULL",
	                       0, NULL);
	if (!r)
		return 0;
	int exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (exists)
		return 1;
	return cli_run(conn, "migrate: creating schema_migrations",
	               "CREATE TABLE schema_migrations ("
	               "version text PRIMARY KEY, "
	               "applied_at timestamptz NOT NULL DEFAULT now())",
	               0, NULL) == 0;
}

/* 1 applied already, 0 not yet, -1 error. */
static int is_applied(PGconn *conn, const char *version)
{
	const char *vals[1] = {version};
	PGresult *r = cli_exec(conn, "migrate",
	                       "SELECT 1 FROM schema_migrations "
	                       "WHERE version = $1",
	                       1, vals);
	if (!r)
		return -1;
	int applied = PQntuples(r) > 0;
	PQclear(r);
	return applied;
}

/* Applies one file and records it, all in one transaction. */
static int apply_one(PGconn *conn, const char *dir, const char *name,
                     const char *version)
{
	size_t plen = strlen(dir) + strlen(name) + 2;
	char *path = malloc(plen);
	char *sql = NULL;
	const char *vals[1] = {version};
	int ok = 0;

	if (!path) {
		fprintf(stderr, "migrate: out of memory\n");
		goto out;
	}
	snprintf(path, plen, "%s/%s", dir, name);
	sql = read_file(path);
	if (!sql)
		goto out;
	if (cli_run(conn, name, "BEGIN", 0, NULL) < 0)
		goto out;
	if (cli_run(conn, name, sql, 0, NULL) < 0 ||
	    cli_run(conn, name,
	            "INSERT INTO schema_migrations (version) VALUES ($1)", 1,
	            vals) < 0 ||
	    cli_run(conn, name, "COMMIT", 0, NULL) < 0) {
		PQclear(PQexec(conn, "ROLLBACK"));
		goto out;
	}
	printf("applied %s\n", name);
	fflush(stdout);
	ok = 1;
out:
	free(sql);
	free(path);
	return ok;
}

int migrate_run(PGconn *conn, const char *dir)
{
	const char *lock_vals[1] = {MIGRATE_LOCK_KEY};
	char **names;
	size_t n = 0;
	int status = 1;

	names = list_migrations(dir, &n);
	if (!names)
		return 1;

	if (cli_run(conn, "migrate: taking the migration lock",
	            "SELECT pg_advisory_lock($1::bigint)", 1, lock_vals) < 0) {
		free_names(names, n);
		return 1;
	}

	if (!ensure_table(conn))
		goto unlock;
	for (size_t i = 0; i < n; i++) {
		/* The recorded version is the file name without ".sql". */
		char *version = strndup(names[i], strlen(names[i]) - 4);
		int applied = version ? is_applied(conn, version) : -1;

		if (applied == 0)
			applied =
			    apply_one(conn, dir, names[i], version) ? 1 : -1;
		free(version);
		if (applied < 0)
			goto unlock;
	}
	status = 0;
unlock:
	cli_run(conn, "migrate", "SELECT pg_advisory_unlock($1::bigint)", 1,
	        lock_vals);
	free_names(names, n);
	return status;
}
