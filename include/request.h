/* request.h - one HTTP request as the worker sees it, and its answer. */
#ifndef REQUEST_H
#define REQUEST_H

#include "arena.h"
#include "db.h"
#include "query.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct gateway; /* include/worker.h */
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

/* A write that committed, or whose COMMIT went unanswered: what it
 * answers. If the connection is lost after it (reading the record back,
 * or the COMMIT's answer), the request must not run again: src/worker.c
 * gives this answer once connected again (asking txid_status first when
 * the COMMIT was not acknowledged). */
struct committed_write {
	const struct resource *r; /* NULL: none */
	long long id;
	int status; /* 201, 200 or 204 */
	bool done;  /* the COMMIT was acknowledged */
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
	/* An upload with no nginx in front (Apache, CGI): the body is left
	 * unread, body_left bytes of it, for the handler to write to a file
	 * as it arrives (src/store.c). */
	const struct gateway *body_in;
	long long body_left;

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
	/* out_fd + 1 when the body is a file's out_len bytes, sent from
	 * disk in pieces (so 0, the default, means none); the worker closes
	 * it after sending */
	int out_fd1;
	/* a file whose bytes follow the headers (send_files = registry) */
	const char *send_path;

	struct committed_write committed; /* see above */
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
/* 200 with the file at path (absolute), sent the way the send_files
 * setting says: nginx's internal location root + internal (URL-encoded),
 * Apache's X-Sendfile, or read out by the registry. */
void resp_file(struct request *r, const char *path, const char *internal,
               const char *ctype);

/* A body read from the open file fd (len bytes), sent in pieces after the
 * headers: memory stays bounded whatever its size. The fd is the
 * request's now. */
void resp_fd(struct request *r, int status, const char *ctype, int fd,
             size_t len);

/* After a failed statement: 503 when the database is gone, else 500. */
void resp_db_failure(struct request *r);

const char *status_text(int status);

/* the hyperlink suffix ("?format=json") when the request forced a format */
const char *format_suffix(const struct request *r);

#endif
