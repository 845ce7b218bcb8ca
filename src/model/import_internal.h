/* import_internal.h - the parts of the importer shared between its files:
 * the staging table and merge (import_merge.c) and the rejects file
 * (import_rejects.c). Not for use outside src/model/import*.c. */
#ifndef OUTREACH_MODEL_IMPORT_INTERNAL_H
#define OUTREACH_MODEL_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "core/csvread.h"
#include "core/leadrow.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/import.h"

/* ---- staging and merge (import_merge.c) ---- */

/* Creates the session's temporary staging table (dropped at the end of
 * the transaction) and starts the COPY that fills it. */
int import_stage_begin(struct db *db, struct error *err);
/* Appends one lead to out as COPY text rows: one row for the business
 * fields, one per contact, numbered from *seq on, which keeps file order. */
void import_stage_lead(struct buf *out, unsigned long long *seq,
		       const struct lead *l);
/* After the COPY ended: merges the staged rows into businesses and
 * contacts and fills the counts of r. */
int import_merge(struct db *db, struct import_report *r, struct error *err);

/* ---- rejects file (import_rejects.c) ---- */

struct rejects_file;

/* Prepares a rejects file for path; nothing is created until the first
 * rejected row. The caller frees it with rejects_file_free(). */
struct rejects_file *rejects_file_new(const char *path);
/* Writes the header (once) then the row, padded to the header's width so
 * the reason lines up, in the reader's dialect, plus the reason. */
int rejects_file_add(struct rejects_file *rf, const struct csvread *reader,
		     const struct csv_record *header,
		     const struct csv_record *row, const char *reason,
		     struct error *err);
/* The final path, as given to rejects_file_new(). */
const char *rejects_file_path(const struct rejects_file *rf);
/* True once a row was written. */
bool rejects_file_used(const struct rejects_file *rf);
/* Moves the finished file into place (only when rows were written). */
int rejects_file_commit(struct rejects_file *rf, struct error *err);
/* Removes what was written; the file at path is left as it was. */
void rejects_file_free(struct rejects_file *rf);	/* accepts NULL */
/* The default rejects path for an input: FILE.csv -> FILE.rejects.csv,
 * other names get ".rejects.csv" appended; stdin ("-") gives
 * "stdin.rejects.csv". The caller frees it. */
char *rejects_default_path(const char *input);

#endif
