/* test_async.c - the event-loop connection the interface uses: queries
 * answer in order, a query nobody needs any more is dropped or cancelled
 * on the server without holding up the ones behind it, and draining runs
 * everything queued to its end. */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/async.h"
#include "testdb.h"
#include "check_run.h"

struct answer {
	int calls;
	bool ok;
	char value[64];
	char error[1024];
	long long at_ms;
};

static void on_answer(void *ctx, PGresult *res, const struct error *err)
{
	struct answer *a = ctx;
	a->calls++;
	a->ok = res != NULL;
	a->at_ms = db_async_now_ms();
	if (res && PQntuples(res) > 0)
		snprintf(a->value, sizeof a->value, "%s", PQgetvalue(res, 0, 0));
	if (err)
		snprintf(a->error, sizeof a->error, "%s", err->msg);
}

/* Runs the connection's loop until done() holds or ms pass. */
static void run_until(struct db_async *a, bool (*done)(void *), void *arg,
		      int ms)
{
	long long end = db_async_now_ms() + ms;
	while (!done(arg) && db_async_now_ms() < end) {
		long long now = db_async_now_ms();
		int wait = db_async_timeout(a, now);
		if (wait < 0 || wait > 50)
			wait = 50;
		struct pollfd p = {db_async_fd(a), db_async_events(a), 0};
		int rc = poll(&p, p.fd >= 0 ? 1 : 0, wait);
		db_async_tick(a, rc > 0 ? p.revents : 0, db_async_now_ms());
	}
}

static bool is_ready(void *arg)
{
	return db_async_state(arg) == DB_ASYNC_READY;
}

static bool never(void *arg)
{
	(void)arg;
	return false;
}

static bool answered(void *arg)
{
	return ((struct answer *)arg)->calls > 0;
}

static struct db_async *open_async(void)
{
	char name[64];
	struct db *db = testdb_fresh(name);
	db_close(db);
	char conninfo[96];
	snprintf(conninfo, sizeof conninfo, "dbname=%s", name);
	struct db_async *a = db_async_new(conninfo, NULL, NULL);
	run_until(a, is_ready, a, 10000);
	ck_assert_int_eq(db_async_state(a), DB_ASYNC_READY);
	return a;
}

static void send(struct db_async *a, const char *sql, struct answer *ans)
{
	struct error err = {{0}};
	ck_assert_msg(db_async_send(a, sql, 0, NULL, on_answer, ans, &err) == 0,
		      "%s", err.msg);
}

START_TEST(test_answers_come_in_order)
{
	struct db_async *a = open_async();
	struct answer first = {0}, second = {0};
	send(a, "SELECT 'one'", &first);
	send(a, "SELECT 'two'", &second);
	ck_assert_int_eq(db_async_pending(a), 2);
	run_until(a, answered, &second, 10000);
	ck_assert(first.ok && second.ok);
	ck_assert_str_eq(first.value, "one");
	ck_assert_str_eq(second.value, "two");
	ck_assert(first.at_ms <= second.at_ms);
	ck_assert_int_eq(db_async_pending(a), 0);
	db_async_free(a);
}
END_TEST

START_TEST(test_cancel_stops_a_running_query_and_drops_waiting_ones)
{
	struct db_async *a = open_async();
	struct answer slow = {0}, waiting = {0}, other = {0};
	/* The slow query is on the server; a copy of it waits behind it,
	 * then a query of someone else's. */
	send(a, "SELECT pg_sleep(30)", &slow);
	send(a, "SELECT pg_sleep(30)", &waiting);
	struct error err = {{0}};
	ck_assert(db_async_send(a, "SELECT 'still here'", 0, NULL, on_answer,
				&other, &err) == 0);
	run_until(a, never, NULL, 300);	/* the server is sleeping now */
	long long start = db_async_now_ms();

	db_async_cancel(a, on_answer, &slow);
	db_async_cancel(a, on_answer, &waiting);
	ck_assert_int_eq(waiting.calls, 1);
	ck_assert(!waiting.ok);
	ck_assert_str_eq(waiting.error, "cancelled");

	run_until(a, answered, &other, 10000);
	ck_assert_int_eq(slow.calls, 1);
	ck_assert(!slow.ok);
	ck_assert_msg(strstr(slow.error, "cancel") != NULL, "%s", slow.error);
	ck_assert(other.ok);
	ck_assert_str_eq(other.value, "still here");
	ck_assert_msg(other.at_ms - start < 5000,
		      "the query behind waited %lld ms", other.at_ms - start);
	ck_assert_int_eq(db_async_pending(a), 0);

	/* Cancelling what is not there changes nothing. */
	struct answer after = {0};
	send(a, "SELECT 'after'", &after);
	db_async_cancel(a, on_answer, &slow);
	run_until(a, answered, &after, 10000);
	ck_assert(after.ok);
	ck_assert_str_eq(after.value, "after");
	db_async_free(a);
}
END_TEST

START_TEST(test_drain_runs_the_queue_to_its_end)
{
	struct db_async *a = open_async();
	struct answer x = {0}, y = {0};
	send(a, "SELECT pg_sleep(0.2), 'x'", &x);
	send(a, "SELECT 'y'", &y);
	ck_assert_int_eq(db_async_drain(a, 10000), 0);
	ck_assert_int_eq(x.calls, 1);
	ck_assert(y.ok);
	ck_assert_str_eq(y.value, "y");
	/* A drain that runs out of time says what is left. */
	struct answer z = {0};
	send(a, "SELECT pg_sleep(2)", &z);
	ck_assert_int_eq(db_async_drain(a, 100), 1);
	db_async_free(a);
}
END_TEST

START_TEST(test_free_answers_what_is_queued)
{
	struct db_async *a = open_async();
	struct answer running = {0}, waiting = {0};
	send(a, "SELECT pg_sleep(5)", &running);
	send(a, "SELECT 'never'", &waiting);
	db_async_free(a);
	/* Both callers hear of it, so they can free what they hold. */
	ck_assert_int_eq(running.calls, 1);
	ck_assert_int_eq(waiting.calls, 1);
	ck_assert(!waiting.ok);
	ck_assert_str_eq(waiting.error, "the connection is closing");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("async");
	TCase *tc = tcase_create("async");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_answers_come_in_order);
	tcase_add_test(tc, test_cancel_stops_a_running_query_and_drops_waiting_ones);
	tcase_add_test(tc, test_drain_runs_the_queue_to_its_end);
	tcase_add_test(tc, test_free_answers_what_is_queued);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
