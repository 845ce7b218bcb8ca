/* login.h - checking a user name and password against the database, with
 * a lock after repeated failures that every process shares. */
#ifndef OUTREACH_MODEL_LOGIN_H
#define OUTREACH_MODEL_LOGIN_H

#include "core/error.h"
#include "db/db.h"
#include "model/permission.h"

/* Failures in a row that lock an account, and for how long. */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_MINUTES 15

/* What every failed login says, whatever the reason: it must not tell an
 * unknown name from a wrong password or a locked account. */
#define LOGIN_FAILED_MESSAGE "wrong user name or password"

/* Logs name in with password. now is the time to judge locks by, as text
 * PostgreSQL reads as timestamptz (tests move the clock); NULL means the
 * server's now(). On success fills out and returns 0: the failure count is
 * reset, last_login_at set, and a hash made with older limits replaced.
 * Otherwise returns -1 with LOGIN_FAILED_MESSAGE, or, only after a correct
 * password, with the news that the account is disabled. Every attempt
 * costs one full Argon2id verification and is audited. */
int login_verify(struct db *db, const char *name, const char *password,
		 const char *now, struct actor *out, struct error *err);

#endif
