/* auth.c - who is asking: a token, else a browser session. Tokens are
 * stored as SHA-256 digests, so a dump of the database does not hand out
 * working tokens; a token is random enough that a plain digest (no salt)
 * is not guessable. A disabled user's token is refused exactly like one
 * that does not exist. A session writes only with its CSRF token. */
#include "auth.h"
#include "digest.h"
#include "session.h"
#include "web.h"

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

static bool safe_method(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

/* A request without a token: a session cookie of a user still allowed in
 * authenticates it (an unusable one leaves it anonymous, as the
 * reference's session authentication does); an unsafe request of a
 * session must carry the session's CSRF token. */
static bool auth_session(struct request *rq)
{
	long long epoch = 0;
	long long id = session_user(rq, &epoch);
	if (!id)
		return true;
	char idt[24], et[24];
	snprintf(idt, sizeof idt, "%lld", id);
	snprintf(et, sizeof et, "%lld", epoch);
	const char *v[] = {idt, et};
	PGresult *res = db_query(rq->db,
	                         "SELECT username FROM users WHERE id = $1 "
	                         "AND NOT disabled AND session_epoch = $2",
	                         2, v);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		resp_db_failure(rq);
		return false;
	}
	if (PQntuples(res) == 1) {
		rq->user = id;
		rq->username = arena_strdup(rq->a, PQgetvalue(res, 0, 0));
	} else {
		rq->session = NULL;
	}
	PQclear(res);
	if (!rq->user || safe_method(rq->method))
		return true;
	return session_csrf_check(rq, web_form_unpack(rq));
}

bool auth_request(struct request *rq)
{
	const char *h = rq->authz;
	rq->user = 0;
	if (!h)
		return auth_session(rq);
	while (*h == ' ')
		h++;
	/* other schemes (Basic, Bearer) are the front server's business (a
	 * browser repeats a sign-in page's Basic credentials everywhere) */
	if (strncasecmp(h, "token", 5) || (h[5] && h[5] != ' '))
		return auth_session(rq);
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
	                         "SELECT t.users_id FROM tokens t JOIN users u "
	                         "ON u.id = t.users_id WHERE t.key_hash = $1 "
	                         "AND NOT u.disabled",
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
