/* scan_progress.h - a one-line progress bar on stderr for `outreach scan`
 * (count, rate, ETA), drawn only when stderr is a terminal. */
#ifndef OUTREACH_SCAN_PROGRESS_H
#define OUTREACH_SCAN_PROGRESS_H

#include <stdbool.h>

struct scan_progress {
	bool enabled;
	long total;
	double started, last_draw;
	int width;		/* columns of the last line drawn */
};

/* Enabled when stderr is a terminal and not quiet. */
void scan_progress_start(struct scan_progress *p, long total, bool quiet);
/* Redraws at most ten times a second. */
void scan_progress_update(struct scan_progress *p, long done);
/* Erases the bar so the summary starts on a clean line. */
void scan_progress_end(struct scan_progress *p);

#endif
