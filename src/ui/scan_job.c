/* scan_job.c - S and :scan: the scanner as a background job (job.c). The
 * job reports how many sites are done and the sites that could not be
 * read; :stop (or quitting) sets the scanner's stop flag, so no further
 * site starts and the sites in progress are finished and stored. */
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "model/business.h"
#include "model/permission.h"
#include "net/scanner.h"

struct scan_data {
	struct scanner_options opts;
	struct scan_selection sel;
	int id;				/* SCAN_BY_ID: the one business */
	struct business_filter filter;	/* SCAN_BY_FILTER: a copy */
	struct scanner_tally tally;
};

static void on_progress(void *ctx, long done, long total)
{
	job_progress(ctx, "scanning %ld/%ld", done, total);
}

static void on_unreachable(void *ctx, int business_id, const char *website,
			   const char *why)
{
	(void)business_id;
	(void)website;
	/* Shown through draw_text, which sanitises what the web said. */
	job_note(ctx, "unreachable: %s", why);
}

static int run(struct job *j, struct db *db, struct error *err)
{
	struct scan_data *d = job_data(j);
	d->opts.stop = job_stop_flag(j);
	struct scanner_hooks hooks = {j, on_progress, on_unreachable};
	return scanner_run(db, &d->sel, &d->opts, &hooks, &d->tally, err);
}

static void done(struct app *app, void *data, int rc, const struct error *err)
{
	struct scan_data *d = data;
	const struct scanner_tally *t = &d->tally;
	bool one = d->sel.scope == SCAN_BY_ID;
	char stopped[96] = "";
	if (t->stopped)
		snprintf(stopped, sizeof stopped, "stopped, %ld of %ld sites not "
			 "started: ", t->total - t->done, t->total);
	if (rc < 0)
		app_message(app, true, "scan failed: %s", err->msg);
	else if (one && t->skipped)
		app_message(app, true, "this business has no website to scan");
	else if (one && t->scanned)
		app_message(app, false, "scanned: found %ld e-mails, %ld social, "
			    "%ld phones, %ld forms; %ld new contacts", t->emails,
			    t->social, t->phones, t->forms, t->added);
	else if (!one)
		app_message(app, t->unreachable > 0 || t->stopped, "%sscanned "
			    "%ld, %ld unreachable, %ld without website: found %ld "
			    "e-mails, %ld social, %ld phones, %ld forms; %ld new "
			    "contacts", stopped, t->scanned, t->unreachable,
			    t->skipped, t->emails, t->social, t->phones, t->forms,
			    t->added);
	/* One site that could not be read: its reason stays in the line. */
}

static void free_data(void *data)
{
	struct scan_data *d = data;
	free(d->filter.search);
	free(d);
}

static const struct job_kind scan_kind = {
	"a scan", JOB_STOP_FINISHES, run, done, free_data,
};

/* True when this user may scan and no job runs; else says why not. */
static bool may_start(struct app *app)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_SCAN, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	return !job_busy(app);
}

/* Starts the scan of what d selects, or says why not. */
static void start(struct app *app, struct scan_data *d)
{
	struct error err = {{0}};
	const struct config *cfg = app_config(app, &err);
	if (!cfg || scanner_options_from_config(cfg, &d->opts, &err) < 0) {
		app_message(app, true, "cannot scan: %s", err.msg);
		free_data(d);
		return;
	}
	/* Only for testing against sites on this machine, like --allow-private. */
	const char *allow = getenv("OUTREACH_SCAN_ALLOW_PRIVATE");
	d->opts.allow_private = allow && strcmp(allow, "1") == 0;
	if (!job_start(app, &scan_kind, d, "scanning 0/0"))
		free_data(d);
}

void transfer_scan(struct app *app, int business_id)
{
	if (!may_start(app))
		return;
	if (business_id <= 0) {
		app_message(app, true, "no business selected");
		return;
	}
	struct scan_data *d = xcalloc(1, sizeof *d);
	d->id = business_id;
	d->sel = (struct scan_selection){.scope = SCAN_BY_ID, .ids = &d->id,
					 .nids = 1};
	start(app, d);
}

static bool scan_filter_answer(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
	if (job_busy(app))
		return true;
	/* What the Businesses list shows now, copied: the list may change
	 * while the scan runs. */
	struct scan_data *d = xcalloc(1, sizeof *d);
	d->filter = *businesses_filter(&app->businesses);
	if (d->filter.search)
		d->filter.search = xstrdup(d->filter.search);
	d->sel = (struct scan_selection){.scope = SCAN_BY_FILTER,
					 .filter = &d->filter};
	start(app, d);
	return true;
}

void transfer_scan_filter(struct app *app)
{
	if (!may_start(app))
		return;
	struct error err = {{0}};
	struct scan_selection sel = {.scope = SCAN_BY_FILTER,
				     .filter = businesses_filter(&app->businesses)};
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
		 "businesses in this list? (y/n) ", with_site);
	app_confirm(app, question, scan_filter_answer, NULL);
}
