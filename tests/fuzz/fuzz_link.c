/* fuzz_link.c - hyperlinks in request bodies, resolved by path. */
#include "link.h"
#include "schema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	long long id;
	for (int i = 0; i < n_resources; i++)
		(void)link_parse(s, "/fair", resources[i].name, &id);
	(void)parse_id(s, strlen(s), &id);
	(void)resource_find(s, -1);
	free(s);
	return 0;
}
