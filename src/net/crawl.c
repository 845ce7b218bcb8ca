/* crawl.c - one small state machine per website: robots.txt, the home
 * page, then the most promising contact-like pages, up to a page budget. */
#include "net/crawl.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/robots.h"
#include "core/xalloc.h"
#include "net/pagework.h"

#define ROBOTS_BUCKETS 1024
/* Robots rules are kept for the whole run so a host shared by several
 * businesses is asked once; past this many, finished entries are dropped
 * to keep memory flat on huge scans. */
#define ROBOTS_CACHE_MAX 8192

struct site;

/* robots.txt of one origin ("http://host:port"): fetched once, then
 * shared. Sites that need it while it is on its way wait on it. */
struct robots_entry {
	char *origin;
	struct robots *rules;		/* NULL while fetching */
	char *error;			/* why it could not be fetched */
	struct site **waiters;
	size_t nwaiters;
	struct robots_entry *chain;
	struct crawler *c;
};

struct site {
	struct crawler *c;
	struct crawl_site *out;
	char *home;			/* normalised website URL */
	struct extract_links cand;	/* links found, not yet visited */
	char **visited;
	size_t nvisited;
	int attempts;			/* pages asked for, read or not */
	char *next_url;			/* the page being visited */
	bool next_contact_like;
	bool home_done;
	struct site *prev, *nextsite;	/* in the crawler's active list */
};

struct crawler {
	struct fetcher *f;
	struct page_workers *pw;
	size_t reading;			/* pages with the page workers */
	int max_pages;
	struct robots_entry *robots[ROBOTS_BUCKETS];
	size_t nrobots;
	struct site *active;
	size_t in_progress;
	struct crawl_site *finished, *finished_tail;
};

static void site_visit(struct site *s);

char *crawl_normalise_website(const char *website, struct error *err)
{
	while (website && (*website == ' ' || *website == '\t'))
		website++;
	if (!website || !*website) {
		error_set(err, "no website");
		return NULL;
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *url = NULL, *result = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, website,
			      CURLU_DEFAULT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0) &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK)
		result = xstrdup(url);
	else
		error_set(err, "the website is not an http or https address");
	curl_free(scheme);
	curl_free(url);
	curl_url_cleanup(u);
	return result;
}

/* "scheme://host:port" and the path with query of url, for robots.txt. */
static int split_url(const char *url, char **origin, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	int rc = -1;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_QUERY, &q, 0) != CURLUE_OK)
			q = NULL;
		*origin = xasprintf("%s://%s:%s", scheme, host, port);
		for (char *c = *origin; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		*path = q ? xasprintf("%s?%s", p, q) : xstrdup(p);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return rc;
}

static unsigned origin_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % ROBOTS_BUCKETS;
}

static struct robots_entry *robots_find(struct crawler *c, const char *origin)
{
	for (struct robots_entry *e = c->robots[origin_hash(origin)]; e;
	     e = e->chain)
		if (strcmp(e->origin, origin) == 0)
			return e;
	return NULL;
}

static void robots_entry_free(struct robots_entry *e)
{
	robots_free(e->rules);
	free(e->origin);
	free(e->error);
	free(e->waiters);
	free(e);
}

/* Drops every entry that nobody waits for. Only called from
 * crawler_add(), outside any callback, so no site holds one. */
static void robots_trim(struct crawler *c)
{
	if (c->nrobots < ROBOTS_CACHE_MAX)
		return;
	for (size_t b = 0; b < ROBOTS_BUCKETS; b++) {
		struct robots_entry **pp = &c->robots[b];
		while (*pp) {
			struct robots_entry *e = *pp;
			if (e->rules) {
				*pp = e->chain;
				robots_entry_free(e);
				c->nrobots--;
			} else {
				pp = &e->chain;
			}
		}
	}
}

/* RFC 9309: 2xx gives rules, 4xx means none, anything else (server
 * errors, no answer) means "do not crawl for now". */
static void on_robots(void *ctx, struct fetch_response *r)
{
	struct robots_entry *e = ctx;
	if (r->outcome == FETCH_OK && r->status >= 200 && r->status < 300) {
		size_t n = r->len < ROBOTS_MAX_BYTES ? r->len : ROBOTS_MAX_BYTES;
		e->rules = robots_parse(r->body, n);
	} else if (r->outcome == FETCH_OK && r->status >= 400 && r->status < 500) {
		e->rules = robots_allow_all();
	} else {
		e->rules = robots_deny_all();
		if (r->outcome == FETCH_OK)
			e->error = xasprintf("robots.txt answered HTTP %ld, which "
					     "asks crawlers to stay away for now",
					     r->status);
		else
			e->error = xstrdup(r->error ? r->error : "unreachable");
	}
	struct site **waiters = e->waiters;
	size_t n = e->nwaiters;
	e->waiters = NULL;
	e->nwaiters = 0;
	for (size_t i = 0; i < n; i++)
		site_visit(waiters[i]);
	free(waiters);
}

static void site_finish(struct site *s, const char *error)
{
	struct crawler *c = s->c;
	struct crawl_site *out = s->out;
	if (error && !out->error)
		out->error = xstrdup(error);
	if (s->prev)
		s->prev->nextsite = s->nextsite;
	else
		c->active = s->nextsite;
	if (s->nextsite)
		s->nextsite->prev = s->prev;
	if (c->finished_tail)
		c->finished_tail->next = out;
	else
		c->finished = out;
	c->finished_tail = out;
	extract_links_free(&s->cand);
	for (size_t i = 0; i < s->nvisited; i++)
		free(s->visited[i]);
	free(s->visited);
	free(s->home);
	free(s->next_url);
	free(s);
}

static bool visited(const struct site *s, const char *url)
{
	for (size_t i = 0; i < s->nvisited; i++)
		if (strcmp(s->visited[i], url) == 0)
			return true;
	return false;
}

static void mark_visited(struct site *s, const char *url)
{
	if (visited(s, url))
		return;
	s->visited = xreallocarray(s->visited, s->nvisited + 1,
				   sizeof *s->visited);
	s->visited[s->nvisited++] = xstrdup(url);
}

/* The best link not yet visited becomes next_url; false when none. */
static bool pick_next(struct site *s)
{
	size_t best = s->cand.len;
	for (size_t i = 0; i < s->cand.len; i++)
		if (!visited(s, s->cand.items[i].url) &&
		    (best == s->cand.len ||
		     s->cand.items[i].score > s->cand.items[best].score))
			best = i;
	if (best == s->cand.len)
		return false;
	free(s->next_url);
	s->next_url = xstrdup(s->cand.items[best].url);
	s->next_contact_like = s->cand.items[best].score >= 100 ||
			       extract_url_is_contact_like(s->next_url);
	return true;
}

static void go_on(struct site *s)
{
	if (s->attempts >= s->c->max_pages || !pick_next(s))
		site_finish(s, NULL);
	else
		site_visit(s);
}

/* The page goes to a page worker; the site waits for its findings
 * (crawler_step() picks them up) before choosing its next page. The body
 * is taken from the fetcher, not copied. */
static void read_page(struct site *s, struct fetch_response *r)
{
	struct page_job *job = xcalloc(1, sizeof *job);
	job->owner = s;
	job->body = r->body;
	job->len = r->len;
	r->body = NULL;
	job->content_type = r->content_type ? xstrdup(r->content_type) : NULL;
	job->page_url = xstrdup(r->final_url);
	job->site_url = xstrdup(s->home);
	job->contact_like = s->next_contact_like;
	s->out->pages++;
	s->c->reading++;
	page_workers_submit(s->c->pw, job);
}

/* A page's findings: its contacts join the site's (repeats are no-ops,
 * as when all pages were read into one result) and its links become
 * candidates for the next page. */
static void page_read(struct page_job *job)
{
	struct site *s = job->owner;
	s->c->reading--;
	for (size_t i = 0; i < job->contacts.len; i++)
		extract_result_add(&s->out->contacts, job->contacts.items[i].type,
				   job->contacts.items[i].value);
	struct extract_links *found = &job->links;
	for (size_t i = 0; i < found->len; i++) {
		if (s->cand.len == s->cand.cap) {
			s->cand.cap = s->cand.cap ? s->cand.cap * 2 : 16;
			s->cand.items = xreallocarray(s->cand.items, s->cand.cap,
						      sizeof *s->cand.items);
		}
		s->cand.items[s->cand.len++] = found->items[i];
	}
	found->len = 0;
	go_on(s);
}

static void on_page(void *ctx, struct fetch_response *r)
{
	struct site *s = ctx;
	bool home = !s->home_done;
	s->home_done = true;
	mark_visited(s, r->final_url);
	if (r->outcome == FETCH_FAILED || r->outcome == FETCH_BLOCKED) {
		if (home) {
			site_finish(s, r->error);
			return;
		}
	} else if (r->outcome == FETCH_OK && r->status >= 400) {
		if (home) {
			char *why = xasprintf("the home page answered HTTP %ld",
					      r->status);
			site_finish(s, why);
			free(why);
			return;
		}
	} else if (r->outcome == FETCH_OK) {
		read_page(s, r);
		return;
	}
	go_on(s);
}

/* Fetches next_url once robots.txt of its origin is known and allows it. */
static void site_visit(struct site *s)
{
	char *origin, *path;
	bool home = !s->home_done;
	if (split_url(s->next_url, &origin, &path) < 0) {
		mark_visited(s, s->next_url);
		if (home)
			site_finish(s, "the website is not a valid address");
		else
			go_on(s);
		return;
	}
	struct robots_entry *e = robots_find(s->c, origin);
	if (!e) {
		e = xcalloc(1, sizeof *e);
		e->origin = xstrdup(origin);
		e->c = s->c;
		unsigned b = origin_hash(origin);
		e->chain = s->c->robots[b];
		s->c->robots[b] = e;
		s->c->nrobots++;
		char *url = xasprintf("%s/robots.txt", origin);
		fetcher_queue(s->c->f, url, FETCH_RAW, on_robots, e);
		free(url);
	}
	if (!e->rules) {
		e->waiters = xreallocarray(e->waiters, e->nwaiters + 1,
					   sizeof *e->waiters);
		e->waiters[e->nwaiters++] = s;
	} else if (home && e->error) {
		site_finish(s, e->error);
	} else if (!robots_allowed(e->rules, CRAWL_ROBOTS_AGENT, path)) {
		mark_visited(s, s->next_url);
		if (home) {
			s->home_done = true;	/* asked not to: nothing to read */
			site_finish(s, NULL);
		} else {
			go_on(s);
		}
	} else {
		mark_visited(s, s->next_url);
		s->attempts++;
		fetcher_queue(s->c->f, s->next_url, FETCH_HTML, on_page, s);
	}
	free(origin);
	free(path);
}

void crawler_add(struct crawler *c, int business_id, const char *website)
{
	struct error err = {{0}};
	struct site *s = xcalloc(1, sizeof *s);
	s->c = c;
	s->out = xcalloc(1, sizeof *s->out);
	s->out->business_id = business_id;
	s->out->website = xstrdup(website ? website : "");
	s->nextsite = c->active;
	if (c->active)
		c->active->prev = s;
	c->active = s;
	c->in_progress++;
	robots_trim(c);
	s->home = crawl_normalise_website(website, &err);
	if (!s->home) {
		site_finish(s, err.msg);
		return;
	}
	s->next_url = xstrdup(s->home);
	s->next_contact_like = extract_url_is_contact_like(s->home);
	site_visit(s);
}

size_t crawler_step(struct crawler *c, int timeout_ms)
{
	size_t n = fetcher_step(c->f, timeout_ms);
	if (!c->pw)
		return n;
	/* With nothing on the network, fetcher_step() returns at once:
	 * wait for the pages being read instead of spinning. */
	if (n == 0 && c->reading > 0)
		page_workers_wait(c->pw, timeout_ms);
	struct page_job *job = page_workers_take(c->pw);
	while (job) {
		struct page_job *next = job->next;
		page_read(job);
		page_job_free(job);
		job = next;
	}
	return n;
}

size_t crawler_in_progress(const struct crawler *c)
{
	return c->in_progress;
}

struct crawl_site *crawler_take_finished(struct crawler *c)
{
	struct crawl_site *s = c->finished;
	if (!s)
		return NULL;
	c->finished = s->next;
	if (!c->finished)
		c->finished_tail = NULL;
	s->next = NULL;
	c->in_progress--;
	return s;
}

void crawl_site_free(struct crawl_site *s)
{
	if (!s)
		return;
	free(s->website);
	free(s->error);
	extract_result_free(&s->contacts);
	free(s);
}

static void wake_fetcher(void *arg)
{
	fetcher_wakeup(arg);
}

struct crawler *crawler_new(struct fetcher *f, int threads, int max_pages,
			    struct error *err)
{
	struct crawler *c = xcalloc(1, sizeof *c);
	c->f = f;
	c->max_pages = max_pages > 0 ? max_pages : 1;
	c->pw = page_workers_new(threads, wake_fetcher, f, err);
	if (!c->pw) {
		free(c);
		return NULL;
	}
	return c;
}

void crawler_stop(struct crawler *c)
{
	if (c) {
		page_workers_free(c->pw);
		c->pw = NULL;
	}
}

void crawler_free(struct crawler *c)
{
	if (!c)
		return;
	crawler_stop(c);
	while (c->active)
		site_finish(c->active, "scan interrupted");
	struct crawl_site *s;
	while ((s = crawler_take_finished(c)))
		crawl_site_free(s);
	for (size_t b = 0; b < ROBOTS_BUCKETS; b++) {
		while (c->robots[b]) {
			struct robots_entry *e = c->robots[b];
			c->robots[b] = e->chain;
			robots_entry_free(e);
		}
	}
	free(c);
}
