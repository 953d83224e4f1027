/* session.h - browser sessions after sign-in: a signed cookie (no session
 * table), and the CSRF token every form post of a session carries. */
#ifndef SESSION_H
#define SESSION_H

#include "request.h"

#define SESSION_COOKIE "registry_session"

/* The user id a valid, unexpired session cookie names (rq->session is
 * set to the cookie's value) and the session epoch it was made in, else 0.
 * Whether the user may still sign in and the epoch is still theirs is the
 * caller's question (auth.c). */
long long session_user(struct request *rq, long long *epoch);

/* Signs user in: a new session cookie as a Set-Cookie header (HttpOnly,
 * SameSite=Lax, Secure under HTTPS), of the user's current session epoch
 * (users.session_epoch: signing out moves it on). False when no key could
 * be had. */
bool session_start(struct request *rq, long long user, long long epoch);

/* A Set-Cookie header that removes the session cookie. */
void session_end(struct request *rq);

/* The CSRF token of rq's session (64 hex digits): derived from the
 * session, so it needs no storage and dies with it. NULL without one. */
const char *session_csrf(struct request *rq);

/* The checks an unsafe request authenticated by a session passes: not
 * cross-site (Sec-Fetch-Site, Origin) and given (a header X-CSRFToken or
 * the form's field) the session's CSRF token. On failure answers 403 with
 * the reference's "CSRF Failed: ..." detail and returns false. */
bool session_csrf_check(struct request *rq, const char *given);

#endif
