/* progress.h - the progress line long commands draw on stderr: count,
 * rate and ETA, only when stderr is a terminal and --quiet was not given. */
#ifndef OUTREACH_CLI_PROGRESS_H
#define OUTREACH_CLI_PROGRESS_H

#include <stdbool.h>

struct progress {
	const char *label;	/* "generating" */
	const char *unit;	/* "rows" */
	bool enabled;
	double started;		/* seconds, monotonic */
	double last_drawn;
};

/* Enabled unless quiet or stderr is not a terminal. */
void progress_start(struct progress *p, const char *label, const char *unit,
		    bool quiet);
/* Redraws at most ten times a second; total < 0 means unknown. */
void progress_update(struct progress *p, long done, long total);
/* Clears the line, so the summary that follows stands alone. */
void progress_finish(struct progress *p);
/* Seconds since progress_start(), for summaries. */
double progress_elapsed(const struct progress *p);

#endif
