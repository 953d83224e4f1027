/* example.h - a small example registry for newcomers to browse. */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <libpq-fe.h>

/* Loads the example records as user admin, in one transaction; does nothing
 * when they are already there. 0 on success. */
int example_data_load(PGconn *c);

#endif
