/* transfer.c - long work started from the Businesses screen: I imports a
 * CSV file and S scans the selected business's website, each the same
 * work as its command with progress in the status line; E writes the
 * current status filter's businesses to a CSV file. Each uses a
 * short-lived blocking connection of its own, so the screen's connection
 * keeps its queue and LISTEN, and the change notifications they cause
 * refresh the screen. */
#include "ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "model/export.h"
#include "model/import.h"
#include "model/permission.h"
#include "net/scanner.h"

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

static void draw_scan_progress(void *ctx, long done, long total)
{
	struct app *app = ctx;
	char line[96];
	snprintf(line, sizeof line, " scanning: %ld of %ld sites done", done, total);
	werase(app->status);
	draw_text(app->status, 0, 0, COLS, line, theme_attr(ROLE_STATUS_BAR));
	wnoutrefresh(app->status);
	doupdate();
}

static void note_unreachable(void *ctx, int business_id, const char *website,
			     const char *why)
{
	struct app *app = ctx;
	(void)business_id;
	(void)website;
	/* Shown through draw_text, which sanitises what the web said. */
	app_message(app, true, "unreachable: %s", why);
}

/* Runs one scan of what sel selects, its progress in the status line. */
static void run_scan(struct app *app, const struct scan_selection *sel)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_SCAN, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return;
	}
	struct scanner_options o;
	const struct config *cfg = app_config(app, &err);
	if (!cfg || scanner_options_from_config(cfg, &o, &err) < 0) {
		app_message(app, true, "cannot scan: %s", err.msg);
		return;
	}
	/* Only for testing against sites on this machine, like --allow-private. */
	const char *allow = getenv("OUTREACH_SCAN_ALLOW_PRIVATE");
	o.allow_private = allow && strcmp(allow, "1") == 0;
	struct db *db = db_connect(app->conninfo, &err);
	if (!db) {
		app_message(app, true, "cannot scan: %s", err.msg);
		return;
	}
	struct scanner_hooks hooks = {app, draw_scan_progress, note_unreachable};
	struct scanner_tally t;
	app->message[0] = '\0';
	int rc = scanner_run(db, sel, &o, &hooks, &t, &err);
	db_close(db);
	if (rc < 0)
		app_message(app, true, "scan failed: %s", err.msg);
	else if (sel->scope == SCAN_BY_ID && t.skipped)
		app_message(app, true, "this business has no website to scan");
	else if (sel->scope == SCAN_BY_ID && t.scanned)
		app_message(app, false, "scanned: found %ld e-mails, %ld social, "
			    "%ld phones, %ld forms; %ld new contacts", t.emails,
			    t.social, t.phones, t.forms, t.added);
	else if (sel->scope != SCAN_BY_ID)
		app_message(app, t.unreachable > 0, "scanned %ld, %ld unreachable, "
			    "%ld without website: found %ld e-mails, %ld social, "
			    "%ld phones, %ld forms; %ld new contacts", t.scanned,
			    t.unreachable, t.skipped, t.emails, t.social, t.phones,
			    t.forms, t.added);
	app->chrome_dirty = true;
}

void transfer_scan(struct app *app, int business_id)
{
	if (business_id <= 0) {
		app_message(app, true, "no business selected");
		return;
	}
	int ids[] = {business_id};
	struct scan_selection sel = {.scope = SCAN_BY_ID, .ids = ids, .nids = 1};
	run_scan(app, &sel);
}

/* What the Businesses list shows, as a scan selection. */
static struct scan_selection list_selection(struct app *app)
{
	return (struct scan_selection){
		.scope = SCAN_BY_FILTER,
		.filter = businesses_filter(&app->businesses),
	};
}

static bool scan_filter_answer(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
	struct scan_selection sel = list_selection(app);
	run_scan(app, &sel);
	return true;
}

void transfer_scan_filter(struct app *app)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_SCAN, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return;
	}
	struct scan_selection sel = list_selection(app);
	long with_site = 0, without = 0;
	struct db *db = db_connect(app->conninfo, &err);
	if (!db || scan_count_targets(db, &sel, &with_site, &without, &err) < 0) {
		db_close(db);
		app_message(app, true, "cannot scan: %s", err.msg);
		return;
	}
	db_close(db);
	if (with_site == 0) {
		app_message(app, true, "no business in this list has a website "
			    "to scan");
		return;
	}
	char question[160];
	snprintf(question, sizeof question, "Scan the websites of the %ld "
		 "businesses in this list%s? (y/n) ", with_site,
		 with_site > 1000 ? " (for thousands, `outreach scan` in a "
		 "shell does not hold the screen)" : "");
	app_confirm(app, question, scan_filter_answer, NULL);
}
