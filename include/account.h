/* account.h - sign-in through the front server and the pages around it
 * (src/web/account.c): /get-token, /revoke-token, /logout and
 * /api/auth-provider/. Route handlers for router.c's table. */
#ifndef ACCOUNT_H
#define ACCOUNT_H

#include "request.h"

void account_get_token(struct request *rq, const char *rest);
void account_revoke_token(struct request *rq, const char *rest);
void account_logout(struct request *rq, const char *rest);
void account_auth_provider(struct request *rq, const char *rest);

#endif
