/* transfer.c - files from the Businesses screen, each the same work as
 * its command run as a background job (job.c): I imports a CSV file, its
 * progress in the status line; E writes the current status filter's
 * businesses to a CSV file. The screen's own connection keeps its queue
 * and LISTEN, and the change notifications an import causes refresh the
 * screen. (S and :scan: scan_job.c.) */
#include "ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "model/export.h"
#include "model/import.h"
#include "model/permission.h"

/* ---- I: the import, as a background job (job.c) ---- */

struct import_data {
	char *path;
	struct actor actor;
	struct import_report report;
};

static void on_progress(const struct import_progress *p, void *ctx)
{
	struct job *j = ctx;
	if (p->phase == IMPORT_MERGING)
		job_progress(j, "importing: merging %llu rows", p->rows);
	else if (p->bytes_total)
		job_progress(j, "importing %llu rows, %llu%%", p->rows,
			     p->bytes_done * 100 / p->bytes_total);
	else
		job_progress(j, "importing %llu rows", p->rows);
}

static int import_run(struct job *j, struct db *db, struct error *err)
{
	struct import_data *d = job_data(j);
	const char *files[] = {d->path};
	struct import_options opts = {
		.files = files, .file_count = 1, .actor = &d->actor,
	};
	return lead_import(db, &opts, on_progress, j, &d->report, err);
}

static bool run_import(struct app *app, void *ctx, const char *path);

static void import_done(struct app *app, void *data, int rc,
			const struct error *err)
{
	struct import_data *d = data;
	const struct import_report *r = &d->report;
	if (rc < 0 && strstr(err->msg, DB_STOPPED)) {
		app_message(app, false, "import cancelled: nothing was imported");
	} else if (rc < 0) {
		/* Nothing was imported (one transaction): the path comes back
		 * to be corrected, unless the user is typing elsewhere. */
		if (!app->prompt.active)
			app_ask(app, "Import CSV file: ", d->path, run_import, NULL);
		app_message(app, true, "nothing imported: %s", err->msg);
	} else if (r->rejected) {
		app_message(app, true, "imported %lld businesses (%lld new), %lld "
			    "contacts; %llu rows rejected -> %s", r->businesses,
			    r->businesses_new, r->contacts_added, r->rejected,
			    r->files[0].rejects_path ? r->files[0].rejects_path : "");
	} else {
		app_message(app, false, "imported %lld businesses (%lld new, %lld "
			    "merged), %lld contacts", r->businesses,
			    r->businesses_new, r->businesses_merged,
			    r->contacts_added);
	}
}

static void import_free(void *data)
{
	struct import_data *d = data;
	import_report_free(&d->report);
	free(d->path);
	free(d);
}

/* :stop cancels it: the import is one transaction, so nothing of it is
 * kept, and the file is untouched. */
static const struct job_kind import_kind = {
	"an import", JOB_STOP_ROLLS_BACK, import_run, import_done, import_free,
};

static bool run_import(struct app *app, void *ctx, const char *path)
{
	(void)ctx;
	if (!*path) {
		app_message(app, true, "no file given");
		return false;
	}
	struct import_data *d = xcalloc(1, sizeof *d);
	d->path = xstrdup(path);
	d->actor = app->actor;
	if (!job_start(app, &import_kind, d, "importing"))
		import_free(d);
	return true;
}

/* ---- E: the export, as a background job ---- */

struct export_data {
	FILE *out;		/* opened (never over a file) before it starts */
	char *path;
	const char *status;	/* a vocabulary string, or NULL for all */
	long long count;
};

static int export_run(struct job *j, struct db *db, struct error *err)
{
	struct export_data *d = job_data(j);
	int rc = business_export(db, d->status, d->out, &d->count, err);
	if (fclose(d->out) != 0 && rc == 0)
		rc = error_set(err, "cannot write %s: %s", d->path, strerror(errno));
	d->out = NULL;
	if (rc < 0)
		remove(d->path);
	return rc;
}

static void export_done(struct app *app, void *data, int rc,
			const struct error *err)
{
	struct export_data *d = data;
	if (rc < 0)
		app_message(app, true, "nothing exported: %s", err->msg);
	else
		app_message(app, false, "exported %lld businesses%s%s to %s",
			    d->count, d->status ? " with status " : "",
			    d->status ? d->status : "", d->path);
}

static void export_free(void *data)
{
	struct export_data *d = data;
	if (d->out) {		/* never started (no connection): no file */
		fclose(d->out);
		remove(d->path);
	}
	free(d->path);
	free(d);
}

static const struct job_kind export_kind = {
	"an export", JOB_RUNS_TO_END, export_run, export_done, export_free,
};

static bool run_export(struct app *app, void *ctx, const char *path)
{
	if (!*path) {
		app_message(app, true, "no file given");
		return false;
	}
	if (job_busy(app))
		return true;
	FILE *out = fopen(path, "wx");
	if (!out) {
		if (errno == EEXIST)
			app_message(app, true, "already exists, choose a new name: %s",
				    path);
		else
			app_message(app, true, "cannot write %s: %s", path,
				    strerror(errno));
		return false;
	}
	struct export_data *d = xcalloc(1, sizeof *d);
	d->out = out;
	d->path = xstrdup(path);
	d->status = ctx;
	if (!job_start(app, &export_kind, d, "exporting"))
		export_free(d);
	return true;
}

void transfer_import(struct app *app, const char *path)
{
	if (path && *path)
		run_import(app, NULL, path);
	else
		app_ask(app, "Import CSV file: ", "", run_import, NULL);
}

void transfer_export(struct app *app, const char *status, const char *path)
{
	/* The status lives as long as the program (a vocabulary string). */
	if (path && *path)
		run_export(app, (void *)status, path);
	else
		app_ask(app, "Export to CSV file: ", "businesses.csv", run_export,
			(void *)status);
}
