/* replies.c - recording replies found over IMAP. One statement per batch
 * of mails: it marks the messages the replies name, writes their history
 * (the actor for the trigger, as message.c does) and audit rows, and moves
 * the mailbox's read position, so the position never runs ahead of the
 * marks and an interrupted run starts again after its last batch. */
#include "model/replies.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/delivery.h"

int replies_mailbox_get(struct db *db, struct reply_mailbox *m,
			struct error *err)
{
	const char *params[] = {m->server, m->mailbox};
	PGresult *res = db_exec(db, "SELECT uidvalidity, last_uid FROM "
				"reply_mailboxes WHERE server = $1 AND mailbox = $2",
				2, params, err);
	if (!res)
		return error_prefix(err, "cannot read where mailbox \"%s\" was "
				    "last read", m->mailbox);
	m->uidvalidity = m->last_uid = 0;
	if (PQntuples(res) == 1) {
		m->uidvalidity = (uint32_t)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
		m->last_uid = (uint32_t)strtoul(PQgetvalue(res, 0, 1), NULL, 10);
	}
	PQclear(res);
	return 0;
}

/* The statement's text: see the header for what it does. A reply's Date
 * is believed within a day of the span from the sending to now (clocks
 * drift) and then kept inside that span; a Date further off is a broken
 * or forged one, and the reply is dated when it was found. */
static const char record_sql[] =
	"WITH args AS (SELECT $1::text AS actor, $2::text AS detail), "
	"who AS (SELECT set_config('outreach.actor', actor, true) AS name "
	"FROM args), "
	"refs AS (SELECT r.mail, r.ref, r.at FROM "
	"unnest($3::int[], $4::text[], $5::bigint[]) AS r(mail, ref, at)), "
	"found AS (SELECT m.id, r.mail, CASE WHEN to_timestamp(r.at) BETWEEN "
	"coalesce(m.sent_at, '-infinity') - interval '1 day' AND now() + "
	"interval '1 day' THEN least(greatest(to_timestamp(r.at), m.sent_at), "
	"now()) ELSE now() END AS at "
	"FROM refs r JOIN messages m ON m.message_id_header = r.ref), "
	"firsts AS (SELECT id, min(at) AS at FROM found GROUP BY id), "
	"done AS (UPDATE messages m SET status = 'replied', replied_at = f.at, "
	"opened_at = coalesce(m.opened_at, f.at), "
	"sent_at = coalesce(m.sent_at, least(m.failed_at, f.at)), "
	"failed_at = NULL, last_error = NULL, next_attempt_at = NULL "
	"FROM firsts f, who WHERE m.id = f.id AND (m.status IN ('sent', "
	"'opened') OR (m.status = 'failed' AND starts_with(m.last_error, "
	"'" DELIVERY_UNKNOWN_PREFIX "')) OR (m.status = 'pending' AND "
	"m.claimed_by IS NULL)) "
	"RETURNING m.id), "
	"logged AS (INSERT INTO audit_log (actor, action, entity, entity_id, "
	"detail) SELECT a.actor, 'message.mark', 'message', d.id::text, "
	"a.detail FROM done d, args a), "
	"saved AS (INSERT INTO reply_mailboxes (server, mailbox, uidvalidity, "
	"last_uid) VALUES ($6, $7, $8, $9) ON CONFLICT (server, mailbox) DO "
	"UPDATE SET uidvalidity = EXCLUDED.uidvalidity, last_uid = "
	"EXCLUDED.last_uid, checked_at = now() RETURNING 1) "
	"SELECT (SELECT count(DISTINCT mail) FROM found), "
	"(SELECT count(*) FROM done), (SELECT count(*) FROM saved)";

int replies_record_batch(struct db *db, const struct actor *actor,
			 const struct reply_mailbox *m,
			 const struct reply_ref *refs, size_t count,
			 struct replies_outcome *out, struct error *err)
{
	if (permission_require(actor, PERM_MARK_MESSAGES, err) < 0)
		return -1;
	struct buf mails = {0}, ids = {0}, dates = {0};
	buf_putc(&mails, '{');
	buf_putc(&ids, '{');
	buf_putc(&dates, '{');
	for (size_t i = 0; i < count; i++) {
		const char *sep = i ? "," : "";
		buf_printf(&mails, "%s%d", sep, refs[i].mail);
		buf_puts(&ids, sep);
		db_array_text(&ids, refs[i].message_id);
		if (refs[i].has_date)
			buf_printf(&dates, "%s%" PRId64, sep, refs[i].date);
		else
			buf_printf(&dates, "%sNULL", sep);
	}
	buf_putc(&mails, '}');
	buf_putc(&ids, '}');
	buf_putc(&dates, '}');
	char *detail = xasprintf("replied: a reply arrived in %s on %s",
				 m->mailbox, m->server);
	char validity[16], last[16];
	snprintf(validity, sizeof validity, "%u", (unsigned)m->uidvalidity);
	snprintf(last, sizeof last, "%u", (unsigned)m->last_uid);
	const char *params[] = {actor->name, detail, mails.data, ids.data,
				dates.data, m->server, m->mailbox, validity, last};
	PGresult *res = db_exec(db, record_sql, 9, params, err);
	free(detail);
	buf_free(&mails);
	buf_free(&ids);
	buf_free(&dates);
	if (!res)
		return error_prefix(err, "cannot record the replies found in "
				    "mailbox \"%s\"", m->mailbox);
	out->matched += atol(PQgetvalue(res, 0, 0));
	out->marked += atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}
