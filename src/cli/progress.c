/* progress.c - one self-overwriting line on stderr. Throttled, because a
 * million updates drawn over SSH would cost more than the work itself. */
#include "cli/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const char *label, const char *unit,
		    bool quiet)
{
	*p = (struct progress){
		.label = label, .unit = unit,
		.enabled = !quiet && isatty(STDERR_FILENO),
		.started = now_seconds(),
	};
}

static void format_eta(char *out, size_t size, double seconds)
{
	long s = (long)(seconds + 0.5);
	snprintf(out, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
}

void progress_update(struct progress *p, long done, long total)
{
	if (!p->enabled)
		return;
	double t = now_seconds();
	if (t - p->last_drawn < 0.1 && !(total >= 0 && done >= total))
		return;
	p->last_drawn = t;
	double elapsed = t - p->started;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	if (total >= 0 && done <= total && rate > 0) {
		char eta[32];
		format_eta(eta, sizeof eta, (double)(total - done) / rate);
		fprintf(stderr, "\r\033[K%s %ld/%ld %s (%.0f%%), %.0f/s, ETA %s",
			p->label, done, total, p->unit,
			total ? 100.0 * (double)done / (double)total : 100.0,
			rate, eta);
	} else {
		fprintf(stderr, "\r\033[K%s %ld %s, %.0f/s", p->label, done,
			p->unit, rate);
	}
	fflush(stderr);
}

void progress_finish(struct progress *p)
{
	if (!p->enabled)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

double progress_elapsed(const struct progress *p)
{
	return now_seconds() - p->started;
}
