/* user.h - outreach accounts: adding them, passwords, admin rights, being
 * disabled, and listing them. Each change checks the actor's rights and
 * is audited in the same transaction; passwords only pass through here on
 * their way to Argon2id. */
#ifndef OUTREACH_MODEL_USER_H
#define OUTREACH_MODEL_USER_H

#include <stdbool.h>

#include "core/error.h"
#include "db/db.h"
#include "model/permission.h"

/* 1-64 characters: letters, digits, '.', '_', '-', '@', starting with a
 * letter or digit (so no user name can look like "os:<login>"). */
int user_check_name(const char *name, struct error *err);
/* Number of accounts, for the first-admin rule and the login screen. */
int user_count(struct db *db, long *count, struct error *err);

/* Adds an account. Needs PERM_MANAGE_USERS, except that anyone may create
 * the first admin of an empty users table. email may be NULL. */
int user_add(struct db *db, const struct actor *actor, const char *name,
	     const char *email, bool is_admin, const char *password,
	     struct error *err);
/* Sets a new password (and clears a lock). Anyone may change their own;
 * changing another's needs PERM_MANAGE_USERS. */
int user_set_password(struct db *db, const struct actor *actor,
		      const char *name, const char *password, struct error *err);
/* Disables or enables an account; enabling also clears a lock. The last
 * enabled admin cannot be disabled. */
int user_set_disabled(struct db *db, const struct actor *actor,
		      const char *name, bool disabled, struct error *err);
/* Grants or revokes admin rights; the last enabled admin keeps them. */
int user_set_admin(struct db *db, const struct actor *actor, const char *name,
		   bool is_admin, struct error *err);

struct user_entry {
	const char *name, *email;	/* raw database text ("" for none) */
	bool is_admin, disabled;
	const char *last_login;		/* "" when never */
	const char *locked_until;	/* "" when not locked */
};
/* Calls fn for every account, by name. */
int user_list(struct db *db, const struct actor *actor,
	      void (*fn)(const struct user_entry *u, void *ctx), void *ctx,
	      struct error *err);
/* The same in two halves, for the event-loop connection: the statement,
 * then fn for every row of its result. */
void user_list_query(struct query *q);
void user_list_parse(PGresult *res,
		     void (*fn)(const struct user_entry *u, void *ctx), void *ctx);

/* is_admin and disabled of the account with this id (no row: deleted),
 * for a session to follow changes made to its own account. */
void user_rights_query(struct query *q, int user_id);

/* The actor for an existing, enabled account without asking for its
 * password: only for callers that created the account themselves (the
 * demo). */
int user_actor(struct db *db, const char *name, struct actor *out,
	       struct error *err);

#endif
