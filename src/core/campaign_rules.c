/* campaign_rules.c - the campaign lifecycle table and the sentences that
 * explain a refusal; campaign_rules.h draws the diagram. */
#include "core/campaign_rules.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[CAMPAIGN_STATUS_COUNT] = {
	"draft", "scheduled", "sending", "paused", "completed", "cancelled",
};

static const char *const action_names[CAMPAIGN_ACTION_COUNT] = {
	"schedule", "start", "pause", "resume", "cancel",
};

/* For each action: the statuses it leaves from (one bit each), where it
 * leads, and the rule in words for the refusal. Every status name starts
 * with a consonant, so refusals can say "a draft campaign". */
struct rule {
	unsigned from;
	enum campaign_status to;
	const char *only;
};

#define BIT(s) (1u << (s))

static const struct rule rules[CAMPAIGN_ACTION_COUNT] = {
	[CAMPAIGN_SCHEDULE] = {
		BIT(CAMPAIGN_DRAFT) | BIT(CAMPAIGN_SCHEDULED), CAMPAIGN_SCHEDULED,
		"only a draft campaign can be scheduled (or a scheduled one "
		"given a new time)",
	},
	[CAMPAIGN_START] = {
		BIT(CAMPAIGN_DRAFT) | BIT(CAMPAIGN_SCHEDULED), CAMPAIGN_SENDING,
		"only a draft or scheduled campaign can be started; a paused "
		"one is resumed",
	},
	[CAMPAIGN_PAUSE] = {
		BIT(CAMPAIGN_SENDING), CAMPAIGN_PAUSED,
		"only a sending campaign can be paused",
	},
	[CAMPAIGN_RESUME] = {
		BIT(CAMPAIGN_PAUSED), CAMPAIGN_SENDING,
		"only a paused campaign can be resumed",
	},
	[CAMPAIGN_CANCEL] = {
		BIT(CAMPAIGN_DRAFT) | BIT(CAMPAIGN_SCHEDULED) |
		BIT(CAMPAIGN_SENDING) | BIT(CAMPAIGN_PAUSED), CAMPAIGN_CANCELLED,
		"only a campaign that has not completed can be cancelled",
	},
};

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *campaign_status_name(enum campaign_status s)
{
	return (unsigned)s < CAMPAIGN_STATUS_COUNT ? status_names[s] : "?";
}

int campaign_status_from_name(const char *s)
{
	return lookup(status_names, CAMPAIGN_STATUS_COUNT, s);
}

const char *campaign_action_name(enum campaign_action a)
{
	return (unsigned)a < CAMPAIGN_ACTION_COUNT ? action_names[a] : "?";
}

int campaign_action_from_name(const char *s)
{
	return lookup(action_names, CAMPAIGN_ACTION_COUNT, s);
}

bool campaign_transition(enum campaign_status from, enum campaign_action a,
			 enum campaign_status *to, char *reason, size_t size)
{
	if ((unsigned)a >= CAMPAIGN_ACTION_COUNT ||
	    (unsigned)from >= CAMPAIGN_STATUS_COUNT) {
		if (reason)
			snprintf(reason, size, "unknown campaign action or status");
		return false;
	}
	const struct rule *r = &rules[a];
	if (r->from & BIT(from)) {
		*to = r->to;
		return true;
	}
	if (!reason)
		return false;
	if (a == CAMPAIGN_CANCEL && from == CAMPAIGN_CANCELLED)
		snprintf(reason, size, "the campaign is already cancelled");
	else
		snprintf(reason, size, "cannot %s a %s campaign: %s",
			 action_names[a], status_names[from],
			 r->only);
	return false;
}

bool campaign_can_edit(enum campaign_status s, char *reason, size_t size)
{
	if (s == CAMPAIGN_DRAFT)
		return true;
	if (reason)
		snprintf(reason, size, "cannot edit a %s campaign: only a draft "
			 "campaign's templates and audience can be edited",
			 campaign_status_name(s));
	return false;
}

bool campaign_can_generate(enum campaign_status s, char *reason, size_t size)
{
	if (s != CAMPAIGN_COMPLETED && s != CAMPAIGN_CANCELLED &&
	    (unsigned)s < CAMPAIGN_STATUS_COUNT)
		return true;
	if (reason)
		snprintf(reason, size, "cannot generate messages for a %s "
			 "campaign: it will send nothing more",
			 campaign_status_name(s));
	return false;
}

bool campaign_action_needs_messages(enum campaign_action a)
{
	return a == CAMPAIGN_SCHEDULE || a == CAMPAIGN_START;
}
