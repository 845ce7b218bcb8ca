/* fetch.h - fetching many web pages at once over one libcurl multi handle,
 * politely (one transfer per host, a pause between pages) and safely
 * (http/https only, size and time limits, no private addresses). */
#ifndef OUTREACH_FETCH_H
#define OUTREACH_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "core/error.h"

struct fetch_options {
	const char *user_agent;		/* the whole User-Agent header */
	long connect_timeout_ms;
	long timeout_ms;		/* whole transfer, redirects included */
	size_t max_bytes;		/* per page; more is cut off */
	long host_delay_ms;		/* pause between pages of one host */
	int max_transfers;		/* at once, over all hosts */
	int keep_connections;		/* idle ones kept for the host's next
					 * page; 0: twice max_transfers */
	bool allow_private;		/* lift the private address guard */
	/* Replaces the guard when set: true lets a connection to sa go
	 * ahead. Tests use it to let one local server through and see a
	 * redirect elsewhere refused. */
	bool (*address_ok)(const struct sockaddr *sa, void *arg);
	void *address_ok_arg;
};

enum fetch_kind {
	FETCH_HTML,	/* HTML only, bytes as sent: the caller converts them
			 * (extract_to_utf8), off the fetching thread */
	FETCH_RAW,	/* any content type, bytes as sent (robots.txt) */
};

enum fetch_outcome {
	FETCH_OK,		/* a response arrived (any HTTP status) */
	FETCH_SKIPPED,		/* FETCH_HTML whose content is not HTML */
	FETCH_FAILED,		/* no usable response: see error */
	FETCH_BLOCKED,		/* the address guard refused a connection */
};

struct fetch_response {
	const char *url;		/* as queued */
	const char *final_url;		/* after redirects */
	enum fetch_outcome outcome;
	long status;			/* HTTP status, 0 without a response */
	const char *content_type;	/* NULL when the server sent none */
	char *body;			/* NUL-terminated; may be taken (set NULL) */
	size_t len;
	bool truncated;			/* max_bytes reached: body is the start */
	const char *error;		/* why, for FETCH_FAILED/BLOCKED */
};

/* Called once per queued URL when its transfer ends (also for failures).
 * The response is valid only during the call. */
typedef void (*fetch_done_fn)(void *ctx, struct fetch_response *resp);

struct fetcher;

/* Returns NULL with err set when libcurl cannot be set up. */
struct fetcher *fetcher_new(const struct fetch_options *opts,
			    struct error *err);
void fetcher_free(struct fetcher *f);	/* accepts NULL; drops queued work */

/* Queues url. Transfers to one host (name and port) run one at a time in
 * the order queued, host_delay_ms apart; done is called when it ends. */
void fetcher_queue(struct fetcher *f, const char *url, enum fetch_kind kind,
		   fetch_done_fn done, void *ctx);

/* Moves transfers on, waiting at most timeout_ms for network activity;
 * callbacks run from here. Returns the number of URLs queued or running. */
size_t fetcher_step(struct fetcher *f, int timeout_ms);

/* Makes a fetcher_step() waiting in another thread return now. Safe to
 * call from any thread while the fetcher exists. */
void fetcher_wakeup(struct fetcher *f);

/* Transfers completed so far and the bytes they brought. */
void fetcher_stats(const struct fetcher *f, size_t *pages, size_t *bytes);

/* "outreach/VERSION (+contact)"; contact NULL or "" uses the project's
 * address. The caller frees the result. */
char *fetch_user_agent(const char *contact);

#endif
