/* check.h - the smallest test harness: CHECK records a failure and goes on;
 * check_done() prints the tally and gives the exit status. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed, check_run;

#define CHECK(cond)                                                            \
	do {                                                                   \
		check_run++;                                                   \
		if (!(cond)) {                                                 \
			check_failed++;                                        \
			printf("not ok - %s:%d: %s\n", __FILE__, __LINE__,     \
			       #cond);                                         \
		}                                                              \
	} while (0)

#define CHECK_STR(got, want)                                                   \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		check_run++;                                                   \
		if (!g_ || strcmp(g_, w_)) {                                   \
			check_failed++;                                        \
			printf("not ok - %s:%d: got \"%s\", want \"%s\"\n",    \
			       __FILE__, __LINE__, g_ ? g_ : "(null)", w_);    \
		}                                                              \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_run, check_failed);
	return check_failed ? 1 : 0;
}

#endif
