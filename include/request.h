/* request.h - one HTTP request as the worker sees it, and its answer. */
#ifndef REQUEST_H
#define REQUEST_H

#include "arena.h"
#include "db.h"
#include "query.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct resource;

/* One convention for every step of answering: a function that may answer
 * the request itself returns bool (or a pointer), and false (NULL) means
 * "failed, and rq's answer is already set": its caller returns at once and
 * adds nothing. */

/* What a path names, as the router found it (route_find). */
enum rq_view {
	VIEW_NONE,   /* nothing the router knows: a 404 */
	VIEW_ROOT,   /* /api/ */
	VIEW_LIST,   /* /api/<resource>/ */
	VIEW_DETAIL, /* /api/<resource>/<key>/ */
	VIEW_OTHER,  /* another /api/ path: view_name */
	PAGE_HOME,   /* the website (GET and HEAD only): / */
	PAGE_LIST,   /* /<resource>s/ */
	PAGE_RECORD, /* /<resource>/<id> */
	PAGE_GUIDES, /* /docs/ */
	PAGE_GUIDE,  /* /docs/<guide> */
};

struct request {
	struct arena *a;
	struct db *db;

	/* what came in */
	const char *method;
	char *path; /* decoded, without the query string */
	const char *raw_query;
	struct query q;
	char *base; /* scheme://host, for absolute URLs */
	/* The path the registry is mounted at ("" at the root of a host, or
	 * "/fair"): every root-relative link a page writes starts with it. */
	const char *root;
	const char *authz;
	const char *remote_addr; /* the client's address, from the front */
	const char *content_type;
	const char *accept;
	const char *body;
	size_t body_len;
	const char *format; /* ?format= value, or NULL */
	long long user;     /* authenticated user id, 0 = anonymous */
	/* Sign-in (docs/accounts.md): the user name the front server's own
	 * authentication set (the CGI variable REMOTE_USER, never a client
	 * header), read only on the sign-in pages; the Cookie, Origin and
	 * Sec-Fetch-Site headers; the session cookie's value when a session
	 * authenticated the request, and its user's name. */
	const char *remote_user;
	const char *cookie;
	const char *origin;
	const char *fetch_site;
	const char *csrf_header; /* X-CSRFToken */
	const char *session;
	const char *username;
	const char *docs; /* the guides' directory (docs/), from nginx */
	/* Uploads to the object store (nginx/registry.conf.in): nginx keeps
	 * the body in this file and sends none of it; upload_check is
	 * nginx asking whether to accept an upload before reading it. */
	const char *body_file;
	bool upload_check;

	/* what the path names (route_find): later layers read these and
	 * never parse the path again */
	enum rq_view view;
	const struct resource *resource; /* VIEW_LIST, _DETAIL, PAGE_* */
	/* VIEW_DETAIL, PAGE_RECORD: the record's id, or one of: */
#define ID_TOO_LONG   (-1LL) /* a number too long to be an id: no record */
#define ID_NOT_NUMBER (-2LL) /* a key that is no number at all */
	long long id;
	const char *view_name; /* VIEW_ROOT, VIEW_OTHER: "Prov Report" */
	const char *guide;     /* PAGE_GUIDE: the file name asked for */

	/* what goes out */
	int status;
	const char *ctype;
	struct buf headers; /* extra "Name: value\r\n" lines */
	const char *out;
	size_t out_len;
};

void req_header(struct request *r, const char *name, const char *value);

/* Sets a JSON body (serialised the way the reference's renderer does:
 * compact, '/' unescaped) and releases obj. */
void resp_json(struct request *r, int status, struct json_object *obj);
/* {"detail": msg} */
void resp_detail(struct request *r, int status, const char *msg);
/* {"<field>": ["<msg>"]} with status 400 */
void resp_field_error(struct request *r, const char *field, const char *msg);
void resp_text(struct request *r, int status, const char *ctype,
               const char *body, size_t len);

/* After a failed statement: 503 when the database is gone, else 500. */
void resp_db_failure(struct request *r);

const char *status_text(int status);

/* the hyperlink suffix ("?format=json") when the request forced a format */
const char *format_suffix(const struct request *r);

#endif
