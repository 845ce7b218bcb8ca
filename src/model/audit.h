/* audit.h - the audit log: who did what, when, to what. Written by the
 * model layer next to the change it records; never holds a password. */
#ifndef OUTREACH_MODEL_AUDIT_H
#define OUTREACH_MODEL_AUDIT_H

#include "core/error.h"
#include "db/db.h"
#include "model/permission.h"

/* Appends one row; entity, entity_id and detail may be NULL. */
int audit_write(struct db *db, const struct actor *actor, const char *action,
		const char *entity, const char *entity_id, const char *detail,
		struct error *err);
/* Like audit_write with a plain actor name (failed logins have no actor). */
int audit_write_as(struct db *db, const char *actor_name, const char *action,
		   const char *entity, const char *entity_id, const char *detail,
		   struct error *err);

struct audit_entry {
	const char *at;		/* "2024-05-01 13:00:00+00" */
	const char *actor, *action, *entity, *entity_id, *detail; /* "" if NULL */
};

/* Resolves a --since value: a timestamp ("2024-05-01", "2024-05-01
 * 13:00+02") or an interval meaning that long ago ("2 hours", "7 days").
 * Writes the timestamp as text into out. */
int audit_resolve_since(struct db *db, const char *since, char *out,
			size_t outlen, struct error *err);
/* Calls fn for each entry at or after since (NULL: all), oldest first,
 * the newest limit entries (limit <= 0: all). Strings are raw database
 * text: sanitise before showing them. */
int audit_list(struct db *db, const struct actor *actor, const char *since,
	       long limit, void (*fn)(const struct audit_entry *e, void *ctx),
	       void *ctx, struct error *err);

#endif
