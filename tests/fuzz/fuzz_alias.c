/* fuzz_alias.c - alias paths (/data_product/... and /external_object/...)
 * as the router hands them over, and the root + path join. The first byte
 * picks the pattern; the rest splits at its first NUL into two texts. */
#include "alias.h"
#include "arena.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena a = {0};
	char *s = arena_strndup(&a, (const char *)data + 1, size - 1);
	const char *rest = s + strlen(s) + (strlen(s) < size - 1);
	struct alias al;
	if (alias_split(&a, s, data[0] & 1, &al))
		(void)alias_join(&a, al.first, al.name);
	(void)alias_join(&a, s, rest);
	arena_free(&a);
	return 0;
}
