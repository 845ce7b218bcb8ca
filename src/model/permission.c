/* permission.c - the one table of what staff and admins may do. Staff
 * keep the daily work; what cannot be undone (deleting, sending, deciding
 * who gets in) is for admins. */
#include "model/permission.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

static const struct {
	const char *text;
	bool admin_only;
} actions[PERM_COUNT] = {
	[PERM_BROWSE] = {"browse", false},
	[PERM_EDIT_BUSINESS] = {"edit businesses and contacts", false},
	[PERM_IMPORT] = {"import", false},
	[PERM_SCAN] = {"scan websites", false},
	[PERM_EDIT_DRAFT_CAMPAIGN] = {"edit draft campaigns", false},
	[PERM_CHANGE_OWN_PASSWORD] = {"change their own password", false},
	[PERM_MANAGE_USERS] = {"manage users", true},
	[PERM_DELETE_BUSINESS] = {"delete businesses", true},
	[PERM_DELETE_CAMPAIGN] = {"delete campaigns", true},
	[PERM_SEND] = {"start or cancel sending", true},
	[PERM_READ_AUDIT] = {"read the audit log", true},
	[PERM_MARK_MESSAGES] = {"mark messages and work the social queue", false},
};

void actor_os_owner(struct actor *a)
{
	*a = (struct actor){.kind = ACTOR_OWNER, .is_admin = true};
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(a->name, sizeof a->name, "os:%s", pw->pw_name);
	else
		snprintf(a->name, sizeof a->name, "os:uid%u", (unsigned)geteuid());
}

void actor_nobody(struct actor *a, const char *name)
{
	*a = (struct actor){.kind = ACTOR_NOBODY};
	snprintf(a->name, sizeof a->name, "%s", name ? name : "-");
}

const char *permission_action_text(enum permission_action action)
{
	return (unsigned)action < PERM_COUNT ? actions[action].text : "do that";
}

int permission_require(const struct actor *actor, enum permission_action action,
		       struct error *err)
{
	if ((unsigned)action >= PERM_COUNT)
		return error_set(err, "unknown action");
	if (!actor || actor->kind == ACTOR_NOBODY)
		return error_set(err, "log in first: only a logged-in user can %s",
				 actions[action].text);
	if (actor->kind == ACTOR_OWNER)
		return 0;
	if (actor->kind == ACTOR_DISABLED)
		return error_set(err, "the account '%s' was disabled, so it can "
				 "no longer %s; ask an admin to enable it",
				 actor->name, actions[action].text);
	if (actions[action].admin_only && !actor->is_admin)
		return error_set(err, "only an admin can %s; ask an admin",
				 actions[action].text);
	return 0;
}
