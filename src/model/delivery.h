/* delivery.h - the e-mail work queue in PostgreSQL: workers on any number
 * of machines claim batches with SKIP LOCKED, record each outcome, and put
 * back what they did not try. A claim whose worker is gone is never resent:
 * it fails as "delivery unknown" for a person to decide. */
#ifndef OUTREACH_MODEL_DELIVERY_H
#define OUTREACH_MODEL_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "db/db.h"

#define DELIVERY_CHANNEL "outreach_send"
/* Every failure whose delivery is unknown starts with this text. */
#define DELIVERY_UNKNOWN_PREFIX "delivery unknown: "
#define DELIVERY_UNKNOWN_REASON DELIVERY_UNKNOWN_PREFIX "worker stopped during send"

/* Names this connection after the worker, so others can tell whether the
 * owner of a claim is still connected. */
int delivery_register(struct db *db, const char *worker, struct error *err);

/* Fails the e-mail claims older than timeout_s whose worker has no session
 * any more, with DELIVERY_UNKNOWN_REASON. *failed says how many. */
int delivery_recover(struct db *db, long timeout_s, long *failed,
		     struct error *err);

struct delivery_campaign {
	int id;
	char *name;
};

/* Campaigns in 'sending' (only the one named, when name is not NULL;
 * err says so when it is not sending). */
int delivery_campaigns(struct db *db, const char *name,
		       struct delivery_campaign **out, size_t *count,
		       struct error *err);
void delivery_campaigns_free(struct delivery_campaign *c, size_t count);

struct delivery_item {
	int id;
	int attempts;			/* including this one */
	char *to;			/* the contact's address */
	char *subject;
	char *body;
	char *unsubscribe_token;
	bool suppressed;		/* asked not to be contacted since */
	char *suppressed_reason;	/* may be NULL */
};

/* Claims up to limit due e-mail messages of a campaign still 'sending'
 * with ids above after_id, in id order, counting an attempt on each.
 * *count is 0 when none is due. Passing the last id claimed keeps each
 * claim from walking again over the index entries of messages already
 * sent; start again from 0 to find retries due behind it. */
int delivery_claim(struct db *db, const char *worker, int campaign_id,
		   int after_id, int limit, struct delivery_item **items,
		   size_t *count, struct error *err);
void delivery_items_free(struct delivery_item *items, size_t count);

enum delivery_result {
	DELIVERY_SENT,
	DELIVERY_FAILED,	/* permanent: error says why */
	DELIVERY_RETRY,		/* transient: again after retry_delay_s */
	DELIVERY_RELEASE,	/* not tried: back to the queue as it was */
};

struct delivery_outcome {
	int id;
	enum delivery_result result;
	char *error;			/* the server's reply or the reason */
	char *message_id;		/* the Message-ID sent, without <> */
	bool unknown;			/* failed: it may have been delivered */
	char sent_at[40];		/* ISO time the server took it */
	long retry_delay_s;
};

/* Records outcomes of messages this worker claimed, in one statement, and
 * releases their claims. Returns the number recorded. */
int delivery_finish(struct db *db, const char *worker,
		    const struct delivery_outcome *o, size_t count,
		    struct error *err);

/* E-mail messages waiting in the sending campaigns (campaign_id 0: all),
 * claimed or not. */
int delivery_pending(struct db *db, int campaign_id, long *out,
		     struct error *err);

/* The campaign's status now ("sending", "paused", ...); caller frees. */
char *delivery_campaign_status(struct db *db, int campaign_id,
			       struct error *err);

/* E-mails sent since local midnight of the database, for the daily cap. */
int delivery_sent_today(struct db *db, long *out, struct error *err);

/* Starts the scheduled campaigns whose start time has come (or that have
 * none), recording worker in the audit log. *started says how many. */
int delivery_start_due(struct db *db, const char *worker, long *started,
		       struct error *err);

/* Seconds until the earliest held-back message of a sending campaign is
 * due or a scheduled campaign starts (0 when now), or -1 in *seconds when
 * nothing is waiting. */
int delivery_next_due(struct db *db, double *seconds, struct error *err);

#endif
