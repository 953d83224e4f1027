/* cursor.c - list cursors are base64url of JSON ["n" or "p", ordering,
 * [edge values..., id]] followed by a short digest of that JSON. The
 * digest makes an edited cursor evident (it is refused rather than naming
 * some other page); as its values only ever reach SQL as parameters, a
 * forged one could do no more than that anyway. */
#include "cursor.h"
#include "digest.h"

#include <json-c/json.h>
#include <string.h>

/* bytes of SHA-256 appended to the JSON */
#define CHECK_LEN 8

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *b64url_encode(struct arena *a, const unsigned char *p, size_t n)
{
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1), *o = out;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v =
		    (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[v >> 12 & 63];
		*o++ = b64[v >> 6 & 63];
		*o++ = b64[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)p[i] << 16;
		*o++ = b64[v >> 18];
		*o++ = b64[v >> 12 & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		*o++ = b64[v >> 18];
		*o++ = b64[v >> 12 & 63];
		*o++ = b64[v >> 6 & 63];
	}
	*o = 0;
	return out;
}

unsigned char *b64url_decode(struct arena *a, const char *s, size_t *n)
{
	size_t len = strlen(s);
	if (len % 4 == 1)
		return NULL;
	unsigned char *out = arena_alloc(a, len / 4 * 3 + 3);
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		const char *k = strchr(b64, s[i]);
		if (!k || !s[i])
			return NULL;
		v = v << 6 | (unsigned)(k - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	*n = o;
	return out;
}

char *cursor_encode(struct arena *a, const struct cursor *c)
{
	struct json_object *arr = json_object_new_array();
	json_object_array_add(arr,
	                      json_object_new_string(c->backward ? "p" : "n"));
	json_object_array_add(arr, json_object_new_string(c->ordering));
	struct json_object *vals = json_object_new_array();
	for (int i = 0; i < c->nvals; i++)
		json_object_array_add(
		    vals,
		    c->vals[i] ? json_object_new_string(c->vals[i]) : NULL);
	json_object_array_add(arr, vals);
	size_t len;
	const char *s = json_object_to_json_string_length(
	    arr, JSON_C_TO_STRING_PLAIN, &len);
	unsigned char *raw = arena_alloc(a, len + CHECK_LEN);
	unsigned char md[SHA256_LEN];
	memcpy(raw, s, len);
	digest_sha256(raw, len, md);
	memcpy(raw + len, md, CHECK_LEN);
	json_object_put(arr);
	return b64url_encode(a, raw, len + CHECK_LEN);
}

bool cursor_decode(struct arena *a, const char *s, struct cursor *c)
{
	size_t n;
	unsigned char *raw = b64url_decode(a, s, &n);
	unsigned char md[SHA256_LEN];
	if (!raw || n <= CHECK_LEN || n > 64 * 1024)
		return false;
	n -= CHECK_LEN;
	digest_sha256(raw, n, md);
	if (memcmp(raw + n, md, CHECK_LEN))
		return false;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *arr =
	    json_tokener_parse_ex(tok, (const char *)raw, (int)n);
	bool whole = json_tokener_get_error(tok) == json_tokener_success &&
	             json_tokener_get_parse_end(tok) == n;
	json_tokener_free(tok);
	bool ok = false;
	if (!whole || !json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) != 3)
		goto out;
	struct json_object *dir = json_object_array_get_idx(arr, 0);
	struct json_object *ord = json_object_array_get_idx(arr, 1);
	struct json_object *vals = json_object_array_get_idx(arr, 2);
	if (!json_object_is_type(dir, json_type_string) ||
	    !json_object_is_type(ord, json_type_string) ||
	    !json_object_is_type(vals, json_type_array))
		goto out;
	const char *d = json_object_get_string(dir);
	if (strcmp(d, "n") && strcmp(d, "p"))
		goto out;
	c->backward = *d == 'p';
	c->ordering = arena_strdup(a, json_object_get_string(ord));
	size_t nv = json_object_array_length(vals);
	if (nv < 1 || nv > CURSOR_MAX_KEYS)
		goto out;
	c->nvals = (int)nv;
	for (size_t i = 0; i < nv; i++) {
		struct json_object *v = json_object_array_get_idx(vals, i);
		if (v && !json_object_is_type(v, json_type_string))
			goto out;
		c->vals[i] =
		    v ? arena_strdup(a, json_object_get_string(v)) : NULL;
	}
	ok = c->vals[nv - 1] != NULL; /* the id is never null */
out:
	if (arr)
		json_object_put(arr);
	return ok;
}
