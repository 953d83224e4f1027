/* admin.c - people from the command line: users made, listed, disabled and
 * enabled again, tokens issued, listed, rotated and revoked (the
 * reference's createsuperuser and get_token, and what its admin site
 * does). Only a token's digest and its first eight characters are stored:
 * the token itself is printed once and never again. */
#include "admin.h"
#include "auth.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs sql; *rows gets the rows returned or changed. With print, the rows
 * are printed as tab-separated lines. */
static int run_rows(PGconn *c, const char *sql, int n, const char *const *v,
                    int *rows, bool print)
{
	PGresult *r = cli_exec(c, "database", sql, n, v);
	if (!r)
		return -1;
	if (rows)
		*rows = atoi(PQcmdTuples(r));
	for (int i = 0; print && i < PQntuples(r); i++)
		for (int j = 0; j < PQnfields(r); j++)
			printf("%s%c", PQgetvalue(r, i, j),
			       j + 1 < PQnfields(r) ? '\t' : '\n');
	PQclear(r);
	return 0;
}

static int run(PGconn *c, const char *sql, int n, const char *const *v,
               int *rows)
{
	return run_rows(c, sql, n, v, rows, false);
}

/* For commands that act on one existing user (or its token). */
static int one_row(int rows, const char *what, const char *name)
{
	if (rows == 1)
		return 0;
	fprintf(stderr, "registry: %s %s\n", what, name);
	return -1;
}

int admin_user(PGconn *c, const char *name)
{
	const char *v[] = {name};
	return run(c,
	           "INSERT INTO users (username) VALUES ($1) "
	           "ON CONFLICT (username) DO NOTHING",
	           1, v, NULL);
}

int admin_user_list(PGconn *c)
{
	puts("username\tstate\tjoined\ttoken");
	return run_rows(c,
	                "SELECT u.username, CASE WHEN u.disabled THEN "
	                "'disabled' ELSE 'active' END, "
	                "to_char(u.date_joined AT TIME ZONE 'UTC', "
	                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	                "CASE WHEN t.id IS NULL THEN '-' ELSE "
	                "coalesce(t.prefix || '...', '(old)') END "
	                "FROM users u LEFT JOIN tokens t ON t.users_id = u.id "
	                "ORDER BY u.username",
	                0, NULL, NULL, true);
}

int admin_user_disable(PGconn *c, const char *name, bool disabled)
{
	const char *v[] = {name, disabled ? "true" : "false"};
	int rows = 0;
	if (run(c, "UPDATE users SET disabled = $2 WHERE username = $1", 2, v,
	        &rows) < 0)
		return -1;
	return one_row(rows, "no user named", name);
}

int admin_token(PGconn *c, const char *name, bool must_exist)
{
	char token[41], hash[65], prefix[9];
	if (!token_new(token)) {
		fputs("registry: no randomness for a token\n", stderr);
		return -1;
	}
	token_hash(token, hash);
	memcpy(prefix, token, 8);
	prefix[8] = 0;
	const char *v[] = {name, hash, prefix};
	int rows = 0;
	/* rotate replaces a token that exists; issue makes one either way */
	if (run(c,
	        must_exist ? "UPDATE tokens SET key_hash = $2, prefix = $3, "
	                     "created = now() FROM users u WHERE "
	                     "u.id = tokens.users_id AND u.username = $1"
	                   : TOKEN_ISSUE_SQL("username = $1"),
	        3, v, &rows) < 0)
		return -1;
	if (one_row(rows,
	            must_exist ? "no token to rotate for" : "no user named",
	            name) < 0)
		return -1;
	printf("%s\n", token);
	return 0;
}

int admin_token_revoke(PGconn *c, const char *name)
{
	const char *v[] = {name};
	int rows = 0;
	if (run(c,
	        "DELETE FROM tokens USING users u WHERE u.id = tokens.users_id "
	        "AND u.username = $1",
	        1, v, &rows) < 0)
		return -1;
	return one_row(rows, "no token to revoke for", name);
}

int admin_token_list(PGconn *c, const char *name)
{
	const char *v[] = {name};
	puts("username\tprefix\tcreated");
	return run_rows(c,
	                "SELECT u.username, coalesce(t.prefix || '...', "
	                "'(old)'), to_char(t.created AT TIME ZONE 'UTC', "
	                "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	                "FROM tokens t JOIN users u ON u.id = t.users_id "
	                "WHERE $1::text IS NULL OR u.username = $1 "
	                "ORDER BY u.username",
	                1, v, NULL, true);
}
