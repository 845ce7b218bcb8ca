/* progress.h - a one-line progress bar on stderr for long commands (import,
 * scan, generate, send): count, rate and ETA, redrawn at most 10 times a
 * second, and nothing at all when disabled (not a terminal, or --quiet). */
#ifndef OUTREACH_CLI_PROGRESS_H
#define OUTREACH_CLI_PROGRESS_H

#include <stdbool.h>

struct progress;

/* unit names what is counted ("rows", "sites", "messages"). enabled
 * false gives a bar that draws nothing, so callers need no checks. The
 * caller frees it with progress_free(). */
struct progress *progress_new(const char *unit, bool enabled);
/* True when stderr is a terminal and quiet is false: the usual rule. */
bool progress_wanted(bool quiet);
/* Reports count items done; done and total measure the work (bytes, or
 * items again) for the percentage and ETA; total 0 means unknown. */
void progress_update(struct progress *p, unsigned long long count,
		     unsigned long long done, unsigned long long total);
/* Replaces the bar with a short status ("merging into the database...")
 * until the next update. */
void progress_status(struct progress *p, const char *text);
/* Clears the line so the summary starts on a clean one. */
void progress_finish(struct progress *p);
void progress_free(struct progress *p);	/* accepts NULL; finishes */

#endif
