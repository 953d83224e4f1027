/* import.h - moving a whole registry in: `registry import`, `registry import
 * --verify` and `registry export` (src/import/, docs/migrating.md). */
#ifndef IMPORT_H
#define IMPORT_H

#include <libpq-fe.h>

/* registry import URL|DIR [--token T] [--verify] [--page-size N]
 * [--batch N]; 0 when done (and, with --verify, no difference found). */
int import_command(PGconn *c, int argc, char **argv);

/* registry export DIR [--base URL]: one DIR/<resource>.jsonl per resource. */
int export_command(PGconn *c, int argc, char **argv);

#endif
