/* job.c - long work from the interface, run in the background: a thread
 * of its own with a database connection of its own, while the screen
 * stays in use. The thread only records and pokes a pipe; the event loop
 * polls the pipe, shows the progress in the status line and, once the
 * thread has ended, lets the kind of job say what it came to. What the job
 * stores reaches the panes through the change notifications, as anyone
 * else's changes would. One job runs at a time. */
#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "db/db.h"

struct job {
	const struct job_kind *kind;
	void *data;
	char *conninfo;
	pthread_t thread;
	int pipe[2];			/* the thread pokes [1]; the loop reads [0] */
	atomic_int stop;
	pthread_mutex_t lock;		/* guards what the thread reports: */
	PGcancel *cancel;		/* JOB_STOP_ROLLS_BACK: the statement
					 * running on the job's connection */
	char progress[48];		/* for the status line */
	char note[256];			/* a message not shown yet */
	bool finished;
	int rc;				/* the run's, once finished */
	struct error err;
};

static void poke(struct job *j)
{
	/* A full pipe already holds a wake-up: nothing is lost. */
	if (write(j->pipe[1], "x", 1) < 0 && errno != EAGAIN) {
		/* the loop sees the news on its next update all the same */
	}
}

void *job_data(struct job *j)
{
	return j->data;
}

const atomic_int *job_stop_flag(struct job *j)
{
	return &j->stop;
}

void job_progress(struct job *j, const char *fmt, ...)
{
	char text[sizeof j->progress];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&j->lock);
	bool changed = strcmp(text, j->progress) != 0;
	memcpy(j->progress, text, sizeof text);
	pthread_mutex_unlock(&j->lock);
	if (changed)
		poke(j);
}

void job_note(struct job *j, const char *fmt, ...)
{
	pthread_mutex_lock(&j->lock);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->note, sizeof j->note, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&j->lock);
	poke(j);
}

static void *job_thread(void *arg)
{
	struct job *j = arg;
	struct error err = {{0}};
	int rc = -1;
	struct db *db = db_connect(j->conninfo, &err);
	if (db) {
		if (j->kind->stop == JOB_STOP_ROLLS_BACK) {
			db_set_stop(db, &j->stop);
			pthread_mutex_lock(&j->lock);
			j->cancel = PQgetCancel(db_conn(db));
			pthread_mutex_unlock(&j->lock);
		}
		rc = j->kind->run(j, db, &err);
		pthread_mutex_lock(&j->lock);
		PQfreeCancel(j->cancel);	/* accepts NULL */
		j->cancel = NULL;
		pthread_mutex_unlock(&j->lock);
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

static void job_free(struct job *j)
{
	close(j->pipe[0]);
	close(j->pipe[1]);
	pthread_mutex_destroy(&j->lock);
	free(j->conninfo);
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

bool job_busy(struct app *app)
{
	if (!app->job)
		return false;
	static const char *const how[] = {
		[JOB_RUNS_TO_END] = "; it ends by itself",
		[JOB_STOP_FINISHES] = "; :stop ends it",
		[JOB_STOP_ROLLS_BACK] = "; :stop cancels it",
	};
	app_message(app, true, "%s is running (%s)%s", app->job->kind->name,
		    app->job_state, how[app->job->kind->stop]);
	return true;
}

bool job_start(struct app *app, const struct job_kind *kind, void *data,
	       const char *starting)
{
	if (job_busy(app))
		return false;
	struct job *j = xcalloc(1, sizeof *j);
	j->kind = kind;
	j->data = data;
	if (open_pipe(j->pipe) < 0) {
		app_message(app, true, "cannot start %s: %s", kind->name,
			    strerror(errno));
		free(j);
		return false;
	}
	j->conninfo = xstrdup(app->conninfo);
	pthread_mutex_init(&j->lock, NULL);
	snprintf(j->progress, sizeof j->progress, "%s", starting);
	/* Signals (a resize, Ctrl-Z) are the interface's: the job's threads
	 * start with them all blocked, so they reach the thread that polls. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int started = pthread_create(&j->thread, NULL, job_thread, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started != 0) {
		app_message(app, true, "cannot start %s: no thread for it",
			    kind->name);
		job_free(j);
		return false;
	}
	app->job = j;
	app->message[0] = '\0';
	snprintf(app->job_state, sizeof app->job_state, "%s", starting);
	app->chrome_dirty = true;
	return true;
}

bool job_running(const struct app *app)
{
	return app->job != NULL;
}

/* "A scan", from "a scan". */
static void capitalised(const char *s, char *out, size_t n)
{
	snprintf(out, n, "%s", s);
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

void job_quit_question(const struct app *app, char *out, size_t n)
{
	const struct job *j = app->job;
	char name[32];
	capitalised(j->kind->name, name, sizeof name);
	static const char *const ask[] = {
		[JOB_RUNS_TO_END] = "Quit once it has ended",
		[JOB_STOP_FINISHES] = "Stop it and quit",
		[JOB_STOP_ROLLS_BACK] = "Cancel it (nothing of it is kept) and quit",
	};
	snprintf(out, n, "%s is running (%s). %s? (y/n) ", name, app->job_state,
		 ask[j->kind->stop]);
}

void job_leaving_message(const struct app *app, char *out, size_t n)
{
	const struct job *j = app->job;
	switch (j->kind->stop) {
	case JOB_STOP_FINISHES:
		snprintf(out, n, "stopping %s: finishing the work in progress",
			 j->kind->name);
		break;
	case JOB_STOP_ROLLS_BACK:
		snprintf(out, n, "cancelling %s", j->kind->name);
		break;
	default:
		snprintf(out, n, "waiting for %s to end", j->kind->name);
		break;
	}
}

int job_fd(const struct app *app)
{
	return app->job ? app->job->pipe[0] : -1;
}

/* Sets the stop flag and, for a job that rolls back, cancels the
 * statement running now: the flag refuses every later one, so a cancel
 * that arrives between two statements loses nothing. */
static void ask_to_stop(struct job *j)
{
	atomic_store(&j->stop, 1);
	if (j->kind->stop != JOB_STOP_ROLLS_BACK)
		return;
	pthread_mutex_lock(&j->lock);
	if (j->cancel) {
		char why[256];
		PQcancel(j->cancel, why, sizeof why);
	}
	pthread_mutex_unlock(&j->lock);
}

bool job_stop(struct app *app)
{
	struct job *j = app->job;
	if (!j || j->kind->stop == JOB_RUNS_TO_END)
		return false;
	ask_to_stop(j);
	return true;
}

/* Waits for the thread to end and takes the job off the app; with report
 * set, the kind says what it came to first. */
static void end_job(struct app *app, struct job *j, bool report)
{
	pthread_join(j->thread, NULL);
	app->job = NULL;
	app->job_state[0] = '\0';
	app->chrome_dirty = true;
	if (report)
		j->kind->done(app, j->data, j->rc, &j->err);
	j->kind->free_data(j->data);
	job_free(j);
}

void job_update(struct app *app)
{
	struct job *j = app->job;
	if (!j)
		return;
	char drain[64];
	while (read(j->pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&j->lock);
	bool end = j->finished;
	char note[sizeof j->note];
	memcpy(note, j->note, sizeof note);
	j->note[0] = '\0';
	snprintf(app->job_state, sizeof app->job_state, "%s", j->progress);
	pthread_mutex_unlock(&j->lock);
	app->chrome_dirty = true;
	if (note[0])
		app_message(app, true, "%s", note);
	if (end)
		end_job(app, j, true);
}

void job_finish(struct app *app)
{
	struct job *j = app->job;
	if (!j)
		return;
	ask_to_stop(j);
	end_job(app, j, false);
}
