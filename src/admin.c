/* admin.c - users and tokens from the command line (the reference's
 * createsuperuser and get_token). Only the token's digest is stored: the
 * token itself is printed once and never again. */
#include "admin.h"
#include "auth.h"
#include "migrate.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static int run(PGconn *c, const char *sql, int n, const char *const *v,
               int *rows)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "registry: %s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	if (rows)
		*rows =
		    st == PGRES_TUPLES_OK ? PQntuples(r) : atoi(PQcmdTuples(r));
	PQclear(r);
	return 0;
}

int admin_user(PGconn *c, const char *name)
{
	const char *v[] = {name};
	return run(c,
	           "INSERT INTO users (username) VALUES ($1) "
	           "ON CONFLICT (username) DO NOTHING",
	           1, v, NULL);
}

/* Replaces NAME's token when replace is set, else makes one only if NAME
 * has none (rows == 0 then). */
static int new_token(PGconn *c, const char *name, bool replace, int *rows)
{
	char token[41], hash[65];
	if (!token_new(token)) {
		fputs("registry: no randomness for a token\n", stderr);
		return -1;
	}
	token_hash(token, hash);
	const char *v[] = {name, hash};
	if (run(c,
	        replace ? "INSERT INTO tokens (users_id, key_hash) "
	                  "SELECT id, $2 FROM users WHERE username = $1 "
	                  "ON CONFLICT (users_id) DO UPDATE "
	                  "SET key_hash = excluded.key_hash, created = now()"
	                : "INSERT INTO tokens (users_id, key_hash) "
	                  "SELECT id, $2 FROM users WHERE username = $1 "
	                  "ON CONFLICT (users_id) DO NOTHING",
	        2, v, rows) < 0)
		return -1;
	if (*rows == 1)
		printf("%s\n", token);
	return 0;
}

int admin_token(PGconn *c, const char *name)
{
	int rows = 0;
	if (new_token(c, name, true, &rows) < 0)
		return -1;
	if (rows != 1) {
		fprintf(stderr, "registry: no user named %s\n", name);
		return -1;
	}
	return 0;
}

int admin_init(PGconn *c, const char *migrations_dir, const char *name)
{
	int rows = 0;
	if (migrate_run(c, migrations_dir) != 0 || admin_user(c, name) < 0 ||
	    new_token(c, name, false, &rows) < 0)
		return -1;
	if (rows == 0)
		fprintf(stderr,
		        "registry: %s has a token already (`registry token %s` "
		        "replaces it)\n",
		        name, name);
	return 0;
}
