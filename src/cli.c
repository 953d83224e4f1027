/* cli.c - the database side of the command-line commands: the connection
 * they share and the statement runner that reports failures on stderr. */
#include "cli.h"
#include "settings.h"

#include <stdio.h>

PGconn *cli_connect(void)
{
	const char *keys[] = {"dbname", NULL};
	const char *vals[] = {settings.database, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "registry: database: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	return c;
}

PGresult *cli_exec(PGconn *c, const char *what, const char *sql, int n,
                   const char *const *v)
{
	PGresult *r = n ? PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0)
	                : PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	    st == PGRES_EMPTY_QUERY)
		return r;
	fprintf(stderr, "registry: %s: %s", what,
	        r ? PQresultErrorMessage(r) : PQerrorMessage(c));
	PQclear(r);
	return NULL;
}

int cli_run(PGconn *c, const char *what, const char *sql, int n,
            const char *const *v)
{
	PGresult *r = cli_exec(c, what, sql, n, v);
	if (!r)
		return -1;
	PQclear(r);
	return 0;
}
