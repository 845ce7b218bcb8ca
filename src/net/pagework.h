/* pagework.h - reading fetched pages on worker threads. Parsing a page
 * costs more CPU than fetching it, so the thread that drives the transfers
 * hands every page over and goes straight back to the network; the pages'
 * contacts and links come back through a queue it drains between steps. */
#ifndef OUTREACH_PAGEWORK_H
#define OUTREACH_PAGEWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/extract.h"

/* One page to read. The submitter fills the inputs (all owned by the job
 * and freed with it); a worker fills the outputs. */
struct page_job {
	void *owner;			/* the submitter's, untouched */
	char *body;			/* as sent: converted to UTF-8 here */
	size_t len;
	char *content_type;		/* as sent, for its charset; may be NULL */
	char *page_url;
	char *site_url;
	bool contact_like;
	struct extract_result contacts;
	struct extract_links links;
	struct page_job *next;
};

struct page_workers;

/* Starts threads workers (at least one), each with its own extractor.
 * wake(arg) is called from a worker thread after it queues a finished
 * job, so a thread waiting for network activity can look. Returns NULL
 * with err set when an extractor cannot be made. */
struct page_workers *page_workers_new(int threads, void (*wake)(void *),
				      void *wake_arg, struct error *err);
/* Stops the threads and frees every job not yet handed back. */
void page_workers_free(struct page_workers *pw);

/* Queues a job; the workers own it until page_workers_take() returns it. */
void page_workers_submit(struct page_workers *pw, struct page_job *job);
/* The jobs finished so far, in the order they finished, as a list linked
 * by next (NULL when none); the caller frees each with page_job_free(). */
struct page_job *page_workers_take(struct page_workers *pw);

/* Waits until a finished job is there to take, at most timeout_ms. */
void page_workers_wait(struct page_workers *pw, int timeout_ms);

void page_job_free(struct page_job *job);

/* Reading threads for this machine: one per online CPU, at most 8. */
int page_workers_default_threads(void);

#endif
