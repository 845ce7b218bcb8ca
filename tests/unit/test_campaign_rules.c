/* test_campaign_rules.c - every (status, action) pair of the campaign
 * lifecycle: where the legal ones lead and what the illegal ones say. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/campaign_rules.h"
#include "check_run.h"

enum { X = -1 };	/* refused */

/* expected[from][action]: the status reached, or X. */
static const int expected[CAMPAIGN_STATUS_COUNT][CAMPAIGN_ACTION_COUNT] = {
	/*                schedule            start             pause            resume            cancel */
	[CAMPAIGN_DRAFT] = {CAMPAIGN_SCHEDULED, CAMPAIGN_SENDING, X, X, CAMPAIGN_CANCELLED},
	[CAMPAIGN_SCHEDULED] = {CAMPAIGN_SCHEDULED, CAMPAIGN_SENDING, X, X, CAMPAIGN_CANCELLED},
	[CAMPAIGN_SENDING] = {X, X, CAMPAIGN_PAUSED, X, CAMPAIGN_CANCELLED},
	[CAMPAIGN_PAUSED] = {X, X, X, CAMPAIGN_SENDING, CAMPAIGN_CANCELLED},
	[CAMPAIGN_COMPLETED] = {X, X, X, X, X},
	[CAMPAIGN_CANCELLED] = {X, X, X, X, X},
};

START_TEST(test_every_pair)
{
	for (int s = 0; s < CAMPAIGN_STATUS_COUNT; s++)
		for (int a = 0; a < CAMPAIGN_ACTION_COUNT; a++) {
			enum campaign_status to = CAMPAIGN_STATUS_COUNT;
			char reason[256] = "";
			bool ok = campaign_transition(s, a, &to, reason, sizeof reason);
			if (expected[s][a] == X) {
				ck_assert_msg(!ok, "%s a %s campaign was allowed",
					      campaign_action_name(a),
					      campaign_status_name(s));
				ck_assert_msg(strlen(reason) > 20, "no reason for "
					      "%s from %s", campaign_action_name(a),
					      campaign_status_name(s));
				ck_assert_int_eq(to, CAMPAIGN_STATUS_COUNT);
			} else {
				ck_assert_msg(ok, "%s a %s campaign was refused: %s",
					      campaign_action_name(a),
					      campaign_status_name(s), reason);
				ck_assert_int_eq(to, expected[s][a]);
			}
		}
}
END_TEST

static void check_reason(enum campaign_status s, enum campaign_action a,
			 const char *want)
{
	enum campaign_status to;
	char reason[256];
	ck_assert(!campaign_transition(s, a, &to, reason, sizeof reason));
	ck_assert_str_eq(reason, want);
}

START_TEST(test_reasons_name_the_rule)
{
	check_reason(CAMPAIGN_DRAFT, CAMPAIGN_PAUSE,
		     "cannot pause a draft campaign: only a sending campaign "
		     "can be paused");
	check_reason(CAMPAIGN_SENDING, CAMPAIGN_RESUME,
		     "cannot resume a sending campaign: only a paused campaign "
		     "can be resumed");
	check_reason(CAMPAIGN_PAUSED, CAMPAIGN_START,
		     "cannot start a paused campaign: only a draft or scheduled "
		     "campaign can be started; a paused one is resumed");
	check_reason(CAMPAIGN_COMPLETED, CAMPAIGN_CANCEL,
		     "cannot cancel a completed campaign: only a campaign that "
		     "has not completed can be cancelled");
	check_reason(CAMPAIGN_CANCELLED, CAMPAIGN_CANCEL,
		     "the campaign is already cancelled");
	check_reason(CAMPAIGN_SENDING, CAMPAIGN_SCHEDULE,
		     "cannot schedule a sending campaign: only a draft campaign "
		     "can be scheduled (or a scheduled one given a new time)");
}
END_TEST

START_TEST(test_reason_may_be_null_and_is_cut_safely)
{
	enum campaign_status to;
	ck_assert(!campaign_transition(CAMPAIGN_DRAFT, CAMPAIGN_RESUME, &to,
				       NULL, 0));
	char tiny[8];
	ck_assert(!campaign_transition(CAMPAIGN_DRAFT, CAMPAIGN_RESUME, &to,
				       tiny, sizeof tiny));
	ck_assert_str_eq(tiny, "cannot ");
	ck_assert(!campaign_transition(CAMPAIGN_STATUS_COUNT, CAMPAIGN_START,
				       &to, tiny, sizeof tiny));
}
END_TEST

START_TEST(test_only_drafts_are_edited)
{
	char reason[256];
	ck_assert(campaign_can_edit(CAMPAIGN_DRAFT, reason, sizeof reason));
	for (int s = CAMPAIGN_SCHEDULED; s < CAMPAIGN_STATUS_COUNT; s++)
		ck_assert(!campaign_can_edit(s, reason, sizeof reason));
	campaign_can_edit(CAMPAIGN_SENDING, reason, sizeof reason);
	ck_assert_str_eq(reason, "cannot edit a sending campaign: only a draft "
			 "campaign's templates and audience can be edited");
}
END_TEST

START_TEST(test_generation_until_finished)
{
	char reason[256];
	for (int s = CAMPAIGN_DRAFT; s <= CAMPAIGN_PAUSED; s++)
		ck_assert(campaign_can_generate(s, reason, sizeof reason));
	ck_assert(!campaign_can_generate(CAMPAIGN_COMPLETED, reason, sizeof reason));
	ck_assert_str_eq(reason, "cannot generate messages for a completed "
			 "campaign: it will send nothing more");
	ck_assert(!campaign_can_generate(CAMPAIGN_CANCELLED, NULL, 0));
}
END_TEST

START_TEST(test_names_round_trip)
{
	for (int s = 0; s < CAMPAIGN_STATUS_COUNT; s++)
		ck_assert_int_eq(campaign_status_from_name(campaign_status_name(s)), s);
	for (int a = 0; a < CAMPAIGN_ACTION_COUNT; a++)
		ck_assert_int_eq(campaign_action_from_name(campaign_action_name(a)), a);
	ck_assert_int_eq(campaign_status_from_name("finished"), -1);
	ck_assert_int_eq(campaign_action_from_name("complete"), -1);
	ck_assert_int_eq(campaign_status_from_name(NULL), -1);
	ck_assert_str_eq(campaign_status_name(CAMPAIGN_STATUS_COUNT), "?");
	ck_assert(campaign_action_needs_messages(CAMPAIGN_START));
	ck_assert(campaign_action_needs_messages(CAMPAIGN_SCHEDULE));
	ck_assert(!campaign_action_needs_messages(CAMPAIGN_RESUME));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("campaign_rules");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, test_every_pair);
	tcase_add_test(tc, test_reasons_name_the_rule);
	tcase_add_test(tc, test_reason_may_be_null_and_is_cut_safely);
	tcase_add_test(tc, test_only_drafts_are_edited);
	tcase_add_test(tc, test_generation_until_finished);
	tcase_add_test(tc, test_names_round_trip);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
