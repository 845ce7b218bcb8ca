/* sender.c - the send workers. Each thread owns a database session named
 * after it and one SMTP connection reused for every message; it claims a
 * batch, sends message by message, and records outcomes at least once a
 * second, so the monitor moves and a pause takes effect quickly. A message
 * is released unsent when the run stops, its campaign leaves 'sending', or
 * the server cannot be used; it is never sent twice, because nothing but a
 * claim leads to a send and a lost claim fails as unknown. */
#include "net/sender.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/delivery.h"
#include "net/mime.h"
#include "net/throttle.h"

#define MAX_RETRY_DELAY_S (6 * 3600)

struct shared {
	const struct sender_options *o;
	struct throttle *throttle;
	pthread_mutex_t lock;		/* guards all below and the callbacks */
	struct sender_tally tally;
	long cap_left;			/* -1: no daily cap */
	bool unavailable;		/* the SMTP server cannot be used */
	bool db_failed;
	struct error err;		/* why, for the first of those */
	char base_name[96];
};

struct worker {
	struct shared *sh;
	int index;
	char name[128];
	pthread_t thread;
	struct db *db;
	struct smtp_session *smtp;
	struct delivery_outcome *out;	/* recorded at the next flush */
	size_t nout, outcap;
	double last_flush;
	struct mime_writer *mime;	/* keeps GMime's objects between messages */
	struct buf mail;
	/* the batch in progress, for its log line */
	long b_sent, b_failed, b_retry, b_unknown, b_released;
};

static void logf_locked(struct shared *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void logf_locked(struct shared *sh, const char *fmt, ...)
{
	if (!sh->o->log)
		return;
	char line[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sh->o->log(sh->o->arg, line);
}

static void shared_fail(struct shared *sh, bool unavailable, const char *msg)
{
	pthread_mutex_lock(&sh->lock);
	if (!sh->unavailable && !sh->db_failed)
		error_set(&sh->err, "%s", msg);
	if (unavailable)
		sh->unavailable = true;
	else
		sh->db_failed = true;
	pthread_mutex_unlock(&sh->lock);
}

static bool should_stop(struct shared *sh)
{
	if (atomic_load(sh->o->stop))
		return true;
	pthread_mutex_lock(&sh->lock);
	bool bad = sh->unavailable || sh->db_failed;
	pthread_mutex_unlock(&sh->lock);
	return bad;
}

/* ---- sending one message ---- */

static struct delivery_outcome *add_outcome(struct worker *w, int id,
					    enum delivery_result r)
{
	if (w->nout == w->outcap) {
		w->outcap = w->outcap ? w->outcap * 2 : 64;
		w->out = xreallocarray(w->out, w->outcap, sizeof *w->out);
	}
	struct delivery_outcome *o = &w->out[w->nout++];
	memset(o, 0, sizeof *o);
	o->id = id;
	o->result = r;
	return o;
}

static void iso_now(char *out, size_t n)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char day[32];
	strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, n, "%.19s.%06d+00", day, (int)(ts.tv_nsec / 1000 % 1000000));
}

/* The unsubscribe link of one message: the configured pattern with every
 * "{token}" replaced. Caller frees; NULL when none is configured. */
static char *unsubscribe_link(const char *pattern, const char *token)
{
	if (!pattern)
		return NULL;
	struct buf b = {0};
	for (const char *p = pattern; *p;) {
		if (strncmp(p, "{token}", 7) == 0) {
			buf_puts(&b, token ? token : "");
			p += 7;
		} else {
			buf_putc(&b, *p++);
		}
	}
	buf_reserve(&b, 1);
	return buf_detach(&b);
}

static long retry_delay(const struct sender_options *o, int attempts)
{
	double d = (double)o->retry_delay_s * pow(2, attempts > 1 ? attempts - 1 : 0);
	return d > MAX_RETRY_DELAY_S ? MAX_RETRY_DELAY_S : (long)d;
}

static void send_one(struct worker *w, const struct delivery_item *it)
{
	const struct sender_options *o = w->sh->o;
	struct error err = {{0}};
	if (it->suppressed) {
		struct delivery_outcome *d = add_outcome(w, it->id, DELIVERY_FAILED);
		d->error = xasprintf("suppressed: %s", it->suppressed_reason
					     ? it->suppressed_reason
					     : "asked not to be contacted");
		w->b_failed++;
		pthread_mutex_lock(&w->sh->lock);
		w->sh->tally.suppressed++;
		pthread_mutex_unlock(&w->sh->lock);
		return;
	}
	if (mime_check_address(it->to, "recipient", &err) < 0) {
		add_outcome(w, it->id, DELIVERY_FAILED)->error = xstrdup(err.msg);
		w->b_failed++;
		return;
	}
	double wait = throttle_reserve(w->sh->throttle, it->to);
	if (throttle_sleep(wait, o->stop)) {
		add_outcome(w, it->id, DELIVERY_RELEASE);
		w->b_released++;
		return;
	}
	char *mid = mime_new_message_id(o->from_address);
	char *link = unsubscribe_link(o->unsubscribe_url, it->unsubscribe_token);
	struct mail m = {
		.from_name = o->from_name, .from_address = o->from_address,
		.to_address = it->to, .subject = it->subject, .body = it->body,
		.message_id = mid, .unsubscribe_url = link,
		.unsubscribe_mailto = o->unsubscribe_mailto,
		.unsubscribe_token = it->unsubscribe_token, .date = time(NULL),
	};
	buf_reset(&w->mail);
	if (mime_writer_build(w->mime, &m, &w->mail, &err) < 0) {
		add_outcome(w, it->id, DELIVERY_FAILED)->error = xstrdup(err.msg);
		w->b_failed++;
		free(mid);
		free(link);
		return;
	}
	free(link);
	char reply[600];
	enum smtp_outcome r = smtp_send(w->smtp, o->from_address, it->to,
					w->mail.data, w->mail.len, reply,
					sizeof reply);
	struct delivery_outcome *d;
	switch (r) {
	case SMTP_SENT:
		d = add_outcome(w, it->id, DELIVERY_SENT);
		iso_now(d->sent_at, sizeof d->sent_at);
		w->b_sent++;
		break;
	case SMTP_REJECTED:
		d = add_outcome(w, it->id, DELIVERY_FAILED);
		d->error = xasprintf("rejected: %s", reply);
		w->b_failed++;
		break;
	case SMTP_DEFERRED:
		if (it->attempts >= o->max_attempts) {
			d = add_outcome(w, it->id, DELIVERY_FAILED);
			d->error = xasprintf("gave up after %d attempts: %s",
					     it->attempts, reply);
			w->b_failed++;
		} else {
			d = add_outcome(w, it->id, DELIVERY_RETRY);
			d->error = xasprintf("deferred: %s", reply);
			d->retry_delay_s = retry_delay(o, it->attempts);
			w->b_retry++;
		}
		break;
	case SMTP_UNKNOWN:
		d = add_outcome(w, it->id, DELIVERY_FAILED);
		d->error = xasprintf(DELIVERY_UNKNOWN_PREFIX "connection lost "
				     "during send: %s", reply);
		d->unknown = true;
		w->b_unknown++;
		break;
	case SMTP_UNAVAILABLE:
	default:
		d = add_outcome(w, it->id, DELIVERY_RELEASE);
		w->b_released++;
		char *msg = xasprintf("cannot send through %s: %s", o->smtp.url,
				      reply);
		shared_fail(w->sh, true, msg);
		free(msg);
		break;
	}
	d->message_id = mid;
}

/* ---- recording ---- */

static void free_outcomes(struct worker *w)
{
	for (size_t i = 0; i < w->nout; i++) {
		free(w->out[i].error);
		free(w->out[i].message_id);
	}
	w->nout = 0;
}

static void count_outcomes(struct worker *w)
{
	struct shared *sh = w->sh;
	pthread_mutex_lock(&sh->lock);
	for (size_t i = 0; i < w->nout; i++) {
		const struct delivery_outcome *d = &w->out[i];
		switch (d->result) {
		case DELIVERY_SENT: sh->tally.sent++; break;
		case DELIVERY_RETRY: sh->tally.deferred++; break;
		case DELIVERY_FAILED:
			sh->tally.failed++;
			if (d->unknown)
				sh->tally.unknown++;
			break;
		case DELIVERY_RELEASE:
			if (sh->cap_left >= 0)
				sh->cap_left++;
			break;
		}
	}
	if (sh->o->progress)
		sh->o->progress(sh->o->arg, &sh->tally);
	pthread_mutex_unlock(&sh->lock);
}

static int reconnect(struct worker *w, struct error *err)
{
	db_close(w->db);
	w->db = db_connect(w->sh->o->conninfo, err);
	if (!w->db)
		return -1;
	return delivery_register(w->db, w->name, err);
}

/* Records the outcomes so far. A lost connection is tried once more on a
 * new one: the claims are still ours under the same session name. */
static int flush(struct worker *w)
{
	w->last_flush = clock_seconds();
	if (w->nout == 0)
		return 0;
	struct error err = {{0}};
	int rc = delivery_finish(w->db, w->name, w->out, w->nout, &err);
	if (rc < 0 && !db_ok(w->db) && reconnect(w, &err) == 0)
		rc = delivery_finish(w->db, w->name, w->out, w->nout, &err);
	if (rc < 0) {
		char *msg = xasprintf("cannot record sent messages: %s (their "
				      "claims stay; see `outreach messages`)",
				      err.msg);
		shared_fail(w->sh, false, msg);
		free(msg);
		free_outcomes(w);
		return -1;
	}
	count_outcomes(w);
	free_outcomes(w);
	return 0;
}

/* ---- the worker loop ---- */

/* Takes up to want messages from the daily cap; 0 when it is used up. */
static int take_cap(struct shared *sh, int want)
{
	pthread_mutex_lock(&sh->lock);
	if (sh->cap_left >= 0) {
		if (sh->cap_left < want)
			want = (int)sh->cap_left;
		sh->cap_left -= want;
	}
	pthread_mutex_unlock(&sh->lock);
	return want;
}

static void give_back_cap(struct shared *sh, int n)
{
	pthread_mutex_lock(&sh->lock);
	if (sh->cap_left >= 0)
		sh->cap_left += n;
	pthread_mutex_unlock(&sh->lock);
}

static bool campaign_still_sending(struct worker *w, int campaign_id)
{
	struct error err = {{0}};
	char *st = delivery_campaign_status(w->db, campaign_id, &err);
	bool sending = st && strcmp(st, "sending") == 0;
	free(st);
	return sending;
}

/* Sends one claimed batch. Returns false when the campaign stopped
 * sending or the run must stop. */
static bool run_batch(struct worker *w, const struct delivery_campaign *c,
		      struct delivery_item *items, size_t n)
{
	bool go_on = true;
	w->b_sent = w->b_failed = w->b_retry = w->b_unknown = w->b_released = 0;
	double start = clock_seconds();
	for (size_t i = 0; i < n; i++) {
		if (!go_on || should_stop(w->sh)) {
			go_on = false;
			add_outcome(w, items[i].id, DELIVERY_RELEASE);
			w->b_released++;
			continue;
		}
		send_one(w, &items[i]);
		if (clock_seconds() - w->last_flush >= 1.0) {
			if (flush(w) < 0)
				return false;
			go_on = campaign_still_sending(w, c->id);
		}
	}
	if (flush(w) < 0)
		return false;
	double secs = clock_seconds() - start;
	pthread_mutex_lock(&w->sh->lock);
	logf_locked(w->sh, "campaign \"%s\": %zu claimed by %s: %ld sent, %ld "
		    "failed, %ld to retry, %ld unknown, %ld put back "
		    "(%.1f s)", c->name, n, w->name, w->b_sent, w->b_failed,
		    w->b_retry, w->b_unknown, w->b_released, secs);
	pthread_mutex_unlock(&w->sh->lock);
	return go_on && !should_stop(w->sh);
}

/* Drains one campaign; returns the number of messages claimed. */
static long drain_campaign(struct worker *w, const struct delivery_campaign *c)
{
	const struct sender_options *o = w->sh->o;
	long claimed = 0;
	int after = 0;
	while (!should_stop(w->sh)) {
		int want = take_cap(w->sh, o->batch);
		if (want == 0)
			break;
		struct delivery_item *items;
		size_t n;
		struct error err = {{0}};
		if (delivery_claim(w->db, w->name, c->id, after, want, &items, &n,
				   &err) < 0) {
			give_back_cap(w->sh, want);
			if (!db_ok(w->db) && reconnect(w, &err) == 0)
				continue;
			char *msg = xasprintf("cannot claim messages: %s", err.msg);
			shared_fail(w->sh, false, msg);
			free(msg);
			break;
		}
		give_back_cap(w->sh, want - (int)n);
		if (n == 0) {
			delivery_items_free(items, n);
			if (after == 0)
				break;
			after = 0;	/* once more from the start, for retries */
			continue;
		}
		for (size_t i = 0; i < n; i++)	/* RETURNING keeps no order */
			if (items[i].id > after)
				after = items[i].id;
		claimed += (long)n;
		bool more = run_batch(w, c, items, n);
		delivery_items_free(items, n);
		if (!more)
			break;
	}
	return claimed;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct sender_options *o = w->sh->o;
	struct error err = {{0}};
	w->db = db_connect(o->conninfo, &err);
	if (!w->db || delivery_register(w->db, w->name, &err) < 0) {
		shared_fail(w->sh, false, err.msg);
		return NULL;
	}
	w->smtp = smtp_open(&o->smtp);
	w->mime = mime_writer_new();
	w->last_flush = clock_seconds();
	for (;;) {
		struct delivery_campaign *cs;
		size_t nc;
		if (delivery_campaigns(w->db, o->campaign, &cs, &nc, &err) < 0)
			break;
		long claimed = 0;
		for (size_t i = 0; i < nc && !should_stop(w->sh); i++)
			claimed += drain_campaign(w, &cs[i]);
		delivery_campaigns_free(cs, nc);
		if (claimed == 0 || should_stop(w->sh))
			break;
	}
	smtp_close(w->smtp);
	w->smtp = NULL;
	mime_writer_free(w->mime);
	w->mime = NULL;
	db_close(w->db);
	w->db = NULL;
	return NULL;
}

/* ---- the run ---- */

int sender_check(const struct sender_options *o, struct error *err)
{
	if (smtp_check_url(o->smtp.url, err) < 0)
		return -1;
	if (!o->from_address)
		return error_set(err, "no sender address: set sender.from_address "
				 "in outreach.conf (or OUTREACH_FROM_ADDRESS)");
	if (mime_check_address(o->from_address, "sender.from_address", err) < 0)
		return -1;
	if (o->unsubscribe_mailto &&
	    mime_check_address(o->unsubscribe_mailto, "sender.unsubscribe_mailto",
			       err) < 0)
		return -1;
	if (o->unsubscribe_url) {
		char *sample = unsubscribe_link(o->unsubscribe_url, "0123abcd");
		int rc = mime_check_url(sample, err);
		free(sample);
		if (rc < 0)
			return error_prefix(err, "sender.unsubscribe_url");
	}
	return 0;
}

/* One pass: the workers drain everything due, then all return. */
static void drain(struct shared *sh)
{
	const struct sender_options *o = sh->o;
	struct worker *ws = xcalloc((size_t)o->workers, sizeof *ws);
	for (int i = 0; i < o->workers; i++) {
		ws[i].sh = sh;
		ws[i].index = i + 1;
		snprintf(ws[i].name, sizeof ws[i].name, "%s/%d", sh->base_name, i + 1);
		if (pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]) != 0) {
			ws[i].index = 0;
			shared_fail(sh, false, "cannot start a worker thread");
		}
	}
	for (int i = 0; i < o->workers; i++) {
		if (ws[i].index)
			pthread_join(ws[i].thread, NULL);
		free(ws[i].out);
		buf_free(&ws[i].mail);
	}
	free(ws);
}

/* Waits up to seconds (< 0: forever) for a notification, the stop pipe or
 * the time. Returns 1 when woken by a notification. */
static int wait_for_work(struct db *db, const struct sender_options *o,
			 double seconds, struct error *err)
{
	struct pollfd fds[2] = {{db_socket(db), POLLIN, 0}, {o->wake_fd, POLLIN, 0}};
	int timeout = seconds < 0 ? -1 : seconds > 3600 ? 3600 * 1000
				  : (int)ceil(seconds * 1000);
	int n = poll(fds, o->wake_fd >= 0 ? 2 : 1, timeout);
	if (n < 0 && errno != EINTR)
		return error_set(err, "poll: %s", strerror(errno));
	if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
		if (db_consume(db, err) < 0)
			return -1;
		struct db_notify note;
		int woke = 0;
		while (db_next_notify(db, &note))
			woke = 1;
		return woke;
	}
	return 0;
}

static double seconds_to_midnight(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (double)((23 - tm.tm_hour) * 3600 + (59 - tm.tm_min) * 60 +
			(60 - tm.tm_sec));
}

/* Returns seconds to wait before the next pass may send (0: now), or -1
 * with err. Says why in the log when waiting. */
static double limits_wait(struct shared *sh, struct db *db, struct error *err)
{
	const struct sender_options *o = sh->o;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	long w = send_window_wait(&o->window, &tm);
	if (w != 0) {
		pthread_mutex_lock(&sh->lock);
		logf_locked(sh, "outside the sending window; it opens in %ld min",
			    w < 0 ? -1 : (w + 59) / 60);
		pthread_mutex_unlock(&sh->lock);
		return w < 0 ? 7 * 86400.0 : (double)w;
	}
	sh->cap_left = -1;
	if (o->daily_cap > 0) {
		long sent;
		if (delivery_sent_today(db, &sent, err) < 0)
			return -1;
		sh->cap_left = sent >= o->daily_cap ? 0 : o->daily_cap - sent;
		if (sh->cap_left == 0) {
			pthread_mutex_lock(&sh->lock);
			logf_locked(sh, "daily cap of %ld e-mails reached; waiting "
				    "for tomorrow", o->daily_cap);
			pthread_mutex_unlock(&sh->lock);
			return seconds_to_midnight();
		}
	}
	return 0;
}

/* Starts the scheduled campaigns whose time has come; run before the first
 * pass (so --campaign may name one) and after every wait. */
static int start_due(struct shared *sh, struct db *db, struct error *err)
{
	long started;
	if (delivery_start_due(db, sh->base_name, &started, err) < 0)
		return -1;
	if (started > 0) {
		pthread_mutex_lock(&sh->lock);
		logf_locked(sh, "%ld scheduled campaign(s) started", started);
		pthread_mutex_unlock(&sh->lock);
	}
	return 0;
}

static int run_loop(struct shared *sh, struct db *db, struct error *err)
{
	const struct sender_options *o = sh->o;
	double backoff = 5;
	while (!atomic_load(o->stop)) {
		long recovered = 0;
		if (delivery_recover(db, o->claim_timeout_s, &recovered, err) < 0)
			return -1;
		if (recovered > 0) {
			pthread_mutex_lock(&sh->lock);
			sh->tally.recovered += recovered;
			logf_locked(sh, "%ld message(s) claimed by a worker that "
				    "stopped: failed as \"%s\"; `outreach messages "
				    "retry ID` sends one again, `outreach messages "
				    "retry --unknown` all of them", recovered,
				    DELIVERY_UNKNOWN_REASON);
			pthread_mutex_unlock(&sh->lock);
		}
		double wait = limits_wait(sh, db, err);
		if (wait < 0)
			return -1;
		if (wait == 0) {
			drain(sh);
			if (sh->db_failed) {
				error_set(err, "%s", sh->err.msg);
				return -1;
			}
			if (sh->unavailable) {
				if (o->once) {
					error_set(err, "%s", sh->err.msg);
					return -1;
				}
				pthread_mutex_lock(&sh->lock);
				logf_locked(sh, "%s; trying again in %.0f s",
					    sh->err.msg, backoff);
				sh->unavailable = false;
				pthread_mutex_unlock(&sh->lock);
				wait = backoff;
				backoff = backoff * 2 > 300 ? 300 : backoff * 2;
			} else if (sh->cap_left == 0) {
				pthread_mutex_lock(&sh->lock);
				logf_locked(sh, "daily cap of %ld e-mails reached; the "
					    "rest waits for tomorrow", o->daily_cap);
				pthread_mutex_unlock(&sh->lock);
				if (o->once)
					return 0;
				wait = seconds_to_midnight();
			} else {
				backoff = 5;
				double due;
				if (delivery_next_due(db, &due, err) < 0)
					return -1;
				if (due == 0)
					continue;	/* a retry is due already */
				if (o->once)
					return 0;
				wait = due;
			}
		} else if (o->once) {
			return 0;
		}
		if (wait_for_work(db, o, wait, err) < 0 ||
		    start_due(sh, db, err) < 0)
			return -1;
	}
	return 0;
}

int sender_run(const struct sender_options *o, struct sender_tally *t,
	       struct error *err)
{
	memset(t, 0, sizeof *t);
	if (sender_check(o, err) < 0)
		return -1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error_set(err, "cannot initialise libcurl");
	mime_init();
	struct shared sh = {.o = o, .cap_left = -1};
	pthread_mutex_init(&sh.lock, NULL);
	char host[64] = "localhost";
	gethostname(host, sizeof host - 1);
	snprintf(sh.base_name, sizeof sh.base_name, "outreach-send %s:%ld",
		 host, (long)getpid());
	sh.throttle = throttle_new(o->rate, o->domain_rate);

	int rc = -1;
	struct db *db = db_connect(o->conninfo, err);
	if (!db)
		goto out;
	if (delivery_register(db, sh.base_name, err) < 0)
		goto out;
	struct delivery_campaign *cs = NULL;
	size_t nc = 0;
	if (start_due(&sh, db, err) < 0)
		goto out;
	if (o->campaign && delivery_campaigns(db, o->campaign, &cs, &nc, err) < 0)
		goto out;
	if (delivery_pending(db, nc ? cs[0].id : 0, &sh.tally.total, err) < 0) {
		delivery_campaigns_free(cs, nc);
		goto out;
	}
	delivery_campaigns_free(cs, nc);
	if (!o->once && db_listen(db, DELIVERY_CHANNEL, err) < 0)
		goto out;
	rc = run_loop(&sh, db, err);
out:
	*t = sh.tally;
	db_close(db);
	throttle_free(sh.throttle);
	pthread_mutex_destroy(&sh.lock);
	return rc;
}
