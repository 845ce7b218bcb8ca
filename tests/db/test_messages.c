/* test_messages.c - messages against a real database: the marking rules
 * (a reply implies opened), retries and the reopened campaign, history
 * rows naming who acted, the monitor's numbers, and the social queue:
 * exclusive claims over two connections, suppressed tasks failed instead
 * of shown, skips, stale claims taken over. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/message.h"
#include "model/social.h"
#include "model/suppression.h"
#include "testdb.h"
#include "check_run.h"

static const struct actor alice = {ACTOR_OWNER, 0, true, "alice"};
static const struct actor sam = {ACTOR_USER, 7, false, "sam"};

/* Campaign 1 'Spring' is sending: e-mails 101-106 in every status, social
 * tasks 201-204. Campaign 2 'Done' is completed with one failed message. */
static const char DATA_SQL[] =
	"INSERT INTO businesses (id, name, status) VALUES "
	" (1, 'Alder Cafe', 'active'), (2, 'Birch Books', 'active'),"
	" (3, 'Cedar Crafts', 'active'), (4, 'Dogwood Deli', 'active'),"
	" (5, 'Elm Electric', 'active'), (6, 'Fir Florist', 'active');"
	"INSERT INTO contacts (id, business_id, type, value, source) VALUES "
	" (11, 1, 'email', 'a@alder.example', 'csv'),"
	" (21, 2, 'email', 'b@birch.example', 'csv'),"
	" (31, 3, 'email', 'c@cedar.example', 'csv'),"
	" (41, 4, 'email', 'd@dogwood.example', 'csv'),"
	" (51, 5, 'email', 'e@elm.example', 'csv'),"
	" (61, 6, 'email', 'f@fir.example', 'csv'),"
	" (12, 1, 'instagram', 'https://www.instagram.com/alder', 'csv'),"
	" (22, 2, 'instagram', 'https://www.instagram.com/birch', 'csv'),"
	" (32, 3, 'facebook', 'https://www.facebook.com/Cedar', 'csv'),"
	" (42, 4, 'twitter', 'https://x.com/dogwood', 'csv');"
	"INSERT INTO campaigns (id, name, message_template, status, "
	" audience_platforms) VALUES "
	" (1, 'Spring', 'Hi', 'sending', '{email,instagram,facebook,twitter}'),"
	" (2, 'Done', 'Hi', 'sending', '{email}');"
	"INSERT INTO messages (id, campaign_id, business_id, contact_id, platform,"
	" personalized_content, status, sent_at) VALUES "
	" (101, 1, 1, 11, 'email', 'Hi Alder', 'pending', NULL),"
	" (102, 1, 2, 21, 'email', 'Hi Birch', 'sent', now() - interval '1 hour'),"
	" (103, 1, 3, 31, 'email', 'Hi Cedar', 'sent', now() - interval '10 seconds'),"
	" (104, 1, 4, 41, 'email', 'Hi Dogwood', 'pending', NULL),"
	" (105, 1, 5, 51, 'email', 'Hi Elm', 'pending', NULL),"
	" (106, 1, 6, 61, 'email', 'Hi Fir', 'pending', NULL),"
	" (201, 1, 1, 12, 'instagram', 'Hey Alder on IG', 'pending', NULL),"
	" (202, 1, 2, 22, 'instagram', 'Hey Birch on IG', 'pending', NULL),"
	" (203, 1, 3, 32, 'facebook', 'Hey Cedar on FB', 'pending', NULL),"
	" (204, 1, 4, 42, 'twitter', 'Hey Dogwood on X', 'pending', NULL),"
	" (301, 2, 1, 11, 'email', 'Done Alder', 'pending', NULL);"
	"UPDATE messages SET status = 'failed', failed_at = now(), "
	" last_error = 'smtp 550 mailbox unavailable' WHERE id = 301;";

static struct db *fresh(char *name)
{
	struct db *db = testdb_fresh(name);
	testdb_script(db, DATA_SQL);
	return db;
}

static void assert_value(struct db *db, const char *sql, const char *want)
{
	char *got = testdb_value(db, sql);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got '%s', want '%s'", sql,
		      got, want);
	free(got);
}

static int mark(struct db *db, const struct actor *a, int id,
		enum message_status to, const char *reason, struct error *err)
{
	struct message_mark m = {id, to, reason, NULL};
	return message_mark(db, a, &m, err);
}

START_TEST(test_mark_rules)
{
	struct db *db = fresh(NULL);
	struct error err = {{0}};
	/* A pending e-mail has not been sent: it cannot be opened. */
	ck_assert_int_eq(mark(db, &alice, 101, MESSAGE_OPENED, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "message 101 is pending"), "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "mark it sent first"), "%s", err.msg);
	assert_value(db, "SELECT status FROM messages WHERE id = 101", "pending");
	/* A reply implies opened. */
	ck_assert_int_eq(mark(db, &alice, 102, MESSAGE_REPLIED, NULL, &err), 0);
	assert_value(db, "SELECT status || ' ' || (opened_at IS NOT NULL) || ' ' "
		     "|| (replied_at IS NOT NULL) FROM messages WHERE id = 102",
		     "replied true true");
	/* Backwards is refused. */
	ck_assert_int_eq(mark(db, &alice, 102, MESSAGE_OPENED, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "already replied"), "%s", err.msg);
	ck_assert_int_eq(mark(db, &alice, 102, MESSAGE_SENT, NULL, &err), -1);
	ck_assert_int_eq(mark(db, &alice, 102, MESSAGE_FAILED, "x", &err), -1);
	/* sent -> opened keeps sent_at, sets opened_at. */
	ck_assert_int_eq(mark(db, &alice, 103, MESSAGE_OPENED, NULL, &err), 0);
	assert_value(db, "SELECT (opened_at IS NOT NULL) AND replied_at IS NULL "
		     "FROM messages WHERE id = 103", "t");
	/* pending -> sent sets sent_at. */
	ck_assert_int_eq(mark(db, &alice, 104, MESSAGE_SENT, NULL, &err), 0);
	assert_value(db, "SELECT sent_at > now() - interval '1 minute' FROM "
		     "messages WHERE id = 104", "t");
	/* failed needs a reason and keeps it. */
	ck_assert_int_eq(mark(db, &alice, 105, MESSAGE_FAILED, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "say why"), "%s", err.msg);
	ck_assert_int_eq(mark(db, &alice, 105, MESSAGE_FAILED, "bounced", &err), 0);
	assert_value(db, "SELECT last_error || ' ' || (failed_at IS NOT NULL) FROM "
		     "messages WHERE id = 105", "bounced true");
	/* A failed message goes back only by a retry. */
	ck_assert_int_eq(mark(db, &alice, 105, MESSAGE_SENT, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "retry 105"), "%s", err.msg);
	/* Unknown message. */
	ck_assert_int_eq(mark(db, &alice, 999, MESSAGE_SENT, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "no message 999"), "%s", err.msg);
	/* A message a worker holds is not marked under it. */
	testdb_script(db, "UPDATE messages SET claimed_by = 'worker-1', "
		      "claimed_at = now() WHERE id = 106");
	ck_assert_int_eq(mark(db, &alice, 106, MESSAGE_SENT, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "worker-1"), "%s", err.msg);
	/* Its owner gone for long, the claim lapses. */
	testdb_script(db, "UPDATE messages SET claimed_at = now() - interval "
		      "'1 hour' WHERE id = 106");
	ck_assert_int_eq(mark(db, &alice, 106, MESSAGE_SENT, NULL, &err), 0);
	db_close(db);
}
END_TEST

START_TEST(test_history_and_audit)
{
	struct db *db = fresh(NULL);
	struct error err = {{0}};
	ck_assert_int_eq(mark(db, &sam, 102, MESSAGE_OPENED, NULL, &err), 0);
	ck_assert_int_eq(mark(db, &alice, 102, MESSAGE_REPLIED, NULL, &err), 0);
	struct message_detail d;
	ck_assert_int_eq(message_show(db, 102, &d, &err), 0);
	ck_assert_str_eq(d.status, "replied");
	ck_assert_str_eq(d.content, "Hi Birch");
	ck_assert_str_eq(d.address, "b@birch.example");
	ck_assert_str_eq(d.campaign_name, "Spring");
	ck_assert_uint_eq(d.event_count, 2);
	ck_assert_str_eq(d.events[0].event, "opened");
	ck_assert_str_eq(d.events[0].actor, "sam");
	ck_assert_str_eq(d.events[1].event, "replied");
	ck_assert_str_eq(d.events[1].actor, "alice");
	message_detail_free(&d);
	assert_value(db, "SELECT count(*) FROM audit_log WHERE action = "
		     "'message.mark' AND entity_id = '102'", "2");
	/* The actor setting does not outlive the statement's transaction. */
	assert_value(db, "SELECT coalesce(current_setting('outreach.actor', "
		     "true), '')", "");
	ck_assert_int_eq(message_show(db, 4242, &d, &err), -1);
	ck_assert_msg(strstr(err.msg, "no message 4242"), "%s", err.msg);
	db_close(db);
}
END_TEST

START_TEST(test_retry)
{
	struct db *db = fresh(NULL);
	struct error err = {{0}};
	bool reopened;
	/* Staff may mark, not send again. */
	ck_assert_int_eq(message_retry(db, &sam, 301, &reopened, &err), -1);
	ck_assert_msg(strstr(err.msg, "only an admin"), "%s", err.msg);
	ck_assert_int_eq(message_retry(db, &alice, 102, &reopened, &err), -1);
	ck_assert_msg(strstr(err.msg, "not failed"), "%s", err.msg);
	/* The last message failed, so the database completed campaign 2. */
	assert_value(db, "SELECT status FROM campaigns WHERE id = 2", "completed");
	ck_assert_int_eq(message_retry(db, &alice, 301, &reopened, &err), 0);
	ck_assert(reopened);
	assert_value(db, "SELECT status FROM campaigns WHERE id = 2", "sending");
	assert_value(db, "SELECT status || ' ' || (last_error IS NULL) || ' ' || "
		     "(failed_at IS NULL) || ' ' || attempts FROM messages "
		     "WHERE id = 301", "pending true true 0");
	/* The error stays in the history. */
	assert_value(db, "SELECT count(*) FROM message_events WHERE message_id = "
		     "301 AND event = 'failed' AND detail = "
		     "'smtp 550 mailbox unavailable'", "1");
	assert_value(db, "SELECT actor FROM message_events WHERE message_id = 301 "
		     "AND event = 'pending'", "alice");
	/* Cancelled campaigns are not retried. */
	ck_assert_int_eq(mark(db, &alice, 301, MESSAGE_FAILED, "again", &err), 0);
	testdb_script(db, "UPDATE campaigns SET status = 'cancelled' WHERE id = 2");
	ck_assert_int_eq(message_retry(db, &alice, 301, &reopened, &err), -1);
	ck_assert_msg(strstr(err.msg, "cancelled"), "%s", err.msg);
	db_close(db);
}
END_TEST

START_TEST(test_stats)
{
	struct db *db = fresh(NULL);
	struct message_stats s = {0};
	struct error err = {{0}};
	ck_assert_int_eq(message_stats_fetch(db, 1, &s, &err), 0);
	ck_assert_int_eq(s.total, 10);
	ck_assert_int_eq(s.by_status[MESSAGE_PENDING], 8);
	ck_assert_int_eq(s.by_status[MESSAGE_SENT], 2);
	ck_assert_int_eq(s.by_platform[0][MESSAGE_SENT], 2);
	ck_assert_int_eq(s.by_platform[1][MESSAGE_PENDING], 2);	/* instagram */
	ck_assert_int_eq(s.done_last_minute, 1);	/* 103, 10 s ago */
	ck_assert_int_eq(message_stats_done(&s), 2);
	ck_assert_int_eq(message_stats_eta(&s), 480);	/* 8 at 1/min */
	ck_assert_uint_eq(s.error_count, 0);
	ck_assert_int_eq(mark(db, &alice, 104, MESSAGE_FAILED, "bounced", &err), 0);
	ck_assert_int_eq(mark(db, &alice, 105, MESSAGE_FAILED, "bounced", &err), 0);
	ck_assert_int_eq(mark(db, &alice, 106, MESSAGE_FAILED, "timeout", &err), 0);
	ck_assert_int_eq(message_stats_fetch(db, 1, &s, &err), 0);
	ck_assert_int_eq(s.done_last_minute, 4);
	ck_assert_uint_eq(s.error_count, 2);
	bool bounced_first = strcmp(s.errors[0].reason, "bounced") == 0;
	const struct error_group *b = &s.errors[bounced_first ? 0 : 1];
	ck_assert_str_eq(b->reason, "bounced");
	ck_assert_int_eq(b->count, 2);
	message_stats_free(&s);
	struct query q = {0};
	monitor_campaigns_query(&q);
	PGresult *res = db_exec(db, q.sql.data, q.nparams,
				(const char *const *)q.params, &err);
	query_free(&q);
	ck_assert_ptr_nonnull(res);
	struct monitor_campaign *rows;
	size_t n;
	monitor_campaigns_parse(res, &rows, &n);
	PQclear(res);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(rows[0].name, "Spring");	/* sending first */
	ck_assert_int_eq(rows[0].total, 10);
	ck_assert_int_eq(rows[0].by_status[MESSAGE_FAILED], 3);
	monitor_campaigns_free(rows, n);
	db_close(db);
}
END_TEST

START_TEST(test_list_pages)
{
	struct db *db = fresh(NULL);
	struct message_filter f = {1, MESSAGE_PENDING, -1};
	struct message_row *rows;
	size_t n;
	struct error err = {{0}};
	ck_assert_int_eq(message_list(db, &f, 0, 3, &rows, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(rows[0].id, 101);
	ck_assert_int_eq(rows[2].id, 105);
	int last = rows[2].id;
	message_rows_free(rows, n);
	ck_assert_int_eq(message_list(db, &f, last, 3, &rows, &n, &err), 0);
	ck_assert_int_eq(rows[0].id, 106);
	ck_assert_int_eq(rows[1].id, 201);
	message_rows_free(rows, n);
	f = (struct message_filter){0, -1, message_platform_from_name("twitter")};
	ck_assert_int_eq(message_list(db, &f, 0, 10, &rows, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(rows[0].id, 204);
	message_rows_free(rows, n);
	db_close(db);
}
END_TEST

START_TEST(test_social_claims_are_exclusive)
{
	char name[64];
	struct db *one = fresh(name);
	struct db *two = testdb_connect(name);
	struct error err = {{0}};
	struct social_task a, b;
	ck_assert_int_eq(social_claim_next(one, &sam, "sam@h:1", 0, NULL, 0, &a,
					   NULL, &err), 1);
	ck_assert_int_eq(social_claim_next(two, &alice, "alice@h:2", 0, NULL, 0,
					   &b, NULL, &err), 1);
	ck_assert_int_ne(a.id, b.id);
	ck_assert_int_eq(a.id, 201);
	ck_assert_str_eq(a.address, "https://www.instagram.com/alder");
	ck_assert_str_eq(a.content, "Hey Alder on IG");
	/* The same session gets its own task back, not a new one. */
	struct social_task again;
	ck_assert_int_eq(social_claim_next(one, &sam, "sam@h:1", 0, NULL, 0,
					   &again, NULL, &err), 1);
	ck_assert_int_eq(again.id, a.id);
	social_task_free(&again);
	/* Locked but uncommitted: the other connection skips the row. */
	testdb_script(two, "BEGIN; SELECT id FROM messages WHERE id = 203 "
		      "FOR UPDATE");
	struct social_task c;
	ck_assert_int_eq(social_claim_next(one, &sam, "sam@h:3", 0, NULL, 0, &c,
					   NULL, &err), 1);
	ck_assert_int_eq(c.id, 204);
	testdb_script(two, "ROLLBACK");
	/* Done, failed, skipped. */
	ck_assert_int_eq(social_done(one, &sam, "sam@h:1", a.id, &err), 0);
	assert_value(one, "SELECT status || ' ' || (claimed_by IS NULL) FROM "
		     "messages WHERE id = 201", "sent true");
	assert_value(one, "SELECT actor FROM message_events WHERE message_id = 201 "
		     "AND event = 'sent'", "sam@h:1");
	ck_assert_int_eq(social_done(one, &sam, "sam@h:1", b.id, &err), -1);
	ck_assert_msg(strstr(err.msg, "no longer yours"), "%s", err.msg);
	ck_assert_int_eq(social_fail(two, &alice, "alice@h:2", b.id,
				     "profile deleted", &err), 0);
	assert_value(one, "SELECT status || ': ' || last_error FROM messages "
		     "WHERE id = 202", "failed: profile deleted");
	ck_assert_int_eq(social_release(one, &sam, "sam@h:3", c.id, &err), 0);
	assert_value(one, "SELECT event FROM message_events WHERE message_id = 204 "
		     "ORDER BY id DESC LIMIT 1", "released");
	/* The skipped task does not come straight back to the one who skipped. */
	int skip[] = {c.id};
	struct social_task d;
	ck_assert_int_eq(social_claim_next(one, &sam, "sam@h:3", 0, skip, 1, &d,
					   NULL, &err), 1);
	ck_assert_int_eq(d.id, 203);
	social_task_free(&d);
	social_task_free(&a);
	social_task_free(&b);
	social_task_free(&c);
	db_close(two);
	db_close(one);
}
END_TEST

START_TEST(test_social_suppressed_and_stale)
{
	struct db *db = fresh(NULL);
	struct error err = {{0}};
	bool added;
	ck_assert_int_eq(suppression_add(db, "https://www.instagram.com/ALDER", 0,
					 "asked us to stop", "alice", &added, &err), 0);
	ck_assert_int_eq(suppression_add(db, NULL, 2, NULL, "alice", &added, &err), 0);
	struct social_task t;
	long suppressed = 0;
	ck_assert_int_eq(social_claim_next(db, &sam, "sam@h:1", 0, NULL, 0, &t,
					   &suppressed, &err), 1);
	ck_assert_int_eq(suppressed, 2);
	ck_assert_int_eq(t.id, 203);
	assert_value(db, "SELECT last_error FROM messages WHERE id = 201",
		     "suppressed: asked us to stop");
	assert_value(db, "SELECT last_error FROM messages WHERE id = 202",
		     "suppressed: no reason given");
	social_task_free(&t);
	/* A claim whose owner is gone lapses after a while. */
	testdb_script(db, "UPDATE messages SET claimed_by = 'gone@h:9', "
		      "claimed_at = now() - interval '1 hour' WHERE id = 204");
	ck_assert_int_eq(social_claim_next(db, &alice, "alice@h:2", 0, NULL, 0,
					   &t, NULL, &err), 1);
	ck_assert_int_eq(t.id, 204);
	social_task_free(&t);
	/* Nothing left: 0. */
	ck_assert_int_eq(social_claim_next(db, &alice, "alice@h:3", 0, NULL, 0,
					   &t, NULL, &err), 0);
	/* Staff rights suffice; nobody may not. */
	struct actor nobody;
	actor_nobody(&nobody, "x");
	ck_assert_int_eq(social_claim_next(db, &nobody, "x@h:1", 0, NULL, 0, &t,
					   NULL, &err), -1);
	db_close(db);
}
END_TEST

START_TEST(test_claim_name)
{
	char name[SOCIAL_CLAIM_MAX];
	social_claim_name("Zoë Smith-Jones with a very long name indeed yes", name);
	ck_assert_uint_le(strlen(name), 63);
	ck_assert_ptr_nonnull(strchr(name, '@'));
	ck_assert_ptr_nonnull(strchr(name, ':'));
	for (const char *p = name; *p; p++)
		ck_assert(*p > ' ' && *p < 0x7f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("messages");
	TCase *tc = tcase_create("messages");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_mark_rules);
	tcase_add_test(tc, test_history_and_audit);
	tcase_add_test(tc, test_retry);
	tcase_add_test(tc, test_stats);
	tcase_add_test(tc, test_list_pages);
	tcase_add_test(tc, test_social_claims_are_exclusive);
	tcase_add_test(tc, test_social_suppressed_and_stale);
	tcase_add_test(tc, test_claim_name);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
