/* test_notify.c - a change to a row reaches a listening connection as
 * NOTIFY outreach_changes '<table>:<id>', and bulk changes as '<table>:*'. */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testdb.h"
#include "check_run.h"

/* Waits up to 5 s for the next notification on db. */
static int wait_notify(struct db *db, struct db_notify *n)
{
	struct error err = {{0}};
	for (int waited = 0; waited < 5000; waited += 100) {
		if (db_next_notify(db, n))
			return 0;
		struct pollfd p = {.fd = db_socket(db), .events = POLLIN};
		if (poll(&p, 1, 100) > 0)
			ck_assert_msg(db_consume(db, &err) == 0, "%s", err.msg);
	}
	return -1;
}

static struct db *listener_for(const char *name)
{
	struct db *db = testdb_connect(name);
	struct error err = {{0}};
	ck_assert_msg(db_listen(db, DB_CHANGES_CHANNEL, &err) == 0, "%s", err.msg);
	return db;
}

static void expect_payload(struct db *listener, const char *payload)
{
	struct db_notify n;
	ck_assert_msg(wait_notify(listener, &n) == 0,
		      "no notification arrived; wanted %s", payload);
	ck_assert_str_eq(n.channel, DB_CHANGES_CHANNEL);
	ck_assert_str_eq(n.payload, payload);
}

START_TEST(test_row_changes_are_notified)
{
	char name[64];
	struct db *writer = testdb_fresh(name);
	struct db *listener = listener_for(name);
	PQclear(testdb_query(writer, "INSERT INTO businesses (id, name) "
			     "VALUES (41, 'Elm Bakery')"));
	expect_payload(listener, "businesses:41");
	PQclear(testdb_query(writer, "UPDATE businesses SET status = 'active' "
			     "WHERE id = 41"));
	expect_payload(listener, "businesses:41");
	PQclear(testdb_query(writer, "INSERT INTO contacts (id, business_id, type, "
			     "value, source) VALUES (7, 41, 'email', "
			     "'hello@elm.example', 'csv')"));
	expect_payload(listener, "contacts:7");
	PQclear(testdb_query(writer, "DELETE FROM contacts WHERE id = 7"));
	expect_payload(listener, "contacts:7");
	db_close(listener);
	db_close(writer);
}
END_TEST

START_TEST(test_bulk_changes_send_one_notification)
{
	char name[64];
	struct db *writer = testdb_fresh(name);
	struct db *listener = listener_for(name);
	PQclear(testdb_query(writer, "INSERT INTO businesses (name) "
			     "SELECT 'Shop ' || i FROM generate_series(1, 500) i"));
	expect_payload(listener, "businesses:*");
	struct db_notify n;
	ck_assert_msg(wait_notify(listener, &n) < 0,
		      "unexpected extra notification %s", n.payload);
	db_close(listener);
	db_close(writer);
}
END_TEST

START_TEST(test_nothing_is_notified_without_a_change)
{
	char name[64];
	struct db *writer = testdb_fresh(name);
	struct db *listener = listener_for(name);
	PQclear(testdb_query(writer, "UPDATE businesses SET name = name WHERE false"));
	struct db_notify n;
	ck_assert_msg(wait_notify(listener, &n) < 0,
		      "notification without a change: %s", n.payload);
	db_close(listener);
	db_close(writer);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_row_changes_are_notified);
	tcase_add_test(tc, test_bulk_changes_send_one_notification);
	tcase_add_test(tc, test_nothing_is_notified_without_a_change);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
