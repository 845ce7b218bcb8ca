/* scan.c - `outreach scan`: visit the websites of the chosen businesses,
 * store the contacts found, and say what happened in one summary line. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/progress.h"
#include "core/extract.h"
#include "core/sanitize.h"
#include "core/vocab.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/permission.h"
#include "model/scan.h"
#include "net/crawl.h"
#include "net/fetch.h"

#define BATCH_SIZE 256		/* businesses read from the database at once */
#define STORE_EVERY 100		/* finished sites stored together */
#define STORE_AFTER_S 1.0	/* ... or after this long */
#define MAX_PAGE_BYTES (2 * 1024 * 1024)

static const struct cli_option scan_options[] = {
	{"status", 0, "STATUS", "scan businesses with this status "
	 "(default: pending_scan)"},
	{"id", 0, "N", "scan business N; more ids may follow as operands"},
	{"all", 0, NULL, "scan every business, whatever its status"},
	{"retry-failed", 0, NULL, "rescan only the businesses whose last scan "
	 "failed (left out otherwise)"},
	{"concurrency", 'j', "N", "pages fetched at once over all sites "
	 "(default 16, $OUTREACH_SCAN_CONCURRENCY)"},
	{"max-pages", 0, "N", "pages read per site at most "
	 "(default 8, $OUTREACH_SCAN_MAX_PAGES)"},
	{"delay", 0, "MS", "pause between two pages of one site "
	 "(default 1000, $OUTREACH_SCAN_DELAY_MS)"},
	{"timeout", 0, "SECONDS", "give up on a page after this long "
	 "(default 20, $OUTREACH_SCAN_TIMEOUT)"},
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
	long concurrency, max_pages, delay_ms, timeout_s;
};

struct tally {
	long scanned, unreachable, skipped, done;
	long emails, social, phones, forms, added;
};

/* One run of the command: the database, the network side and counts. */
struct run {
	struct cli *cli;
	struct db *db;
	struct scan_selection sel;
	struct fetcher *f;
	struct crawler *c;
	struct scan_batch batch;
	size_t batch_pos;
	int after_id;
	bool exhausted;
	size_t window;			/* sites in progress at most */
	struct crawl_site **finished;	/* read, not yet stored */
	size_t nfinished;
	double last_store;
	struct progress *bar;
	long total;			/* businesses selected */
	struct tally t;
};

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* Settings come from the environment until a configuration file module
 * exists; options given on the command line win. */
static int from_env(const char *name, long min, long max, long *out)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	return parse_long(name, v, min, max, out);
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
		return parse_long("--concurrency", arg, 1, 1024, &a->concurrency);
	case OPT_MAX_PAGES:
		return parse_long("--max-pages", arg, 1, 1000, &a->max_pages);
	case OPT_DELAY:
		return parse_long("--delay", arg, 0, 600000, &a->delay_ms);
	case OPT_TIMEOUT:
		return parse_long("--timeout", arg, 1, 3600, &a->timeout_s);
	case OPT_ALLOW_PRIVATE:
		a->allow_private = true;
		return 0;
	}
	return 0;
}

static int parse_args(struct cli *cli, int argc, char **argv,
		      struct scan_args *a, int *status)
{
	a->concurrency = 16;
	a->max_pages = 8;
	a->delay_ms = 1000;
	a->timeout_s = 20;
	if ((*status = from_env("OUTREACH_SCAN_CONCURRENCY", 1, 1024, &a->concurrency)) ||
	    (*status = from_env("OUTREACH_SCAN_MAX_PAGES", 1, 1000, &a->max_pages)) ||
	    (*status = from_env("OUTREACH_SCAN_DELAY_MS", 0, 600000, &a->delay_ms)) ||
	    (*status = from_env("OUTREACH_SCAN_TIMEOUT", 1, 3600, &a->timeout_s)))
		return -1;
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

static void tally_contacts(struct tally *t, const struct extract_result *r)
{
	for (size_t i = 0; i < r->len; i++) {
		switch (r->items[i].type) {
		case CONTACT_EMAIL:
			t->emails++;
			break;
		case CONTACT_PHONE:
			t->phones++;
			break;
		case CONTACT_CONTACT_FORM:
			t->forms++;
			break;
		default:
			t->social++;
			break;
		}
	}
}

/* Everything printed here may come from the web: sanitised. */
static void report_unreachable(struct run *r, const struct crawl_site *s)
{
	char *site = sanitize_dup(s->website), *why = sanitize_dup(s->error);
	progress_finish(r->bar);
	cli_error("business %d (%s): unreachable: %s", s->business_id, site, why);
	free(site);
	free(why);
}

static int store_finished(struct run *r)
{
	if (!r->nfinished)
		return 0;
	struct scan_result *res = xcalloc(r->nfinished, sizeof *res);
	for (size_t i = 0; i < r->nfinished; i++) {
		const struct crawl_site *s = r->finished[i];
		res[i] = (struct scan_result){
			.business_id = s->business_id, .contacts = &s->contacts,
			.pages = s->pages, .error = s->error,
		};
	}
	struct error err = {{0}};
	long added = 0;
	int rc = scan_store(r->db, res, r->nfinished, &added, &err);
	if (rc < 0)
		cli_error("%s: cannot store the results of %zu sites: %s",
			  db_describe(r->db), r->nfinished, err.msg);
	r->t.added += added;
	for (size_t i = 0; i < r->nfinished; i++)
		crawl_site_free(r->finished[i]);
	free(res);
	r->nfinished = 0;
	r->last_store = seconds_now();
	return rc;
}

static void collect_finished(struct run *r)
{
	struct crawl_site *s;
	while ((s = crawler_take_finished(r->c))) {
		r->t.done++;
		if (s->error) {
			r->t.unreachable++;
			report_unreachable(r, s);
		} else {
			r->t.scanned++;
			tally_contacts(&r->t, &s->contacts);
		}
		r->finished = xreallocarray(r->finished, r->nfinished + 1,
					    sizeof *r->finished);
		r->finished[r->nfinished++] = s;
	}
}

/* Starts sites until the window is full, reading businesses in keyset
 * batches so a million of them never sit in memory at once. */
static int feed(struct run *r)
{
	struct error err = {{0}};
	while (!r->exhausted && crawler_in_progress(r->c) < r->window) {
		if (r->batch_pos == r->batch.len) {
			scan_batch_free(&r->batch);
			r->batch_pos = 0;
			if (scan_next_targets(r->db, &r->sel, r->after_id,
					      BATCH_SIZE, &r->batch, &err) < 0) {
				cli_error("%s: %s", db_describe(r->db), err.msg);
				return -1;
			}
			if (r->batch.len == 0) {
				r->exhausted = true;
				break;
			}
		}
		const struct scan_target *t = &r->batch.items[r->batch_pos++];
		r->after_id = t->id;
		if (!t->website) {
			r->t.skipped++;
			r->t.done++;
		} else {
			crawler_add(r->c, t->id, t->website);
		}
	}
	return 0;
}

static int crawl_all(struct run *r)
{
	if (feed(r) < 0)
		return -1;
	r->last_store = seconds_now();
	while (crawler_in_progress(r->c) > 0) {
		fetcher_step(r->f, 200);
		collect_finished(r);
		if ((r->nfinished >= STORE_EVERY ||
		     (r->nfinished && seconds_now() - r->last_store > STORE_AFTER_S)) &&
		    store_finished(r) < 0)
			return -1;
		if (feed(r) < 0)
			return -1;
		unsigned long long done = r->t.done > 0 ? (unsigned long long)r->t.done : 0;
		progress_update(r->bar, done, done,
				r->total > 0 ? (unsigned long long)r->total : 0);
	}
	return store_finished(r);
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

static struct fetcher *make_fetcher(const struct scan_args *a)
{
	char *ua = fetch_user_agent(getenv("OUTREACH_SCAN_USER_AGENT"));
	struct fetch_options o = {
		.user_agent = ua,
		.connect_timeout_ms = a->timeout_s < 10 ? a->timeout_s * 1000 : 10000,
		.timeout_ms = a->timeout_s * 1000,
		.max_bytes = MAX_PAGE_BYTES,
		.host_delay_ms = a->delay_ms,
		.max_transfers = (int)a->concurrency,
		.allow_private = a->allow_private,
	};
	struct error err = {{0}};
	struct fetcher *f = fetcher_new(&o, &err);
	if (!f)
		cli_error("%s", err.msg);
	free(ua);
	return f;
}

static void print_summary(const struct run *r, double elapsed)
{
	const struct tally *t = &r->t;
	printf("scanned %ld, found %ld emails, %ld social, %ld phones, "
	       "%ld forms, %ld unreachable", t->scanned, t->emails, t->social,
	       t->phones, t->forms, t->unreachable);
	if (t->skipped)
		printf(", %ld skipped without website", t->skipped);
	printf("; %ld new contacts stored\n", t->added);
	fflush(stdout);
	if (!r->cli->quiet) {
		size_t urls, bytes;
		fetcher_stats(r->f, &urls, &bytes);
		fprintf(stderr, "fetched %zu URLs (%.1f MiB) in %.2f s\n", urls,
			(double)bytes / (1024.0 * 1024.0), elapsed);
	}
}

static int scan_with(struct run *r, const struct scan_args *a)
{
	long with_site, without;
	struct error err = {{0}};
	int missing = 0;
	if (a->by_id && (missing = check_ids(r, a)) < 0)
		return EXIT_RUNTIME;
	if (scan_count_targets(r->db, &r->sel, &with_site, &without, &err) < 0) {
		cli_error("%s: %s", db_describe(r->db), err.msg);
		return EXIT_RUNTIME;
	}
	struct extractor *x = extractor_new(&err);
	if (!x) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	r->f = make_fetcher(a);
	if (!r->f) {
		extractor_free(x);
		return EXIT_RUNTIME;
	}
	if (a->allow_private)
		cli_error("--allow-private: the address guard is off; loopback, "
			  "private and link-local addresses will be fetched");
	r->c = crawler_new(r->f, x, (int)a->max_pages);
	/* Enough sites in flight that the pause between one site's pages
	 * leaves no transfer slot idle. */
	r->window = (size_t)a->concurrency * 4;
	double t0 = seconds_now();
	r->total = with_site + without;
	r->bar = progress_new("sites", progress_wanted(r->cli->quiet));
	int rc = crawl_all(r);
	progress_free(r->bar);
	r->bar = NULL;
	print_summary(r, seconds_now() - t0);
	fetcher_free(r->f);	/* before the crawler: it owns the callbacks' data */
	crawler_free(r->c);
	extractor_free(x);
	for (size_t i = 0; i < r->nfinished; i++)
		crawl_site_free(r->finished[i]);
	free(r->finished);
	scan_batch_free(&r->batch);
	if (rc < 0)
		return EXIT_RUNTIME;
	return r->t.unreachable || missing ? EXIT_REJECTED : EXIT_OK;
}

static int run_scan(struct cli *cli, int argc, char **argv)
{
	struct scan_args a = {0};
	int status;
	if (parse_args(cli, argc, argv, &a, &status) < 0) {
		free(a.ids);
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
