/* migrate.h - applies migrations/NNNN_*.sql in order, each in one
 * transaction, recorded in schema_migrations. */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <libpq-fe.h>

/* Returns 0 on success (also when nothing was left to apply); prints what it
 * applied to stdout and errors to stderr. */
int migrate_run(PGconn *conn, const char *dir);

#endif
