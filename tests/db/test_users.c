/* test_users.c - accounts, logins and rights against a real database: the
 * first-admin rule, lockout and its release on a moved clock, disabled
 * accounts, staff refused admin actions in the model, and audit rows. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "core/xalloc.h"
#include "db/query.h"
#include "model/audit.h"
#include "model/business_edit.h"
#include "model/login.h"
#include "model/permission.h"
#include "model/user.h"
#include "testdb.h"
#include "check_run.h"

#define PW "correct horse battery"
#define T0 "2030-01-01 12:00:00+00"

static long count_of(struct db *db, const char *sql)
{
	char *v = testdb_value(db, sql);
	long n = atol(v);
	free(v);
	return n;
}

/* A database with an admin "root" and a staff user "sam". */
static struct db *db_with_users(struct actor *admin)
{
	struct db *db = testdb_fresh(NULL);
	struct actor owner;
	struct error err = {{0}};
	actor_os_owner(&owner);
	ck_assert_msg(user_add(db, &owner, "root", "root@example.org", true, PW,
			       &err) == 0, "%s", err.msg);
	ck_assert_msg(user_add(db, &owner, "sam", NULL, false, PW, &err) == 0,
		      "%s", err.msg);
	if (admin)
		ck_assert_msg(login_verify(db, "root", PW, NULL, admin, &err) == 0,
			      "%s", err.msg);
	return db;
}

static int try_login(struct db *db, const char *name, const char *pw,
		     const char *now, struct error *err)
{
	struct actor a;
	error_clear(err);
	return login_verify(db, name, pw, now, &a, err);
}

START_TEST(first_admin_bootstrap)
{
	struct db *db = testdb_fresh(NULL);
	struct actor nobody;
	struct error err = {{0}};
	actor_nobody(&nobody, "alice");
	ck_assert_int_lt(user_add(db, &nobody, "alice", NULL, false, PW, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "must be an admin"));
	ck_assert_msg(user_add(db, &nobody, "alice", NULL, true, PW, &err) == 0,
		      "%s", err.msg);
	/* Only the very first: now the table is not empty. */
	ck_assert_int_lt(user_add(db, &nobody, "bob", NULL, true, PW, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "only an admin can add users"));
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users"), 1);
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users WHERE is_admin "
				  "AND password_hash LIKE '$argon2id$%'"), 1);
	db_close(db);
}
END_TEST

START_TEST(hashes_are_argon2id_only)
{
	struct db *db = db_with_users(NULL);
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users WHERE "
				  "password_hash NOT LIKE '$argon2id$%'"), 0);
	struct error err = {{0}};
	ck_assert_ptr_null(db_exec(db, "UPDATE users SET password_hash = "
				   "'plain text'", 0, NULL, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "users_password_hash_argon2id"));
	db_close(db);
}
END_TEST

START_TEST(login_and_generic_failures)
{
	struct db *db = db_with_users(NULL);
	struct error err = {{0}};
	struct actor a;
	ck_assert_msg(login_verify(db, "sam", PW, NULL, &a, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(a.kind, ACTOR_USER);
	ck_assert(!a.is_admin);
	ck_assert_str_eq(a.name, "sam");
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users WHERE username "
				  "= 'sam' AND last_login_at IS NOT NULL"), 1);
	char wrong[sizeof err.msg], unknown[sizeof err.msg];
	ck_assert_int_lt(try_login(db, "sam", "wrong password!", NULL, &err), 0);
	strcpy(wrong, err.msg);
	ck_assert_int_lt(try_login(db, "nobody-here", PW, NULL, &err), 0);
	strcpy(unknown, err.msg);
	ck_assert_str_eq(wrong, LOGIN_FAILED_MESSAGE);
	ck_assert_str_eq(unknown, LOGIN_FAILED_MESSAGE);
	db_close(db);
}
END_TEST

START_TEST(lockout_after_five_failures_and_release)
{
	struct db *db = db_with_users(NULL);
	struct error err = {{0}};
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		ck_assert_int_lt(try_login(db, "sam", "wrong password!", T0, &err), 0);
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users WHERE username "
				  "= 'sam' AND locked_until = '" T0 "'::timestamptz "
				  "+ interval '15 minutes'"), 1);
	/* Locked: even the right password fails, with the same words. */
	ck_assert_int_lt(try_login(db, "sam", PW, "2030-01-01 12:14:00+00", &err), 0);
	ck_assert_str_eq(err.msg, LOGIN_FAILED_MESSAGE);
	/* Other accounts are not affected. */
	ck_assert_int_eq(try_login(db, "root", PW, T0, &err), 0);
	/* Fifteen minutes on, the lock is gone. */
	ck_assert_msg(try_login(db, "sam", PW, "2030-01-01 12:15:01+00", &err) == 0,
		      "%s", err.msg);
	ck_assert_int_eq(count_of(db, "SELECT failed_logins FROM users WHERE "
				  "username = 'sam'"), 0);
	db_close(db);
}
END_TEST

START_TEST(failures_count_across_connections)
{
	char name[64];
	struct db *db = testdb_fresh(name);
	struct actor owner;
	struct error err = {{0}};
	actor_os_owner(&owner);
	ck_assert(user_add(db, &owner, "sam", NULL, false, PW, &err) == 0);
	struct db *other = testdb_connect(name);
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		try_login(i % 2 ? other : db, "sam", "wrong password!", T0, &err);
	ck_assert_int_lt(try_login(other, "sam", PW, T0, &err), 0);
	ck_assert_int_eq(count_of(db, "SELECT failed_logins FROM users"), 5);
	db_close(other);
	db_close(db);
}
END_TEST

START_TEST(a_lock_that_ran_out_starts_a_fresh_count)
{
	struct db *db = db_with_users(NULL);
	struct error err = {{0}};
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		try_login(db, "sam", "wrong password!", T0, &err);
	/* One failure after the lock ran out does not lock again. */
	try_login(db, "sam", "wrong password!", "2030-01-01 12:20:00+00", &err);
	ck_assert_int_eq(try_login(db, "sam", PW, "2030-01-01 12:20:01+00", &err), 0);
	db_close(db);
}
END_TEST

START_TEST(disabled_is_refused)
{
	struct actor admin;
	struct db *db = db_with_users(&admin);
	struct error err = {{0}};
	ck_assert_msg(user_set_disabled(db, &admin, "sam", true, &err) == 0, "%s",
		      err.msg);
	ck_assert_int_lt(try_login(db, "sam", "wrong password!", NULL, &err), 0);
	ck_assert_str_eq(err.msg, LOGIN_FAILED_MESSAGE);
	ck_assert_int_lt(try_login(db, "sam", PW, NULL, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "disabled"));
	ck_assert_msg(user_set_disabled(db, &admin, "sam", false, &err) == 0, "%s",
		      err.msg);
	ck_assert_int_eq(try_login(db, "sam", PW, NULL, &err), 0);
	db_close(db);
}
END_TEST

START_TEST(staff_refused_admin_actions)
{
	struct db *db = db_with_users(NULL);
	struct error err = {{0}};
	struct actor sam;
	ck_assert(login_verify(db, "sam", PW, NULL, &sam, &err) == 0);
	ck_assert_int_lt(user_add(db, &sam, "eve", NULL, false, PW, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "only an admin can add users"));
	ck_assert_int_lt(user_set_admin(db, &sam, "sam", true, &err), 0);
	ck_assert_int_lt(user_set_disabled(db, &sam, "root", true, &err), 0);
	ck_assert_int_lt(user_set_password(db, &sam, "root", "another password",
					   &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "only an admin can manage users"));
	/* Their own password is theirs to change. */
	ck_assert_msg(user_set_password(db, &sam, "sam", "another password", &err)
		      == 0, "%s", err.msg);
	struct query q = {0};
	ck_assert_int_lt(business_delete_query(&q, &sam, 1, &err), 0);
	ck_assert_str_eq(err.msg, "only an admin can delete businesses; ask an admin");
	ck_assert_int_eq(q.nparams, 0);
	ck_assert_int_eq(permission_require(&sam, PERM_EDIT_BUSINESS, &err), 0);
	ck_assert_int_eq(permission_require(&sam, PERM_IMPORT, &err), 0);
	ck_assert_int_lt(permission_require(&sam, PERM_SEND, &err), 0);
	ck_assert_int_lt(permission_require(&sam, PERM_DELETE_CAMPAIGN, &err), 0);
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users"), 2);
	db_close(db);
}
END_TEST

/* A session whose account was disabled after its login may change
 * nothing, not even its own password, and is told why. */
START_TEST(a_disabled_session_changes_nothing)
{
	struct actor admin;
	struct db *db = db_with_users(&admin);
	struct error err = {{0}};
	admin.kind = ACTOR_DISABLED;
	for (int a = 0; a < PERM_COUNT; a++)
		ck_assert_int_lt(permission_require(&admin, (enum permission_action)a,
						    &err), 0);
	ck_assert_int_lt(user_set_password(db, &admin, "root", "another password",
					   &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "'root' was disabled"));
	ck_assert_int_lt(user_add(db, &admin, "eve", NULL, false, PW, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "'root' was disabled"));
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM users"), 2);
	db_close(db);
}
END_TEST

START_TEST(last_admin_is_kept)
{
	struct actor admin;
	struct db *db = db_with_users(&admin);
	struct error err = {{0}};
	ck_assert_int_lt(user_set_admin(db, &admin, "root", false, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "last enabled admin"));
	ck_assert_int_lt(user_set_disabled(db, &admin, "root", true, &err), 0);
	ck_assert_int_eq(user_set_admin(db, &admin, "sam", true, &err), 0);
	ck_assert_msg(user_set_admin(db, &admin, "root", false, &err) == 0, "%s",
		      err.msg);
	db_close(db);
}
END_TEST

START_TEST(weak_hash_is_upgraded_on_login)
{
	struct db *db = db_with_users(NULL);
	char weak[PASSWORD_HASH_SIZE];
	ck_assert_int_eq(crypto_pwhash_str(weak, PW, strlen(PW),
					   crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	struct error err = {{0}};
	const char *params[] = {weak};
	ck_assert(db_command(db, "UPDATE users SET password_hash = $1 WHERE "
			     "username = 'sam'", 1, params, &err) == 0);
	ck_assert_msg(try_login(db, "sam", PW, NULL, &err) == 0, "%s", err.msg);
	char *now = testdb_value(db, "SELECT password_hash FROM users WHERE "
				 "username = 'sam'");
	ck_assert_str_ne(now, weak);
	ck_assert(!password_needs_rehash(now));
	ck_assert(password_verify(now, PW));
	free(now);
	db_close(db);
}
END_TEST

static void count_entry(const struct audit_entry *e, void *ctx)
{
	(void)e;
	(*(int *)ctx)++;
}

START_TEST(audit_rows)
{
	struct actor admin;
	struct db *db = db_with_users(&admin);
	struct error err = {{0}};
	try_login(db, "sam", "wrong password!", NULL, &err);
	try_login(db, "ghost", "wrong password!", NULL, &err);
	ck_assert(user_set_password(db, &admin, "sam", "brand new password", &err) == 0);
	ck_assert(user_set_disabled(db, &admin, "sam", true, &err) == 0);
	testdb_script(db, "INSERT INTO businesses (name) VALUES ('Doomed Ltd')");
	int id = (int)count_of(db, "SELECT id FROM businesses WHERE name = 'Doomed Ltd'");
	struct query q = {0};
	ck_assert(business_delete_query(&q, &admin, id, &err) == 0);
	PGresult *res = db_exec(db, q.sql.data, q.nparams,
				(const char *const *)q.params, &err);
	ck_assert_msg(res && PQntuples(res) == 1, "%s", err.msg);
	PQclear(res);
	query_free(&q);
	const char *expected[] = {
		"os:%|user.add|user|root (admin, with e-mail)",
		"os:%|user.add|user|sam (staff)",
		"root|login|user|",
		"sam|login.failed|user|wrong password",
		"ghost|login.failed|user|unknown user",
		"root|user.passwd|user|sam",
		"root|user.disable|user|sam",
		"root|business.delete|business|Doomed Ltd",
	};
	res = testdb_query(db, "SELECT actor || '|' || action || '|' || "
			   "coalesce(entity, '') || '|' || coalesce(detail, '') "
			   "FROM audit_log ORDER BY id");
	ck_assert_int_eq(PQntuples(res), 8);
	for (int i = 0; i < 8; i++) {
		const char *got = PQgetvalue(res, i, 0);
		const char *want = expected[i];
		if (strncmp(want, "os:%", 4) == 0)
			ck_assert_msg(strncmp(got, "os:", 3) == 0 &&
				      strstr(got, want + 4), "row %d: %s", i, got);
		else
			ck_assert_msg(strcmp(got, want) == 0, "row %d: %s, want %s",
				      i, got, want);
	}
	PQclear(res);
	ck_assert_int_eq(count_of(db, "SELECT count(*) FROM audit_log WHERE "
				  "detail LIKE '%" PW "%' OR detail LIKE "
				  "'%brand new%' OR detail LIKE '%$argon2id$%'"), 0);
	/* Reading it back is an admin's right. */
	int n = 0;
	ck_assert(audit_list(db, &admin, NULL, 3, count_entry, &n, &err) == 0);
	ck_assert_int_eq(n, 3);
	struct actor sam = {.kind = ACTOR_USER, .is_admin = false, .name = "sam"};
	ck_assert_int_lt(audit_list(db, &sam, NULL, 0, count_entry, &n, &err), 0);
	db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("users");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, first_admin_bootstrap);
	tcase_add_test(tc, hashes_are_argon2id_only);
	tcase_add_test(tc, login_and_generic_failures);
	tcase_add_test(tc, lockout_after_five_failures_and_release);
	tcase_add_test(tc, failures_count_across_connections);
	tcase_add_test(tc, a_lock_that_ran_out_starts_a_fresh_count);
	tcase_add_test(tc, disabled_is_refused);
	tcase_add_test(tc, staff_refused_admin_actions);
	tcase_add_test(tc, last_admin_is_kept);
	tcase_add_test(tc, a_disabled_session_changes_nothing);
	tcase_add_test(tc, weak_hash_is_upgraded_on_login);
	tcase_add_test(tc, audit_rows);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
