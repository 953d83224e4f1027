/* auth.c - token authentication. Tokens are stored as SHA-256 digests, so a
 * dump of the database does not hand out working tokens; a token is random
 * enough that a plain digest (no salt) is not guessable. */
#include "auth.h"
#include "digest.h"

#include <ctype.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void token_hash(const char *token, char out[65])
{
	unsigned char md[SHA256_LEN];
	digest_sha256(token, strlen(token), md);
	digest_hex(md, sizeof md, out);
}

bool token_new(char out[41])
{
	unsigned char raw[20];
	if (RAND_bytes(raw, sizeof raw) != 1)
		return false;
	for (int i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return true;
}

bool auth_request(struct request *rq)
{
	const char *h = rq->authz;
	rq->user = 0;
	if (!h)
		return true;
	while (*h == ' ')
		h++;
	/* other schemes (Basic, Bearer) leave the request anonymous */
	if (strncasecmp(h, "token", 5) || (h[5] && h[5] != ' '))
		return true;
	h += 5;
	while (*h == ' ')
		h++;
	size_t n = strlen(h);
	while (n && h[n - 1] == ' ')
		n--;
	if (n == 0) {
		resp_detail(rq, 403,
		            "Invalid token header. No credentials provided.");
		return false;
	}
	if (memchr(h, ' ', n)) {
		resp_detail(rq, 403,
		            "Invalid token header. Token string should not "
		            "contain spaces.");
		return false;
	}
	if (n > 256) {
		resp_detail(rq, 403, "Invalid token.");
		return false;
	}
	char hash[65];
	token_hash(arena_strndup(rq->a, h, n), hash);
	const char *v = hash;
	PGresult *res = db_query(rq->db,
	                         "SELECT users_id FROM tokens WHERE "
	                         "key_hash = $1",
	                         1, &v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return false;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		resp_detail(rq, 403, "Invalid token.");
		return false;
	}
	rq->user = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return true;
}
