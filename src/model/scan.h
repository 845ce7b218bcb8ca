/* scan.h - what the website scanner reads from and writes to the
 * database: which businesses to scan, and what each scan found. */
#ifndef OUTREACH_MODEL_SCAN_H
#define OUTREACH_MODEL_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/extract.h"
#include "db/db.h"
#include "model/business.h"

enum scan_scope {
	SCAN_BY_STATUS,		/* businesses with one status */
	SCAN_BY_ID,		/* the businesses named */
	SCAN_EVERYTHING,	/* every business */
	SCAN_BY_FILTER,		/* what a Businesses list shows */
};

struct scan_selection {
	enum scan_scope scope;
	const char *status;	/* SCAN_BY_STATUS */
	const int *ids;		/* SCAN_BY_ID */
	size_t nids;
	const struct business_filter *filter;	/* SCAN_BY_FILTER */
	/* false: leave out businesses whose last scan failed; true: only
	 * those (ignored for SCAN_BY_ID and SCAN_BY_FILTER, which take what
	 * they are given). */
	bool retry_failed;
};

struct scan_target {
	int id;
	char *website;		/* trimmed; NULL when there is none */
};

struct scan_batch {
	struct scan_target *items;
	size_t len;
};

/* Counts the selected businesses with and without a website. */
int scan_count_targets(struct db *db, const struct scan_selection *sel,
		       long *with_website, long *without_website,
		       struct error *err);
/* The next at most limit selected businesses with id > after_id, in id
 * order. Reads without a transaction, so scanning many does not hold one
 * open while pages are fetched. Free with scan_batch_free(). */
int scan_next_targets(struct db *db, const struct scan_selection *sel,
		      int after_id, int limit, struct scan_batch *out,
		      struct error *err);
void scan_batch_free(struct scan_batch *b);
/* Of the ids given, those naming no business, newly allocated (the
 * caller frees *missing). */
int scan_missing_ids(struct db *db, const int *ids, size_t nids,
		     int **missing, size_t *nmissing, struct error *err);

/* What the scan of one business came to. */
struct scan_result {
	int business_id;
	const struct extract_result *contacts;	/* NULL when none */
	int pages;
	const char *error;	/* NULL: read; else it stays as it was */
};

/* Records many scans in one transaction with a handful of set-based
 * statements: contacts found are added with source scanned_website (ones
 * already known are left alone), read businesses move from pending_scan
 * to scanned, failed ones keep their status and get the error; all get
 * the time and one more attempt. *new_contacts (may be NULL) receives the
 * number of contacts actually added. */
int scan_store(struct db *db, const struct scan_result *results, size_t n,
	       long *new_contacts, struct error *err);

#endif
