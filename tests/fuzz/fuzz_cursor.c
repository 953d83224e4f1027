/* fuzz_cursor.c - list cursors: whatever comes back in ?cursor= must be
 * refused or decoded, never crash, and what decodes must encode again. */
#include "arena.h"
#include "cursor.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	char *s = arena_strndup(&a, (const char *)data, size);
	struct cursor c;
	if (cursor_decode(&a, s, &c))
		(void)cursor_encode(&a, &c);
	size_t n;
	(void)b64url_decode(&a, s, &n);
	(void)b64url_encode(&a, data, size);
	arena_free(&a);
	return 0;
}
