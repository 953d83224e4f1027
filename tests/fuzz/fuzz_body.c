/* fuzz_body.c - request bodies (JSON and form) checked against every
 * resource of the table. The first byte picks the resource, the write mode
 * and the media type; no database is needed to validate. */
#include "arena.h"
#include "request.h"
#include "schema.h"
#include "validate.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena a = {0};
	struct request rq = {.a = &a, .method = "POST", .base = "http://h"};
	buf_init(&rq.headers, &a);
	const struct resource *r = &resources[data[0] % n_resources];
	rq.content_type = (data[0] & 0x80) ? "application/x-www-form-urlencoded"
	                                   : "application/json";
	rq.body = arena_strndup(&a, (const char *)data + 1, size - 1);
	rq.body_len = size - 1;
	struct wval v[MAX_FIELDS];
	static const enum wmode modes[] = {W_CREATE, W_PUT, W_PATCH, W_CREATE};
	(void)validate_body(&rq, r, modes[(data[0] >> 5) & 3], v);
	arena_free(&a);
	return 0;
}
