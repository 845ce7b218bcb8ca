/* fetch.c - the scanner's web client: many transfers on one libcurl multi
 * handle, queued per host so each site sees one polite visitor at a time. */
#include "net/fetch.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>

#include "core/netcheck.h"
#include "core/xalloc.h"

#define HOST_BUCKETS 1024
#define MAX_REDIRECTS 5

struct host;

struct request {
	char *url;
	enum fetch_kind kind;
	fetch_done_fn done;
	void *ctx;
	struct request *next;		/* in the host's queue */
	struct request *run_prev, *run_next;	/* among running transfers */
	struct host *host;
	struct fetcher *f;
	CURL *easy;
	struct buf body;
	bool type_checked, not_html, truncated, blocked;
	char blocked_addr[INET6_ADDRSTRLEN];
	char errbuf[CURL_ERROR_SIZE];
};

/* One site's queue: "host:port" decides, so two sites on one machine but
 * different ports are two hosts, as they are to the people running them. */
struct host {
	char *key;
	struct request *head, *tail;
	bool busy;
	long long next_ok_ms;		/* no new transfer before this */
	struct host *next;		/* in the fetcher's list */
	struct host *chain;		/* in its hash bucket */
};

struct fetcher {
	struct fetch_options opts;
	char *user_agent;
	CURLM *multi;
	struct host *buckets[HOST_BUCKETS];
	struct host *hosts;
	struct request *active;		/* running transfers */
	size_t queued, running;
	size_t pages_done, bytes_done;
	/* Handles of finished transfers, reset for the next ones: making
	 * and freeing one per page cost more than the page's own work. */
	CURL **spare;
	size_t nspare;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *fetch_user_agent(const char *contact)
{
	if (!contact || !*contact)
		contact = PACKAGE_BUGREPORT;
	return xasprintf("outreach/%s (+%s)", PACKAGE_VERSION, contact);
}

/* "host:port" of an URL, lower case; "?" when it cannot be parsed (curl
 * then fails the transfer with its own message). */
static char *host_key(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *key;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		key = xasprintf("%s:%s", host, port);
		for (char *p = key; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	} else {
		key = xstrdup("?");
	}
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return key;
}

static unsigned hash_key(const char *s)
{
	unsigned h = 2166136261u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % HOST_BUCKETS;
}

static struct host *host_get(struct fetcher *f, const char *url)
{
	char *key = host_key(url);
	unsigned b = hash_key(key);
	for (struct host *h = f->buckets[b]; h; h = h->chain) {
		if (strcmp(h->key, key) == 0) {
			free(key);
			return h;
		}
	}
	struct host *h = xcalloc(1, sizeof *h);
	h->key = key;
	h->chain = f->buckets[b];
	f->buckets[b] = h;
	h->next = f->hosts;
	f->hosts = h;
	return h;
}

static void host_unchain(struct fetcher *f, struct host *h)
{
	struct host **pp = &f->buckets[hash_key(h->key)];
	while (*pp != h)
		pp = &(*pp)->chain;
	*pp = h->chain;
	free(h->key);
	free(h);
}

static void request_free(struct request *r)
{
	if (!r)
		return;
	free(r->url);
	buf_free(&r->body);
	free(r);
}

static bool address_allowed(const struct fetch_options *o,
			    const struct sockaddr *sa)
{
	if (o->address_ok)
		return o->address_ok(sa, o->address_ok_arg);
	return o->allow_private || !is_forbidden_address(sa);
}

/* The SSRF guard. libcurl asks here for every socket it opens, after
 * name resolution and on every redirect, so neither a hostname that
 * resolves to 10.0.0.1 nor a redirect to http://169.254.169.254/ gets
 * through. */
static curl_socket_t open_socket(void *clientp, curlsocktype purpose,
				 struct curl_sockaddr *a)
{
	struct request *r = clientp;
	(void)purpose;
	if (!address_allowed(&r->f->opts, &a->addr)) {
		const void *raw = NULL;
		if (a->family == AF_INET)
			raw = &((const struct sockaddr_in *)(void *)&a->addr)->sin_addr;
		else if (a->family == AF_INET6)
			raw = &((const struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr;
		if (!raw || !inet_ntop(a->family, raw, r->blocked_addr,
				       sizeof r->blocked_addr))
			strcpy(r->blocked_addr, "an unknown address");
		r->blocked = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static bool is_html_type(const char *ct)
{
	if (!ct)
		return true;	/* unlabelled: let the parser judge */
	while (*ct == ' ')
		ct++;
	size_t n = strcspn(ct, "; ");
	return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
	       (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}

/* The byte cap lives here so that it holds however the server sends the
 * body (Content-Length, chunked, compressed: we count decoded bytes).
 * Returning short makes libcurl abort the transfer at once. */
static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct request *r = arg;
	size_t len = size * n;
	if (!r->type_checked) {
		r->type_checked = true;
		char *ct = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
		if (r->kind != FETCH_RAW && !is_html_type(ct)) {
			r->not_html = true;
			return 0;
		}
	}
	size_t room = r->f->opts.max_bytes - r->body.len;
	if (len > room) {
		buf_append(&r->body, data, room);
		r->truncated = true;
		return 0;
	}
	buf_append(&r->body, data, len);
	return len;
}

static CURL *easy_for(struct fetcher *f, struct request *r)
{
	CURL *e = f->nspare ? f->spare[--f->nspare] : curl_easy_init();
	if (!e)
		return NULL;
	const struct fetch_options *o = &f->opts;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* A proxy from the environment would be the address we connect to,
	 * and would hide the real one from the guard. */
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	/* No DNS cache: libcurl prunes it on every transfer by walking every
	 * host seen in the last minute, which on a scan of thousands of sites
	 * cost more than the transfers. A site's pages share one kept-alive
	 * connection, so a name is still looked up about once per site. */
	curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
	return e;
}

static void run_link(struct fetcher *f, struct request *r)
{
	r->run_prev = NULL;
	r->run_next = f->active;
	if (f->active)
		f->active->run_prev = r;
	f->active = r;
	f->running++;
	r->host->busy = true;
}

static void run_unlink(struct fetcher *f, struct request *r)
{
	if (r->run_prev)
		r->run_prev->run_next = r->run_next;
	else
		f->active = r->run_next;
	if (r->run_next)
		r->run_next->run_prev = r->run_prev;
	f->running--;
	r->host->busy = false;
}

static void fail_now(struct fetcher *f, struct request *r, const char *why)
{
	struct fetch_response resp = {
		.url = r->url, .final_url = r->url, .outcome = FETCH_FAILED,
		.error = why,
	};
	run_unlink(f, r);
	r->done(r->ctx, &resp);
	request_free(r);
}

static void start(struct fetcher *f, struct host *h)
{
	struct request *r = h->head;
	h->head = r->next;
	if (!h->head)
		h->tail = NULL;
	f->queued--;
	run_link(f, r);
	r->easy = easy_for(f, r);
	if (!r->easy || curl_multi_add_handle(f->multi, r->easy) != CURLM_OK) {
		if (r->easy)
			curl_easy_cleanup(r->easy);
		fail_now(f, r, "cannot start a transfer (out of memory?)");
	}
}

/* Starts what may start; returns how long until a waiting host may go
 * (-1 when none waits). Idle hosts whose pause is over are forgotten. */
static long start_ready(struct fetcher *f)
{
	long long now = now_ms();
	long wait = -1;
	struct host **pp = &f->hosts;
	while (*pp) {
		struct host *h = *pp;
		if (!h->busy && !h->head && now >= h->next_ok_ms) {
			*pp = h->next;
			host_unchain(f, h);
			continue;
		}
		pp = &h->next;
		if (h->busy || !h->head)
			continue;
		if (now < h->next_ok_ms) {
			long w = (long)(h->next_ok_ms - now);
			if (wait < 0 || w < wait)
				wait = w;
			continue;
		}
		if (f->running < (size_t)f->opts.max_transfers)
			start(f, h);
	}
	return wait;
}

void fetcher_queue(struct fetcher *f, const char *url, enum fetch_kind kind,
		   fetch_done_fn done, void *ctx)
{
	struct request *r = xcalloc(1, sizeof *r);
	r->url = xstrdup(url);
	r->kind = kind;
	r->done = done;
	r->ctx = ctx;
	r->f = f;
	r->host = host_get(f, url);
	if (r->host->tail)
		r->host->tail->next = r;
	else
		r->host->head = r;
	r->host->tail = r;
	f->queued++;
}

static const char *failure_text(struct request *r, CURLcode rc, char *buf,
				size_t n)
{
	const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(buf, n, "timed out (%s)", detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(buf, n, "more than %d redirects", MAX_REDIRECTS);
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(buf, n, "refused a non-http(s) address (%s)", detail);
		break;
	default:
		snprintf(buf, n, "%s", detail);
		break;
	}
	return buf;
}

static void finish(struct fetcher *f, CURL *e, CURLcode rc)
{
	struct request *r;
	char *final_url = NULL, *ct = NULL, why[CURL_ERROR_SIZE + 128];
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &final_url);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct);
	struct fetch_response resp = {
		.url = r->url, .final_url = final_url ? final_url : r->url,
		.status = status, .content_type = ct,
		.truncated = r->truncated,
	};
	if (r->not_html || (rc == CURLE_OK && r->kind != FETCH_RAW &&
			    !is_html_type(ct))) {
		resp.outcome = FETCH_SKIPPED;
	} else if (rc == CURLE_OK || r->truncated) {
		resp.outcome = FETCH_OK;
		buf_puts(&r->body, "");	/* NUL-terminate even when empty */
		resp.body = r->body.data;
		resp.len = r->body.len;
	} else if (r->blocked) {
		resp.outcome = FETCH_BLOCKED;
		snprintf(why, sizeof why, "refused to connect to %s: loopback, "
			 "private and link-local addresses are off limits "
			 "(--allow-private lifts this)", r->blocked_addr);
		resp.error = why;
	} else {
		resp.outcome = FETCH_FAILED;
		resp.error = failure_text(r, rc, why, sizeof why);
	}
	f->pages_done++;
	f->bytes_done += r->body.len;
	r->done(r->ctx, &resp);
	/* The callback may have taken the body. */
	if (resp.body != r->body.data)
		r->body = (struct buf){0};
	curl_multi_remove_handle(f->multi, e);
	if (f->nspare < (size_t)f->opts.max_transfers) {
		curl_easy_reset(e);
		f->spare[f->nspare++] = e;
	} else {
		curl_easy_cleanup(e);
	}
	run_unlink(f, r);
	r->host->next_ok_ms = now_ms() + f->opts.host_delay_ms;
	request_free(r);
}

static void drain_finished(struct fetcher *f)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(f->multi, &left)))
		if (m->msg == CURLMSG_DONE)
			finish(f, m->easy_handle, m->data.result);
}

size_t fetcher_step(struct fetcher *f, int timeout_ms)
{
	int still;
	start_ready(f);
	curl_multi_perform(f->multi, &still);
	/* Transfers that failed at once (refused connections) end here,
	 * without waiting for socket activity that will never come. */
	drain_finished(f);
	long wait = start_ready(f);
	if (f->running > 0 || wait >= 0) {
		int t = timeout_ms;
		if (wait >= 0 && wait < t)
			t = (int)wait;
		curl_multi_poll(f->multi, NULL, 0, t, NULL);
		curl_multi_perform(f->multi, &still);
		drain_finished(f);
	}
	start_ready(f);
	return f->queued + f->running;
}

void fetcher_wakeup(struct fetcher *f)
{
	curl_multi_wakeup(f->multi);
}

void fetcher_stats(const struct fetcher *f, size_t *pages, size_t *bytes)
{
	*pages = f->pages_done;
	*bytes = f->bytes_done;
}

/* Idle connections to keep: as asked, within the open-files limit (a
 * margin left for the database, files and the transfers themselves). */
static long keep_limit(int transfers, int asked)
{
	long keep = asked > 0 ? asked : (long)transfers * 2;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		long room = (long)rl.rlim_cur - 64 - transfers;
		if (keep > room)
			keep = room;
	}
	return keep < 1 ? 1 : keep;
}

struct fetcher *fetcher_new(const struct fetch_options *opts,
			    struct error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		error_set(err, "cannot initialise libcurl");
		return NULL;
	}
	struct fetcher *f = xcalloc(1, sizeof *f);
	f->opts = *opts;
	if (f->opts.max_transfers < 1)
		f->opts.max_transfers = 1;
	f->user_agent = xstrdup(opts->user_agent ? opts->user_agent : "outreach");
	f->spare = xcalloc((size_t)f->opts.max_transfers, sizeof *f->spare);
	f->multi = curl_multi_init();
	if (!f->multi) {
		fetcher_free(f);
		error_set(err, "cannot create a libcurl multi handle");
		return NULL;
	}
	/* Our own queues already keep one transfer per host; this also keeps
	 * libcurl from opening a second connection behind our back. */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	/* A site's next page should find its connection still open: every
	 * site in flight may hold an idle one between its pages. Counting
	 * them against the running transfers' limit closed them to make
	 * room, and most pages paid for a new connection. */
	long keep = keep_limit(f->opts.max_transfers, f->opts.keep_connections);
	curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS, keep);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)f->opts.max_transfers + keep);
	return f;
}

static void drop_queue(struct host *h)
{
	while (h->head) {
		struct request *r = h->head;
		h->head = r->next;
		request_free(r);
	}
}

void fetcher_free(struct fetcher *f)
{
	if (!f)
		return;
	while (f->active) {
		struct request *r = f->active;
		curl_multi_remove_handle(f->multi, r->easy);
		curl_easy_cleanup(r->easy);
		run_unlink(f, r);
		request_free(r);
	}
	while (f->nspare)
		curl_easy_cleanup(f->spare[--f->nspare]);
	free(f->spare);
	if (f->multi)
		curl_multi_cleanup(f->multi);
	while (f->hosts) {
		struct host *h = f->hosts;
		f->hosts = h->next;
		drop_queue(h);
		host_unchain(f, h);
	}
	free(f->user_agent);
	free(f);
	curl_global_cleanup();
}
