/* test_password.c - Argon2id hashing, verifying, spotting hashes made with
 * weaker limits, and the rules a new password must meet. */
#include <check.h>
#include <string.h>

#include "core/password.h"
#include "check_run.h"

START_TEST(hash_then_verify)
{
	char hash[PASSWORD_HASH_SIZE];
	ck_assert_int_eq(password_hash("correct horse battery", hash, NULL), 0);
	ck_assert_msg(strncmp(hash, "$argon2id$", 10) == 0, "hash %s", hash);
	ck_assert(password_verify(hash, "correct horse battery"));
	ck_assert(!password_verify(hash, "correct horse batterY"));
	ck_assert(!password_verify(hash, ""));
	ck_assert(!password_needs_rehash(hash));
}
END_TEST

START_TEST(same_password_different_salt)
{
	char a[PASSWORD_HASH_SIZE], b[PASSWORD_HASH_SIZE];
	ck_assert_int_eq(password_hash("correct horse battery", a, NULL), 0);
	ck_assert_int_eq(password_hash("correct horse battery", b, NULL), 0);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(weak_hash_needs_rehash)
{
	/* Made with the lowest limits, as an older release might have. */
	char weak[PASSWORD_HASH_SIZE];
	ck_assert_int_eq(password_init(NULL), 0);
	ck_assert_int_eq(crypto_pwhash_str(weak, "correct horse battery", 21,
					   crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	ck_assert(password_verify(weak, "correct horse battery"));
	ck_assert(password_needs_rehash(weak));
	ck_assert(password_needs_rehash("not a hash"));
}
END_TEST

START_TEST(dummy_hash_matches_nothing_typed)
{
	const char *d = password_dummy_hash();
	ck_assert_msg(strncmp(d, "$argon2id$", 10) == 0, "dummy %s", d);
	ck_assert_ptr_eq(d, password_dummy_hash());	/* made once */
	ck_assert(!password_verify(d, "correct horse battery"));
	ck_assert(!password_verify(d, ""));
}
END_TEST

static const char *rule_error(const char *user, const char *password)
{
	static struct error err;
	error_clear(&err);
	return password_check_rules(user, password, &err) < 0 ? err.msg : NULL;
}

START_TEST(rules)
{
	ck_assert_ptr_null(rule_error("alice", "ten chars!"));
	ck_assert_ptr_nonnull(strstr(rule_error("alice", "nine char"), "at least 10"));
	ck_assert_ptr_nonnull(rule_error("alice", ""));
	/* Ten characters, twenty bytes: long enough. */
	ck_assert_ptr_null(rule_error("alice", "éééééééééé"));
	ck_assert_ptr_nonnull(rule_error("alice", "ééééééééé"));
	ck_assert_ptr_nonnull(strstr(rule_error("alexandrina", "AlexAndrina"),
				     "user name"));
	ck_assert_ptr_null(rule_error("alexandrina", "alexandrina1"));
	ck_assert_ptr_nonnull(strstr(rule_error("bob", "\xff\xfe invalid utf8"),
				     "UTF-8"));
	char longpw[PASSWORD_MAX + 2];
	memset(longpw, 'x', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';
	ck_assert_ptr_nonnull(strstr(rule_error("bob", longpw), "longer"));
}
END_TEST

START_TEST(locked_buffer)
{
	char *b = password_buffer_new();
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b[0], 0);
	ck_assert_int_eq(b[PASSWORD_MAX + 1], 0);
	strcpy(b, "secret secret");
	password_buffer_free(b);
	password_buffer_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("password");
	TCase *tc = tcase_create("password");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_then_verify);
	tcase_add_test(tc, same_password_different_salt);
	tcase_add_test(tc, weak_hash_needs_rehash);
	tcase_add_test(tc, dummy_hash_matches_nothing_typed);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, locked_buffer);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
