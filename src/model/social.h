/* social.h - the manual social queue: messages for Instagram, Facebook,
 * Twitter and LinkedIn of campaigns that are sending, handed to staff one
 * at a time to copy and paste. A task is claimed under a name unique to
 * the claiming interface session, which is also that session's
 * application_name, so a claim whose owner is gone can be recognised and
 * taken over; a task is done only when marked. */
#ifndef OUTREACH_MODEL_SOCIAL_H
#define OUTREACH_MODEL_SOCIAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "db/db.h"
#include "db/query.h"
#include "model/permission.h"

/* At most 63 bytes of printable ASCII (what application_name keeps). */
#define SOCIAL_CLAIM_MAX 64

/* "NAME@HOST:PID" for this process, cut and cleaned to fit. */
void social_claim_name(const char *user, char out[SOCIAL_CLAIM_MAX]);

struct social_task {
	int id, campaign_id, business_id;
	char *campaign_name, *business_name, *platform;
	char *address;		/* the profile URL (or handle) */
	char *content;
	/* Set when the task was suppressed: it is now failed with this
	 * reason, and the caller should claim the next one. */
	char *suppressed;
};

/* Claims the next task (of campaign_id, or of any campaign when 0),
 * skipping the ids in skip (this session's skipped tasks). A task already
 * claimed under claim comes back first. */
int social_claim_query(struct query *q, const struct actor *actor,
		       const char *claim, int campaign_id, const int *skip,
		       size_t nskip, struct error *err);
/* 1 with task filled, 0 when no task is free. */
int social_claim_parse(PGresult *res, struct social_task *task);
void social_task_free(struct social_task *t);	/* accepts NULL */

/* Blocking: claims until a task that is not suppressed comes up (those
 * are failed on the way; *suppressed counts them when not NULL). */
int social_claim_next(struct db *db, const struct actor *actor,
		      const char *claim, int campaign_id, const int *skip,
		      size_t nskip, struct social_task *task, long *suppressed,
		      struct error *err);

/* Releases this session's claim without marking it (a skip). */
int social_release_query(struct query *q, const struct actor *actor,
			 const char *claim, int id, struct error *err);
/* 0 when released; -1 with err when the claim was no longer held. */
int social_release_parse(PGresult *res, int id, struct error *err);
int social_release(struct db *db, const struct actor *actor, const char *claim,
		   int id, struct error *err);

/* Done and failed go through message_mark with .claim set. */
int social_done(struct db *db, const struct actor *actor, const char *claim,
		int id, struct error *err);
int social_fail(struct db *db, const struct actor *actor, const char *claim,
		int id, const char *reason, struct error *err);

#endif
