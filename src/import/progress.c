/* progress.c - one line per resource on stderr: on a terminal it is
 * redrawn as records arrive (count, rate, time left); to a pipe or a log
 * only the finished line is written, so logs hold plain lines. */
#include "parts.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(struct progress *p, bool last, const char *what)
{
	double t = now_seconds() - p->start;
	double rate = t > 0 ? (double)p->done / t : 0;
	fprintf(stderr, "%s%-18s %8lld", p->tty ? "\r" : "", p->name, p->done);
	if (p->total >= 0)
		fprintf(stderr, "/%-8lld", p->total);
	fprintf(stderr, " records  %7.0f/s", rate);
	if (last) {
		fprintf(stderr, "  %6.1f s  %lld written%s%s\x1b[K\n", t,
		        p->written, what ? "  " : "", what ? what : "");
		return;
	}
	if (p->total > p->done && rate > 0)
		fprintf(stderr, "  ~%.0f s left",
		        (double)(p->total - p->done) / rate);
	fputs("\x1b[K", stderr);
}

void progress_start(struct progress *p, const char *name, long long total)
{
	*p = (struct progress){.name = name, .total = total};
	p->tty = isatty(2);
	p->start = p->last_draw = now_seconds();
	if (p->tty)
		draw(p, false, NULL);
}

void progress_step(struct progress *p, long long done, long long written)
{
	p->done = done;
	p->written = written;
	double t = now_seconds();
	if (p->tty && t - p->last_draw > 0.1) {
		p->last_draw = t;
		draw(p, false, NULL);
	}
}

void progress_end(struct progress *p, const char *what)
{
	if (!p->tty) {
		/* plain lines for logs: no escapes */
		double t = now_seconds() - p->start;
		fprintf(stderr, "%s: %lld records, %lld written, %.1f s%s%s\n",
		        p->name, p->done, p->written, t, what ? ", " : "",
		        what ? what : "");
		return;
	}
	draw(p, true, what);
}
