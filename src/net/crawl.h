/* crawl.h - scanning websites for contacts: the home page, then the pages
 * it links to that promise contact details, as robots.txt allows. */
#ifndef OUTREACH_CRAWL_H
#define OUTREACH_CRAWL_H

#include <stddef.h>

#include "core/extract.h"
#include "net/fetch.h"

/* The product token robots.txt rules are matched against. */
#define CRAWL_ROBOTS_AGENT "outreach"

struct crawl_site {
	int business_id;
	char *website;			/* as recorded */
	struct extract_result contacts;	/* union over the pages read */
	int pages;			/* HTML pages read */
	char *error;			/* NULL when the site could be read */
	struct crawl_site *next;	/* in the finished list */
};

struct crawler;

/* Uses f, which outlives it, for every transfer, and reads the pages on
 * threads page workers (see pagework.h). Returns NULL with err set when
 * they cannot be started. */
struct crawler *crawler_new(struct fetcher *f, int threads, int max_pages,
			    struct error *err);
/* Stops the page workers: call it before freeing the fetcher, which they
 * wake. Sites left waiting for a page are finished by crawler_free(). */
void crawler_stop(struct crawler *c);
/* Frees the crawler, sites still in progress and unclaimed results.
 * Stop it and free the fetcher first: queued transfers point into it. */
void crawler_free(struct crawler *c);

/* Moves the work on: fetcher_step(), then the findings of pages read
 * since. Returns what fetcher_step() returns. */
size_t crawler_step(struct crawler *c, int timeout_ms);

/* Starts scanning one business's website; the work happens in
 * fetcher_step(). Never call from inside a fetch callback. */
void crawler_add(struct crawler *c, int business_id, const char *website);
/* Sites started and not yet handed out by crawler_take_finished(). */
size_t crawler_in_progress(const struct crawler *c);
/* Hands out one finished site (the caller frees it with
 * crawl_site_free), or NULL when none has finished. */
struct crawl_site *crawler_take_finished(struct crawler *c);
void crawl_site_free(struct crawl_site *s);

/* The website as an absolute http(s) URL ("example.com" means
 * http://example.com/), newly allocated; NULL with err set when it is no
 * web address. */
char *crawl_normalise_website(const char *website, struct error *err);

#endif
