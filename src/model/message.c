/* message.c - marking messages by hand, retrying failures, one message
 * with its history and keyset pages of messages. Each change is one
 * statement: it names the actor for the history trigger (set_config, local
 * to the statement's transaction), changes the row only when the rule
 * still holds under the row lock, and writes the audit log. */
#include "model/message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vocab.h"
#include "core/xalloc.h"
#include "model/campaign.h"
#include "model/delivery.h"

static const char *const statuses[MESSAGE_STATUS_COUNT] = {
	"pending", "sent", "opened", "replied", "failed",
};

const char *message_status_name(enum message_status s)
{
	return (unsigned)s < MESSAGE_STATUS_COUNT ? statuses[s] : "?";
}

int message_status_from_name(const char *s)
{
	for (int i = 0; s && i < MESSAGE_STATUS_COUNT; i++)
		if (strcmp(s, statuses[i]) == 0)
			return i;
	return -1;
}

/* The message platforms are the first contact types, in the same order. */
const char *message_platform_name(int platform)
{
	return platform >= 0 && platform < MESSAGE_PLATFORM_COUNT ?
		contact_type_name((enum contact_type)platform) : "?";
}

int message_platform_from_name(const char *s)
{
	int t = s ? contact_type_from_name(s) : -1;
	return t >= 0 && t < MESSAGE_PLATFORM_COUNT ? t : -1;
}

bool message_platform_is_social(const char *name)
{
	int p = message_platform_from_name(name);
	return p > 0 && p < MESSAGE_PLATFORM_COUNT;
}

/* ---------------------------------------------------------------- rules */

int message_mark_rule(int id, enum message_status from, enum message_status to,
		      struct error *err)
{
	const char *f = message_status_name(from), *t = message_status_name(to);
	if (to == MESSAGE_PENDING)
		return error_set(err, "a message goes back to pending only by a "
				 "retry: 'outreach messages retry %d'", id);
	if (from == to)
		return error_set(err, "message %d is already %s", id, t);
	if (from == MESSAGE_FAILED)
		return error_set(err, "message %d failed; to send it again use "
				 "'outreach messages retry %d'", id, id);
	switch (to) {
	case MESSAGE_SENT:
	case MESSAGE_FAILED:
		if (from == MESSAGE_PENDING)
			return 0;
		return error_set(err, "message %d was already sent (it is %s); "
				 "only a pending message can be marked %s", id, f, t);
	case MESSAGE_OPENED:
		if (from == MESSAGE_SENT)
			return 0;
		if (from == MESSAGE_PENDING)
			return error_set(err, "message %d is pending: it has not "
					 "been sent, so it cannot have been opened; "
					 "mark it sent first", id);
		return error_set(err, "message %d is already replied, which "
				 "means it was opened", id);
	case MESSAGE_REPLIED:
		if (from == MESSAGE_SENT || from == MESSAGE_OPENED)
			return 0;
		return error_set(err, "message %d is pending: it has not been "
				 "sent, so it cannot have a reply; mark it sent "
				 "first", id);
	default:
		return error_set(err, "cannot mark message %d %s", id, t);
	}
}

/* Statuses a message may be marked to from, as a PostgreSQL array. */
static const char *allowed_from(enum message_status to)
{
	switch (to) {
	case MESSAGE_SENT:
	case MESSAGE_FAILED:
		return "{pending}";
	case MESSAGE_OPENED:
		return "{sent}";
	case MESSAGE_REPLIED:
		return "{sent,opened}";
	default:
		return "{}";
	}
}

/* A claim that may be ignored: old, and its owner's session is gone. */
#define STALE_CLAIM(m) \
	"(" m ".claimed_at < now() - interval '" MESSAGE_STALE_CLAIM "' AND " \
	"NOT EXISTS (SELECT 1 FROM pg_stat_activity sa " \
	"WHERE sa.application_name = " m ".claimed_by))"

/* ---------------------------------------------------------------- mark */

int message_mark_query(struct query *q, const struct actor *actor,
		       const struct message_mark *m, struct error *err)
{
	if (permission_require(actor, PERM_MARK_MESSAGES, err) < 0)
		return -1;
	if (m->to == MESSAGE_FAILED && (!m->reason || !*m->reason))
		return error_set(err, "say why message %d failed (--reason)", m->id);
	/* Only the target is checked here; the current status under lock. */
	if (m->to == MESSAGE_PENDING)
		return message_mark_rule(m->id, MESSAGE_SENT, m->to, err);
	char *detail = m->to == MESSAGE_FAILED ?
		xasprintf("failed: %s", m->reason) : xstrdup(message_status_name(m->to));
	query_sql(q, "WITH args AS (SELECT ");
	query_param(q, actor->name, "::text");
	query_sql(q, " AS actor, ");
	query_param_int(q, m->id);
	query_sql(q, "::int AS id, ");
	query_param(q, message_status_name(m->to), "::text");
	query_sql(q, " AS target, ");
	query_param(q, m->to == MESSAGE_FAILED ? m->reason : NULL, "::text");
	query_sql(q, " AS reason, ");
	query_param(q, allowed_from(m->to), "::text[]");
	query_sql(q, " AS allowed, ");
	query_param(q, m->claim, "::text");
	query_sql(q, " AS claim, ");
	query_param(q, detail, "::text");
	free(detail);
	query_sql(q, " AS detail), "
		"who AS (SELECT set_config('outreach.actor', actor, true) AS name "
		"FROM args), "
		"before AS (SELECT m.id, m.status, m.claimed_by, "
		"to_char(m.claimed_at, 'YYYY-MM-DD HH24:MI:SS') AS claimed_at, "
		"c.status AS campaign_status, c.name AS campaign_name "
		"FROM messages m JOIN campaigns c ON c.id = m.campaign_id, args "
		"WHERE m.id = args.id), "
		"done AS (UPDATE messages m SET status = a.target, "
		"sent_at = CASE WHEN a.target = 'sent' THEN now() ELSE m.sent_at END, "
		"opened_at = CASE WHEN a.target IN ('opened', 'replied') "
		"THEN coalesce(m.opened_at, now()) ELSE m.opened_at END, "
		"replied_at = CASE WHEN a.target = 'replied' THEN now() "
		"ELSE m.replied_at END, "
		"failed_at = CASE WHEN a.target = 'failed' THEN now() "
		"ELSE m.failed_at END, "
		"last_error = CASE WHEN a.target = 'failed' THEN a.reason "
		"ELSE m.last_error END, "
		"claimed_by = NULL, claimed_at = NULL "
		"FROM args a, who, before b "
		"WHERE m.id = a.id AND b.id = m.id AND m.status = ANY (a.allowed) "
		"AND (m.claimed_by IS NOT DISTINCT FROM a.claim OR "
		"(a.claim IS NULL AND " STALE_CLAIM("m") ")) "
		"AND (a.target NOT IN ('sent', 'failed') OR "
		"b.campaign_status IN ('sending', 'paused')) "
		"RETURNING m.id), "
		"logged AS (INSERT INTO audit_log (actor, action, entity, "
		"entity_id, detail) SELECT a.actor, 'message.mark', 'message', "
		"d.id::text, a.detail FROM done d, args a) "
		"SELECT b.status, b.claimed_by, b.claimed_at, b.campaign_status, "
		"b.campaign_name, (SELECT count(*) FROM done) FROM before b");
	return 0;
}

int message_mark_parse(PGresult *res, const struct message_mark *m,
		       struct error *err)
{
	if (PQntuples(res) == 0)
		return error_set(err, "no message %d; 'outreach messages list' "
				 "shows their numbers", m->id);
	if (atol(PQgetvalue(res, 0, 5)) > 0)
		return 0;
	int from = message_status_from_name(PQgetvalue(res, 0, 0));
	if (message_mark_rule(m->id, (enum message_status)from, m->to, err) < 0)
		return -1;
	const char *claimant = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);
	if (m->claim && (!claimant || strcmp(claimant, m->claim) != 0))
		return error_set(err, "message %d is no longer yours to mark: %s%s",
				 m->id, claimant ? "it was taken over by " :
				 "its claim was released", claimant ? claimant : "");
	if (claimant)
		return error_set(err, "message %d is being worked on by %s since "
				 "%s; wait for it to finish (a claim whose owner "
				 "is gone lapses after " MESSAGE_STALE_CLAIM ")",
				 m->id, claimant, PQgetvalue(res, 0, 2));
	return error_set(err, "message %d belongs to campaign \"%s\", which is "
			 "%s: only messages of a sending or paused campaign can "
			 "be marked %s", m->id, PQgetvalue(res, 0, 4),
			 PQgetvalue(res, 0, 3), message_status_name(m->to));
}

int message_mark(struct db *db, const struct actor *actor,
		 const struct message_mark *m, struct error *err)
{
	struct query q = {0};
	if (message_mark_query(&q, actor, m, err) < 0)
		return -1;
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return error_prefix(err, "cannot mark message %d", m->id);
	int rc = message_mark_parse(res, m, err);
	PQclear(res);
	return rc;
}

/* ---------------------------------------------------------------- retry */

int message_retry_query(struct query *q, const struct actor *actor, int id,
			struct error *err)
{
	if (permission_require(actor, PERM_SEND, err) < 0)
		return -1;
	query_sql(q, "WITH args AS (SELECT ");
	query_param(q, actor->name, "::text");
	query_sql(q, " AS actor, ");
	query_param_int(q, id);
	query_sql(q, "::int AS id), "
		"who AS (SELECT set_config('outreach.actor', actor, true) AS name "
		"FROM args), "
		"before AS (SELECT m.id, m.status, m.campaign_id, c.name, "
		"c.status AS campaign_status FROM messages m "
		"JOIN campaigns c ON c.id = m.campaign_id, args "
		"WHERE m.id = args.id), "
		"done AS (UPDATE messages m SET status = 'pending', "
		"claimed_by = NULL, claimed_at = NULL, next_attempt_at = NULL, "
		"failed_at = NULL, last_error = NULL, attempts = 0 "
		"FROM args a, who, before b WHERE m.id = a.id AND b.id = m.id "
		"AND m.status = 'failed' AND b.campaign_status IN "
		"('sending', 'paused', 'completed') RETURNING m.id), "
		"reopened AS (UPDATE campaigns c SET status = 'sending' "
		"FROM before b WHERE c.id = b.campaign_id AND b.status = 'failed' "
		"AND c.status = 'completed' RETURNING c.id), "
		"logged AS (INSERT INTO audit_log (actor, action, entity, "
		"entity_id, detail) SELECT a.actor, 'message.retry', 'message', "
		"d.id::text, CASE WHEN EXISTS (SELECT 1 FROM reopened) "
		"THEN 'campaign reopened to sending' END FROM done d, args a) "
		"SELECT b.status, b.campaign_status, b.name, "
		"(SELECT count(*) FROM done), (SELECT count(*) FROM reopened) "
		"FROM before b");
	return 0;
}

int message_retry_parse(PGresult *res, int id, bool *reopened,
			struct error *err)
{
	if (reopened)
		*reopened = false;
	if (PQntuples(res) == 0)
		return error_set(err, "no message %d; 'outreach messages list' "
				 "shows their numbers", id);
	if (atol(PQgetvalue(res, 0, 3)) > 0) {
		if (reopened)
			*reopened = atol(PQgetvalue(res, 0, 4)) > 0;
		return 0;
	}
	const char *status = PQgetvalue(res, 0, 0);
	if (strcmp(status, "failed") != 0)
		return error_set(err, "message %d is %s, not failed: only a "
				 "failed message can be retried", id, status);
	return error_set(err, "message %d belongs to campaign \"%s\", which is "
			 "%s: a retry needs a sending, paused or completed "
			 "campaign", id, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1));
}

int message_retry(struct db *db, const struct actor *actor, int id,
		  bool *reopened, struct error *err)
{
	struct query q = {0};
	if (message_retry_query(&q, actor, id, err) < 0)
		return -1;
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return error_prefix(err, "cannot retry message %d", id);
	int rc = message_retry_parse(res, id, reopened, err);
	PQclear(res);
	return rc;
}

int message_unknown_ids(struct db *db, const char *campaign, int **ids,
			size_t *count, struct error *err)
{
	*ids = NULL;
	*count = 0;
	if (campaign) {		/* a name that names nothing is an error */
		struct campaign c;
		if (campaign_load(db, campaign, &c, err) < 0)
			return -1;
		campaign_free(&c);
	}
	const char *params[] = {campaign};
	PGresult *res = db_exec(db,
		"SELECT m.id FROM messages m JOIN campaigns c "
		"ON c.id = m.campaign_id WHERE m.status = 'failed' "
		"AND starts_with(m.last_error, '" DELIVERY_UNKNOWN_PREFIX "') "
		"AND ($1::text IS NULL OR c.name = $1) ORDER BY m.id",
		1, params, err);
	if (!res)
		return -1;
	*count = (size_t)PQntuples(res);
	*ids = xcalloc(*count + 1, sizeof **ids);
	for (size_t i = 0; i < *count; i++)
		(*ids)[i] = atoi(PQgetvalue(res, (int)i, 0));
	PQclear(res);
	return 0;
}

/* ---------------------------------------------------------------- show */

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

#define TIME_TEXT(col) "to_char(" col ", 'YYYY-MM-DD HH24:MI:SS')"

void message_detail_query(struct query *q, int id)
{
	query_sql(q, "SELECT m.id, m.campaign_id, m.business_id, m.attempts, "
		"c.name, c.status, b.name, m.platform, ct.value, m.subject, "
		"m.personalized_content, m.status, "
		TIME_TEXT("m.sent_at") ", " TIME_TEXT("m.opened_at") ", "
		TIME_TEXT("m.replied_at") ", " TIME_TEXT("m.failed_at") ", "
		"m.claimed_by, " TIME_TEXT("m.claimed_at") ", "
		TIME_TEXT("m.next_attempt_at") ", m.last_error, "
		"m.message_id_header FROM messages m "
		"JOIN campaigns c ON c.id = m.campaign_id "
		"JOIN businesses b ON b.id = m.business_id "
		"JOIN contacts ct ON ct.id = m.contact_id WHERE m.id = ");
	query_param_int(q, id);
}

bool message_detail_parse(PGresult *res, struct message_detail *d)
{
	memset(d, 0, sizeof *d);
	if (PQntuples(res) == 0)
		return false;
	d->id = atoi(PQgetvalue(res, 0, 0));
	d->campaign_id = atoi(PQgetvalue(res, 0, 1));
	d->business_id = atoi(PQgetvalue(res, 0, 2));
	d->attempts = atoi(PQgetvalue(res, 0, 3));
	char **strings[] = {
		&d->campaign_name, &d->campaign_status, &d->business_name,
		&d->platform, &d->address, &d->subject, &d->content, &d->status,
		&d->sent_at, &d->opened_at, &d->replied_at, &d->failed_at,
		&d->claimed_by, &d->claimed_at, &d->next_attempt_at,
		&d->last_error, &d->message_id_header,
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		*strings[i] = dup_or_null(res, 0, (int)i + 4);
	return true;
}

void message_events_query(struct query *q, int id)
{
	query_sql(q, "SELECT " TIME_TEXT("at") ", event, detail, actor "
		  "FROM message_events WHERE message_id = ");
	query_param_int(q, id);
	query_sql(q, " ORDER BY id");
}

void message_events_parse(PGresult *res, struct message_detail *d)
{
	size_t n = (size_t)PQntuples(res);
	d->events = xcalloc(n + 1, sizeof *d->events);
	d->event_count = n;
	for (size_t i = 0; i < n; i++) {
		int r = (int)i;
		d->events[i].at = dup_or_null(res, r, 0);
		d->events[i].event = dup_or_null(res, r, 1);
		d->events[i].detail = dup_or_null(res, r, 2);
		d->events[i].actor = dup_or_null(res, r, 3);
	}
}

int message_show(struct db *db, int id, struct message_detail *d,
		 struct error *err)
{
	memset(d, 0, sizeof *d);
	struct query q = {0};
	message_detail_query(&q, id);
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return error_prefix(err, "cannot read message %d", id);
	bool found = message_detail_parse(res, d);
	PQclear(res);
	if (!found)
		return error_set(err, "no message %d; 'outreach messages list' "
				 "shows their numbers", id);
	message_events_query(&q, id);
	if (!(res = db_exec_query(db, &q, err))) {
		message_detail_free(d);
		return error_prefix(err, "cannot read the history of message %d", id);
	}
	message_events_parse(res, d);
	PQclear(res);
	return 0;
}

void message_detail_free(struct message_detail *d)
{
	if (!d)
		return;
	char *strings[] = {
		d->campaign_name, d->campaign_status, d->business_name,
		d->platform, d->address, d->subject, d->content, d->status,
		d->sent_at, d->opened_at, d->replied_at, d->failed_at,
		d->claimed_by, d->claimed_at, d->next_attempt_at,
		d->last_error, d->message_id_header,
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		free(strings[i]);
	for (size_t i = 0; i < d->event_count; i++) {
		free(d->events[i].at);
		free(d->events[i].event);
		free(d->events[i].detail);
		free(d->events[i].actor);
	}
	free(d->events);
	memset(d, 0, sizeof *d);
}

/* ---------------------------------------------------------------- list */

void message_page_query(struct query *q, const struct message_filter *f,
			int after_id, int before_id, int limit)
{
	query_sql(q, "SELECT m.id, c.name, b.name, m.platform, ct.value, "
		"m.status, coalesce(" TIME_TEXT("greatest(m.sent_at, m.opened_at, "
		"m.replied_at, m.failed_at)") ", ''), m.last_error "
		"FROM messages m JOIN campaigns c ON c.id = m.campaign_id "
		"JOIN businesses b ON b.id = m.business_id "
		"JOIN contacts ct ON ct.id = m.contact_id WHERE true");
	if (f->campaign_id > 0) {
		query_sql(q, " AND m.campaign_id = ");
		query_param_int(q, f->campaign_id);
	}
	if (f->status >= 0) {
		query_sql(q, " AND m.status = ");
		query_param(q, message_status_name(f->status), "::text");
	}
	if (f->platform >= 0) {
		query_sql(q, " AND m.platform = ");
		query_param(q, message_platform_name(f->platform), "::text");
	}
	if (before_id > 0) {
		query_sql(q, " AND m.id < ");
		query_param_int(q, before_id);
		query_sql(q, " ORDER BY m.id DESC");
	} else {
		if (after_id > 0) {
			query_sql(q, " AND m.id > ");
			query_param_int(q, after_id);
		}
		query_sql(q, " ORDER BY m.id");
	}
	query_sql(q, " LIMIT ");
	query_param_int(q, limit);
}

void message_page_parse(PGresult *res, bool before, struct message_row **rows,
			size_t *count)
{
	size_t n = (size_t)PQntuples(res);
	struct message_row *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		int r = before ? (int)(n - 1 - i) : (int)i;
		out[i].id = atoi(PQgetvalue(res, r, 0));
		out[i].campaign_name = dup_or_null(res, r, 1);
		out[i].business_name = dup_or_null(res, r, 2);
		out[i].platform = dup_or_null(res, r, 3);
		out[i].address = dup_or_null(res, r, 4);
		out[i].status = dup_or_null(res, r, 5);
		out[i].when = dup_or_null(res, r, 6);
		out[i].last_error = dup_or_null(res, r, 7);
	}
	*rows = out;
	*count = n;
}

void message_rows_free(struct message_row *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++) {
		free(rows[i].campaign_name);
		free(rows[i].business_name);
		free(rows[i].platform);
		free(rows[i].address);
		free(rows[i].status);
		free(rows[i].when);
		free(rows[i].last_error);
	}
	free(rows);
}

int message_list(struct db *db, const struct message_filter *f, int after_id,
		 int limit, struct message_row **rows, size_t *count,
		 struct error *err)
{
	struct query q = {0};
	message_page_query(&q, f, after_id, 0, limit);
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return error_prefix(err, "cannot list messages");
	message_page_parse(res, false, rows, count);
	PQclear(res);
	return 0;
}
