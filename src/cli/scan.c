/* scan.c - `outreach scan`: visit the websites of the chosen businesses,
 * store the contacts found, and say what happened in one summary line. */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"
#include "core/clock.h"
#include "core/sanitize.h"
#include "core/vocab.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/permission.h"
#include "model/scan.h"
#include "net/scanner.h"


static const struct cli_option scan_options[] = {
	{"status", 0, "STATUS", "scan businesses with this status "
	 "(default: pending_scan)"},
	{"id", 0, "N", "scan business N; more ids may follow as operands"},
	{"all", 0, NULL, "scan every business, whatever its status"},
	{"retry-failed", 0, NULL, "rescan only the businesses whose last scan "
	 "failed (left out otherwise)"},
	{"concurrency", 'j', "N", "pages fetched at once over all sites "
	 "(default 16, scan.concurrency)"},
	{"max-pages", 0, "N", "pages read per site at most "
	 "(default 8, scan.max_pages)"},
	{"delay", 0, "MS", "pause between two pages of one site "
	 "(default 1000, scan.delay_ms)"},
	{"timeout", 0, "SECONDS", "give up on a page after this long "
	 "(default 20, scan.timeout)"},
	{"allow-private", 0, NULL, "also connect to loopback, private and "
	 "link-local addresses (for local testing)"},
	{0},
};

enum {
	OPT_STATUS, OPT_ID, OPT_ALL, OPT_RETRY, OPT_CONCURRENCY,
	OPT_MAX_PAGES, OPT_DELAY, OPT_TIMEOUT, OPT_ALLOW_PRIVATE,
};

struct scan_args {
	const char *status;
	bool all, retry_failed, allow_private, by_id;
	int *ids;
	size_t nids;
	struct config cfg;		/* o.contact points into it */
	struct scanner_options o;
};

/* One run of the command: the connection, the bar and the counts. */
struct run {
	struct cli *cli;
	struct db *db;
	struct scan_selection sel;
	struct progress *bar;
	struct scanner_tally t;
};

static int parse_long(const char *what, const char *s, long min, long max,
		      long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return cli_usage_error(&cmd_scan, "%s must be a whole number "
				       "from %ld to %ld, not '%s'", what, min,
				       max, s);
	*out = v;
	return 0;
}

static int add_id(struct scan_args *a, const char *s)
{
	long v;
	int rc = parse_long("a business id", s, 1, 2147483647L, &v);
	if (rc)
		return rc;
	a->ids = xreallocarray(a->ids, a->nids + 1, sizeof *a->ids);
	a->ids[a->nids++] = (int)v;
	a->by_id = true;
	return 0;
}

static int on_option(int index, const char *arg, void *ctx)
{
	struct scan_args *a = ctx;
	switch (index) {
	case OPT_STATUS:
		if (business_status_from_name(arg) < 0)
			return cli_usage_error(&cmd_scan, "unknown status '%s' "
				"(pending_scan, scanned, active or archived)", arg);
		a->status = arg;
		return 0;
	case OPT_ID:
		return add_id(a, arg);
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_RETRY:
		a->retry_failed = true;
		return 0;
	case OPT_CONCURRENCY:
		return parse_long("--concurrency", arg, 1, 1024, &a->o.concurrency);
	case OPT_MAX_PAGES:
		return parse_long("--max-pages", arg, 1, 1000, &a->o.max_pages);
	case OPT_DELAY:
		return parse_long("--delay", arg, 0, 600000, &a->o.delay_ms);
	case OPT_TIMEOUT:
		return parse_long("--timeout", arg, 1, 3600, &a->o.timeout_s);
	case OPT_ALLOW_PRIVATE:
		a->o.allow_private = true;
		return 0;
	}
	return 0;
}

static int parse_args(struct cli *cli, int argc, char **argv,
		      struct scan_args *a, int *status)
{
	/* Settings come from outreach.conf and its OUTREACH_SCAN_*
	 * overrides; options given on the command line win. */
	struct error err = {{0}};
	if ((*status = cli_config(&a->cfg)) != EXIT_OK)
		return -1;
	if (scanner_options_from_config(&a->cfg, &a->o, &err) < 0) {
		*status = cli_usage_error(&cmd_scan, "%s", err.msg);
		return -1;
	}
	int first = cli_parse(cli, &cmd_scan, argc, argv, on_option, a, status);
	if (first < 0)
		return -1;
	for (int i = first; i < argc; i++) {
		if (!a->by_id) {
			*status = cli_usage_error(&cmd_scan, "unexpected operand "
						  "'%s' (ids follow --id)", argv[i]);
			return -1;
		}
		if ((*status = add_id(a, argv[i])))
			return -1;
	}
	if ((a->by_id + a->all + (a->status != NULL)) > 1) {
		*status = cli_usage_error(&cmd_scan, "choose one of --status, "
					  "--id and --all");
		return -1;
	}
	if (a->by_id && a->retry_failed) {
		*status = cli_usage_error(&cmd_scan, "--retry-failed chooses "
					  "businesses itself; drop it or --id");
		return -1;
	}
	return 0;
}

/* The first Ctrl-C (or SIGTERM) stops the scan as `:scan stop` does: no
 * further site is started, those in progress are finished and stored,
 * and the summary is printed. A second one ends the program at once. */
static atomic_int stop_requested;

static void on_stop_signal(int sig)
{
	if (atomic_exchange(&stop_requested, 1)) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	static const char note[] = "\noutreach scan: stopping: finishing the "
				   "sites in progress (Ctrl-C again to abort)\n";
	int saved = errno;
	if (write(STDERR_FILENO, note, sizeof note - 1) < 0) {
		/* nothing to do about it in a signal handler */
	}
	errno = saved;
}

static void catch_stop_signals(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Everything printed here may come from the web: sanitised. */
static void on_unreachable(void *ctx, int business_id, const char *website,
			   const char *why)
{
	struct run *r = ctx;
	char *site = sanitize_dup(website), *reason = sanitize_dup(why);
	progress_finish(r->bar);
	cli_error("business %d (%s): unreachable: %s", business_id, site, reason);
	free(site);
	free(reason);
}

static void on_progress(void *ctx, long done, long total)
{
	struct run *r = ctx;
	unsigned long long d = done > 0 ? (unsigned long long)done : 0;
	progress_update(r->bar, d, d, total > 0 ? (unsigned long long)total : 0);
}

static int check_ids(struct run *r, const struct scan_args *a)
{
	int *missing;
	size_t n;
	struct error err = {{0}};
	if (scan_missing_ids(r->db, a->ids, a->nids, &missing, &n, &err) < 0) {
		cli_error("%s: %s", db_describe(r->db), err.msg);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		cli_error("there is no business with id %d; 'outreach export' "
			  "lists them", missing[i]);
	free(missing);
	return (int)n;
}

static void print_summary(const struct run *r, double elapsed)
{
	const struct scanner_tally *t = &r->t;
	printf("scanned %ld, found %ld emails, %ld social, %ld phones, "
	       "%ld forms, %ld unreachable", t->scanned, t->emails, t->social,
	       t->phones, t->forms, t->unreachable);
	if (t->skipped)
		printf(", %ld skipped without website", t->skipped);
	printf("; %ld new contacts stored", t->added);
	if (t->stopped)
		printf(" (stopped: %ld of %ld sites not started)",
		       t->total - t->done, t->total);
	printf("\n");
	fflush(stdout);
	if (!r->cli->quiet) {
		fprintf(stderr, "fetched %zu URLs (%.1f MiB) in %.2f s\n", t->urls,
			(double)t->bytes / (1024.0 * 1024.0), elapsed);
	}
}

static int scan_with(struct run *r, const struct scan_args *a)
{
	int missing = 0;
	if (a->by_id && (missing = check_ids(r, a)) < 0)
		return EXIT_RUNTIME;
	if (a->o.allow_private)
		cli_error("--allow-private: the address guard is off; loopback, "
			  "private and link-local addresses will be fetched");
	struct scanner_hooks hooks = {r, on_progress, on_unreachable};
	struct error err = {{0}};
	struct scanner_options o = a->o;
	o.stop = &stop_requested;
	catch_stop_signals();
	double t0 = clock_seconds();
	r->bar = progress_new("sites", progress_wanted(r->cli->quiet));
	int rc = scanner_run(r->db, &r->sel, &o, &hooks, &r->t, &err);
	progress_free(r->bar);
	r->bar = NULL;
	if (rc < 0) {
		cli_error("%s", err.msg);
		if (r->t.done == 0)
			return EXIT_RUNTIME;
	}
	print_summary(r, clock_seconds() - t0);
	if (rc < 0)
		return EXIT_RUNTIME;
	if (r->t.stopped)
		return EXIT_RUNTIME;
	return r->t.unreachable || missing ? EXIT_REJECTED : EXIT_OK;
}

static int run_scan(struct cli *cli, int argc, char **argv)
{
	struct scan_args a = {0};
	int status;
	if (parse_args(cli, argc, argv, &a, &status) < 0) {
		free(a.ids);
		config_free(&a.cfg);
		return status;
	}
	struct run r = {.cli = cli};
	r.sel.retry_failed = a.retry_failed;
	if (a.by_id) {
		r.sel.scope = SCAN_BY_ID;
		r.sel.ids = a.ids;
		r.sel.nids = a.nids;
	} else if (a.all) {
		r.sel.scope = SCAN_EVERYTHING;
	} else {
		r.sel.scope = SCAN_BY_STATUS;
		r.sel.status = a.status ? a.status : "pending_scan";
	}
	r.db = cli_connect_migrated(cli);
	if (!r.db) {
		free(a.ids);
		config_free(&a.cfg);
		return EXIT_RUNTIME;
	}
	/* --user logs in and is held to that user's rights. */
	struct actor who;
	struct error err = {{0}};
	status = cli_actor(cli, r.db, &who);
	if (status == EXIT_OK && permission_require(&who, PERM_SCAN, &err) < 0) {
		cli_refusal(&who, &err);
		status = EXIT_RUNTIME;
	}
	if (status == EXIT_OK)
		status = scan_with(&r, &a);
	db_close(r.db);
	free(a.ids);
	config_free(&a.cfg);
	return status;
}

const struct cli_command cmd_scan = {
	.name = "scan",
	.run = run_scan,
	.usage = "[--status S | --id N... | --all] [--retry-failed] "
		 "[--concurrency N] [--max-pages N] [--allow-private]",
	.summary = "scan business websites for e-mails, profiles, phones and forms",
	.options = scan_options,
};
