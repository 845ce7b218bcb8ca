/* send.c - `outreach send`: deliver the pending e-mail of sending campaigns
 * over SMTP. With --once it drains what is due and exits; otherwise it
 * stays, asleep on LISTEN, until SIGTERM or SIGINT, and finishes the
 * messages in flight before it goes. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/permission.h"
#include "net/sender.h"

static const struct cli_option send_options[] = {
	{"campaign", 'c', "NAME", "send only this campaign (default: every "
	 "campaign that is sending)"},
	{"workers", 'w', "N", "SMTP connections at once, one thread each "
	 "(default 2)"},
	{"rate", 'r', "PER_SEC", "at most this many messages a second in this "
	 "process (default: sender.rate, else no cap)"},
	{"once", 0, NULL, "send what is due now, then exit (default: stay and "
	 "wait for new work)"},
	{0},
};

enum { OPT_CAMPAIGN, OPT_WORKERS, OPT_RATE, OPT_ONCE };

struct send_args {
	const char *campaign;
	long workers;
	double rate;		/* < 0: from the configuration */
	bool once;
};

static atomic_int stop_requested;
static int wake_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	(void)sig;
	int saved = errno;
	atomic_store(&stop_requested, 1);
	if (wake_pipe[1] >= 0 && write(wake_pipe[1], "x", 1) < 0) {
		/* the flag alone still stops the run at its next check */
	}
	errno = saved;
}

static int on_option(int index, const char *arg, void *ctx)
{
	struct send_args *a = ctx;
	char *end;
	switch (index) {
	case OPT_CAMPAIGN:
		a->campaign = arg;
		return 0;
	case OPT_WORKERS:
		errno = 0;
		a->workers = strtol(arg, &end, 10);
		if (errno || end == arg || *end || a->workers < 1 || a->workers > 64)
			return cli_usage_error(&cmd_send, "--workers must be a "
					       "whole number from 1 to 64, not '%s'",
					       arg);
		return 0;
	case OPT_RATE:
		errno = 0;
		a->rate = strtod(arg, &end);
		if (errno || end == arg || *end || a->rate < 0 || a->rate > 1e6)
			return cli_usage_error(&cmd_send, "--rate must be a number "
					       "of messages per second from 0 "
					       "(no cap), not '%s'", arg);
		return 0;
	case OPT_ONCE:
		a->once = true;
		return 0;
	}
	return 0;
}

/* Reads the settings of sending from the configuration into o. The
 * password, when there is one, is returned for the caller to wipe. */
static int options_from_config(const struct config *c, struct sender_options *o,
			       char **password, struct error *err)
{
	long n;
	*password = NULL;
	o->smtp.url = config_get(c, CFG_SMTP_URL);
	o->smtp.user = config_get(c, CFG_SMTP_USER);
	o->smtp.ca_file = config_get(c, CFG_SMTP_CA_FILE);
	if (starttls_parse("smtp.starttls", config_get(c, CFG_SMTP_STARTTLS),
			   &o->smtp.starttls, err) < 0)
		return -1;
	if (config_get_long(c, CFG_SMTP_TIMEOUT, 1, 3600, 60, &o->smtp.timeout_s,
			    err) < 0)
		return -1;
	if (o->smtp.user) {
		if (config_read_secret(c, CFG_SMTP_PASSWORD_FILE, password, err) < 0)
			return -1;
		if (!*password)
			return error_set(err, "smtp.user is set but smtp.password_file "
					 "is not: name the file holding the "
					 "password");
		o->smtp.password = *password;
	}
	o->from_address = config_get(c, CFG_SENDER_FROM_ADDRESS);
	o->from_name = config_get(c, CFG_SENDER_FROM_NAME);
	const char *at = o->from_address ? strrchr(o->from_address, '@') : NULL;
	o->smtp.helo_domain = at && at[1] ? at + 1 : "localhost";
	o->unsubscribe_url = config_get(c, CFG_SENDER_UNSUBSCRIBE_URL);
	o->unsubscribe_mailto = config_get(c, CFG_SENDER_UNSUBSCRIBE_MAILTO);
	if (config_get_double(c, CFG_SENDER_RATE, 0, 1e6, 0, &o->rate, err) < 0 ||
	    config_get_double(c, CFG_SENDER_DOMAIN_RATE, 0, 1e6, 0,
			      &o->domain_rate, err) < 0)
		return -1;
	if (config_get_long(c, CFG_SENDER_DAILY_CAP, 0, 100000000, 0,
			    &o->daily_cap, err) < 0)
		return -1;
	if (send_window_parse(config_get(c, CFG_SENDER_WINDOW), &o->window, err) < 0)
		return -1;
	if (config_get_long(c, CFG_SENDER_MAX_ATTEMPTS, 1, 100, 5, &n, err) < 0)
		return -1;
	o->max_attempts = (int)n;
	if (config_get_long(c, CFG_SENDER_RETRY_DELAY, 0, 86400, 60,
			    &o->retry_delay_s, err) < 0 ||
	    config_get_long(c, CFG_SENDER_CLAIM_TIMEOUT, 1, 7 * 86400, 300,
			    &o->claim_timeout_s, err) < 0)
		return -1;
	if (config_get_long(c, CFG_SENDER_BATCH, 1, 10000, 50, &n, err) < 0)
		return -1;
	o->batch = (int)n;
	return 0;
}

struct run {
	struct progress *bar;
	bool bar_on;
};

/* Batch lines are the log of a daemon; with a bar on a terminal they
 * would only scroll it away. Every line may quote an SMTP server or the
 * database: sanitised. */
static void on_log(void *arg, const char *line)
{
	struct run *r = arg;
	if (r->bar_on && strncmp(line, "campaign \"", 10) == 0)
		return;
	char *clean = sanitize_dup(line);
	time_t t = time(NULL);
	struct tm tm;
	char when[32];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", localtime_r(&t, &tm));
	progress_finish(r->bar);
	fprintf(stderr, "%s send: %s\n", when, clean);
	free(clean);
}

static void on_progress(void *arg, const struct sender_tally *t)
{
	struct run *r = arg;
	unsigned long long done = (unsigned long long)(t->sent + t->failed);
	progress_update(r->bar, done, done, (unsigned long long)t->total);
}

static void print_summary(const struct sender_tally *t, double secs)
{
	printf("sent %ld, failed %ld", t->sent, t->failed);
	if (t->suppressed || t->unknown)
		printf(" (%ld suppressed, %ld delivery unknown)", t->suppressed,
		       t->unknown);
	if (t->deferred)
		printf(", %ld deferred for a later try", t->deferred);
	if (t->recovered)
		printf(", %ld left by a stopped worker failed as unknown",
		       t->recovered);
	printf(" in %.1f s\n", secs);
}

static void install_signals(void)
{
	if (pipe(wake_pipe) == 0) {
		fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int check_rights(struct cli *cli)
{
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct actor actor;
	int rc = cli_actor(cli, db, &actor);
	if (rc == EXIT_OK) {
		struct error err = {{0}};
		if (permission_require(&actor, PERM_SEND, &err) < 0) {
			cli_refusal(&actor, &err);
			rc = EXIT_RUNTIME;
		}
	}
	db_close(db);
	return rc;
}

static int run_send(struct cli *cli, int argc, char **argv)
{
	struct send_args a = {.workers = 2, .rate = -1};
	int status = EXIT_OK;
	int first = cli_parse(cli, &cmd_send, argc, argv, on_option, &a, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_send, "unexpected operand '%s'",
				       argv[first]);
	struct config cfg;
	if ((status = cli_config(&cfg)) != EXIT_OK) {
		config_free(&cfg);
		return status;
	}
	struct sender_options o = {0};
	char *password = NULL;
	struct error err = {{0}};
	if (options_from_config(&cfg, &o, &password, &err) < 0 ||
	    sender_check(&o, &err) < 0) {
		cli_error("%s", err.msg);
		status = EXIT_USAGE;
		goto out;
	}
	if ((status = check_rights(cli)) != EXIT_OK)
		goto out;
	o.conninfo = cli->conninfo;
	o.campaign = a.campaign;
	o.workers = (int)a.workers;
	o.once = a.once;
	if (a.rate >= 0)
		o.rate = a.rate;
	if (o.rate > 0 && o.batch > o.rate * 2 + 1)
		o.batch = (int)(o.rate * 2) + 1;	/* a pause acts within ~2 s */
	install_signals();
	o.stop = &stop_requested;
	o.wake_fd = wake_pipe[0];
	struct run r = {.bar_on = a.once && progress_wanted(cli->quiet)};
	r.bar = progress_new("messages", r.bar_on);
	o.log = on_log;
	o.progress = on_progress;
	o.arg = &r;

	double started = clock_seconds();
	struct sender_tally tally;
	int rc = sender_run(&o, &tally, &err);
	double elapsed = clock_seconds() - started;
	progress_free(r.bar);
	print_summary(&tally, elapsed);
	if (rc < 0) {
		cli_error_text(err.msg);
		status = EXIT_RUNTIME;
	}
out:
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	config_free(&cfg);
	return status;
}

const struct cli_command cmd_send = {
	.name = "send",
	.run = run_send,
	.usage = "[--campaign NAME] [--workers N] [--rate PER_SEC] [--once]",
	.summary = "deliver pending e-mail messages over SMTP",
	.options = send_options,
};
