/* login.c - the login check. Unknown names, wrong passwords and locked
 * accounts take the same time and give the same answer; failures are
 * counted by one atomic UPDATE so concurrent attempts all count. */
#include "model/login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "model/audit.h"

#define NOW_SQL "coalesce($2::timestamptz, now())"

struct account {
	bool found;
	char id[16];
	char hash[PASSWORD_HASH_SIZE];
	bool is_admin, disabled, locked;
};

static int find_account(struct db *db, const char *name, const char *now,
			struct account *a, struct error *err)
{
	const char *params[] = {name, now};
	PGresult *res = db_exec(db, "SELECT id, password_hash, is_admin, disabled, "
				"coalesce(locked_until > " NOW_SQL ", false) "
				"FROM users WHERE username = $1", 2, params, err);
	if (!res)
		return -1;
	*a = (struct account){.found = PQntuples(res) == 1};
	if (a->found) {
		snprintf(a->id, sizeof a->id, "%s", PQgetvalue(res, 0, 0));
		snprintf(a->hash, sizeof a->hash, "%s", PQgetvalue(res, 0, 1));
		a->is_admin = PQgetvalue(res, 0, 2)[0] == 't';
		a->disabled = PQgetvalue(res, 0, 3)[0] == 't';
		a->locked = PQgetvalue(res, 0, 4)[0] == 't';
	}
	PQclear(res);
	return 0;
}

/* Counts a failure. A lock that has run out starts a fresh count; while a
 * lock holds nothing changes, so failures cannot extend it. */
static int count_failure(struct db *db, const struct account *a, const char *now,
			 bool *locked_now, struct error *err)
{
	char max[16], minutes[16];
	snprintf(max, sizeof max, "%d", LOGIN_MAX_FAILURES);
	snprintf(minutes, sizeof minutes, "%d", LOGIN_LOCK_MINUTES);
	const char *params[] = {a->id, now, max, minutes};
	PGresult *res = db_exec(db,
		"UPDATE users u SET "
		"failed_logins = CASE WHEN u.locked_until <= c.t THEN 1 "
		"ELSE u.failed_logins + 1 END, "
		"locked_until = CASE WHEN (CASE WHEN u.locked_until <= c.t THEN 1 "
		"ELSE u.failed_logins + 1 END) >= $3::int "
		"THEN c.t + make_interval(mins => $4::int) ELSE NULL END "
		"FROM (SELECT " NOW_SQL " AS t) c "
		"WHERE u.id = $1::int AND (u.locked_until IS NULL OR u.locked_until <= c.t) "
		"RETURNING u.locked_until IS NOT NULL", 4, params, err);
	if (!res)
		return -1;
	*locked_now = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

/* Resets the count and records the login, unless a lock appeared since
 * the account was read (another process's failure): then no row. */
static int record_success(struct db *db, const struct account *a,
			  const char *now, const char *new_hash, bool *applied,
			  struct error *err)
{
	const char *params[] = {a->id, now, new_hash};
	PGresult *res = db_exec(db,
		"UPDATE users SET failed_logins = 0, locked_until = NULL, "
		"last_login_at = " NOW_SQL ", "
		"password_hash = coalesce($3, password_hash) "
		"WHERE id = $1::int AND NOT disabled AND "
		"(locked_until IS NULL OR locked_until <= " NOW_SQL ") RETURNING id",
		3, params, err);
	if (!res)
		return -1;
	*applied = PQntuples(res) == 1;
	PQclear(res);
	return 0;
}

static int refuse(struct db *db, const char *name, const struct account *a,
		  const char *why, struct error *err)
{
	/* The name is whatever was typed: keep the log's rows short. */
	char typed[129];
	snprintf(typed, sizeof typed, "%s", name);
	struct error ignored = {{0}};
	audit_write_as(db, typed, "login.failed", "user", a->found ? a->id : NULL,
		       why, &ignored);
	return error_set(err, LOGIN_FAILED_MESSAGE);
}

static int succeed(struct db *db, const char *name, const char *password,
		   const char *now, const struct account *a, struct actor *out,
		   struct error *err)
{
	char new_hash[PASSWORD_HASH_SIZE];
	bool rehash = password_needs_rehash(a->hash) &&
		      password_hash(password, new_hash, NULL) == 0;
	bool applied;
	if (record_success(db, a, now, rehash ? new_hash : NULL, &applied, err) < 0)
		return -1;
	if (!applied)
		return refuse(db, name, a, "locked meanwhile", err);
	*out = (struct actor){.kind = ACTOR_USER, .user_id = atoi(a->id),
			      .is_admin = a->is_admin};
	snprintf(out->name, sizeof out->name, "%s", name);
	audit_write(db, out, "login", "user", a->id,
		    rehash ? "password hash upgraded" : NULL, err);
	error_clear(err);
	return 0;
}

int login_verify(struct db *db, const char *name, const char *password,
		 const char *now, struct actor *out, struct error *err)
{
	/* Made before the lookup, so the first login of a process costs the
	 * same whether or not the name exists. */
	const char *dummy = password_dummy_hash();
	struct account a;
	if (find_account(db, name, now, &a, err) < 0)
		return -1;
	bool match = password_verify(a.found ? a.hash : dummy, password);
	if (!a.found)
		return refuse(db, name, &a, "unknown user", err);
	if (a.locked)
		return refuse(db, name, &a, "account locked", err);
	if (!match) {
		bool locked_now = false;
		if (count_failure(db, &a, now, &locked_now, err) < 0)
			return -1;
		return refuse(db, name, &a, locked_now ? "wrong password; "
			      "account locked" : "wrong password", err);
	}
	if (a.disabled) {
		refuse(db, name, &a, "account disabled", err);
		return error_set(err, "this account is disabled; ask an admin");
	}
	return succeed(db, name, password, now, &a, out, err);
}
