/* scanner.c - the scan loop: keyset batches of businesses feed a window of
 * sites in flight, finished sites are stored in groups (every 100 sites or
 * every second) on a thread of their own, so no transaction stays open
 * across network waits and no transfer waits for the database. */
#include "net/scanner.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/extract.h"
#include "core/vocab.h"
#include "core/xalloc.h"
#include "net/crawl.h"
#include "net/pagework.h"
#include "net/fetch.h"

#define BATCH_SIZE 256		/* businesses read from the database at once */
#define STORE_EVERY 100		/* finished sites stored together */
#define STORE_AFTER_S 1.0	/* ... or after this long */
#define MAX_PAGE_BYTES (2 * 1024 * 1024)
/* Sites in flight per transfer slot: enough that the pause between one
 * site's pages leaves no slot idle. */
#define WINDOW_PER_TRANSFER 4

/* ---- storing, on a thread of its own ----
 * The transfers and the page workers never wait for the database: the
 * loop hands a group of finished sites to the storer and goes on. It
 * waits only to hand over the next group before the last is stored, and
 * for the connection itself when it reads the next businesses (db_lock
 * keeps the two threads' statements apart). */

struct storer {
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cv;		/* a group arrived, was stored, or stop */
	pthread_mutex_t db_lock;
	struct db *db;
	struct crawl_site **sites;	/* the group being stored; NULL: idle */
	size_t nsites;
	bool stop;
	bool failed;			/* sticks: later groups are not stored */
	long added;
	struct error err;
};

struct run {
	struct db *db;
	const struct scan_selection *sel;
	const struct scanner_hooks *hooks;
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
	long total;
	struct scanner_tally *t;
	struct error *err;
	struct storer store;
	const atomic_int *stop;
};

int scanner_options_from_config(const struct config *c,
				struct scanner_options *o, struct error *err)
{
	memset(o, 0, sizeof *o);
	if (config_get_long(c, CFG_SCAN_CONCURRENCY, 1, 1024, 16,
			    &o->concurrency, err) < 0 ||
	    config_get_long(c, CFG_SCAN_MAX_PAGES, 1, 1000, 8, &o->max_pages,
			    err) < 0 ||
	    config_get_long(c, CFG_SCAN_DELAY_MS, 0, 600000, 1000, &o->delay_ms,
			    err) < 0 ||
	    config_get_long(c, CFG_SCAN_TIMEOUT, 1, 3600, 20, &o->timeout_s,
			    err) < 0)
		return -1;
	o->contact = config_get(c, CFG_SCAN_USER_AGENT);
	return 0;
}

static void tally_contacts(struct scanner_tally *t, const struct extract_result *r)
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

static void store_group(struct storer *st, struct crawl_site **sites,
			size_t n)
{
	struct scan_result *res = xcalloc(n, sizeof *res);
	for (size_t i = 0; i < n; i++) {
		const struct crawl_site *s = sites[i];
		res[i] = (struct scan_result){
			.business_id = s->business_id, .contacts = &s->contacts,
			.pages = s->pages, .error = s->error,
		};
	}
	long added = 0;
	struct error err = {{0}};
	pthread_mutex_lock(&st->db_lock);
	int rc = scan_store(st->db, res, n, &added, &err);
	if (rc < 0)
		error_prefix(&err, "%s: cannot store the results of %zu sites",
			     db_describe(st->db), n);
	pthread_mutex_unlock(&st->db_lock);
	free(res);
	pthread_mutex_lock(&st->lock);
	st->added += added;
	if (rc < 0 && !st->failed) {
		st->failed = true;
		st->err = err;
	}
	pthread_mutex_unlock(&st->lock);
}

static void *storer_main(void *arg)
{
	struct storer *st = arg;
	pthread_mutex_lock(&st->lock);
	for (;;) {
		while (!st->sites && !st->stop)
			pthread_cond_wait(&st->cv, &st->lock);
		if (!st->sites)
			break;
		struct crawl_site **sites = st->sites;
		size_t n = st->nsites;
		bool skip = st->failed;
		pthread_mutex_unlock(&st->lock);
		if (!skip)
			store_group(st, sites, n);
		for (size_t i = 0; i < n; i++)
			crawl_site_free(sites[i]);
		free(sites);
		pthread_mutex_lock(&st->lock);
		st->sites = NULL;
		pthread_cond_broadcast(&st->cv);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

/* Waits for the group in progress; 0, or -1 with err set once a group
 * could not be stored. */
static int storer_wait(struct storer *st, struct scanner_tally *t,
		       struct error *err)
{
	pthread_mutex_lock(&st->lock);
	while (st->sites)
		pthread_cond_wait(&st->cv, &st->lock);
	t->added = st->added;
	int rc = 0;
	if (st->failed) {
		*err = st->err;
		rc = -1;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int storer_start(struct storer *st, struct db *db, struct error *err)
{
	memset(st, 0, sizeof *st);
	st->db = db;
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->db_lock, NULL);
	pthread_cond_init(&st->cv, NULL);
	if (pthread_create(&st->thread, NULL, storer_main, st) != 0)
		return error_set(err, "cannot start a thread to store results");
	st->started = true;
	return 0;
}

static void storer_stop(struct storer *st)
{
	if (st->started) {
		pthread_mutex_lock(&st->lock);
		st->stop = true;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->lock);
		pthread_join(st->thread, NULL);
	}
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->db_lock);
	pthread_mutex_destroy(&st->lock);
}

/* Hands the finished sites to the storer, once the previous group is in. */
static int store_finished(struct run *r)
{
	if (storer_wait(&r->store, r->t, r->err) < 0)
		return -1;
	if (!r->nfinished)
		return 0;
	pthread_mutex_lock(&r->store.lock);
	r->store.sites = r->finished;
	r->store.nsites = r->nfinished;
	pthread_cond_broadcast(&r->store.cv);
	pthread_mutex_unlock(&r->store.lock);
	r->finished = NULL;
	r->nfinished = 0;
	r->last_store = clock_seconds();
	return 0;
}

static void collect_finished(struct run *r)
{
	struct crawl_site *s;
	while ((s = crawler_take_finished(r->c))) {
		r->t->done++;
		if (s->error) {
			r->t->unreachable++;
			if (r->hooks && r->hooks->unreachable)
				r->hooks->unreachable(r->hooks->ctx, s->business_id,
						      s->website, s->error);
		} else {
			r->t->scanned++;
			tally_contacts(r->t, &s->contacts);
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
	if (!r->exhausted && r->stop && atomic_load(r->stop)) {
		r->exhausted = true;
		r->t->stopped = true;
	}
	while (!r->exhausted && crawler_in_progress(r->c) < r->window) {
		if (r->batch_pos == r->batch.len) {
			scan_batch_free(&r->batch);
			r->batch_pos = 0;
			pthread_mutex_lock(&r->store.db_lock);
			int rc = scan_next_targets(r->db, r->sel, r->after_id,
						   BATCH_SIZE, &r->batch, r->err);
			pthread_mutex_unlock(&r->store.db_lock);
			if (rc < 0)
				return error_prefix(r->err, "%s", db_describe(r->db));
			if (r->batch.len == 0) {
				r->exhausted = true;
				break;
			}
		}
		const struct scan_target *t = &r->batch.items[r->batch_pos++];
		r->after_id = t->id;
		if (!t->website) {
			r->t->skipped++;
			r->t->done++;
		} else {
			crawler_add(r->c, t->id, t->website);
		}
	}
	return 0;
}

static void report_progress(struct run *r)
{
	if (r->hooks && r->hooks->progress)
		r->hooks->progress(r->hooks->ctx, r->t->done, r->total);
}

static int crawl_all(struct run *r)
{
	if (feed(r) < 0)
		return -1;
	r->last_store = clock_seconds();
	report_progress(r);
	while (crawler_in_progress(r->c) > 0) {
		crawler_step(r->c, 200);
		collect_finished(r);
		if ((r->nfinished >= STORE_EVERY ||
		     (r->nfinished && clock_seconds() - r->last_store > STORE_AFTER_S)) &&
		    store_finished(r) < 0)
			return -1;
		if (feed(r) < 0)
			return -1;
		report_progress(r);
	}
	int rc = store_finished(r);
	if (rc == 0)
		rc = storer_wait(&r->store, r->t, r->err);
	report_progress(r);
	return rc;
}

static struct fetcher *make_fetcher(const struct scanner_options *o,
				    struct error *err)
{
	char *ua = fetch_user_agent(o->contact);
	struct fetch_options fo = {
		.user_agent = ua,
		.connect_timeout_ms = o->timeout_s < 10 ? o->timeout_s * 1000 : 10000,
		.timeout_ms = o->timeout_s * 1000,
		.max_bytes = MAX_PAGE_BYTES,
		.host_delay_ms = o->delay_ms,
		.max_transfers = (int)o->concurrency,
		.keep_connections = (int)o->concurrency * WINDOW_PER_TRANSFER,
		.allow_private = o->allow_private,
	};
	struct fetcher *f = fetcher_new(&fo, err);
	free(ua);
	return f;
}

int scanner_run(struct db *db, const struct scan_selection *sel,
		const struct scanner_options *o, const struct scanner_hooks *h,
		struct scanner_tally *t, struct error *err)
{
	memset(t, 0, sizeof *t);
	struct run r = {.db = db, .sel = sel, .hooks = h, .t = t, .err = err,
			.stop = o->stop};
	long with_site, without;
	if (scan_count_targets(db, sel, &with_site, &without, err) < 0)
		return error_prefix(err, "%s", db_describe(db));
	r.total = t->total = with_site + without;
	r.f = make_fetcher(o, err);
	if (!r.f)
		return -1;
	r.c = crawler_new(r.f, page_workers_default_threads(),
			  (int)o->max_pages, err);
	if (!r.c) {
		fetcher_free(r.f);
		return -1;
	}
	r.window = (size_t)o->concurrency * WINDOW_PER_TRANSFER;
	int rc = storer_start(&r.store, db, err);
	if (rc == 0)
		rc = crawl_all(&r);
	storer_stop(&r.store);	/* stores the group it holds first */
	fetcher_stats(r.f, &t->urls, &t->bytes);
	crawler_stop(r.c);	/* its page workers wake the fetcher */
	fetcher_free(r.f);	/* before the crawler: it owns the callbacks' data */
	crawler_free(r.c);
	for (size_t i = 0; i < r.nfinished; i++)
		crawl_site_free(r.finished[i]);
	free(r.finished);
	scan_batch_free(&r.batch);
	return rc;
}
