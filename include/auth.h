/* auth.h - tokens: who is asking. */
#ifndef AUTH_H
#define AUTH_H

#include "request.h"

/* Reads "Authorization: token <key>". Sets rq->user for a valid token;
 * false with 403 "Invalid token." set for a wrong one (or a database
 * failure answer); true otherwise (anonymous included). */
bool auth_request(struct request *rq);

/* SHA-256 hex of a token: the database keeps only this. */
void token_hash(const char *token, char out[65]);

/* 40 random hex characters. Returns false if no randomness was had. */
bool token_new(char out[41]);

/* Gives the user `where` picks (its parameter is $1) a new token, the old
 * one replaced: $2 the token's digest, $3 its first eight characters. */
#define TOKEN_ISSUE_SQL(where)                                                 \
	"INSERT INTO tokens (users_id, key_hash, prefix) SELECT id, $2, $3 "   \
	"FROM users WHERE " where " ON CONFLICT (users_id) DO UPDATE SET "     \
	"key_hash = excluded.key_hash, prefix = excluded.prefix, "             \
	"created = now()"

#endif
