/* account.c - sign-in through the front server. The web server in front
 * (Apache or nginx, with their basic authentication or an institution's
 * single sign-on module) authenticates the person and hands the registry
 * the user name as REMOTE_USER, a variable of its own that no client
 * header can set. The registry trusts it only here, on the sign-in pages,
 * and only when the settings say so. A person signing in for the first
 * time becomes a user when the allow-list (as the reference's
 * AUTHORISED_USER_FILE) names them. Signing in starts a browser session
 * (src/session.c) for the browsable API's forms. */
#include "account.h"
#include "auth.h"
#include "json_text.h"
#include "session.h"
#include "settings.h"
#include "web.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 150 /* users.username */

/* A page of the sign-in paths: never cached, never passed on as a
 * referrer (it may show a token). */
static void answer(struct request *rq, int status, const char *title,
                   const char *message, const char *token)
{
	struct html h;
	page_init(&h, rq);
	page_begin(&h, title);
	HTML(&h, "<h1>");
	html_text(&h, title);
	HTML(&h, "</h1>\n<p");
	if (status >= 400)
		HTML(&h, " class=\"error\"");
	HTML(&h, ">");
	html_text(&h, message);
	HTML(&h, "</p>\n");
	if (token) {
		HTML(&h, "<p><input id=\"accesstoken\" size=\"40\" "
		         "type=\"text\" readonly value=\"");
		html_text(&h, token);
		HTML(&h, "\"></p>\n<p>Send it with every write as "
		         "<code>Authorization: token &lt;token&gt;</code>. "
		         "It is shown only this once and replaces any token "
		         "you had; ");
		WEB_LINK(&h, "/revoke-token", "revoke it");
		HTML(&h, " when you no longer need it.</p>\n");
	}
	HTML(&h, "<p>");
	WEB_LINK(&h, "/api/?format=api", "The browsable API");
	HTML(&h, " &middot; ");
	WEB_LINK(&h, "/docs/accounts.md", "About accounts");
	HTML(&h, "</p>\n");
	page_end(&h);
	req_header(rq, "Cache-Control", "no-store");
	req_header(rq, "Referrer-Policy", "no-referrer");
	page_answer(rq, status, &h);
}

/* Whether the allow-list names user: one name a line, '#' comments; the
 * reference's YAML form (users: - username: NAME) is read as well. */
static bool listed(const char *user)
{
	const char *path = settings.authorised_users_file;
	if (!path || !*path)
		return false;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr,
		        "registry: authorised users file %s: cannot "
		        "read it\n",
		        path);
		return false;
	}
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		char *s = line, *e;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '-')
			for (s++; isspace((unsigned char)*s); s++)
				;
		if (!strncmp(s, "username:", 9))
			for (s += 9; isspace((unsigned char)*s); s++)
				;
		else if (*s == '#' || strchr(s, ':'))
			continue;
		e = s + strcspn(s, "#\r\n");
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e - s >= 2 && (*s == '"' || *s == '\'') && e[-1] == *s) {
			s++;
			e--;
		}
		found = (size_t)(e - s) == strlen(user) &&
		        !memcmp(s, user, (size_t)(e - s));
	}
	fclose(f);
	return found;
}

/* id, disabled, session_epoch of the user sql picks by name */
static long long lookup(struct request *rq, const char *sql, const char *name,
                        bool *disabled, long long *epoch, bool *failed)
{
	PGresult *r = db_query(rq->db, sql, 1, &name);
	long long id = 0;
	*failed = PQresultStatus(r) != PGRES_TUPLES_OK;
	if (!*failed && PQntuples(r) == 1) {
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		*disabled = !strcmp(PQgetvalue(r, 0, 1), "t");
		*epoch = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	}
	PQclear(r);
	return id;
}

/* The signed-in user's id, created when the allow-list permits; 0 with
 * the page that says why not already answered. */
static long long signed_in_user(struct request *rq)
{
	const char *name = rq->remote_user;
	/* GET only: a HEAD (a link checker, a prefetch) must not replace a
	 * token nobody then sees */
	if (strcmp(rq->method, "GET")) {
		req_header(rq, "Allow", "GET");
		answer(rq, 405, "Method not allowed", "This page is only read.",
		       NULL);
		return 0;
	}
	if (!settings.remote_user_auth) {
		answer(rq, 404, "Sign-in is not enabled",
		       "This registry does not sign people in through its "
		       "web server. Ask its administrators for a token.",
		       NULL);
		return 0;
	}
	/* a page on another site must not make a signed-in browser replace
	 * its token */
	if (rq->fetch_site && !strcmp(rq->fetch_site, "cross-site")) {
		answer(rq, 403, "Open this page from the registry",
		       "A page of another site sent you here; open this "
		       "address yourself to get a token.",
		       NULL);
		return 0;
	}
	if (!name) {
		answer(rq, 403, "Not signed in",
		       "The web server in front of the registry did not "
		       "authenticate you for this page, so the registry does "
		       "not know who you are (see the guide on accounts).",
		       NULL);
		return 0;
	}
	if (strlen(name) > NAME_MAX_LEN) {
		answer(rq, 403, "Not allowed",
		       "The user name is longer than 150 characters.", NULL);
		return 0;
	}
	bool disabled = false, failed;
	long long epoch = 0;
	long long id = lookup(rq,
	                      "SELECT id, disabled, session_epoch FROM users "
	                      "WHERE username = $1",
	                      name, &disabled, &epoch, &failed);
	if (!id && !failed) {
		if (!settings.signin_create_any && !listed(name)) {
			answer(rq, 403, "Not allowed",
			       arena_printf(rq->a,
			                    "%s is not among the people "
			                    "allowed to use this registry. Ask "
			                    "its administrators to add you.",
			                    name),
			       NULL);
			return 0;
		}
		/* of two first sign-ins at once, one inserts */
		id =
		    lookup(rq,
		           "WITH n AS (INSERT INTO users (username) VALUES "
		           "($1) ON CONFLICT (username) DO NOTHING RETURNING "
		           "id, disabled, session_epoch) SELECT * FROM n UNION "
		           "ALL SELECT id, disabled, session_epoch FROM users "
		           "WHERE username = $1",
		           name, &disabled, &epoch, &failed);
	}
	if (failed || !id) {
		resp_db_failure(rq);
		return 0;
	}
	if (disabled) {
		answer(rq, 403, "Account disabled",
		       arena_printf(rq->a,
		                    "The account %s is disabled. Ask the "
		                    "registry's administrators.",
		                    name),
		       NULL);
		return 0;
	}
	if (!session_start(rq, id, epoch)) {
		answer(rq, 503, "Sign-in unavailable",
		       "The registry has no session key (see the "
		       "session_key_file setting).",
		       NULL);
		return 0;
	}
	rq->user = id;
	return id;
}

static bool command(struct request *rq, const char *sql, int n,
                    const char *const *v)
{
	PGresult *r = db_query(rq->db, sql, n, v);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		resp_db_failure(rq);
	return ok;
}

void account_get_token(struct request *rq, const char *rest)
{
	(void)rest;
	long long id = signed_in_user(rq);
	if (!id)
		return;
	char token[41], hash[65], prefix[9], idt[24];
	if (!token_new(token)) {
		resp_detail(rq, 503, "Service temporarily unavailable.");
		return;
	}
	token_hash(token, hash);
	memcpy(prefix, token, 8);
	prefix[8] = 0;
	snprintf(idt, sizeof idt, "%lld", id);
	const char *v[] = {idt, hash, prefix};
	if (!command(rq, TOKEN_ISSUE_SQL("id = $1::bigint"), 3, v))
		return;
	answer(rq, 200, "Your API token",
	       arena_printf(
	           rq->a, "Signed in as %s. Your new token:", rq->remote_user),
	       token);
}

void account_revoke_token(struct request *rq, const char *rest)
{
	(void)rest;
	long long id = signed_in_user(rq);
	if (!id)
		return;
	char idt[24];
	snprintf(idt, sizeof idt, "%lld", id);
	const char *v = idt;
	if (!command(rq, "DELETE FROM tokens WHERE users_id = $1", 1, &v))
		return;
	answer(rq, 200, "Token revoked", "Your token has been deleted", NULL);
}

void account_logout(struct request *rq, const char *rest)
{
	(void)rest;
	/* the cookie alone would survive in a copy: move the user's epoch on,
	 * so that every session made before is over */
	long long epoch = 0, id = session_user(rq, &epoch);
	if (id) {
		char idt[24], et[24];
		snprintf(idt, sizeof idt, "%lld", id);
		snprintf(et, sizeof et, "%lld", epoch);
		const char *v[] = {idt, et};
		if (!command(
		        rq,
		        "UPDATE users SET session_epoch = session_epoch + 1 "
		        "WHERE id = $1 AND session_epoch = $2",
		        2, v))
			return;
	}
	session_end(rq);
	answer(rq, 200, "Signed out",
	       "Your browser sessions have ended. Your token, if you have "
	       "one, still works until you revoke it.",
	       NULL);
}

/* What the reference's /api/auth-provider/ answered for the fair CLI
 * (Django's JsonResponse: ", " and ": " separators). */
void account_auth_provider(struct request *rq, const char *rest)
{
	(void)rest;
	req_header(rq, "Allow", "GET, HEAD, OPTIONS");
	if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD") &&
	    strcmp(rq->method, "OPTIONS")) {
		resp_detail(rq, 405,
		            arena_printf(rq->a, "Method \"%s\" not allowed.",
		                         rq->method));
		return;
	}
	struct buf b;
	buf_init(&b, rq->a);
	buf_puts(&b, "{\"auth_provider\": ");
	json_string(&b, settings.auth_provider, strlen(settings.auth_provider),
	            false);
	buf_puts(&b, "}");
	resp_text(rq, 200, "application/json", b.p, b.len);
}
