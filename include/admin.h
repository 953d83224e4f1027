/* admin.h - command-line administration: users and tokens. */
#ifndef ADMIN_H
#define ADMIN_H

#include <libpq-fe.h>

/* Creates the user if missing; 0 on success. */
int admin_user(PGconn *c, const char *name);
/* Creates or replaces the user's token and prints it once; 0 on success. */
int admin_token(PGconn *c, const char *name);

#endif
