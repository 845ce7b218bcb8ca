/* scanner.h - one scan run from start to end: read the selected businesses
 * in batches, crawl their websites, store what was found. The command
 * line and the interface both drive scans through this, with their own
 * ways of showing progress and failures. */
#ifndef OUTREACH_SCANNER_H
#define OUTREACH_SCANNER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/error.h"
#include "db/db.h"
#include "model/scan.h"

struct scanner_options {
	long concurrency;	/* pages fetched at once */
	long max_pages;		/* per site */
	long delay_ms;		/* between two pages of one site */
	long timeout_s;		/* per page */
	bool allow_private;	/* lift the address guard (local testing) */
	const char *contact;	/* for the User-Agent; NULL: the project's */
	/* Once set (by a signal or another thread), no further site is
	 * started: those in progress finish and are stored, and the run
	 * returns normally. NULL: runs to the end. */
	const atomic_int *stop;
};

struct scanner_tally {
	long scanned, unreachable, skipped, done;
	long total;		/* selected when the run began */
	bool stopped;		/* stop was set before every site was started */
	long emails, social, phones, forms, added;
	size_t urls, bytes;	/* fetched */
};

struct scanner_hooks {
	void *ctx;
	/* Sites done (scanned, unreachable or skipped) of total. */
	void (*progress)(void *ctx, long done, long total);
	/* A site could not be read; website and why come from the web and
	 * must be sanitised before they are shown. */
	void (*unreachable)(void *ctx, int business_id, const char *website,
			    const char *why);
};

/* Fills o with the defaults, then the [scan] settings of c (each
 * overridable by its OUTREACH_SCAN_* variable; see config.h). o->contact
 * points into c. Returns -1 with err naming a bad value and where it was
 * set. */
int scanner_options_from_config(const struct config *c,
				struct scanner_options *o, struct error *err);

/* Scans what sel selects. Returns 0 with t filled (unreachable sites are
 * counted, not errors), or -1 with err when the database or the set-up
 * failed; what was stored before that stays stored. */
int scanner_run(struct db *db, const struct scan_selection *sel,
		const struct scanner_options *o, const struct scanner_hooks *h,
		struct scanner_tally *t, struct error *err);

#endif
