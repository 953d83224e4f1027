/* admin.h - command-line administration: users and tokens. */
#ifndef ADMIN_H
#define ADMIN_H

#include <libpq-fe.h>
#include <stdbool.h>

/* Creates the user if missing; 0 on success. */
int admin_user(PGconn *c, const char *name);
/* Prints every user: name, active or disabled, joined, token prefix. */
int admin_user_list(PGconn *c);
int admin_user_disable(PGconn *c, const char *name, bool disabled);
/* Creates or replaces the user's token and prints it once; with
 * must_exist (rotate) only replaces one. 0 on success. */
int admin_token(PGconn *c, const char *name, bool must_exist);
int admin_token_revoke(PGconn *c, const char *name);
/* Tokens by user, prefix and date (never the token); name NULL = all. */
int admin_token_list(PGconn *c, const char *name);

#endif
