/* progress.c - the progress bar: rate from the start of the work, ETA from
 * the fraction done, drawn with a carriage return and erase-to-end so it
 * never scrolls, and fitted to the terminal's width. */
#include "cli/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

#define REDRAW_NS 100000000LL	/* 10 frames a second is smooth enough */

struct progress {
	char *unit;
	bool enabled;
	bool drawn;		/* something is on the line */
	long long start_ns;
	long long last_ns;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

bool progress_wanted(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

struct progress *progress_new(const char *unit, bool enabled)
{
	struct progress *p = xcalloc(1, sizeof *p);

	p->unit = xstrdup(unit);
	p->enabled = enabled;
	p->start_ns = now_ns();
	return p;
}

/* "1:02:03" or "2:03". */
static void format_duration(char *out, size_t n, double seconds)
{
	long s = seconds < 0 ? 0 : (long)(seconds + 0.5);

	if (s >= 3600)
		snprintf(out, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, n, "%ld:%02ld", s / 60, s % 60);
}

static void draw(struct progress *p, const char *text, double fraction)
{
	int width = terminal_width() - 1;
	int bar = width - (int)strlen(text) - 9;	/* " [....] 100% " */

	fputs("\r\033[K", stderr);
	if (fraction >= 0 && bar >= 10) {
		int filled = (int)(fraction * bar);
		fputc('[', stderr);
		for (int i = 0; i < bar; i++)
			fputc(i < filled ? '#' : '.', stderr);
		fprintf(stderr, "] %3d%% ", (int)(fraction * 100));
	}
	fprintf(stderr, "%.*s", width > 0 ? width : 0, text);
	fflush(stderr);
	p->drawn = true;
}

void progress_update(struct progress *p, unsigned long long count,
		     unsigned long long done, unsigned long long total)
{
	if (!p || !p->enabled)
		return;
	long long now = now_ns();
	if (p->drawn && now - p->last_ns < REDRAW_NS)
		return;
	p->last_ns = now;
	double elapsed = (double)(now - p->start_ns) / 1e9;
	double rate = elapsed > 0 ? (double)count / elapsed : 0;
	double fraction = total ? (double)done / (double)total : -1;
	if (fraction > 1)
		fraction = 1;
	char text[160], eta[32] = "";
	if (fraction > 0.001) {
		char d[24];
		format_duration(d, sizeof d, elapsed / fraction - elapsed);
		snprintf(eta, sizeof eta, ", ETA %s", d);
	}
	snprintf(text, sizeof text, "%llu %s, %.0f %s/s%s", count, p->unit,
		 rate, p->unit, eta);
	draw(p, text, fraction);
}

void progress_status(struct progress *p, const char *text)
{
	if (!p || !p->enabled)
		return;
	draw(p, text, -1);
	p->last_ns = now_ns();
}

void progress_finish(struct progress *p)
{
	if (!p || !p->enabled || !p->drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->drawn = false;
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	progress_finish(p);
	free(p->unit);
	free(p);
}
