/* admin.c - users and tokens from the command line (the reference's
 * createsuperuser and get_token). Only the token's digest is stored: the
 * token itself is printed once and never again. */
#include "admin.h"
#include "auth.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

/* rows: the rows the statement returned or changed */
static int run(PGconn *c, const char *sql, int n, const char *const *v,
               int *rows)
{
	PGresult *r = cli_exec(c, "user", sql, n, v);
	if (!r)
		return -1;
	if (rows)
		*rows = PQresultStatus(r) == PGRES_TUPLES_OK
		            ? PQntuples(r)
		            : atoi(PQcmdTuples(r));
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

int admin_token(PGconn *c, const char *name)
{
	char token[41], hash[65];
	if (!token_new(token)) {
		fputs("registry: no randomness for a token\n", stderr);
		return -1;
	}
	token_hash(token, hash);
	const char *v[] = {name, hash};
	int rows = 0;
	if (run(c,
	        "INSERT INTO tokens (users_id, key_hash) "
	        "SELECT id, $2 FROM users WHERE username = $1 "
	        "ON CONFLICT (users_id) DO UPDATE "
	        "SET key_hash = excluded.key_hash, created = now()",
	        2, v, &rows) < 0)
		return -1;
	if (rows != 1) {
		fprintf(stderr, "registry: no user named %s\n", name);
		return -1;
	}
	printf("%s\n", token);
	return 0;
}
