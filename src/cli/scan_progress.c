/* scan_progress.c - the scanner's progress bar. Kept small and private to
 * the scan command until the shared progress widget lands. */
#include "cli/scan_progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scan_progress_start(struct scan_progress *p, long total, bool quiet)
{
	p->enabled = !quiet && isatty(STDERR_FILENO);
	p->total = total > 0 ? total : 1;
	p->started = seconds_now();
	p->last_draw = 0;
	p->width = 0;
}

static void draw(struct scan_progress *p, long done, double now)
{
	char bar[BAR_WIDTH + 1];
	int fill = (int)(BAR_WIDTH * (done > p->total ? p->total : done) / p->total);
	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	double elapsed = now - p->started;
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	long eta = rate > 0 ? (long)((double)(p->total - done) / rate) : 0;
	if (eta < 0)
		eta = 0;
	p->width = fprintf(stderr, "\rscanning [%s] %ld/%ld sites  %.1f/s  ETA %ld:%02ld ",
			   bar, done, p->total, rate, eta / 60, eta % 60);
	fflush(stderr);
}

void scan_progress_update(struct scan_progress *p, long done)
{
	if (!p->enabled)
		return;
	double now = seconds_now();
	if (now - p->last_draw < 0.1 && done < p->total)
		return;
	p->last_draw = now;
	draw(p, done, now);
}

void scan_progress_end(struct scan_progress *p)
{
	if (!p->enabled || p->width <= 0)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
}
