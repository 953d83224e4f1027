/* export.c - `registry export DIR`: the registry as one JSON-lines file per
 * resource (DIR/<resource>.jsonl, a record per line, as the API writes it),
 * all read in one snapshot, for `registry import DIR` on a machine that
 * cannot reach this one. Hyperlinks are written as paths (/api/...) unless
 * --base URL gives the address to put before them. */
#include "import.h"
#include "parts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGE_ROWS 1000

static bool export_resource(PGconn *c, const char *dir,
                            const struct resource *r, const char *base)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof path, "%s/%s.jsonl", dir, r->name);
	snprintf(tmp, sizeof tmp, "%s.part", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "registry: %s: %s\n", tmp, strerror(errno));
		return false;
	}
	struct progress pr;
	progress_start(&pr, r->name, -1);
	struct local l;
	local_open(&l, c, r, base);
	const char *lines[PAGE_ROWS];
	long long ids[PAGE_ROWS], done = 0;
	int n;
	while ((n = local_next(&l, PAGE_ROWS, lines, ids)) > 0) {
		for (int i = 0; i < n; i++) {
			fputs(lines[i], f);
			putc('\n', f);
		}
		done += n;
		progress_step(&pr, done, done);
	}
	local_close(&l);
	bool ok = n == 0;
	if (fclose(f) || !ok || rename(tmp, path)) {
		if (ok)
			fprintf(stderr, "registry: %s: %s\n", path,
			        strerror(errno));
		remove(tmp);
		return false;
	}
	progress_end(&pr, NULL);
	return true;
}

int export_command(PGconn *c, int argc, char **argv)
{
	const char *dir = argv[2], *base = "";
	for (int i = 3; i < argc - 1; i++)
		if (!strcmp(argv[i], "--base"))
			base = argv[i + 1];
	size_t bl = strlen(base);
	char *b = strdup(base);
	if (bl && b[bl - 1] == '/')
		b[bl - 1] = 0;
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "registry: %s: %s\n", dir, strerror(errno));
		free(b);
		return 1;
	}
	PQclear(PQexec(c, "SET TimeZone = 'UTC'"));
	PQclear(PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
	bool ok = true;
	for (int i = 0; i < n_resources && ok; i++)
		ok = export_resource(c, dir, &resources[i], b);
	PQclear(PQexec(c, "COMMIT"));
	free(b);
	return ok ? 0 : 1;
}
