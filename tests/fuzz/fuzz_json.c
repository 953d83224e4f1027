/* fuzz_json.c - the strict RFC 8259 check (src/json_strict.c) on any bytes.
 * Whatever it accepts json-c must read whole too, and nothing it accepts
 * may hold invalid UTF-8: a disagreement aborts. */
#include "arena.h"
#include "json_strict.h"

#include <json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	const char *s = (const char *)data;
	const char *err = json_strict_check(&a, s, size);
	if (!err) {
		char *copy = arena_strndup(&a, s, size);
		struct json_tokener *tok =
		    json_tokener_new_ex(JSON_MAX_DEPTH + 2);
		struct json_object *o =
		    json_tokener_parse_ex(tok, copy, (int)size + 1);
		enum json_tokener_error e = json_tokener_get_error(tok);
		json_tokener_free(tok);
		if (o)
			json_object_put(o);
		if (e != json_tokener_success)
			abort();
		for (size_t i = 0; i < size;) {
			int k = utf8_seq(data + i, size - i);
			if (!k)
				abort();
			i += (size_t)k;
		}
	}
	arena_free(&a);
	return 0;
}
