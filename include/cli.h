/* cli.h - the database side of the command-line commands (migrate, user,
 * token, example-data, data-root): one connection, and one way to run a
 * statement and report its failure. */
#ifndef CLI_H
#define CLI_H

#include <libpq-fe.h>

/* A connection to the database the settings name, or NULL (reported). */
PGconn *cli_connect(void);

/* Runs sql with n text parameters (n == 0: sql may hold several
 * statements). Returns the result, which the caller clears, or NULL after
 * printing "registry: <what>: <the server's message>". */
PGresult *cli_exec(PGconn *c, const char *what, const char *sql, int n,
                   const char *const *v);

/* cli_exec for a statement whose result is not needed: 0, or -1 when it
 * failed. */
int cli_run(PGconn *c, const char *what, const char *sql, int n,
            const char *const *v);

#endif
