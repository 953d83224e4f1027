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
/* `registry init`: applies the migrations, creates the user and, if it has
 * none yet, a token, printed once on stdout; running it again changes
 * nothing. 0 on success. */
int admin_init(PGconn *c, const char *migrations_dir, const char *name);

#endif
