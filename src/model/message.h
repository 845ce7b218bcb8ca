/* message.h - generated messages after generation: what happened to each
 * (marked by hand, retried), one message with its history, keyset pages
 * of a campaign's messages, and the numbers the monitor shows. Every
 * statement is built here as a struct query so the CLI (blocking) and the
 * screens (event loop) run the same SQL; parsing lives here too. */
#ifndef OUTREACH_MODEL_MESSAGE_H
#define OUTREACH_MODEL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "db/db.h"
#include "db/query.h"
#include "model/permission.h"

enum message_status {
	MESSAGE_PENDING, MESSAGE_SENT, MESSAGE_OPENED, MESSAGE_REPLIED,
	MESSAGE_FAILED, MESSAGE_STATUS_COUNT
};

/* The platforms a message goes out on, in the schema's order. */
#define MESSAGE_PLATFORM_COUNT 5

const char *message_status_name(enum message_status s);
int message_status_from_name(const char *s);	/* -1 when unknown */
const char *message_platform_name(int platform);
int message_platform_from_name(const char *s);	/* -1 when unknown */
/* Instagram, Facebook, Twitter, LinkedIn: sent by a person, not a worker. */
bool message_platform_is_social(const char *name);

/* A claim on a pending message older than this whose owner's session is
 * gone (no connection with that application_name) may be taken over. */
#define MESSAGE_STALE_CLAIM "5 minutes"

/* The rule for marking by hand: 0 when a message in status from may be
 * marked to, else -1 with err saying why and what to do instead. */
int message_mark_rule(int id, enum message_status from, enum message_status to,
		      struct error *err);

struct message_mark {
	int id;
	enum message_status to;	/* sent, opened, replied or failed */
	const char *reason;	/* failed: why (required); else ignored */
	/* The social queue's claim name: the message must hold this claim.
	 * NULL: it must be unclaimed (or hold a stale claim). */
	const char *claim;
};

/* One statement that checks the rule again under a lock, changes the
 * message, names the actor for its history and writes the audit log. */
int message_mark_query(struct query *q, const struct actor *actor,
		       const struct message_mark *m, struct error *err);
/* 0 when the mark was applied; -1 with err explaining a refusal. */
int message_mark_parse(PGresult *res, const struct message_mark *m,
		       struct error *err);
int message_mark(struct db *db, const struct actor *actor,
		 const struct message_mark *m, struct error *err);

/* Puts a failed message back to pending for another attempt: the claim,
 * retry time, failure time and error are cleared (the error stays in the
 * history), attempts start again from 0. Its campaign must be sending or
 * paused; a completed campaign is reopened to sending. An admin's right,
 * since it sends again. *reopened says whether the campaign was reopened. */
int message_retry_query(struct query *q, const struct actor *actor, int id,
			struct error *err);
int message_retry_parse(PGresult *res, int id, bool *reopened,
			struct error *err);
int message_retry(struct db *db, const struct actor *actor, int id,
		  bool *reopened, struct error *err);
/* The messages failed as "delivery unknown" (of the named campaign, or
 * of all when campaign is NULL), in id order, newly allocated: what a
 * person looks at after a send worker stopped during a send. */
int message_unknown_ids(struct db *db, const char *campaign, int **ids,
			size_t *count, struct error *err);

struct message_event {
	char *at;		/* "2026-11-29 14:03:07" */
	char *event;		/* a status, claimed, released or retry */
	char *detail;		/* NULL when none */
	char *actor;		/* NULL when unknown */
};

/* Strings are raw database text: sanitise before showing them. NULL
 * members were NULL in the database. */
struct message_detail {
	int id, campaign_id, business_id, attempts;
	char *campaign_name, *campaign_status, *business_name;
	char *platform, *address, *subject, *content, *status;
	char *sent_at, *opened_at, *replied_at, *failed_at;
	char *claimed_by, *claimed_at, *next_attempt_at;
	char *last_error, *message_id_header;
	struct message_event *events;
	size_t event_count;
};

void message_detail_query(struct query *q, int id);
/* false when the message does not exist. */
bool message_detail_parse(PGresult *res, struct message_detail *d);
/* The history, oldest first. */
void message_events_query(struct query *q, int id);
void message_events_parse(PGresult *res, struct message_detail *d);
/* Both, blocking; err says "no message N" when absent. */
int message_show(struct db *db, int id, struct message_detail *d,
		 struct error *err);
void message_detail_free(struct message_detail *d);	/* accepts NULL */

struct message_filter {
	int campaign_id;	/* 0: every campaign */
	int status;		/* enum message_status, -1: any */
	int platform;		/* index of message_platform_name, -1: any */
};

struct message_row {
	int id;
	char *campaign_name, *business_name, *platform, *address, *status;
	char *when;		/* the latest of its times, "" when none */
	char *last_error;	/* NULL when none */
};

/* Keyset pages in id order: after_id > 0 gives the rows after it,
 * before_id > 0 the rows just before it (still returned in id order). */
void message_page_query(struct query *q, const struct message_filter *f,
			int after_id, int before_id, int limit);
void message_page_parse(PGresult *res, bool before, struct message_row **rows,
			size_t *count);
void message_rows_free(struct message_row *rows, size_t count);
int message_list(struct db *db, const struct message_filter *f, int after_id,
		 int limit, struct message_row **rows, size_t *count,
		 struct error *err);

/* ---- the monitor ---- */

struct monitor_campaign {
	int id;
	char *name;
	char *status;
	long total;
	long by_status[MESSAGE_STATUS_COUNT];
};

/* Campaigns worth watching (sending, paused, scheduled, completed), the
 * active ones first, with their counts by status. */
void monitor_campaigns_query(struct query *q);
void monitor_campaigns_parse(PGresult *res, struct monitor_campaign **rows,
			     size_t *count);
void monitor_campaigns_free(struct monitor_campaign *rows, size_t count);

struct error_group {
	char *reason;
	long count;
	char *latest;		/* "2026-11-29 14:03:07" */
};

struct message_stats {
	long total;
	long by_status[MESSAGE_STATUS_COUNT];
	long by_platform[MESSAGE_PLATFORM_COUNT][MESSAGE_STATUS_COUNT];
	long done_last_minute;	/* sent or failed in the last 60 s */
	struct error_group *errors;
	size_t error_count;
};

/* Three cheap statements for one campaign: counts by platform and
 * status, outcomes of the last minute, failures grouped by reason. */
void message_stats_counts_query(struct query *q, int campaign_id);
void message_stats_counts_parse(PGresult *res, struct message_stats *s);
void message_stats_rate_query(struct query *q, int campaign_id);
void message_stats_rate_parse(PGresult *res, struct message_stats *s);
void message_stats_errors_query(struct query *q, int campaign_id, int limit);
void message_stats_errors_parse(PGresult *res, struct message_stats *s);
int message_stats_fetch(struct db *db, int campaign_id, struct message_stats *s,
			struct error *err);
void message_stats_free(struct message_stats *s);	/* keeps the struct */
/* Done (sent + opened + replied + failed) of total. */
long message_stats_done(const struct message_stats *s);
/* Messages per second over the last minute. */
double message_stats_rate(const struct message_stats *s);
/* Seconds until the pending ones are done at that rate; -1 unknown. */
long message_stats_eta(const struct message_stats *s);

#endif
