/* social.c - claiming, releasing and finishing manual social tasks. The
 * claim is one statement: pick the first free task with FOR UPDATE SKIP
 * LOCKED (two people never get the same row), check the suppression list,
 * and either claim it or fail it as suppressed. */
#include "model/social.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "model/message.h"

/* Keeps what application_name keeps: printable ASCII, no spaces. */
static void clean_part(const char *in, char *out, size_t max)
{
	size_t o = 0;
	for (const char *p = in ? in : ""; *p && o + 1 < max; p++) {
		unsigned char c = (unsigned char)*p;
		out[o++] = isalnum(c) || c == '.' || c == '_' || c == '-' ? (char)c : '_';
	}
	out[o] = '\0';
}

void social_claim_name(const char *user, char out[SOCIAL_CLAIM_MAX])
{
	char name[32], host[24], raw_host[256] = "";
	gethostname(raw_host, sizeof raw_host - 1);
	clean_part(user && *user ? user : "someone", name, sizeof name);
	clean_part(raw_host[0] ? raw_host : "host", host, sizeof host);
	char pid[16];
	snprintf(pid, sizeof pid, "%ld", (long)getpid() % 10000000L);
	/* 31 + 1 + 23 + 1 + 7 bytes: always fits, so never cut short. */
	snprintf(out, SOCIAL_CLAIM_MAX, "%.31s@%.23s:%.7s", name, host, pid);
}

/* The id list as a PostgreSQL array literal. */
static char *id_array(const int *ids, size_t n)
{
	struct buf b = {0};
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%d", i ? "," : "", ids[i]);
	buf_putc(&b, '}');
	return buf_detach(&b);
}

/* One branch of the pick: a pending social message of a sending campaign,
 * not skipped, not held back, locked without waiting for anyone. */
#define PICK_FROM \
	"SELECT m.id, m.business_id, m.contact_id FROM messages m " \
	"JOIN campaigns c ON c.id = m.campaign_id, args a " \
	"WHERE c.status = 'sending' AND m.status = 'pending' " \
	"AND m.platform IN ('instagram', 'facebook', 'twitter', 'linkedin') " \
	"AND (a.campaign = 0 OR m.campaign_id = a.campaign) " \
	"AND NOT (m.id = ANY (a.skip)) " \
	"AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= now()) "
#define PICK_TAIL "ORDER BY m.campaign_id, m.id LIMIT 1 FOR UPDATE OF m SKIP LOCKED"

int social_claim_query(struct query *q, const struct actor *actor,
		       const char *claim, int campaign_id, const int *skip,
		       size_t nskip, struct error *err)
{
	if (permission_require(actor, PERM_MARK_MESSAGES, err) < 0)
		return -1;
	char *skipped = id_array(skip, nskip);
	query_sql(q, "WITH args AS (SELECT ");
	query_param(q, actor->name, "::text");
	query_sql(q, " AS actor, ");
	query_param(q, claim, "::text");
	query_sql(q, " AS claim, ");
	query_param_int(q, campaign_id);
	query_sql(q, "::int AS campaign, ");
	query_param(q, skipped, "::int[]");
	free(skipped);
	query_sql(q, " AS skip), "
		"who AS (SELECT set_config('outreach.actor', actor, true) AS name "
		"FROM args), "
		/* Three cheap branches, tried in order (the outer LIMIT stops at
		 * the first row): this session's own claim, the first unclaimed
		 * task (the messages_unclaimed index), a claim gone stale (the
		 * messages_claimed index). */
		"pick AS (SELECT * FROM ("
		"SELECT * FROM (" PICK_FROM "AND m.claimed_by = a.claim "
		PICK_TAIL ") own UNION ALL "
		"SELECT * FROM (" PICK_FROM "AND m.claimed_by IS NULL "
		PICK_TAIL ") free UNION ALL "
		"SELECT * FROM (" PICK_FROM "AND m.claimed_by IS NOT NULL "
		"AND m.claimed_at < now() - interval '" MESSAGE_STALE_CLAIM "' "
		"AND NOT EXISTS (SELECT 1 FROM pg_stat_activity sa "
		"WHERE sa.application_name = m.claimed_by) "
		PICK_TAIL ") stale) candidates LIMIT 1), "
		"sup AS (SELECT p.id, (SELECT coalesce(s.reason, 'no reason given') "
		"FROM suppressions s, contacts ct WHERE ct.id = p.contact_id AND "
		"(s.address = lower(btrim(ct.value)) OR "
		"s.business_id = p.business_id) ORDER BY s.id LIMIT 1) AS reason "
		"FROM pick p), "
		"upd AS (UPDATE messages m SET "
		"claimed_by = CASE WHEN s.reason IS NULL THEN a.claim END, "
		"claimed_at = CASE WHEN s.reason IS NULL THEN now() END, "
		"status = CASE WHEN s.reason IS NULL THEN m.status ELSE 'failed' END, "
		"failed_at = CASE WHEN s.reason IS NULL THEN m.failed_at "
		"ELSE now() END, "
		"last_error = CASE WHEN s.reason IS NULL THEN m.last_error "
		"ELSE 'suppressed: ' || s.reason END "
		"FROM sup s, args a, who WHERE m.id = s.id "
		"RETURNING m.id, m.campaign_id, m.business_id, m.contact_id, "
		"m.platform, m.personalized_content, m.last_error, "
		"s.reason IS NOT NULL AS suppressed) "
		"SELECT u.id, u.campaign_id, u.business_id, c.name, b.name, "
		"u.platform, ct.value, u.personalized_content, "
		"CASE WHEN u.suppressed THEN u.last_error END FROM upd u "
		"JOIN campaigns c ON c.id = u.campaign_id "
		"JOIN businesses b ON b.id = u.business_id "
		"JOIN contacts ct ON ct.id = u.contact_id");
	return 0;
}

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int social_claim_parse(PGresult *res, struct social_task *t)
{
	memset(t, 0, sizeof *t);
	if (PQntuples(res) == 0)
		return 0;
	t->id = atoi(PQgetvalue(res, 0, 0));
	t->campaign_id = atoi(PQgetvalue(res, 0, 1));
	t->business_id = atoi(PQgetvalue(res, 0, 2));
	t->campaign_name = dup_or_null(res, 0, 3);
	t->business_name = dup_or_null(res, 0, 4);
	t->platform = dup_or_null(res, 0, 5);
	t->address = dup_or_null(res, 0, 6);
	t->content = dup_or_null(res, 0, 7);
	t->suppressed = dup_or_null(res, 0, 8);
	return 1;
}

void social_task_free(struct social_task *t)
{
	if (!t)
		return;
	free(t->campaign_name);
	free(t->business_name);
	free(t->platform);
	free(t->address);
	free(t->content);
	free(t->suppressed);
	memset(t, 0, sizeof *t);
}

int social_claim_next(struct db *db, const struct actor *actor,
		      const char *claim, int campaign_id, const int *skip,
		      size_t nskip, struct social_task *task, long *suppressed,
		      struct error *err)
{
	if (suppressed)
		*suppressed = 0;
	for (;;) {
		struct query q = {0};
		if (social_claim_query(&q, actor, claim, campaign_id, skip, nskip,
				       err) < 0)
			return -1;
		PGresult *res = db_exec_query(db, &q, err);
		if (!res)
			return error_prefix(err, "cannot claim a social task");
		int got = social_claim_parse(res, task);
		PQclear(res);
		if (got == 0 || !task->suppressed)
			return got;
		if (suppressed)
			(*suppressed)++;
		social_task_free(task);
	}
}

int social_release_query(struct query *q, const struct actor *actor,
			 const char *claim, int id, struct error *err)
{
	if (permission_require(actor, PERM_MARK_MESSAGES, err) < 0)
		return -1;
	query_sql(q, "WITH args AS (SELECT ");
	query_param(q, actor->name, "::text");
	query_sql(q, " AS actor, ");
	query_param(q, claim, "::text");
	query_sql(q, " AS claim, ");
	query_param_int(q, id);
	query_sql(q, "::int AS id), "
		"who AS (SELECT set_config('outreach.actor', actor, true) AS name "
		"FROM args), "
		"done AS (UPDATE messages m SET claimed_by = NULL, claimed_at = NULL "
		"FROM args a, who WHERE m.id = a.id AND m.claimed_by = a.claim "
		"AND m.status = 'pending' RETURNING m.id) "
		"SELECT count(*) FROM done");
	return 0;
}

int social_release_parse(PGresult *res, int id, struct error *err)
{
	if (PQntuples(res) && atol(PQgetvalue(res, 0, 0)) > 0)
		return 0;
	return error_set(err, "task %d was no longer yours (marked or taken "
			 "over meanwhile)", id);
}

int social_release(struct db *db, const struct actor *actor, const char *claim,
		   int id, struct error *err)
{
	struct query q = {0};
	if (social_release_query(&q, actor, claim, id, err) < 0)
		return -1;
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return error_prefix(err, "cannot release task %d", id);
	int rc = social_release_parse(res, id, err);
	PQclear(res);
	return rc;
}

int social_done(struct db *db, const struct actor *actor, const char *claim,
		int id, struct error *err)
{
	struct message_mark m = {id, MESSAGE_SENT, NULL, claim};
	return message_mark(db, actor, &m, err);
}

int social_fail(struct db *db, const struct actor *actor, const char *claim,
		int id, const char *reason, struct error *err)
{
	struct message_mark m = {id, MESSAGE_FAILED, reason, claim};
	return message_mark(db, actor, &m, err);
}
