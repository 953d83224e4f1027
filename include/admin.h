/* admin.h - command-line administration: users and tokens. */
#ifndef ADMIN_H
#define ADMIN_H

#include <libpq-fe.h>

/* Creates the user if missing; 0 on success. */
int admin_user(PGconn *c, const char *name);
/* Creates or replaces the user's token and prints it once; 0 on success. */
int admin_token(PGconn *c, const char *name);
/* `registry init`: applies the migrations, creates the user and, if it has
 * none yet, a token, printed once on stdout; running it again changes
 * nothing. 0 on success. */
int admin_init(PGconn *c, const char *migrations_dir, const char *name);

#endif
