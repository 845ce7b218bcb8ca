/* test_campaign.c - campaigns against a real database: drafts and their
 * errors, concurrent edits, every transition, generation counts and the
 * exact text generated, suppression, and completion by the database. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/campaign.h"
#include "model/suppression.h"
#include "testdb.h"
#include "check_run.h"

/* Owners of the database (full rights) under two names, and a staff user. */
static const struct actor alice_who = {ACTOR_OWNER, 0, true, "alice"};
static const struct actor bob_who = {ACTOR_OWNER, 0, true, "bob"};
static const struct actor sam_who = {ACTOR_USER, 7, false, "sam"};
static const struct campaign_actor alice = {"alice", &alice_who};
static const struct campaign_actor bob = {"bob", &bob_who};
static const struct campaign_actor sam = {"sam", &sam_who};
static const struct audience_sender sender = {
	"Ann Agent", "https://unsub.example/u/{token}",
};

/* Reads tests/fixtures/campaigns/<name>; the caller frees it. */
static char *fixture(const char *name)
{
	char *path = xasprintf("%s/campaigns/%s", getenv("OUTREACH_FIXTURES"), name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f, "cannot open fixture %s", path);
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	free(path);
	buf_append(&b, "", 0);
	return buf_detach(&b);
}

/* Businesses 1-8 with contacts chosen to exercise every rule:
 *  1 active: primary e-mail 11, other e-mail 12, instagram 13
 *  2 active: two e-mails, neither primary (21 < 22)
 *  3 active: no contact at all
 *  4 archived: e-mail 41 (not in the default audience)
 *  5 active: e-mail 51, its address suppressed (case differs)
 *  6 active: e-mail 61, the business suppressed
 *  7 active: a phone number only
 */
static const char PEOPLE_SQL[] =
	"INSERT INTO businesses (id, name, status, website, address) VALUES "
	" (1, 'Alder Cafe', 'active', 'alder.example', 'Main St 1'),"
	" (2, 'Birch Books', 'active', NULL, NULL),"
	" (3, 'Cedar Crafts', 'active', NULL, NULL),"
	" (4, 'Dogwood Deli', 'archived', NULL, NULL),"
	" (5, 'Elm Electric', 'active', NULL, NULL),"
	" (6, 'Fir Florist', 'active', NULL, NULL),"
	" (7, 'Gum Garage', 'active', NULL, NULL);"
	"INSERT INTO contacts (id, business_id, type, value, source, is_primary) VALUES "
	" (11, 1, 'email', 'hi@alder.example', 'csv', true),"
	" (12, 1, 'email', 'owner@alder.example', 'csv', false),"
	" (13, 1, 'instagram', '@alder', 'csv', false),"
	" (22, 2, 'email', 'second@birch.example', 'csv', false),"
	" (21, 2, 'email', 'first@birch.example', 'csv', false),"
	" (41, 4, 'email', 'dog@wood.example', 'csv', true),"
	" (51, 5, 'email', 'Stop@Elm.example', 'csv', true),"
	" (61, 6, 'email', 'fir@florist.example', 'csv', true),"
	" (71, 7, 'phone', '+1 555 0100', 'csv', true);";

static struct db *fresh_with_people(void)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db, PEOPLE_SQL);
	struct error err = {{0}};
	bool added;
	ck_assert_int_eq(suppression_add(db, "  stop@ELM.example ", 0, "asked",
					 "alice", &added, &err), 0);
	ck_assert(added);
	ck_assert_int_eq(suppression_add(db, NULL, 6, "asked by phone", "alice",
					 &added, &err), 0);
	return db;
}

static void create_ok(struct db *db, const char *name, const char *subject,
		      const char *body, const struct audience *a)
{
	struct error err = {{0}};
	struct buf report = {0};
	int rc = campaign_create(db, &alice, name, subject, body, a, &report, &err);
	ck_assert_msg(rc == 0, "create %s: %d %s %s", name, rc, err.msg,
		      report.data ? report.data : "");
	buf_free(&report);
}

static struct audience_generate_report generate_ok(struct db *db, const char *name)
{
	struct audience_generate_report r;
	struct error err = {{0}};
	ck_assert_msg(campaign_generate(db, &alice, name, &sender, NULL, NULL,
					&r, NULL, &err) == 0, "%s", err.msg);
	return r;
}

static void assert_report(struct audience_generate_report r, long generated,
			  long suppressed, long already, long no_contact)
{
	ck_assert_int_eq(r.generated, generated);
	ck_assert_int_eq(r.suppressed, suppressed);
	ck_assert_int_eq(r.already, already);
	ck_assert_int_eq(r.no_contact, no_contact);
}

static char *status_of(struct db *db, const char *name)
{
	const char *params[] = {name};
	struct error err = {{0}};
	PGresult *res = db_exec(db, "SELECT status FROM campaigns WHERE name = $1",
				1, params, &err);
	ck_assert_msg(res && PQntuples(res) == 1, "%s", err.msg);
	char *s = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return s;
}

static void assert_status(struct db *db, const char *name, const char *want)
{
	char *got = status_of(db, name);
	ck_assert_str_eq(got, want);
	free(got);
}

static int apply(struct db *db, const char *name, enum campaign_action a,
		 const char *at, struct error *err)
{
	struct campaign_transition_result t;
	return campaign_apply(db, &alice, name, a, at, &t, NULL, err);
}

static void apply_ok(struct db *db, const char *name, enum campaign_action a,
		     const char *want)
{
	struct error err = {{0}};
	ck_assert_msg(apply(db, name, a, NULL, &err) == 0, "%s %s: %s",
		      campaign_action_name(a), name, err.msg);
	assert_status(db, name, want);
}

static void apply_refused(struct db *db, const char *name,
			  enum campaign_action a, const char *want_reason)
{
	struct error err = {{0}};
	char *before = status_of(db, name);
	ck_assert_int_eq(apply(db, name, a, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, want_reason), "got: %s", err.msg);
	assert_status(db, name, before);
	free(before);
}

/* ---- drafts ---- */

START_TEST(test_create_and_load)
{
	struct db *db = fresh_with_people();
	create_ok(db, "  Spring  ", "Hi {{business.name}}", "Body", NULL);
	struct campaign c;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_load(db, "Spring", &c, &err), 0);
	ck_assert_str_eq(c.name, "Spring");
	ck_assert_int_eq(c.status, CAMPAIGN_DRAFT);
	ck_assert_str_eq(c.subject_template, "Hi {{business.name}}");
	ck_assert_str_eq(c.body_template, "Body");
	ck_assert_str_eq(c.updated_by, "alice");
	ck_assert_int_eq(c.audience.statuses, AUDIENCE_BIT(BUSINESS_ACTIVE));
	ck_assert_int_eq(c.audience.platforms, AUDIENCE_BIT(CONTACT_EMAIL));
	ck_assert(c.audience.primary_only);
	ck_assert_ptr_null(c.audience.search);
	campaign_free(&c);

	struct buf report = {0};
	ck_assert_int_eq(campaign_create(db, &bob, "Spring", "", "x", NULL,
					 &report, &err), -1);
	ck_assert_msg(strstr(err.msg, "a campaign named \"Spring\" already exists"),
		      "%s", err.msg);
	ck_assert_int_eq(campaign_create(db, &bob, " \t ", "", "x", NULL,
					 &report, &err), -1);
	ck_assert_str_eq(err.msg, "a campaign needs a name");
	ck_assert_int_eq(campaign_load(db, "Autumn", &c, &err),
			 CAMPAIGN_NOT_FOUND);
	ck_assert_msg(strstr(err.msg, "no campaign named \"Autumn\""), "%s", err.msg);
	buf_free(&report);
	db_close(db);
}
END_TEST

START_TEST(test_template_errors_saved_but_not_used)
{
	struct db *db = fresh_with_people();
	struct buf report = {0};
	struct error err = {{0}};
	int rc = campaign_create(db, &alice, "Broken", "Hi {{busines.name}}",
				 "line one\nsee {{ }} here", NULL, &report, &err);
	ck_assert_int_eq(rc, 2);
	ck_assert_str_eq(report.data,
		"subject line 1, column 4: unknown field 'busines.name' "
		"(did you mean business.name?)\n"
		"body line 2, column 5: empty placeholder (name a field, as in "
		"{{business.name}}; write {{{{ for a literal {{)\n");
	assert_status(db, "Broken", "draft");

	buf_reset(&report);
	struct audience_generate_report r;
	ck_assert_int_eq(campaign_generate(db, &alice, "Broken", &sender, NULL,
					   NULL, &r, &report, &err), -1);
	ck_assert_msg(strstr(err.msg, "cannot generate campaign \"Broken\": its "
			     "templates have errors"), "%s", err.msg);
	ck_assert_msg(strstr(report.data, "body line 2, column 5"), "%s", report.data);
	char *n = testdb_value(db, "SELECT count(*) FROM messages");
	ck_assert_str_eq(n, "0");
	free(n);
	apply_refused(db, "Broken", CAMPAIGN_START, "its templates have errors");
	apply_refused(db, "Broken", CAMPAIGN_SCHEDULE, "its templates have errors");
	buf_free(&report);
	db_close(db);
}
END_TEST

START_TEST(test_edit_only_drafts_and_discard_old_messages)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "S", "old {{business.name}}", NULL);
	assert_report(generate_ok(db, "Spring"), 2, 2, 0, 2);

	struct campaign c;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_load(db, "Spring", &c, &err), 0);
	struct campaign_change change = {NULL, "new {{business.name}}", NULL,
					 c.updated_at};
	long discarded = -1;
	ck_assert_int_eq(campaign_edit(db, &bob, "Spring", &change, &discarded,
				       NULL, &err), 0);
	ck_assert_int_eq(discarded, 2);
	campaign_free(&c);
	assert_report(generate_ok(db, "Spring"), 2, 2, 0, 2);
	char *body = testdb_value(db, "SELECT personalized_content FROM messages "
				  "WHERE business_id = 1");
	ck_assert_str_eq(body, "new Alder Cafe");
	free(body);

	apply_ok(db, "Spring", CAMPAIGN_START, "sending");
	ck_assert_int_eq(campaign_load(db, "Spring", &c, &err), 0);
	change = (struct campaign_change){NULL, "newer", NULL, c.updated_at};
	ck_assert_int_eq(campaign_edit(db, &bob, "Spring", &change, NULL, NULL,
				       &err), -1);
	ck_assert_str_eq(err.msg, "campaign \"Spring\": cannot edit a sending "
			 "campaign: only a draft campaign's templates and "
			 "audience can be edited");
	campaign_free(&c);
	ck_assert_int_eq(campaign_load(db, "Spring", &c, &err), 0);
	ck_assert_str_eq(c.body_template, "new {{business.name}}");
	campaign_free(&c);
	db_close(db);
}
END_TEST

START_TEST(test_concurrent_edit_refused_and_nothing_overwritten)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "S", "first", NULL);
	struct db *other = testdb_connect(PQdb(db_conn(db)));
	struct campaign mine, theirs;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_load(db, "Spring", &mine, &err), 0);
	ck_assert_int_eq(campaign_load(other, "Spring", &theirs, &err), 0);

	struct campaign_change bobs = {NULL, "bob's text", NULL, theirs.updated_at};
	ck_assert_int_eq(campaign_edit(other, &bob, "Spring", &bobs, NULL, NULL,
				       &err), 0);
	char *my_text = xstrdup("alice's text");
	struct campaign_change alices = {NULL, my_text, NULL, mine.updated_at};
	ck_assert_int_eq(campaign_edit(db, &alice, "Spring", &alices, NULL, NULL,
				       &err), CAMPAIGN_CONFLICT);
	char *when = testdb_value(db, "SELECT updated_at FROM campaigns");
	char *want = xasprintf("campaign \"Spring\" was changed by bob at %s "
			       "after you opened it; nothing was saved", when);
	ck_assert_str_eq(err.msg, want);
	ck_assert_str_eq(my_text, "alice's text");
	char *saved = testdb_value(db, "SELECT message_template FROM campaigns");
	ck_assert_str_eq(saved, "bob's text");

	/* Having seen bob's change, alice can save over it. */
	struct campaign now;
	ck_assert_int_eq(campaign_load(db, "Spring", &now, &err), 0);
	alices.expected_updated_at = now.updated_at;
	ck_assert_int_eq(campaign_edit(db, &alice, "Spring", &alices, NULL, NULL,
				       &err), 0);
	free(saved);
	saved = testdb_value(db, "SELECT message_template || ' by ' || updated_by "
			     "FROM campaigns");
	ck_assert_str_eq(saved, "alice's text by alice");
	free(saved);
	free(when);
	free(want);
	free(my_text);
	campaign_free(&mine);
	campaign_free(&theirs);
	campaign_free(&now);
	db_close(other);
	db_close(db);
}
END_TEST

/* ---- the lifecycle ---- */

START_TEST(test_every_transition)
{
	struct db *db = fresh_with_people();
	struct error err = {{0}};
	create_ok(db, "Spring", "S", "B", NULL);
	apply_refused(db, "Spring", CAMPAIGN_PAUSE, "campaign \"Spring\": cannot "
		      "pause a draft campaign: only a sending campaign can be paused");
	apply_refused(db, "Spring", CAMPAIGN_RESUME, "only a paused campaign");
	apply_refused(db, "Spring", CAMPAIGN_START, "cannot start campaign "
		      "\"Spring\": it has no messages to send; run 'outreach "
		      "campaign generate' first");
	generate_ok(db, "Spring");

	ck_assert_int_eq(apply(db, "Spring", CAMPAIGN_SCHEDULE, "1999-01-01", &err), -1);
	ck_assert_msg(strstr(err.msg, "is not in the future"), "%s", err.msg);
	ck_assert_int_eq(apply(db, "Spring", CAMPAIGN_SCHEDULE, "someday", &err), -1);
	ck_assert_msg(strstr(err.msg, "cannot read the start time \"someday\""),
		      "%s", err.msg);
	assert_status(db, "Spring", "draft");
	ck_assert_int_eq(apply(db, "Spring", CAMPAIGN_SCHEDULE,
			       "2099-03-01 09:00+00", &err), 0);
	assert_status(db, "Spring", "scheduled");
	char *at = testdb_value(db, "SELECT start_at FROM campaigns");
	ck_assert_str_eq(at, "2099-03-01 09:00:00+00");
	free(at);
	apply_refused(db, "Spring", CAMPAIGN_RESUME, "cannot resume a scheduled");
	apply_ok(db, "Spring", CAMPAIGN_START, "sending");
	apply_refused(db, "Spring", CAMPAIGN_START, "cannot start a sending campaign");
	apply_refused(db, "Spring", CAMPAIGN_SCHEDULE, "cannot schedule a sending");
	apply_refused(db, "Spring", CAMPAIGN_RESUME, "cannot resume a sending");
	apply_ok(db, "Spring", CAMPAIGN_PAUSE, "paused");
	apply_refused(db, "Spring", CAMPAIGN_PAUSE, "cannot pause a paused");
	apply_ok(db, "Spring", CAMPAIGN_RESUME, "sending");
	apply_ok(db, "Spring", CAMPAIGN_CANCEL, "cancelled");
	apply_refused(db, "Spring", CAMPAIGN_CANCEL, "already cancelled");
	apply_refused(db, "Spring", CAMPAIGN_START, "cannot start a cancelled");
	struct audience_generate_report r;
	ck_assert_int_eq(campaign_generate(db, &alice, "Spring", &sender, NULL,
					   NULL, &r, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "cannot generate messages for a cancelled"),
		      "%s", err.msg);

	/* Draft straight to sending, and cancelling a draft. */
	create_ok(db, "Direct", "S", "B", NULL);
	generate_ok(db, "Direct");
	apply_ok(db, "Direct", CAMPAIGN_START, "sending");
	create_ok(db, "Dropped", "S", "B", NULL);
	apply_ok(db, "Dropped", CAMPAIGN_CANCEL, "cancelled");
	char *who = testdb_value(db, "SELECT updated_by FROM campaigns "
				 "WHERE name = 'Dropped'");
	ck_assert_str_eq(who, "alice");
	free(who);
	db_close(db);
}
END_TEST

START_TEST(test_completed_set_by_the_database)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "S", "B", NULL);
	generate_ok(db, "Spring");
	apply_ok(db, "Spring", CAMPAIGN_START, "sending");
	testdb_script(db, "UPDATE messages SET status = 'sent' WHERE business_id = 1");
	assert_status(db, "Spring", "sending");
	testdb_script(db, "UPDATE messages SET status = 'failed' WHERE business_id = 2");
	assert_status(db, "Spring", "completed");
	apply_refused(db, "Spring", CAMPAIGN_CANCEL, "cannot cancel a completed");

	/* A paused campaign is left alone; resuming it with nothing left
	 * completes it. */
	create_ok(db, "Autumn", "S", "B", NULL);
	generate_ok(db, "Autumn");
	apply_ok(db, "Autumn", CAMPAIGN_START, "sending");
	apply_ok(db, "Autumn", CAMPAIGN_PAUSE, "paused");
	testdb_script(db, "UPDATE messages SET status = 'sent' FROM campaigns c "
		      "WHERE c.id = campaign_id AND c.name = 'Autumn'");
	assert_status(db, "Autumn", "paused");
	apply_ok(db, "Autumn", CAMPAIGN_RESUME, "completed");

	/* Deleting the last pending message counts as finishing it. */
	create_ok(db, "Winter", "S", "B", NULL);
	generate_ok(db, "Winter");
	apply_ok(db, "Winter", CAMPAIGN_START, "sending");
	testdb_script(db, "DELETE FROM messages USING campaigns c "
		      "WHERE c.id = campaign_id AND c.name = 'Winter'");
	assert_status(db, "Winter", "completed");
	db_close(db);
}
END_TEST

/* ---- generation ---- */

START_TEST(test_generation_counts)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "S", "B", NULL);
	/* 1 and 2 by e-mail; 5 and 6 suppressed; 3 and 7 unreachable. */
	assert_report(generate_ok(db, "Spring"), 2, 2, 0, 2);
	char *picked = testdb_value(db, "SELECT string_agg(contact_id::text, ',' "
				    "ORDER BY contact_id) FROM messages");
	ck_assert_str_eq(picked, "11,21");
	free(picked);
	assert_report(generate_ok(db, "Spring"), 0, 2, 2, 2);

	testdb_script(db, "INSERT INTO businesses (id, name, status) VALUES "
		      "(8, 'Hazel Hats', 'active'); INSERT INTO contacts "
		      "(id, business_id, type, value, source) VALUES "
		      "(81, 8, 'email', 'hazel@hats.example', 'csv')");
	assert_report(generate_ok(db, "Spring"), 1, 2, 2, 2);

	struct audience all;
	audience_default(&all);
	all.platforms |= AUDIENCE_BIT(CONTACT_INSTAGRAM);
	all.statuses |= AUDIENCE_BIT(BUSINESS_ARCHIVED);
	all.primary_only = false;
	create_ok(db, "Everyone", "S", "B", &all);
	/* 11, 12, 13, 21, 22, 41, 81; 51 and 61 suppressed; 3 and 7. */
	assert_report(generate_ok(db, "Everyone"), 7, 2, 0, 2);
	char *platforms = testdb_value(db, "SELECT string_agg(contact_id || ':' "
		"|| platform || ':' || (subject IS NOT NULL), ',' ORDER BY "
		"contact_id) FROM messages m JOIN campaigns c ON c.id = "
		"m.campaign_id WHERE c.name = 'Everyone' AND m.business_id = 1");
	ck_assert_str_eq(platforms, "11:email:true,12:email:true,13:instagram:false");
	free(platforms);

	struct audience searched;
	audience_default(&searched);
	searched.search = xstrdup("ALDER.ex");
	create_ok(db, "Search", "S", "B", &searched);
	assert_report(generate_ok(db, "Search"), 1, 0, 0, 0);
	struct audience_size size;
	struct error err = {{0}};
	struct campaign c;
	ck_assert_int_eq(campaign_load(db, "Spring", &c, &err), 0);
	ck_assert_int_eq(audience_size(db, c.id, &c.audience, &size, &err), 0);
	ck_assert_int_eq(size.businesses, 7);
	ck_assert_int_eq(size.messages, 3);
	ck_assert_int_eq(size.suppressed, 2);
	ck_assert_int_eq(size.no_contact, 2);
	campaign_free(&c);
	audience_free(&searched);
	db_close(db);
}
END_TEST

START_TEST(test_rendered_content_exact)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db, "INSERT INTO businesses (id, name, status, address) "
		      "VALUES (1, E'Tab\\tand\\\\slash Ltd', 'active', "
		      "E'1 Quay Road\\nHarbour Town');"
		      "INSERT INTO contacts (id, business_id, type, value, source, "
		      "is_primary) VALUES (1, 1, 'email', 'Hello@Tab.example', "
		      "'csv', true)");
	char *subject = fixture("spring.subject.tmpl");
	char *body = fixture("spring.body.tmpl");
	create_ok(db, "Spring guide", subject, body, NULL);
	assert_report(generate_ok(db, "Spring guide"), 1, 0, 0, 0);

	PGresult *res = testdb_query(db, "SELECT subject, personalized_content, "
				     "unsubscribe_token, status FROM messages");
	ck_assert_int_eq(PQntuples(res), 1);
	char *want_subject = fixture("spring.subject.expected");
	ck_assert_str_eq(PQgetvalue(res, 0, 0), want_subject);
	const char *token = PQgetvalue(res, 0, 2);
	ck_assert_int_eq(strlen(token), 32);
	ck_assert_int_eq(strspn(token, "0123456789abcdef"), 32);
	char *want_body = fixture("spring.body.expected");
	char *at = strstr(want_body, "TOKEN");
	ck_assert_ptr_nonnull(at);
	char *expected = xasprintf("%.*s%s%s", (int)(at - want_body), want_body,
				   token, at + 5);
	ck_assert_str_eq(PQgetvalue(res, 0, 1), expected);
	ck_assert_str_eq(PQgetvalue(res, 0, 3), "pending");
	PQclear(res);

	/* The preview renders the same text for the same business. */
	struct audience_preview p;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_preview(db, "Spring guide", 1, &sender, &p,
					  NULL, &err), 0);
	ck_assert_str_eq(p.subject, want_subject);
	ck_assert_str_eq(p.contact_value, "Hello@Tab.example");
	ck_assert_msg(strstr(p.body, "Dear Tab\tand\\slash Ltd team,\n"), "%s", p.body);
	audience_preview_free(&p);
	free(expected);
	free(want_body);
	free(want_subject);
	free(subject);
	free(body);
	db_close(db);
}
END_TEST

START_TEST(test_generation_needs_sender_settings)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "S", "Bye, {{sender.name}}", NULL);
	struct audience_sender none = {NULL, NULL};
	struct audience_generate_report r;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_generate(db, &alice, "Spring", &none, NULL,
					   NULL, &r, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "no sender name is set"), "%s", err.msg);
	create_ok(db, "Unsub", "S", "{{unsubscribe_url}}", NULL);
	ck_assert_int_eq(campaign_generate(db, &alice, "Unsub", &none, NULL,
					   NULL, &r, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "OUTREACH_UNSUBSCRIBE_URL"), "%s", err.msg);
	char *n = testdb_value(db, "SELECT count(*) FROM messages");
	ck_assert_str_eq(n, "0");
	free(n);
	db_close(db);
}
END_TEST

START_TEST(test_preview)
{
	struct db *db = fresh_with_people();
	create_ok(db, "Spring", "To {{contact.value}}",
		  "Hi {{business.name}} at {{contact.value|nowhere}}", NULL);
	struct audience_preview p;
	struct error err = {{0}};
	ck_assert_int_eq(campaign_preview(db, "Spring", 2, &sender, &p, NULL, &err), 0);
	ck_assert_str_eq(p.business_name, "Birch Books");
	ck_assert_str_eq(p.contact_type, "email");
	ck_assert_str_eq(p.subject, "To first@birch.example");
	ck_assert_str_eq(p.body, "Hi Birch Books at first@birch.example");
	audience_preview_free(&p);
	ck_assert_int_eq(campaign_preview(db, "Spring", 3, &sender, &p, NULL, &err), 0);
	ck_assert_ptr_null(p.contact_type);
	ck_assert_str_eq(p.body, "Hi Cedar Crafts at nowhere");
	audience_preview_free(&p);
	ck_assert_int_eq(campaign_preview(db, "Spring", 999, &sender, &p, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "there is no business with id 999");
	db_close(db);
}
END_TEST

START_TEST(test_suppression_list)
{
	struct db *db = fresh_with_people();
	struct error err = {{0}};
	bool added = true;
	ck_assert_int_eq(suppression_add(db, "STOP@elm.example", 0, NULL, "bob",
					 &added, &err), 0);
	ck_assert(!added);
	ck_assert_int_eq(suppression_is_suppressed(db, "Stop@Elm.Example ", 0, &err), 1);
	ck_assert_int_eq(suppression_is_suppressed(db, NULL, 6, &err), 1);
	ck_assert_int_eq(suppression_is_suppressed(db, "hi@alder.example", 1, &err), 0);
	struct suppression_row *rows;
	size_t n;
	ck_assert_int_eq(suppression_list(db, &rows, &n, &err), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(rows[0].business_name, "Fir Florist");
	ck_assert_str_eq(rows[1].address, "stop@elm.example");
	ck_assert_str_eq(rows[1].reason, "asked");
	suppression_list_free(rows, n);
	db_close(db);
}
END_TEST

/* Staff write drafts; only an admin (or the owner) starts sending. Every
 * change is in the audit log under the acting name. */
START_TEST(test_rights_and_audit)
{
	struct db *db = fresh_with_people();
	struct error err = {{0}};
	struct buf report = {0};
	ck_assert_msg(campaign_create(db, &sam, "Staff draft", "S", "Hello "
				      "{{business.name}}", NULL, &report, &err) == 0,
		      "staff may write a draft: %s", err.msg);
	buf_free(&report);
	generate_ok(db, "Staff draft");
	struct campaign_transition_result t;
	ck_assert_int_eq(campaign_apply(db, &sam, "Staff draft", CAMPAIGN_START,
					NULL, &t, NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "only an admin"), "got: %s", err.msg);
	assert_status(db, "Staff draft", "draft");
	apply_ok(db, "Staff draft", CAMPAIGN_START, "sending");
	char *n = testdb_value(db, "SELECT count(*) FROM audit_log WHERE actor = "
			       "'sam' AND action = 'campaign.create'");
	ck_assert_str_eq(n, "1");
	free(n);
	n = testdb_value(db, "SELECT count(*) FROM audit_log WHERE actor = "
			 "'alice' AND action = 'campaign.start'");
	ck_assert_str_eq(n, "1");
	free(n);
	db_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("campaign");
	TCase *tc = tcase_create("campaign");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_and_load);
	tcase_add_test(tc, test_template_errors_saved_but_not_used);
	tcase_add_test(tc, test_edit_only_drafts_and_discard_old_messages);
	tcase_add_test(tc, test_concurrent_edit_refused_and_nothing_overwritten);
	tcase_add_test(tc, test_every_transition);
	tcase_add_test(tc, test_completed_set_by_the_database);
	tcase_add_test(tc, test_generation_counts);
	tcase_add_test(tc, test_rendered_content_exact);
	tcase_add_test(tc, test_generation_needs_sender_settings);
	tcase_add_test(tc, test_preview);
	tcase_add_test(tc, test_suppression_list);
	tcase_add_test(tc, test_rights_and_audit);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
