/* scan_job.c - S and :scan run in the background: the scanner works on a
 * thread of its own, with its own database connection, while the screen
 * stays in use. The thread only counts and pokes a pipe; the event loop
 * polls the pipe, puts the progress in the status line and shows the
 * result when the scan ends. The contacts it stores reach the lists
 * through the change notifications, as anyone else's would. :scan stop
 * (and quitting) ask the scanner to start no further site; the sites in
 * progress are finished and stored. */
#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "model/business.h"
#include "model/permission.h"
#include "net/scanner.h"

struct scan_job {
	pthread_t thread;
	int pipe[2];			/* the thread pokes [1]; the loop reads [0] */
	atomic_int stop;
	/* What the thread reads; set before it starts, never changed. */
	char *conninfo;
	struct scanner_options opts;
	struct scan_selection sel;
	int id;				/* SCAN_BY_ID: the one business */
	struct business_filter filter;	/* SCAN_BY_FILTER: a copy */
	/* What the thread reports, under lock. */
	pthread_mutex_t lock;
	long done, total;
	char unreachable[256];		/* the latest site that failed, unshown */
	bool finished;
	/* Written by the thread before finished is set; read after. */
	int rc;
	struct error err;
	struct scanner_tally tally;
};

static void poke(struct scan_job *j)
{
	/* A full pipe already holds a wake-up; nothing is lost. */
	if (write(j->pipe[1], "x", 1) < 0 && errno != EAGAIN) {
		/* the loop still sees finished on its next update */
	}
}

static void on_progress(void *ctx, long done, long total)
{
	struct scan_job *j = ctx;
	pthread_mutex_lock(&j->lock);
	bool changed = j->done != done || j->total != total;
	j->done = done;
	j->total = total;
	pthread_mutex_unlock(&j->lock);
	if (changed)
		poke(j);
}

static void on_unreachable(void *ctx, int business_id, const char *website,
			   const char *why)
{
	struct scan_job *j = ctx;
	(void)business_id;
	(void)website;
	pthread_mutex_lock(&j->lock);
	/* Shown through draw_text, which sanitises what the web said. */
	snprintf(j->unreachable, sizeof j->unreachable, "%s", why);
	pthread_mutex_unlock(&j->lock);
	poke(j);
}

static void *scan_thread(void *arg)
{
	struct scan_job *j = arg;
	struct error err = {{0}};
	int rc = -1;
	struct db *db = db_connect(j->conninfo, &err);
	if (db) {
		struct scanner_hooks hooks = {j, on_progress, on_unreachable};
		rc = scanner_run(db, &j->sel, &j->opts, &hooks, &j->tally, &err);
		db_close(db);
	}
	pthread_mutex_lock(&j->lock);
	j->rc = rc;
	j->err = err;
	j->finished = true;
	pthread_mutex_unlock(&j->lock);
	poke(j);
	return NULL;
}

static void job_free(struct scan_job *j)
{
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_mutex_destroy(&j->lock);
	free(j->conninfo);
	free(j->filter.search);
	free(j);
}

static int open_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
	return 0;
}

static void set_state(struct app *app, long done, long total)
{
	snprintf(app->scan_state, sizeof app->scan_state, "scanning %ld/%ld",
		 done, total);
	app->chrome_dirty = true;
}

bool scan_job_running(const struct app *app)
{
	return app->scan != NULL;
}

/* Says that a scan runs already, and how to stop it; true when one does. */
static bool refuse_second(struct app *app)
{
	if (!app->scan)
		return false;
	app_message(app, true, "a scan is running (%s); :scan stop ends it",
		    app->scan_state);
	return true;
}

/* True when this user may scan and no scan runs; else says why not. */
static bool may_start(struct app *app)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_SCAN, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	return !refuse_second(app);
}

/* Starts the scan of what sel selects (the job's copy), or says why not. */
static void start(struct app *app, struct scan_job *j)
{
	struct error err = {{0}};
	const struct config *cfg = app_config(app, &err);
	if (!cfg || scanner_options_from_config(cfg, &j->opts, &err) < 0 ||
	    open_pipe(j->pipe) < 0) {
		app_message(app, true, "cannot scan: %s", err.msg[0] ? err.msg
			    : strerror(errno));
		free(j->filter.search);
		free(j);
		return;
	}
	/* Only for testing against sites on this machine, like --allow-private. */
	const char *allow = getenv("OUTREACH_SCAN_ALLOW_PRIVATE");
	j->opts.allow_private = allow && strcmp(allow, "1") == 0;
	j->opts.stop = &j->stop;
	j->conninfo = xstrdup(app->conninfo);
	pthread_mutex_init(&j->lock, NULL);
	/* Signals (a resize, Ctrl-Z) are the interface's: the scan's threads
	 * start with them all blocked, so they reach the thread that polls. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int started = pthread_create(&j->thread, NULL, scan_thread, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started != 0) {
		app_message(app, true, "cannot scan: no thread for it");
		job_free(j);
		return;
	}
	app->scan = j;
	app->message[0] = '\0';
	set_state(app, 0, 0);
}

void transfer_scan(struct app *app, int business_id)
{
	if (!may_start(app))
		return;
	if (business_id <= 0) {
		app_message(app, true, "no business selected");
		return;
	}
	struct scan_job *j = xcalloc(1, sizeof *j);
	j->id = business_id;
	j->sel = (struct scan_selection){.scope = SCAN_BY_ID, .ids = &j->id,
					 .nids = 1};
	start(app, j);
}

/* What the Businesses list shows now, copied: the list may change while
 * the scan runs. */
static struct scan_job *list_job(struct app *app)
{
	struct scan_job *j = xcalloc(1, sizeof *j);
	j->filter = *businesses_filter(&app->businesses);
	if (j->filter.search)
		j->filter.search = xstrdup(j->filter.search);
	j->sel = (struct scan_selection){.scope = SCAN_BY_FILTER,
					 .filter = &j->filter};
	return j;
}

static bool scan_filter_answer(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
	if (!refuse_second(app))
		start(app, list_job(app));
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

void scan_job_stop(struct app *app)
{
	struct scan_job *j = app->scan;
	if (!j) {
		app_message(app, true, "no scan is running");
		return;
	}
	atomic_store(&j->stop, 1);
	app_message(app, false, "stopping the scan: finishing the sites in "
		    "progress");
}

int scan_job_fd(const struct app *app)
{
	return app->scan ? app->scan->pipe[0] : -1;
}

/* The scan has ended: joins its thread and says what it came to. */
static void finished(struct app *app, struct scan_job *j)
{
	pthread_join(j->thread, NULL);
	const struct scanner_tally *t = &j->tally;
	bool one = j->sel.scope == SCAN_BY_ID;
	char stopped[96] = "";
	if (t->stopped)
		snprintf(stopped, sizeof stopped, "stopped, %ld of %ld sites not "
			 "started: ", t->total - t->done, t->total);
	if (j->rc < 0)
		app_message(app, true, "scan failed: %s", j->err.msg);
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
	app->scan = NULL;
	app->scan_state[0] = '\0';
	app->chrome_dirty = true;
	job_free(j);
}

void scan_job_update(struct app *app)
{
	struct scan_job *j = app->scan;
	if (!j)
		return;
	char drain[64];
	while (read(j->pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&j->lock);
	long done = j->done, total = j->total;
	bool end = j->finished;
	char why[sizeof j->unreachable];
	snprintf(why, sizeof why, "%s", j->unreachable);
	j->unreachable[0] = '\0';
	pthread_mutex_unlock(&j->lock);
	if (why[0])
		app_message(app, true, "unreachable: %s", why);
	if (end)
		finished(app, j);
	else
		set_state(app, done, total);
}

void scan_job_finish(struct app *app)
{
	struct scan_job *j = app->scan;
	if (!j)
		return;
	atomic_store(&j->stop, 1);
	pthread_join(j->thread, NULL);
	app->scan = NULL;
	job_free(j);
}
