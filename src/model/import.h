/* import.h - importing lead lists (CSV) into businesses and contacts: one
 * call that the command line and the TUI both use, with progress reports.
 *
 * Rows are parsed and validated in C, good ones are streamed with COPY into
 * a temporary staging table, then merged with set-based SQL; the whole
 * import is one transaction, so a failed or killed import changes nothing.
 * Rejected rows are written, as they came, to a rejects file per input. */
#ifndef OUTREACH_MODEL_IMPORT_H
#define OUTREACH_MODEL_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "db/db.h"
#include "model/permission.h"

/* How many rejected rows the report keeps for a summary; the rest are
 * only counted (all of them are in the rejects files). */
#define IMPORT_REJECTS_KEPT 10

struct import_options {
	const char *const *files;	/* paths; "-" reads stdin_fp */
	size_t file_count;
	FILE *stdin_fp;			/* for "-"; NULL means stdin */
	char delimiter;			/* ',', ';', '\t', '|' or 0 to sniff */
	const char *const *maps;	/* --map "Header=field" specs */
	size_t map_count;
	/* Where rejected rows go. NULL: FILE.rejects.csv beside each input,
	 * ./stdin.rejects.csv for "-". Only with a single input. */
	const char *rejects_path;
	bool dry_run;			/* do everything, then roll back */
	const struct actor *actor;	/* who imports: rights and audit */
	/* Called once per file whose header has columns nobody maps, with a
	 * ready-made one-line message. May be NULL. */
	void (*warn)(const char *msg, void *ctx);
	void *warn_ctx;
};

enum import_phase {
	IMPORT_READING,		/* parsing and staging rows */
	IMPORT_MERGING,		/* the set-based merge runs on the server */
};

struct import_progress {
	enum import_phase phase;
	const char *file;		/* the input being read */
	unsigned long long rows;	/* data rows read so far, all inputs */
	unsigned long long rejected;
	unsigned long long bytes_done;	/* over all inputs */
	unsigned long long bytes_total;	/* 0 when unknown (a pipe) */
};

typedef void (*import_progress_fn)(const struct import_progress *p,
				   void *ctx);

struct import_reject {
	char *file;
	unsigned long line;
	char *reason;
};

struct import_file_report {
	char *path;			/* as given ("-" for stdin) */
	char *rejects_path;		/* NULL when nothing was rejected */
	unsigned long long rows;	/* data rows read */
	unsigned long long rejected;
	bool header_only;		/* a header and no rows */
};

struct import_report {
	struct import_file_report *files;
	size_t file_count;
	unsigned long long rows;	/* data rows over all inputs */
	unsigned long long good_rows;
	unsigned long long rejected;
	long long businesses;		/* distinct businesses in good rows */
	long long businesses_new;
	long long businesses_merged;	/* already there (filled or as is) */
	long long businesses_filled;	/* merged ones that gained a field */
	long long contacts_added;
	struct import_reject kept[IMPORT_REJECTS_KEPT];
	size_t kept_count;
	bool dry_run;			/* nothing was committed */
};

/* Imports every input in one transaction. Returns 0 when it committed
 * (or, with dry_run, rolled back after a complete run), with report
 * filled; rejected rows do not make it fail. Returns -1 with err naming
 * the file and line (and nothing changed in the database) on a fatal
 * error: an unreadable file, an empty file, a header without a name
 * column, a broken quote or over-long field, a database error. The
 * caller frees the report with import_report_free() in both cases. */
int lead_import(struct db *db, const struct import_options *opts,
		import_progress_fn progress, void *progress_ctx,
		struct import_report *report, struct error *err);
void import_report_free(struct import_report *r);	/* accepts zeroed */

#endif
