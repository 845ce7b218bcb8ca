/* campaign_rules.h - the campaign lifecycle as pure rules: which action may
 * move a campaign from which status, and why not when it may not.
 *
 *   draft --schedule--> scheduled --start--> sending <--pause/resume--> paused
 *   draft --start--> sending            (scheduling is optional)
 *   scheduled --schedule--> scheduled   (a new start time)
 *   sending --(last pending message gone)--> completed   (automatic, never an action)
 *   any status but completed --cancel--> cancelled
 * Only a draft campaign's templates and audience can be edited. */
#ifndef OUTREACH_CAMPAIGN_RULES_H
#define OUTREACH_CAMPAIGN_RULES_H

#include <stdbool.h>
#include <stddef.h>

enum campaign_status {
	CAMPAIGN_DRAFT,
	CAMPAIGN_SCHEDULED,
	CAMPAIGN_SENDING,
	CAMPAIGN_PAUSED,
	CAMPAIGN_COMPLETED,
	CAMPAIGN_CANCELLED,
	CAMPAIGN_STATUS_COUNT
};

/* What a person may ask for; completion is not one of them. */
enum campaign_action {
	CAMPAIGN_SCHEDULE,
	CAMPAIGN_START,
	CAMPAIGN_PAUSE,
	CAMPAIGN_RESUME,
	CAMPAIGN_CANCEL,
	CAMPAIGN_ACTION_COUNT
};

/* Database spellings ("draft", ...) and verbs ("schedule", ...). */
const char *campaign_status_name(enum campaign_status s);
int campaign_status_from_name(const char *s);	/* -1 when unknown */
const char *campaign_action_name(enum campaign_action a);
int campaign_action_from_name(const char *s);	/* -1 when unknown */

/* Returns true and sets *to when the action is allowed from status from.
 * Otherwise returns false and writes why into reason (when not NULL), e.g.
 * "cannot pause a draft campaign: only a sending campaign can be paused". */
bool campaign_transition(enum campaign_status from, enum campaign_action a,
			 enum campaign_status *to, char *reason, size_t size);

/* True when templates and audience may change; otherwise reason says so. */
bool campaign_can_edit(enum campaign_status s, char *reason, size_t size);

/* True when messages may be generated (anything before completion or
 * cancellation); otherwise reason says so. */
bool campaign_can_generate(enum campaign_status s, char *reason, size_t size);

/* True when the action needs templates without errors and messages to
 * send: an action that leads towards sending. */
bool campaign_action_needs_messages(enum campaign_action a);

#endif
