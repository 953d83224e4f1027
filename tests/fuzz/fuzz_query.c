/* fuzz_query.c - query strings and form bodies, as clients send them. */
#include "arena.h"
#include "query.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	char *s = arena_strndup(&a, (const char *)data, size);
	struct query q;
	if (query_parse(&a, s, &q) == 0) {
		for (int i = 0; i < q.n; i++) {
			(void)query_get(&q, q.v[i].key);
			struct buf b;
			buf_init(&b, &a);
			url_encode(&b, q.v[i].val);
		}
	}
	(void)url_decode(&a, s, strlen(s), false);
	arena_free(&a);
	return 0;
}
