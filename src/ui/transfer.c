/* transfer.c - files from the Businesses screen: I imports a CSV file,
 * the same work as its command with progress in the status line; E writes
 * the current status filter's businesses to a CSV file. Each uses a
 * short-lived blocking connection of its own, so the screen's connection
 * keeps its queue and LISTEN, and the change notifications they cause
 * refresh the screen. (S and :scan run in the background: scan_job.c.) */
#include "ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/export.h"
#include "model/import.h"
#include "model/permission.h"

static void draw_progress(const struct import_progress *p, void *ctx)
{
	struct app *app = ctx;
	char line[160];
	if (p->phase == IMPORT_MERGING)
		snprintf(line, sizeof line, " importing: merging %llu rows into "
			 "the database...", p->rows);
	else if (p->bytes_total)
		snprintf(line, sizeof line, " importing %s: %llu rows, %llu%%",
			 p->file ? p->file : "", p->rows,
			 p->bytes_done * 100 / p->bytes_total);
	else
		snprintf(line, sizeof line, " importing: %llu rows", p->rows);
	werase(app->status);
	draw_text(app->status, 0, 0, COLS, line, theme_attr(ROLE_STATUS_BAR));
	wnoutrefresh(app->status);
	doupdate();
}

static bool run_import(struct app *app, void *ctx, const char *path)
{
	(void)ctx;
	if (!*path) {
		app_message(app, true, "no file given");
		return false;
	}
	struct error err = {{0}};
	struct db *db = db_connect(app->conninfo, &err);
	if (!db) {
		app_message(app, true, "cannot import: %s", err.msg);
		return true;
	}
	const char *files[] = {path};
	struct import_options opts = {
		.files = files, .file_count = 1, .actor = &app->actor,
	};
	struct import_report report = {0};
	int rc = lead_import(db, &opts, draw_progress, app, &report, &err);
	db_close(db);
	if (rc < 0) {
		app_message(app, true, "nothing imported: %s", err.msg);
		import_report_free(&report);
		return false;	/* keep the path to correct it */
	}
	if (report.rejected)
		app_message(app, true, "imported %lld businesses (%lld new), %lld "
			    "contacts; %llu rows rejected -> %s", report.businesses,
			    report.businesses_new, report.contacts_added,
			    report.rejected, report.files[0].rejects_path ?
			    report.files[0].rejects_path : "");
	else
		app_message(app, false, "imported %lld businesses (%lld new, %lld "
			    "merged), %lld contacts", report.businesses,
			    report.businesses_new, report.businesses_merged,
			    report.contacts_added);
	import_report_free(&report);
	return true;
}

static bool run_export(struct app *app, void *ctx, const char *path)
{
	const char *status = ctx;
	if (!*path) {
		app_message(app, true, "no file given");
		return false;
	}
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
	struct error err = {{0}};
	struct db *db = db_connect(app->conninfo, &err);
	long long count = 0;
	int rc = db ? business_export(db, status, out, &count, &err) : -1;
	db_close(db);
	if (fclose(out) != 0 && rc == 0)
		rc = error_set(&err, "cannot write %s: %s", path, strerror(errno));
	if (rc < 0) {
		remove(path);
		app_message(app, true, "nothing exported: %s", err.msg);
		return true;
	}
	app_message(app, false, "exported %lld businesses%s%s to %s", count,
		    status ? " with status " : "", status ? status : "", path);
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
