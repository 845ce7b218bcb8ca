/* campaign.h - campaigns as the rest of the program sees them: create and
 * edit drafts, list and show, the lifecycle, preview and generation. */
#ifndef OUTREACH_MODEL_CAMPAIGN_H
#define OUTREACH_MODEL_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/campaign_rules.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "db/query.h"
#include "model/permission.h"
#include "model/audience.h"

/* Returned instead of -1 when a save was refused because someone else saved
 * the campaign after the caller read it; nothing was written. */
#define CAMPAIGN_CONFLICT (-2)

struct campaign {
	int id;
	char *name;
	enum campaign_status status;
	char *subject_template;
	char *body_template;
	char *start_at;		/* NULL when not scheduled for a time */
	char *created_at;
	char *updated_at;	/* exact server text: pass back to campaign_edit */
	char *updated_by;	/* NULL when nobody is recorded */
	struct audience audience;
};

/* Who acts: the name written to updated_by, and the account whose rights
 * are checked and whose name goes in the audit log. */
struct campaign_actor {
	const char *name;
	const struct actor *who;
};

/* Loads a campaign by name: 0, or -1 with err; CAMPAIGN_NOT_FOUND (also
 * below 0) with err saying "no campaign named ..." when there is none. */
#define CAMPAIGN_NOT_FOUND (-2)
int campaign_load(struct db *db, const char *name, struct campaign *out,
		  struct error *err);
void campaign_free(struct campaign *c);	/* frees the members; accepts NULL */

/* Compiles both templates and appends one line per error to report (when
 * not NULL): "body line 3, column 7: unknown field ... (did you mean ...)".
 * Returns the number of errors. */
int campaign_check_templates(const char *subject, const char *body,
			     struct buf *report);

/* Creates a draft. The name is trimmed and must be new. A template with
 * errors is saved all the same (a draft may be unfinished) and its errors
 * are appended to report. Returns the number of template errors, or -1. */
int campaign_create(struct db *db, const struct campaign_actor *actor,
		    const char *name, const char *subject, const char *body,
		    const struct audience *audience, struct buf *report,
		    struct error *err);

/* A change to a draft: NULL members stay as they are. expected_updated_at
 * is the updated_at the editor started from. */
struct campaign_change {
	const char *subject;
	const char *body;
	const struct audience *audience;
	const char *expected_updated_at;
};

/* Saves a change to a draft campaign. Generated messages of the draft carry
 * the old text, so they are deleted (*discarded says how many; generate
 * again). Returns the number of template errors, -1 on error, or
 * CAMPAIGN_CONFLICT with err saying "changed by NAME at TIME" when the
 * campaign changed since expected_updated_at. */
int campaign_edit(struct db *db, const struct campaign_actor *actor,
		  const char *name, const struct campaign_change *change,
		  long *discarded, struct buf *report, struct error *err);

/* audience while it has not been counted yet; -1: not shown (the campaign
 * is completed or cancelled, its audience no longer matters). */
#define CAMPAIGN_AUDIENCE_UNCOUNTED (-2L)

struct campaign_summary {
	int id;
	char *name;
	enum campaign_status status;
	char *start_at;		/* NULL when none */
	struct audience who;	/* the audience's definition */
	long audience;		/* messages the audience would receive */
	long total;		/* messages generated */
	long sent;		/* sent, opened or replied */
	long failed;
	long pending;
};

/* All campaigns in name order with their audience size and progress. */
int campaign_list(struct db *db, struct campaign_summary **rows, size_t *count,
		  struct error *err);
/* The same list as one statement, for the event-loop connection: every
 * campaign with its message counts, the audience sizes left uncounted
 * (each costs a pass over the businesses: audience_size_query asks for
 * one). */
void campaign_list_query(struct query *q);
void campaign_list_parse(PGresult *res, struct campaign_summary **rows,
			 size_t *count);
void campaign_list_free(struct campaign_summary *rows, size_t count);

/* The message counts of every campaign (not the audience, which costs a
 * pass over the businesses) as a query for either connection, and its
 * result copied into the rows of the same names; returns how many rows
 * were updated. */
void campaign_progress_all_query(struct query *q);
int campaign_progress_all_apply(PGresult *res, struct campaign_summary *rows,
				size_t count);

/* Deletes a campaign that never sent anything, with its pending
 * messages (*messages says how many): not while it is sending, and not
 * once a message was sent, tried or claimed, since that record must stay
 * (cancel such a campaign instead). An admin's right; audited. */
int campaign_delete(struct db *db, const struct campaign_actor *actor,
		    const char *name, long *messages, struct error *err);

/* The message counts of one campaign (audience -1: not counted). */
int campaign_progress(struct db *db, const struct campaign *c,
		      struct campaign_summary *out, struct error *err);

struct campaign_transition_result {
	enum campaign_status from;
	enum campaign_status to;	/* completed when resumed with nothing left */
};

/* The one way a campaign's status changes by request: checks the rule, the
 * templates and messages an action needs, the actor's rights, and records
 * the change. start_at (schedule only, may be NULL) is any time PostgreSQL
 * reads as timestamptz and must lie in the future. */
int campaign_apply(struct db *db, const struct campaign_actor *actor,
		   const char *name, enum campaign_action action,
		   const char *start_at, struct campaign_transition_result *out,
		   struct buf *report, struct error *err);

/* Generates the pending messages of the campaign's audience in one
 * transaction; see audience.h for what is counted. Refused (with the
 * template errors in report) when a template has errors. */
int campaign_generate(struct db *db, const struct campaign_actor *actor,
		      const char *name, const struct audience_sender *sender,
		      audience_progress_fn progress, void *progress_arg,
		      struct audience_generate_report *out, struct buf *report,
		      struct error *err);

/* Renders the campaign for one business and its primary contact. */
int campaign_preview(struct db *db, const char *name, int business_id,
		     const struct audience_sender *sender,
		     struct audience_preview *out, struct buf *report,
		     struct error *err);

#endif
