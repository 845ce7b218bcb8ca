/* replies.h - replies found in a mailbox, matched to the messages they
 * answer by Message-ID, and where each mailbox was last read. The rules
 * are those of marking by hand (message.c): a sent or opened message
 * becomes replied, a reply also means it was opened, and one already
 * replied is left as it is. A reply also proves a delivery nobody could
 * be sure of: a message failed as "delivery unknown", or put back to
 * pending by hand after that and not yet claimed again, becomes replied
 * too (and sent, dated when it failed or else by the reply), so it is
 * not sent a second time. A message claimed by a worker is left to it. */
#ifndef OUTREACH_MODEL_REPLIES_H
#define OUTREACH_MODEL_REPLIES_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "db/db.h"
#include "model/permission.h"

/* Where reading a mailbox stopped; uidvalidity 0 when never read. */
struct reply_mailbox {
	const char *server;	/* scheme://host[:port], no credentials */
	const char *mailbox;
	uint32_t uidvalidity;
	uint32_t last_uid;
};

int replies_mailbox_get(struct db *db, struct reply_mailbox *m,
			struct error *err);

/* One Message-ID a mail refers to (In-Reply-To or References). */
struct reply_ref {
	int mail;		/* which mail of the batch it came from */
	const char *message_id;	/* without <> */
	int64_t date;		/* the mail's Date, seconds since the epoch */
	bool has_date;		/* false: now() */
};

struct replies_outcome {
	long matched;		/* mails that name one of our messages */
	long marked;		/* messages that became replied */
};

/* In one transaction: marks the messages the refs name as replied, at the
 * reply's date (kept between the sending and now; a date more than a day
 * outside that is not believed) or else now,
 * filling opened_at when empty, with history and audit like a mark by hand,
 * and records m->last_uid as read. Adds to *out. */
int replies_record_batch(struct db *db, const struct actor *actor,
			 const struct reply_mailbox *m,
			 const struct reply_ref *refs, size_t count,
			 struct replies_outcome *out, struct error *err);

#endif
