/* delivery.c - the SQL of the e-mail work queue. A claimed message stays
 * 'pending' with claimed_by set, so campaign completion and the monitor need
 * no special case; every outcome clears the claim in the same statement
 * that records it. */
#include "model/delivery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/audit.h"

int delivery_recover(struct db *db, long timeout_s, long *failed,
		     struct error *err)
{
	char t[32];
	snprintf(t, sizeof t, "%ld", timeout_s);
	const char *p[] = {t, DELIVERY_UNKNOWN_REASON};
	PGresult *r = db_exec(db,
		"UPDATE messages m SET status = 'failed', failed_at = now(), "
		"    last_error = $2, claimed_by = NULL, claimed_at = NULL "
		"WHERE m.status = 'pending' AND m.platform = 'email' "
		"  AND m.claimed_by IS NOT NULL "
		"  AND m.claimed_at < now() - make_interval(secs => $1::int) "
		"  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
		"                  WHERE a.application_name = m.claimed_by)",
		2, p, err);
	if (!r)
		return -1;
	*failed = atol(PQcmdTuples(r));
	PQclear(r);
	return 0;
}

int delivery_campaigns(struct db *db, const char *name,
		       struct delivery_campaign **out, size_t *count,
		       struct error *err)
{
	*out = NULL;
	*count = 0;
	const char *p[] = {name};
	PGresult *r = db_exec(db,
		"SELECT id, name, status FROM campaigns "
		"WHERE ($1::text IS NULL AND status = 'sending') OR name = $1 "
		"ORDER BY id", 1, p, err);
	if (!r)
		return -1;
	int n = PQntuples(r);
	if (name && n == 0) {
		PQclear(r);
		return error_set(err, "no campaign named '%s'; see `outreach "
				 "campaign list`", name);
	}
	if (name && strcmp(PQgetvalue(r, 0, 2), "sending") != 0) {
		error_set(err, "campaign '%s' is %s, not sending; start or resume "
			  "it first (`outreach campaign start %s`)", name,
			  PQgetvalue(r, 0, 2), name);
		PQclear(r);
		return -1;
	}
	*out = xcalloc((size_t)n + 1, sizeof **out);
	for (int i = 0; i < n; i++) {
		(*out)[i].id = atoi(PQgetvalue(r, i, 0));
		(*out)[i].name = xstrdup(PQgetvalue(r, i, 1));
	}
	*count = (size_t)n;
	PQclear(r);
	return 0;
}

void delivery_campaigns_free(struct delivery_campaign *c, size_t count)
{
	for (size_t i = 0; c && i < count; i++)
		free(c[i].name);
	free(c);
}

/* The claim and the suppression check in one statement: a suppression
 * added after generation is seen just before the message goes out. */
static const char claim_sql[] =
	"WITH picked AS ("
	"  SELECT m.id, m.business_id, m.contact_id FROM messages m "
	"  WHERE m.campaign_id = $2 AND m.id > $4 AND m.status = 'pending' "
	"    AND m.claimed_by IS NULL AND m.platform = 'email' "
	"    AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= now()) "
	"    AND EXISTS (SELECT 1 FROM campaigns c "
	"                WHERE c.id = $2 AND c.status = 'sending') "
	"  ORDER BY m.id LIMIT $3 "
	"  FOR UPDATE OF m SKIP LOCKED) "
	"UPDATE messages m SET claimed_by = $1, claimed_at = now(), "
	"    attempts = m.attempts + 1, "
	"    unsubscribe_token = coalesce(m.unsubscribe_token, "
	"        replace(gen_random_uuid()::text, '-', '')) "
	"FROM picked JOIN contacts ct ON ct.id = picked.contact_id "
	"LEFT JOIN LATERAL (SELECT true AS found, s.reason FROM suppressions s "
	"    WHERE s.address = lower(btrim(ct.value)) "
	"       OR s.business_id = picked.business_id LIMIT 1) sup ON true "
	"WHERE m.id = picked.id "
	"RETURNING m.id, m.attempts, ct.value, coalesce(m.subject, ''), "
	"    m.personalized_content, m.unsubscribe_token, sup.found, sup.reason";

int delivery_claim(struct db *db, const char *worker, int campaign_id,
		   int after_id, int limit, struct delivery_item **items,
		   size_t *count, struct error *err)
{
	*items = NULL;
	*count = 0;
	char cid[16], lim[16], after[16];
	snprintf(cid, sizeof cid, "%d", campaign_id);
	snprintf(lim, sizeof lim, "%d", limit);
	snprintf(after, sizeof after, "%d", after_id);
	const char *p[] = {worker, cid, lim, after};
	PGresult *r = db_exec_prepared(db, "outreach_claim", 4, p, err);
	if (!r)
		return -1;
	int n = PQntuples(r);
	struct delivery_item *it = xcalloc((size_t)n + 1, sizeof *it);
	for (int i = 0; i < n; i++) {
		it[i].id = atoi(PQgetvalue(r, i, 0));
		it[i].attempts = atoi(PQgetvalue(r, i, 1));
		it[i].to = xstrdup(PQgetvalue(r, i, 2));
		it[i].subject = xstrdup(PQgetvalue(r, i, 3));
		it[i].body = xstrdup(PQgetvalue(r, i, 4));
		it[i].unsubscribe_token = xstrdup(PQgetvalue(r, i, 5));
		it[i].suppressed = !PQgetisnull(r, i, 6);
		if (!PQgetisnull(r, i, 7))
			it[i].suppressed_reason = xstrdup(PQgetvalue(r, i, 7));
	}
	PQclear(r);
	*items = it;
	*count = (size_t)n;
	return 0;
}

void delivery_items_free(struct delivery_item *items, size_t count)
{
	for (size_t i = 0; items && i < count; i++) {
		free(items[i].to);
		free(items[i].subject);
		free(items[i].body);
		free(items[i].unsubscribe_token);
		free(items[i].suppressed_reason);
	}
	free(items);
}

static void array_elem(struct buf *b, const char *s)
{
	if (b->len > 1)
		buf_putc(b, ',');
	db_array_text(b, s);
}

static const char *const result_codes[] = {
	[DELIVERY_SENT] = "s", [DELIVERY_FAILED] = "f",
	[DELIVERY_RETRY] = "r", [DELIVERY_RELEASE] = "u",
};

static const char finish_sql[] =
	"UPDATE messages m SET "
	"  status = CASE r.code WHEN 's' THEN 'sent' WHEN 'f' THEN 'failed' "
	"           ELSE m.status END, "
	"  sent_at = CASE WHEN r.code = 's' THEN r.at ELSE m.sent_at END, "
	"  failed_at = CASE WHEN r.code = 'f' THEN now() ELSE m.failed_at END, "
	"  last_error = CASE WHEN r.code IN ('f', 'r') THEN r.error "
	"               ELSE m.last_error END, "
	"  message_id_header = coalesce(r.mid, m.message_id_header), "
	"  next_attempt_at = CASE WHEN r.code = 'r' "
	"      THEN now() + make_interval(secs => r.delay) ELSE NULL END, "
	"  attempts = CASE WHEN r.code = 'u' THEN greatest(m.attempts - 1, 0) "
	"             ELSE m.attempts END, "
	"  claimed_by = NULL, claimed_at = NULL "
	"FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], "
	"            $6::timestamptz[], $7::int[]) "
	"     AS r(id, code, error, mid, at, delay) "
	"WHERE m.id = r.id AND m.claimed_by = $1";

/* Names the session after the worker (claims are recognised by it) and
 * prepares the claim and the record once per connection, so they are
 * not planned again for every batch. */
int delivery_register(struct db *db, const char *worker, struct error *err)
{
	const char *p[] = {worker};
	if (db_command(db, "SELECT set_config('application_name', $1, false)",
		       1, p, err) < 0 ||
	    db_prepare(db, "outreach_claim", claim_sql, 4, err) < 0 ||
	    db_prepare(db, "outreach_finish", finish_sql, 7, err) < 0)
		return -1;
	return 0;
}

int delivery_finish(struct db *db, const char *worker,
		    const struct delivery_outcome *o, size_t count,
		    struct error *err)
{
	if (count == 0)
		return 0;
	struct buf ids = {0}, codes = {0}, errors = {0}, mids = {0}, ats = {0},
		   delays = {0};
	struct buf *all[] = {&ids, &codes, &errors, &mids, &ats, &delays};
	for (size_t k = 0; k < 6; k++)
		buf_putc(all[k], '{');
	for (size_t i = 0; i < count; i++) {
		char num[24];
		snprintf(num, sizeof num, "%d", o[i].id);
		array_elem(&ids, num);
		array_elem(&codes, result_codes[o[i].result]);
		array_elem(&errors, o[i].error);
		array_elem(&mids, o[i].message_id);
		array_elem(&ats, o[i].result == DELIVERY_SENT && o[i].sent_at[0]
				 ? o[i].sent_at : NULL);
		snprintf(num, sizeof num, "%ld", o[i].retry_delay_s);
		array_elem(&delays, num);
	}
	for (size_t k = 0; k < 6; k++)
		buf_putc(all[k], '}');
	const char *p[] = {worker, ids.data, codes.data, errors.data, mids.data,
			   ats.data, delays.data};
	PGresult *r = db_exec_prepared(db, "outreach_finish", 7, p, err);
	for (size_t k = 0; k < 6; k++)
		buf_free(all[k]);
	if (!r)
		return -1;
	int n = atoi(PQcmdTuples(r));
	PQclear(r);
	return n;
}

int delivery_pending(struct db *db, int campaign_id, long *out,
		     struct error *err)
{
	char cid[16];
	snprintf(cid, sizeof cid, "%d", campaign_id);
	const char *p[] = {cid};
	PGresult *r = db_exec(db,
		"SELECT count(*) FROM messages m JOIN campaigns c "
		"  ON c.id = m.campaign_id AND c.status = 'sending' "
		"WHERE m.status = 'pending' AND m.platform = 'email' "
		"  AND ($1::int = 0 OR m.campaign_id = $1::int)", 1, p, err);
	if (!r)
		return -1;
	*out = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

char *delivery_campaign_status(struct db *db, int campaign_id,
			       struct error *err)
{
	char cid[16];
	snprintf(cid, sizeof cid, "%d", campaign_id);
	const char *p[] = {cid};
	PGresult *r = db_exec(db, "SELECT status FROM campaigns WHERE id = $1",
			      1, p, err);
	if (!r)
		return NULL;
	char *s = xstrdup(PQntuples(r) ? PQgetvalue(r, 0, 0) : "deleted");
	PQclear(r);
	return s;
}

int delivery_sent_today(struct db *db, long *out, struct error *err)
{
	PGresult *r = db_exec(db,
		"SELECT count(*) FROM messages WHERE platform = 'email' "
		"AND sent_at >= date_trunc('day', now())", 0, NULL, err);
	if (!r)
		return -1;
	*out = atol(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int delivery_start_due(struct db *db, const char *worker, long *started,
		       struct error *err)
{
	*started = 0;
	if (db_begin(db, err) < 0)
		return -1;
	PGresult *r = db_exec(db,
		"UPDATE campaigns SET status = 'sending' "
		"WHERE status = 'scheduled' AND (start_at IS NULL OR start_at <= now()) "
		"RETURNING id, name", 0, NULL, err);
	if (!r) {
		db_rollback(db);
		return -1;
	}
	for (int i = 0; i < PQntuples(r); i++)
		if (audit_write_as(db, worker, "campaign.start", "campaign",
				   PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), err) < 0) {
			PQclear(r);
			db_rollback(db);
			return -1;
		}
	*started = PQntuples(r);
	PQclear(r);
	return db_commit(db, err);
}

int delivery_next_due(struct db *db, double *seconds, struct error *err)
{
	PGresult *r = db_exec(db,
		"SELECT extract(epoch FROM least("
		"  (SELECT min(m.next_attempt_at) "
		"   FROM messages m JOIN campaigns c ON c.id = m.campaign_id "
		"   WHERE c.status = 'sending' AND m.status = 'pending' "
		"     AND m.platform = 'email' AND m.claimed_by IS NULL "
		"     AND m.next_attempt_at IS NOT NULL), "
		"  (SELECT min(coalesce(start_at, now())) FROM campaigns "
		"   WHERE status = 'scheduled')) - now())", 0, NULL, err);
	if (!r)
		return -1;
	if (PQgetisnull(r, 0, 0)) {
		*seconds = -1;
	} else {
		*seconds = atof(PQgetvalue(r, 0, 0));
		if (*seconds < 0)
			*seconds = 0;
	}
	PQclear(r);
	return 0;
}
