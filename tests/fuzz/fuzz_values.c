/* fuzz_values.c - typed values and name globs. */
#include "arena.h"
#include "glob.h"
#include "values.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = {0};
	char *s = arena_strndup(&a, (const char *)data, size);
	(void)parse_bool(s);
	(void)parse_datetime(&a, s);
	(void)is_semver(s);
	(void)is_url(s);
	(void)parse_uuid(&a, s);
	(void)is_name(s);
	(void)glob_to_regex(&a, s);
	arena_free(&a);
	return 0;
}
