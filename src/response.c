/* response.c - status, headers and bodies of answers, and the JSON error
 * shapes the reference uses ({"detail": ...} and {"field": [...]}). */
#include "request.h"
#include "settings.h"

#include <string.h>

void req_header(struct request *r, const char *name, const char *value)
{
	buf_puts(&r->headers, name);
	buf_puts(&r->headers, ": ");
	buf_puts(&r->headers, value);
	buf_puts(&r->headers, "\r\n");
}

void resp_text(struct request *r, int status, const char *ctype,
               const char *body, size_t len)
{
	r->status = status;
	r->ctype = ctype;
	r->out = body;
	r->out_len = len;
}

void resp_fd(struct request *r, int status, const char *ctype, int fd,
             size_t len)
{
	resp_text(r, status, ctype, "", len);
	r->out_fd1 = fd + 1;
}

void resp_file(struct request *r, const char *path, const char *internal,
               const char *ctype)
{
	switch (settings.send_files) {
	case SEND_X_ACCEL:
		req_header(r, "X-Accel-Redirect",
		           arena_printf(r->a, "%s%s", r->root, internal));
		break;
	case SEND_X_SENDFILE:
		/* a header line cannot hold a line break */
		if (strpbrk(path, "\r\n")) {
			resp_detail(r, 404, "Not found.");
			return;
		}
		req_header(r, "X-Sendfile", path);
		break;
	default:
		r->send_path = path;
		break;
	}
	if (settings.send_files != SEND_X_ACCEL) {
		/* files are what clients stored: a browser shows them as their
		 * type says, never runs them in our origin (nginx adds these
		 * itself on its internal locations) */
		req_header(r, "X-Content-Type-Options", "nosniff");
		req_header(r, "Content-Security-Policy", "sandbox");
	}
	resp_text(r, 200, ctype, "", 0);
}

void resp_json(struct request *r, int status, struct json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(
	    obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	char *body = arena_strndup(r->a, s, len);
	json_object_put(obj);
	resp_text(r, status, "application/json", body, len);
}

void resp_detail(struct request *r, int status, const char *msg)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "detail", json_object_new_string(msg));
	resp_json(r, status, o);
}

void resp_field_error(struct request *r, const char *field, const char *msg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *l = json_object_new_array();
	json_object_array_add(l, json_object_new_string(msg));
	json_object_object_add(o, field, l);
	resp_json(r, 400, o);
}

void resp_db_failure(struct request *r)
{
	const char *state = r->db ? r->db->last_state : "";
	if (db_lost(r->db)) {
		resp_detail(r, 503, "Service temporarily unavailable.");
	} else if (!strcmp(state, "57014")) {
		/* the statement_timeout setting cancelled it */
		req_header(r, "Retry-After", "5");
		resp_detail(r, 503,
		            "The database took too long to answer this "
		            "request.");
	} else if (!strcmp(state, "2201B") || !strcmp(state, "54001")) {
		/* a name pattern PostgreSQL could not take as a regular
		 * expression (src/glob.c means to make none) */
		resp_detail(r, 400, "Invalid name pattern.");
	} else
		resp_detail(r, 500, "Internal server error.");
}

const char *format_suffix(const struct request *r)
{
	if (!r->format)
		return "";
	if (!strcmp(r->format, "json"))
		return "?format=json";
	if (!strcmp(r->format, "api"))
		return "?format=api";
	return "";
}

const char *status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 409:
		return "Conflict";
	case 413:
		return "Request Entity Too Large";
	case 415:
		return "Unsupported Media Type";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}
