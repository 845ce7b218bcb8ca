/* user.c - account changes. Each runs in one transaction holding a lock on
 * users, so "is the table empty?" and "is this the last admin?" cannot be
 * raced by a second process, and each writes its audit row alongside. */
#include "model/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "core/validate.h"
#include "model/audit.h"

#define USER_NAME_MAX 64

int user_check_name(const char *name, struct error *err)
{
	size_t n = strlen(name);
	if (n == 0 || n > USER_NAME_MAX)
		return error_set(err, "a user name has 1 to %d characters",
				 USER_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("._-@", c)))
			return error_set(err, "user name '%.64s': use letters, "
					 "digits, '.', '_', '-' and '@', starting "
					 "with a letter or digit", name);
	}
	return 0;
}

int user_count(struct db *db, long *count, struct error *err)
{
	PGresult *res = db_exec(db, "SELECT count(*) FROM users", 0, NULL, err);
	if (!res)
		return -1;
	*count = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Holds off other account changes until the transaction ends; reads stay
 * possible, so logins and the screens are not blocked. */
static int lock_users(struct db *db, struct error *err)
{
	return db_command(db, "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE",
			  0, NULL, err);
}

/* ---------------------------------------------------------------- add */

struct add_request {
	const struct actor *actor;
	const char *name, *email;
	bool is_admin;
	const char *hash;
};

static int may_add(struct db *db, const struct add_request *r, struct error *err)
{
	long count;
	if (user_count(db, &count, err) < 0)
		return -1;
	struct error refusal = {{0}};
	if (permission_require(r->actor, PERM_MANAGE_USERS, &refusal) == 0)
		return 0;
	if (count == 0 && r->is_admin)
		return 0;	/* the first admin of a new installation */
	if (count == 0)
		return error_set(err, "there are no users yet: the first one must "
				 "be an admin (add --admin)");
	if (r->actor && r->actor->kind == ACTOR_DISABLED)
		return error_set(err, "%s", refusal.msg);
	return error_set(err, "only an admin can add users; ask an admin");
}

static int name_or_email_taken(struct db *db, const struct add_request *r,
			       struct error *err)
{
	const char *params[] = {r->name, r->email};
	PGresult *res = db_exec(db, "SELECT username = $1 FROM users "
				"WHERE username = $1 OR email = $2", 2, params, err);
	if (!res)
		return -1;
	int rc = 0;
	if (PQntuples(res) > 0)
		rc = PQgetvalue(res, 0, 0)[0] == 't' ?
			error_set(err, "a user named '%s' already exists", r->name) :
			error_set(err, "the e-mail %s belongs to another user",
				  r->email);
	PQclear(res);
	return rc;
}

static int add_in_transaction(struct db *db, void *arg, struct error *err)
{
	struct add_request *r = arg;
	if (lock_users(db, err) < 0 || may_add(db, r, err) < 0 ||
	    name_or_email_taken(db, r, err) < 0)
		return -1;
	const char *params[] = {r->name, r->hash, r->email, r->is_admin ? "t" : "f"};
	PGresult *res = db_exec(db, "INSERT INTO users (username, password_hash, "
				"email, is_admin) VALUES ($1, $2, $3, $4) "
				"RETURNING id", 4, params, err);
	if (!res)
		return -1;
	char detail[160];
	snprintf(detail, sizeof detail, "%s (%s%s)", r->name,
		 r->is_admin ? "admin" : "staff", r->email ? ", with e-mail" : "");
	int rc = audit_write(db, r->actor, "user.add", "user",
			     PQgetvalue(res, 0, 0), detail, err);
	PQclear(res);
	return rc;
}

int user_add(struct db *db, const struct actor *actor, const char *name,
	     const char *email, bool is_admin, const char *password,
	     struct error *err)
{
	if (user_check_name(name, err) < 0 ||
	    password_check_rules(name, password, err) < 0)
		return -1;
	char *normal_email = NULL;
	if (email && *email && normalize_email(email, &normal_email, err) < 0)
		return error_prefix(err, "--email");
	/* Hashing takes a moment; do it before taking the lock. */
	char hash[PASSWORD_HASH_SIZE];
	int rc = password_hash(password, hash, err);
	if (rc == 0) {
		struct add_request r = {actor, name, normal_email, is_admin, hash};
		rc = db_transaction(db, add_in_transaction, &r, err);
	}
	free(normal_email);
	return rc;
}

/* ---------------------------------------------------------------- changes */

/* One UPDATE of the named account plus its audit row. sql has $1 = name
 * and optionally $2; it returns the row's id when it changed it. */
struct change {
	const struct actor *actor;
	enum permission_action needs;
	const char *name;
	const char *sql;
	const char *value;		/* $2, or NULL for none */
	const char *audit_action;
	bool losing_admin;		/* refuse when no other admin remains */
};

static int check_other_admin(struct db *db, const char *name, struct error *err)
{
	const char *params[] = {name};
	PGresult *res = db_exec(db, "SELECT (SELECT is_admin AND NOT disabled "
				"FROM users WHERE username = $1), EXISTS (SELECT 1 "
				"FROM users WHERE is_admin AND NOT disabled AND "
				"username <> $1)", 1, params, err);
	if (!res)
		return -1;
	bool is_active_admin = PQgetvalue(res, 0, 0)[0] == 't';
	bool others = PQgetvalue(res, 0, 1)[0] == 't';
	PQclear(res);
	if (is_active_admin && !others)
		return error_set(err, "'%s' is the last enabled admin; make "
				 "someone else an admin first", name);
	return 0;
}

static int change_in_transaction(struct db *db, void *arg, struct error *err)
{
	struct change *c = arg;
	if (lock_users(db, err) < 0)
		return -1;
	if (c->losing_admin && check_other_admin(db, c->name, err) < 0)
		return -1;
	const char *params[] = {c->name, c->value};
	PGresult *res = db_exec(db, c->sql, c->value ? 2 : 1, params, err);
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return error_set(err, "there is no user named '%s' (see 'outreach "
				 "user list')", c->name);
	}
	int rc = audit_write(db, c->actor, c->audit_action, "user",
			     PQgetvalue(res, 0, 0), c->name, err);
	PQclear(res);
	return rc;
}

static int change_user(struct change *c, struct db *db, struct error *err)
{
	if (permission_require(c->actor, c->needs, err) < 0)
		return -1;
	return db_transaction(db, change_in_transaction, c, err);
}

static bool is_self(const struct actor *actor, const char *name)
{
	return actor && actor->kind == ACTOR_USER && strcmp(actor->name, name) == 0;
}

int user_set_password(struct db *db, const struct actor *actor,
		      const char *name, const char *password, struct error *err)
{
	if (password_check_rules(name, password, err) < 0)
		return -1;
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, hash, err) < 0)
		return -1;
	struct change c = {
		.actor = actor, .name = name, .value = hash,
		.needs = is_self(actor, name) ? PERM_CHANGE_OWN_PASSWORD :
						PERM_MANAGE_USERS,
		.sql = "UPDATE users SET password_hash = $2, failed_logins = 0, "
		       "locked_until = NULL WHERE username = $1 RETURNING id",
		.audit_action = "user.passwd",
	};
	int rc = change_user(&c, db, err);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int user_set_disabled(struct db *db, const struct actor *actor,
		      const char *name, bool disabled, struct error *err)
{
	struct change c = {
		.actor = actor, .name = name, .needs = PERM_MANAGE_USERS,
		.sql = disabled ?
		       "UPDATE users SET disabled = true WHERE username = $1 "
		       "RETURNING id" :
		       "UPDATE users SET disabled = false, failed_logins = 0, "
		       "locked_until = NULL WHERE username = $1 RETURNING id",
		.audit_action = disabled ? "user.disable" : "user.enable",
		.losing_admin = disabled,
	};
	return change_user(&c, db, err);
}

int user_set_admin(struct db *db, const struct actor *actor, const char *name,
		   bool is_admin, struct error *err)
{
	struct change c = {
		.actor = actor, .name = name, .needs = PERM_MANAGE_USERS,
		.sql = is_admin ?
		       "UPDATE users SET is_admin = true WHERE username = $1 "
		       "RETURNING id" :
		       "UPDATE users SET is_admin = false WHERE username = $1 "
		       "RETURNING id",
		.audit_action = is_admin ? "user.grant_admin" : "user.revoke_admin",
		.losing_admin = !is_admin,
	};
	return change_user(&c, db, err);
}

/* ---------------------------------------------------------------- reading */

static const char *text_of(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

static const char user_list_sql[] =
	"SELECT username, email, is_admin, disabled, "
	"to_char(last_login_at, 'YYYY-MM-DD HH24:MI'), "
	"CASE WHEN locked_until > now() THEN "
	"to_char(locked_until, 'YYYY-MM-DD HH24:MI') END "
	"FROM users ORDER BY username";

void user_list_query(struct query *q)
{
	query_sql(q, user_list_sql);
}

void user_list_parse(PGresult *res,
		     void (*fn)(const struct user_entry *u, void *ctx), void *ctx)
{
	for (int i = 0; i < PQntuples(res); i++) {
		struct user_entry u = {
			text_of(res, i, 0), text_of(res, i, 1),
			PQgetvalue(res, i, 2)[0] == 't',
			PQgetvalue(res, i, 3)[0] == 't',
			text_of(res, i, 4), text_of(res, i, 5),
		};
		fn(&u, ctx);
	}
}

void user_rights_query(struct query *q, int user_id)
{
	query_sql(q, "SELECT is_admin, disabled FROM users WHERE id = ");
	query_param_int(q, user_id);
}

int user_list(struct db *db, const struct actor *actor,
	      void (*fn)(const struct user_entry *u, void *ctx), void *ctx,
	      struct error *err)
{
	if (permission_require(actor, PERM_BROWSE, err) < 0)
		return -1;
	PGresult *res = db_exec(db, user_list_sql, 0, NULL, err);
	if (!res)
		return -1;
	user_list_parse(res, fn, ctx);
	PQclear(res);
	return 0;
}

int user_actor(struct db *db, const char *name, struct actor *out,
	       struct error *err)
{
	const char *params[] = {name};
	PGresult *res = db_exec(db, "SELECT id, is_admin FROM users WHERE "
				"username = $1 AND NOT disabled", 1, params, err);
	if (!res)
		return -1;
	int rc = 0;
	if (PQntuples(res) == 0) {
		rc = error_set(err, "there is no enabled user named '%s'", name);
	} else {
		*out = (struct actor){
			.kind = ACTOR_USER,
			.user_id = atoi(PQgetvalue(res, 0, 0)),
			.is_admin = PQgetvalue(res, 0, 1)[0] == 't',
		};
		snprintf(out->name, sizeof out->name, "%s", name);
	}
	PQclear(res);
	return rc;
}
