/* import.c - lead_import(): reads each input in chunks through the CSV
 * reader and row validation, streams good rows to the staging COPY and
 * bad ones to the rejects file, then merges, all in one transaction. */
#include "model/import.h"
#include "model/audit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "model/import_internal.h"

#define READ_CHUNK (64 * 1024)
/* COPY data is sent in batches of about this size: few enough calls to
 * be fast, small enough to keep memory flat. */
#define COPY_BATCH (256 * 1024)

struct input {
	const char *path;	/* as given */
	const char *label;	/* for messages: the path, or "stdin" */
	FILE *fp;
	bool owned;		/* we opened it */
	unsigned long long size;	/* 0 when unknown */
};

struct import_run {
	struct db *db;
	const struct import_options *opts;
	struct import_report *report;
	import_progress_fn progress;
	void *progress_ctx;

	struct input *inputs;
	unsigned long long bytes_total;
	unsigned long long bytes_before;	/* of the inputs already read */

	struct lead_map *map;
	/* The input being read. */
	struct input *in;
	struct import_file_report *file;
	struct csvread *reader;
	struct csv_record header;	/* a copy, for the rejects file */
	struct csv_field *header_fields;
	struct buf header_bytes;
	bool header_seen;
	struct rejects_file *rejects;
	bool stopped_by_us;	/* the record callback failed, not the parser */

	struct buf copy;
	unsigned long long seq;
	bool copy_open;
};

/* ---------------------------------------------------------------------
 * Rights and audit: the one place where an import meets the users work.
 * import_check_rights() runs right after BEGIN and import_audit() right
 * before COMMIT, both inside the import's transaction, so the audit row
 * exists exactly when the import does. The users work wires
 * permission_require(actor, "import", err) and audit_write(...) (actor,
 * "import", the files and the report's counts) into these two functions;
 * until then any role that can connect may import, as with psql.
 * --------------------------------------------------------------------- */
static int import_check_rights(struct db *db, const struct import_options *o,
			       struct error *err)
{
	(void)db;
	if (!o->actor)
		return error_set(err, "no acting user for the import");
	return permission_require(o->actor, PERM_IMPORT, err);
}

static int import_audit(struct db *db, const struct import_options *o,
			const struct import_report *r, struct error *err)
{
	struct buf detail = {0};
	buf_printf(&detail, "%llu rows, %lld new and %lld merged businesses, "
		   "%lld contacts, %llu rejected:", r->rows, r->businesses_new,
		   r->businesses_merged, r->contacts_added, r->rejected);
	for (size_t i = 0; i < o->file_count && detail.len < 400; i++)
		buf_printf(&detail, " %s", o->files[i]);
	int rc = audit_write(db, o->actor, "import", "file", NULL, detail.data, err);
	buf_free(&detail);
	return rc < 0 ? -1 : 0;
}

/* ---- progress ---- */

static void report_progress(struct import_run *run, enum import_phase phase)
{
	if (!run->progress)
		return;
	struct import_progress p = {
		.phase = phase,
		.file = run->in ? run->in->label : NULL,
		.rows = run->report->rows,
		.rejected = run->report->rejected,
		.bytes_done = run->bytes_before +
			(run->reader ? csvread_bytes_consumed(run->reader) : 0),
		.bytes_total = run->bytes_total,
	};
	run->progress(&p, run->progress_ctx);
}

/* ---- inputs ---- */

static int open_input(struct input *in, const char *path, FILE *stdin_fp,
		      struct error *err)
{
	struct stat st;

	in->path = path;
	if (strcmp(path, "-") == 0) {
		in->label = "stdin";
		in->fp = stdin_fp ? stdin_fp : stdin;
	} else {
		in->label = path;
		in->fp = fopen(path, "rb");
		in->owned = in->fp != NULL;
		if (!in->fp)
			return error_set(err, "%s: cannot open: %s", path,
					 strerror(errno));
	}
	if (fstat(fileno(in->fp), &st) == 0 && S_ISREG(st.st_mode))
		in->size = (unsigned long long)st.st_size;
	return 0;
}

/* Opens every input before anything runs, so a typo in the third file
 * name costs nothing. */
static int open_inputs(struct import_run *run, struct error *err)
{
	const struct import_options *o = run->opts;
	bool sizes_known = true;

	run->inputs = xcalloc(o->file_count, sizeof *run->inputs);
	for (size_t i = 0; i < o->file_count; i++) {
		if (open_input(&run->inputs[i], o->files[i], o->stdin_fp,
			       err) < 0)
			return -1;
		sizes_known = sizes_known && run->inputs[i].size > 0;
		run->bytes_total += run->inputs[i].size;
	}
	if (!sizes_known)
		run->bytes_total = 0;
	return 0;
}

static void close_inputs(struct import_run *run)
{
	for (size_t i = 0; run->inputs && i < run->opts->file_count; i++)
		if (run->inputs[i].owned)
			fclose(run->inputs[i].fp);
	free(run->inputs);
}

/* The rejects file must never replace an input it was read from. */
static int check_rejects_path(const struct import_run *run, const char *path,
			      struct error *err)
{
	struct stat rs, is;

	if (stat(path, &rs) != 0)
		return 0;
	for (size_t i = 0; i < run->opts->file_count; i++)
		if (fstat(fileno(run->inputs[i].fp), &is) == 0 &&
		    is.st_dev == rs.st_dev && is.st_ino == rs.st_ino)
			return error_set(err, "%s: the rejects file would "
					 "overwrite an input (choose another "
					 "with --rejects PATH)", path);
	return 0;
}

/* ---- records ---- */

/* Keeps the header's fields for the rejects file, which is written only
 * when the first bad row turns up. */
static void keep_header(struct import_run *run, const struct csv_record *rec)
{
	buf_reset(&run->header_bytes);
	size_t *offsets = xcalloc(rec->count, sizeof *offsets);
	for (size_t i = 0; i < rec->count; i++) {
		offsets[i] = run->header_bytes.len;
		buf_append(&run->header_bytes, rec->fields[i].data,
			   rec->fields[i].len);
		buf_putc(&run->header_bytes, '\0');
	}
	free(run->header_fields);
	run->header_fields = xcalloc(rec->count, sizeof *run->header_fields);
	for (size_t i = 0; i < rec->count; i++)
		run->header_fields[i] = (struct csv_field){
			run->header_bytes.data + offsets[i], rec->fields[i].len,
		};
	free(offsets);
	run->header = (struct csv_record){
		.fields = run->header_fields, .count = rec->count,
		.line = rec->line, .index = 0,
	};
	run->header_seen = true;
}

static int on_header(struct import_run *run, const struct csv_record *rec,
		     struct error *err)
{
	if (lead_map_header(run->map, rec, err) < 0)
		return error_prefix(err, "%s", run->in->label);
	keep_header(run, rec);
	char *unknown = lead_map_unknown_list(run->map);
	if (unknown && run->opts->warn) {
		char *msg = xasprintf("%s: ignoring unknown columns %s (use "
				      "--map 'HEADER=FIELD' to import one, or "
				      "--map 'HEADER=ignore' to silence this)",
				      run->in->label, unknown);
		run->opts->warn(msg, run->opts->warn_ctx);
		free(msg);
	}
	free(unknown);
	return 0;
}

static void keep_reject(struct import_report *r, const char *file,
			unsigned long line, const char *reason)
{
	if (r->kept_count >= IMPORT_REJECTS_KEPT)
		return;
	r->kept[r->kept_count++] = (struct import_reject){
		.file = xstrdup(file), .line = line, .reason = xstrdup(reason),
	};
}

static int flush_copy(struct import_run *run, struct error *err)
{
	int rc = db_copy_put(run->db, run->copy.data, run->copy.len, err);
	buf_reset(&run->copy);
	return rc;
}

static int on_row(struct import_run *run, const struct csv_record *rec,
		  struct error *err)
{
	struct error reason = {{0}};
	struct lead l;

	run->report->rows++;
	run->file->rows++;
	if (lead_row_parse(run->map, rec, &l, &reason) == 0) {
		import_stage_lead(&run->copy, &run->seq, &l);
		lead_clear(&l);
		run->report->good_rows++;
		return run->copy.len >= COPY_BATCH ? flush_copy(run, err) : 0;
	}
	run->report->rejected++;
	run->file->rejected++;
	keep_reject(run->report, run->in->label, rec->line, reason.msg);
	return rejects_file_add(run->rejects, run->reader, &run->header, rec,
				reason.msg, err);
}

static int on_record(const struct csv_record *rec, void *ctx,
		     struct error *err)
{
	struct import_run *run = ctx;
	int rc = rec->index == 0 ? on_header(run, rec, err)
				 : on_row(run, rec, err);

	run->stopped_by_us = rc < 0;
	return rc;
}

/* ---- one input ---- */

/* The reader's "line N: why" becomes "FILE:N: why". */
static void name_the_file(struct import_run *run, struct error *err)
{
	unsigned long line;
	int used = 0;

	if (run->stopped_by_us)
		return;
	if (sscanf(err->msg, "line %lu: %n", &line, &used) == 1 && used > 0) {
		char rest[sizeof err->msg];
		snprintf(rest, sizeof rest, "%s", err->msg + used);
		error_set(err, "%s:%lu: %s", run->in->label, line, rest);
	} else {
		error_prefix(err, "%s", run->in->label);
	}
}

static int read_chunks(struct import_run *run, char *chunk, struct error *err)
{
	FILE *fp = run->in->fp;

	for (;;) {
		size_t n = fread(chunk, 1, READ_CHUNK, fp);
		if (n > 0 && csvread_feed(run->reader, chunk, n, err) < 0) {
			name_the_file(run, err);
			return -1;
		}
		report_progress(run, IMPORT_READING);
		if (n < READ_CHUNK)
			break;
	}
	if (ferror(fp))
		return error_set(err, "%s: read error: %s", run->in->label,
				 strerror(errno));
	if (csvread_finish(run->reader, err) < 0) {
		name_the_file(run, err);
		return -1;
	}
	return 0;
}

static int setup_file(struct import_run *run, size_t i, struct error *err)
{
	const struct import_options *o = run->opts;
	char *path = o->rejects_path ? xstrdup(o->rejects_path)
				     : rejects_default_path(o->files[i]);
	int rc = check_rejects_path(run, path, err);

	run->in = &run->inputs[i];
	run->file = &run->report->files[i];
	run->file->path = xstrdup(o->files[i]);
	run->rejects = rejects_file_new(path);
	run->reader = csvread_new(o->delimiter, on_record, run);
	run->header_seen = false;
	free(path);
	return rc;
}

static int import_one(struct import_run *run, size_t i, struct error *err)
{
	char *chunk = xmalloc(READ_CHUNK);
	int rc = setup_file(run, i, err);

	if (rc == 0)
		rc = read_chunks(run, chunk, err);
	free(chunk);
	if (rc == 0 && !run->header_seen)
		rc = error_set(err, "%s: the file is empty (expected a header "
			       "line naming the columns, such as name,email)",
			       run->in->label);
	if (rc == 0)
		run->file->header_only = run->file->rows == 0;
	run->bytes_before += csvread_bytes_consumed(run->reader);
	csvread_free(run->reader);
	run->reader = NULL;
	return rc;
}

/* ---- the transaction ---- */

static int read_all(struct import_run *run, struct rejects_file **done,
		    struct error *err)
{
	for (size_t i = 0; i < run->opts->file_count; i++) {
		int rc = import_one(run, i, err);
		done[i] = run->rejects;
		run->rejects = NULL;
		if (rc < 0)
			return -1;
	}
	if (run->copy.len && flush_copy(run, err) < 0)
		return -1;
	run->copy_open = false;
	return db_copy_end(run->db, err);
}

static int run_import(struct import_run *run, struct rejects_file **done,
		      struct error *err)
{
	if (import_check_rights(run->db, run->opts, err) < 0)
		return -1;
	/* Validated text is UTF-8 whatever the server's encoding. */
	if (db_command(run->db, "SET LOCAL client_encoding = 'UTF8'", 0,
		       NULL, err) < 0 ||
	    import_stage_begin(run->db, err) < 0)
		return -1;
	run->copy_open = true;
	if (read_all(run, done, err) < 0)
		return -1;
	report_progress(run, IMPORT_MERGING);
	if (import_merge(run->db, run->report, err) < 0)
		return -1;
	if (run->opts->dry_run)
		return 0;
	return import_audit(run->db, run->opts, run->report, err);
}

/* Rejects files are moved into place only after the database agreed. */
static int commit_rejects(struct import_run *run, struct rejects_file **done,
			  struct error *err)
{
	for (size_t i = 0; i < run->opts->file_count; i++) {
		if (!done[i] || !rejects_file_used(done[i]))
			continue;
		if (rejects_file_commit(done[i], err) < 0)
			return -1;
		run->report->files[i].rejects_path =
			xstrdup(rejects_file_path(done[i]));
	}
	return 0;
}

static void prepare_report(struct import_report *r,
			   const struct import_options *o)
{
	memset(r, 0, sizeof *r);
	r->files = xcalloc(o->file_count, sizeof *r->files);
	r->file_count = o->file_count;
	r->dry_run = o->dry_run;
}

static int check_options(const struct import_options *o, struct error *err)
{
	if (o->file_count == 0)
		return error_set(err, "no input files (give FILE... or - for "
				 "standard input)");
	if (o->rejects_path && o->file_count > 1)
		return error_set(err, "--rejects names one file, but there are "
				 "%zu inputs (leave it out: each input gets "
				 "FILE.rejects.csv beside it)", o->file_count);
	return 0;
}

static int make_map(struct import_run *run, struct error *err)
{
	run->map = lead_map_new();
	for (size_t i = 0; i < run->opts->map_count; i++)
		if (lead_map_override(run->map, run->opts->maps[i], err) < 0)
			return -1;
	return 0;
}

/* Everything after the inputs are open: BEGIN, the work, then COMMIT (or
 * ROLLBACK for a dry run or any failure). */
static int transact(struct import_run *run, struct rejects_file **done,
		    struct error *err)
{
	if (db_begin(run->db, err) < 0)
		return -1;
	int rc = run_import(run, done, err);
	if (rc == 0)
		rc = commit_rejects(run, done, err);
	if (rc == 0 && !run->opts->dry_run) {
		rc = db_commit(run->db, err);
		if (rc < 0)
			db_rollback(run->db);
		return rc;
	}
	if (run->copy_open)
		db_copy_abort(run->db, "import failed");
	db_rollback(run->db);
	return rc;
}

int lead_import(struct db *db, const struct import_options *opts,
		import_progress_fn progress, void *progress_ctx,
		struct import_report *report, struct error *err)
{
	struct import_run run = {
		.db = db, .opts = opts, .report = report,
		.progress = progress, .progress_ctx = progress_ctx,
	};

	prepare_report(report, opts);
	if (check_options(opts, err) < 0 || make_map(&run, err) < 0) {
		lead_map_free(run.map);
		return -1;
	}
	struct rejects_file **done = xcalloc(opts->file_count, sizeof *done);
	int rc = open_inputs(&run, err);
	if (rc == 0)
		rc = transact(&run, done, err);
	for (size_t i = 0; i < opts->file_count; i++)
		rejects_file_free(done[i]);
	rejects_file_free(run.rejects);
	free(done);
	close_inputs(&run);
	csvread_free(run.reader);
	lead_map_free(run.map);
	free(run.header_fields);
	buf_free(&run.header_bytes);
	buf_free(&run.copy);
	return rc;
}

void import_report_free(struct import_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->file_count; i++) {
		free(r->files[i].path);
		free(r->files[i].rejects_path);
	}
	free(r->files);
	for (size_t i = 0; i < r->kept_count; i++) {
		free(r->kept[i].file);
		free(r->kept[i].reason);
	}
	memset(r, 0, sizeof *r);
}
