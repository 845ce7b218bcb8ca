/* permission.h - who is acting and what they may do. Every write in the
 * model layer asks permission_require() first, so a refusal holds whether
 * the request came from the interface, a command or a script. */
#ifndef OUTREACH_MODEL_PERMISSION_H
#define OUTREACH_MODEL_PERMISSION_H

#include <stdbool.h>

#include "core/error.h"

enum actor_kind {
	ACTOR_NOBODY,		/* not logged in: may only create the first admin */
	ACTOR_USER,		/* logged in as an outreach user */
	ACTOR_OWNER,		/* no --user: whoever may connect, full rights */
	ACTOR_DISABLED,		/* a user whose account was disabled while
				 * logged in: may change nothing */
};

struct actor {
	enum actor_kind kind;
	int user_id;		/* ACTOR_USER only */
	bool is_admin;
	char name[128];		/* user name, or "os:<login>" for the owner */
};

enum permission_action {
	PERM_BROWSE,
	PERM_EDIT_BUSINESS,		/* businesses and their contacts */
	PERM_IMPORT,
	PERM_SCAN,
	PERM_EDIT_DRAFT_CAMPAIGN,
	PERM_CHANGE_OWN_PASSWORD,
	PERM_MANAGE_USERS,
	PERM_DELETE_BUSINESS,
	PERM_DELETE_CAMPAIGN,
	PERM_SEND,			/* start, pause, resume, cancel sending */
	PERM_READ_AUDIT,
	PERM_MARK_MESSAGES,		/* record sent/opened/replied/failed by hand,
					 * work the manual social queue */
	PERM_COUNT
};

/* The database connection's owner, named "os:<login>" after the
 * operating-system account running this process. */
void actor_os_owner(struct actor *a);
/* Nobody in particular: name is only recorded in the audit log. */
void actor_nobody(struct actor *a, const char *name);

/* 0 when actor may do action; otherwise -1 with err saying why and what
 * to do ("only an admin can delete businesses; ..."). */
int permission_require(const struct actor *actor, enum permission_action action,
		       struct error *err);
/* "delete businesses": the action as the end of "only an admin can ...". */
const char *permission_action_text(enum permission_action action);

#endif
