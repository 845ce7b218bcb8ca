/* campaign.c - every change to a campaign: drafts with a concurrent-edit
 * check, the lifecycle, generation; each in one transaction that passes
 * through authorize_and_audit(). */
#include "model/campaign.h"
#include "model/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"

#define CAMPAIGN_COLUMNS \
	"id, name, status, subject_template, message_template, start_at, " \
	"created_at, updated_at, updated_by, audience_statuses, " \
	"audience_platforms, audience_search, audience_primary_only"

/* The seed's VARCHAR(255), counted in characters by PostgreSQL; bytes are
 * a safe upper bound here, the database has the last word. */
#define NAME_MAX_BYTES 1020

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

static void fill_campaign(PGresult *res, struct campaign *c)
{
	c->id = atoi(PQgetvalue(res, 0, 0));
	c->name = xstrdup(PQgetvalue(res, 0, 1));
	c->status = (enum campaign_status)campaign_status_from_name(PQgetvalue(res, 0, 2));
	c->subject_template = xstrdup(PQgetvalue(res, 0, 3));
	c->body_template = xstrdup(PQgetvalue(res, 0, 4));
	c->start_at = dup_or_null(res, 0, 5);
	c->created_at = dup_or_null(res, 0, 6);
	c->updated_at = dup_or_null(res, 0, 7);
	c->updated_by = dup_or_null(res, 0, 8);
	c->audience.statuses = audience_statuses_from_literal(PQgetvalue(res, 0, 9));
	c->audience.platforms = audience_platforms_from_literal(PQgetvalue(res, 0, 10));
	c->audience.search = dup_or_null(res, 0, 11);
	c->audience.primary_only = PQgetvalue(res, 0, 12)[0] == 't';
}

/* Loads by name, optionally locking the row for the rest of the
 * transaction so that two changes to one campaign run one after the other. */
static int load(struct db *db, const char *name, bool lock,
		struct campaign *out, struct error *err)
{
	const char *params[] = {name};
	PGresult *res = db_exec(db, lock ?
		"SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE name = $1 FOR UPDATE" :
		"SELECT " CAMPAIGN_COLUMNS " FROM campaigns WHERE name = $1",
		1, params, err);
	if (!res)
		return -1;
	*out = (struct campaign){0};
	if (PQntuples(res) == 0) {
		PQclear(res);
		error_set(err, "there is no campaign named \"%s\"; "
			  "'outreach campaign list' shows them", name);
		return CAMPAIGN_NOT_FOUND;
	}
	fill_campaign(res, out);
	PQclear(res);
	return 0;
}

int campaign_load(struct db *db, const char *name, struct campaign *out,
		  struct error *err)
{
	return load(db, name, false, out, err);
}

void campaign_free(struct campaign *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->subject_template);
	free(c->body_template);
	free(c->start_at);
	free(c->created_at);
	free(c->updated_at);
	free(c->updated_by);
	audience_free(&c->audience);
	*c = (struct campaign){0};
}

/*
 * Rights and audit: every change to a campaign (create, edit, schedule,
 * start, pause, resume, cancel, generate) passes here, inside the
 * transaction that makes the change, after the rules have accepted it and
 * before anything is written, so the audit row commits or rolls back with
 * the change. Writing templates and generating is staff work on drafts;
 * everything that moves a campaign towards or away from sending needs the
 * right to send.
 */
static int authorize_and_audit(struct db *db, const struct campaign_actor *actor,
			       const char *action, int campaign_id,
			       const char *campaign_name, const char *detail,
			       struct error *err)
{
	if (!actor->who)
		return error_set(err, "no acting user for campaign %s", campaign_name);
	char what[64];
	snprintf(what, sizeof what, "%s%s",
		 strncmp(action, "campaign.", 9) == 0 ? "" : "campaign.", action);
	bool draft_work = strcmp(what, "campaign.create") == 0 ||
			  strcmp(what, "campaign.edit") == 0 ||
			  strcmp(what, "campaign.generate") == 0;
	enum permission_action need = draft_work ? PERM_EDIT_DRAFT_CAMPAIGN : PERM_SEND;
	if (strcmp(what, "campaign.delete") == 0)
		need = PERM_DELETE_CAMPAIGN;
	if (permission_require(actor->who, need, err) < 0)
		return -1;
	char id[16];
	snprintf(id, sizeof id, "%d", campaign_id);
	return audit_write(db, actor->who, what, "campaign",
			   campaign_id ? id : NULL,
			   detail ? detail : campaign_name, err) < 0 ? -1 : 0;
}

static const char *actor_name(const struct campaign_actor *actor)
{
	return actor && actor->name ? actor->name : "unknown";
}

static void append_errors(struct buf *report, const char *which,
			  const struct template_errors *errors)
{
	for (size_t i = 0; report && i < errors->count; i++) {
		buf_printf(report, "%s ", which);
		template_error_format(&errors->items[i], report);
		buf_putc(report, '\n');
	}
	if (report && errors->truncated)
		buf_printf(report, "%s: more errors not shown\n", which);
}

int campaign_check_templates(const char *subject, const char *body,
			     struct buf *report)
{
	struct template_errors errors = {0};
	int n = 0;
	struct template *t = template_compile(subject, TEMPLATE_SUBJECT, &errors);
	append_errors(report, "subject", &errors);
	n += (int)errors.count;
	template_free(t);
	t = template_compile(body, TEMPLATE_BODY, &errors);
	append_errors(report, "body", &errors);
	n += (int)errors.count;
	template_free(t);
	template_errors_free(&errors);
	return n;
}

/* Trims the name in place and checks it can be typed and shown. */
static int check_name(char *name, struct error *err)
{
	size_t start = strspn(name, " \t");
	size_t len = strlen(name + start);
	while (len > 0 && (name[start + len - 1] == ' ' || name[start + len - 1] == '\t'))
		len--;
	memmove(name, name + start, len);
	name[len] = '\0';
	if (len == 0)
		return error_set(err, "a campaign needs a name");
	if (len > NAME_MAX_BYTES)
		return error_set(err, "the campaign name is too long (at most "
				 "255 characters)");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return error_set(err, "the campaign name may not contain "
					 "control characters");
	return 0;
}

/* ---- create ---- */

struct create_args {
	const struct campaign_actor *actor;
	const char *name, *subject, *body;
	const struct audience *audience;
};

static int create_in_tx(struct db *db, void *arg, struct error *err)
{
	struct create_args *a = arg;
	if (authorize_and_audit(db, a->actor, "campaign.create", 0, a->name,
				NULL, err) < 0)
		return -1;
	char *statuses = audience_statuses_literal(a->audience->statuses);
	char *platforms = audience_platforms_literal(a->audience->platforms);
	const char *params[] = {
		a->name, a->subject, a->body, statuses, platforms,
		a->audience->search, a->audience->primary_only ? "t" : "f",
		actor_name(a->actor),
	};
	PGresult *res = db_exec(db, "INSERT INTO campaigns (name, "
		"subject_template, message_template, audience_statuses, "
		"audience_platforms, audience_search, audience_primary_only, "
		"updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
		"ON CONFLICT (name) DO NOTHING RETURNING id", 8, params, err);
	free(statuses);
	free(platforms);
	if (!res)
		return error_prefix(err, "cannot save campaign \"%s\"", a->name);
	int inserted = PQntuples(res);
	PQclear(res);
	if (!inserted)
		return error_set(err, "a campaign named \"%s\" already exists; "
				 "choose another name, or change it with "
				 "'outreach campaign edit'", a->name);
	return 0;
}

int campaign_create(struct db *db, const struct campaign_actor *actor,
		    const char *name, const char *subject, const char *body,
		    const struct audience *audience, struct buf *report,
		    struct error *err)
{
	struct audience defaults;
	audience_default(&defaults);
	char *trimmed = xstrdup(name);
	struct create_args a = {
		actor, trimmed, subject ? subject : "", body ? body : "",
		audience ? audience : &defaults,
	};
	int rc = check_name(trimmed, err);
	if (rc == 0)
		rc = db_transaction(db, create_in_tx, &a, err);
	if (rc == 0)
		rc = campaign_check_templates(a.subject, a.body, report);
	free(trimmed);
	return rc < 0 ? -1 : rc;
}

/* ---- edit ---- */

struct edit_args {
	const struct campaign_actor *actor;
	const char *name;
	const struct campaign_change *change;
	long discarded;
	bool conflict;
	char *subject, *body;	/* the text as saved, for the error check */
};

/* "changed by NAME at TIME": the refusal a second editor sees. */
static int refuse_conflict(struct edit_args *a, const struct campaign *c,
			   struct error *err)
{
	a->conflict = true;
	return error_set(err, "campaign \"%s\" was changed by %s at %s after "
			 "you opened it; nothing was saved",
			 c->name, c->updated_by ? c->updated_by : "someone",
			 c->updated_at ? c->updated_at : "an unknown time");
}

static int still_unchanged(struct db *db, const struct campaign *c,
			   const char *expected, bool *same, struct error *err)
{
	const char *params[] = {c->updated_at, expected};
	PGresult *res = db_exec(db, "SELECT $1::timestamptz = $2::timestamptz",
				2, params, err);
	if (!res)
		return error_prefix(err, "cannot compare the time \"%s\"", expected);
	*same = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

static int save_change(struct db *db, struct edit_args *a,
		       const struct campaign *c, struct error *err)
{
	const struct campaign_change *ch = a->change;
	const struct audience *aud = ch->audience ? ch->audience : &c->audience;
	char *statuses = audience_statuses_literal(aud->statuses);
	char *platforms = audience_platforms_literal(aud->platforms);
	char id[16];
	snprintf(id, sizeof id, "%d", c->id);
	a->subject = xstrdup(ch->subject ? ch->subject : c->subject_template);
	a->body = xstrdup(ch->body ? ch->body : c->body_template);
	const char *params[] = {
		id, a->subject, a->body, statuses, platforms, aud->search,
		aud->primary_only ? "t" : "f", actor_name(a->actor),
	};
	int rc = db_command(db, "UPDATE campaigns SET subject_template = $2, "
		"message_template = $3, audience_statuses = $4, "
		"audience_platforms = $5, audience_search = $6, "
		"audience_primary_only = $7, updated_by = $8 WHERE id = $1",
		8, params, err);
	free(statuses);
	free(platforms);
	if (rc < 0)
		return -1;
	/* A draft's messages were never sent: they are pending by rule. */
	PGresult *res = db_exec(db, "DELETE FROM messages WHERE campaign_id = $1 "
				"AND status = 'pending'", 1, params, err);
	if (!res)
		return -1;
	a->discarded = atol(PQcmdTuples(res));
	PQclear(res);
	return 0;
}

static int edit_in_tx(struct db *db, void *arg, struct error *err)
{
	struct edit_args *a = arg;
	struct campaign c;
	if (load(db, a->name, true, &c, err) < 0)
		return -1;
	char reason[256];
	int rc = 0;
	bool same = true;
	if (!campaign_can_edit(c.status, reason, sizeof reason))
		rc = error_set(err, "campaign \"%s\": %s", c.name, reason);
	if (rc == 0 && a->change->expected_updated_at)
		rc = still_unchanged(db, &c, a->change->expected_updated_at,
				     &same, err);
	if (rc == 0 && !same)
		rc = refuse_conflict(a, &c, err);
	if (rc == 0)
		rc = authorize_and_audit(db, a->actor, "campaign.edit", c.id,
					 c.name, NULL, err);
	if (rc == 0)
		rc = save_change(db, a, &c, err);
	campaign_free(&c);
	return rc;
}

int campaign_edit(struct db *db, const struct campaign_actor *actor,
		  const char *name, const struct campaign_change *change,
		  long *discarded, struct buf *report, struct error *err)
{
	struct edit_args a = {.actor = actor, .name = name, .change = change};
	int rc = db_transaction(db, edit_in_tx, &a, err);
	if (rc == 0)
		rc = campaign_check_templates(a.subject, a.body, report);
	else
		rc = a.conflict ? CAMPAIGN_CONFLICT : -1;
	if (discarded)
		*discarded = a.discarded;
	free(a.subject);
	free(a.body);
	return rc;
}

/* ---- list and progress ---- */

/* Message counts by outcome; a campaign without messages has a row of 0. */
/* A campaign's message counts (fill_progress reads them), over messages
 * named with the prefix P ("m." or ""): in all, sent (or further),
 * failed, pending. count(P id) makes a campaign without messages 0. */
#define MESSAGE_COUNTS(P) \
	"count(" P "id), " \
	"count(" P "id) FILTER (WHERE " P "status IN ('sent', 'opened', " \
	"'replied')), count(" P "id) FILTER (WHERE " P "status = 'failed'), " \
	"count(" P "id) FILTER (WHERE " P "status = 'pending')"
#define PROGRESS_SQL "SELECT " MESSAGE_COUNTS("") " FROM messages"

static void fill_progress(PGresult *res, int row, int col,
			  struct campaign_summary *s)
{
	s->total = atol(PQgetvalue(res, row, col));
	s->sent = atol(PQgetvalue(res, row, col + 1));
	s->failed = atol(PQgetvalue(res, row, col + 2));
	s->pending = atol(PQgetvalue(res, row, col + 3));
}

int campaign_progress(struct db *db, const struct campaign *c,
		      struct campaign_summary *out, struct error *err)
{
	char id[16];
	snprintf(id, sizeof id, "%d", c->id);
	const char *params[] = {id};
	PGresult *res = db_exec(db, PROGRESS_SQL " WHERE campaign_id = $1",
				1, params, err);
	if (!res)
		return -1;
	*out = (struct campaign_summary){0};
	out->name = xstrdup(c->name);
	out->status = c->status;
	out->start_at = c->start_at ? xstrdup(c->start_at) : NULL;
	fill_progress(res, 0, 0, out);
	out->audience = -1;	/* not counted: campaign_list counts it */
	PQclear(res);
	return 0;
}

void campaign_list_query(struct query *q)
{
	query_sql(q, "SELECT c.id, c.name, c.status, c.start_at, "
		  "c.audience_statuses, c.audience_platforms, c.audience_search, "
		  "c.audience_primary_only, " MESSAGE_COUNTS("m.") " "
		  "FROM campaigns c LEFT JOIN messages m ON m.campaign_id = c.id "
		  "GROUP BY c.id ORDER BY c.name");
}

void campaign_list_parse(PGresult *res, struct campaign_summary **rows,
			 size_t *count)
{
	size_t n = (size_t)PQntuples(res);
	struct campaign_summary *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		int r = (int)i;
		struct campaign_summary *s = &out[i];
		s->id = atoi(PQgetvalue(res, r, 0));
		s->name = xstrdup(PQgetvalue(res, r, 1));
		s->status = (enum campaign_status)
			campaign_status_from_name(PQgetvalue(res, r, 2));
		s->start_at = dup_or_null(res, r, 3);
		s->who.statuses = audience_statuses_from_literal(PQgetvalue(res, r, 4));
		s->who.platforms = audience_platforms_from_literal(PQgetvalue(res, r, 5));
		s->who.search = dup_or_null(res, r, 6);
		s->who.primary_only = PQgetvalue(res, r, 7)[0] == 't';
		fill_progress(res, r, 8, s);
		/* A finished campaign's audience no longer matters. */
		s->audience = s->status == CAMPAIGN_COMPLETED ||
			      s->status == CAMPAIGN_CANCELLED ? -1 :
			      CAMPAIGN_AUDIENCE_UNCOUNTED;
	}
	*rows = out;
	*count = n;
}

int campaign_list(struct db *db, struct campaign_summary **rows, size_t *count,
		  struct error *err)
{
	*rows = NULL;
	*count = 0;
	struct query q = {0};
	campaign_list_query(&q);
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return -1;
	campaign_list_parse(res, rows, count);
	PQclear(res);
	for (size_t i = 0; i < *count; i++) {
		struct campaign_summary *s = &(*rows)[i];
		struct audience_size size;
		if (s->audience != CAMPAIGN_AUDIENCE_UNCOUNTED)
			continue;
		if (audience_size(db, s->id, &s->who, &size, err) < 0) {
			campaign_list_free(*rows, *count);
			*rows = NULL;
			*count = 0;
			return -1;
		}
		s->audience = size.messages;
	}
	return 0;
}

void campaign_list_free(struct campaign_summary *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++) {
		free(rows[i].name);
		free(rows[i].start_at);
		audience_free(&rows[i].who);
	}
	free(rows);
}

/* Every campaign's message counts in one statement, for the event-loop
 * connection: sending changes messages constantly, and these counts are
 * all that changes in the list when it does. */
void campaign_progress_all_query(struct query *q)
{
	query_sql(q, "SELECT c.name, " MESSAGE_COUNTS("m.") " FROM campaigns c "
		  "LEFT JOIN messages m ON m.campaign_id = c.id GROUP BY c.name");
}

int campaign_progress_all_apply(PGresult *res, struct campaign_summary *rows,
				size_t count)
{
	int updated = 0;
	for (int r = 0; r < PQntuples(res); r++)
		for (size_t i = 0; i < count; i++)
			if (strcmp(rows[i].name, PQgetvalue(res, r, 0)) == 0) {
				fill_progress(res, r, 1, &rows[i]);
				updated++;
			}
	return updated;
}

/* ---- the lifecycle ---- */

struct apply_args {
	const struct campaign_actor *actor;
	const char *name;
	enum campaign_action action;
	const char *start_at;
	struct campaign_transition_result *out;
	struct buf *report;
};

static long pending_count(struct db *db, int campaign_id, struct error *err)
{
	char id[16];
	snprintf(id, sizeof id, "%d", campaign_id);
	const char *params[] = {id};
	PGresult *res = db_exec(db, "SELECT count(*) FROM messages "
				"WHERE campaign_id = $1 AND status = 'pending'",
				1, params, err);
	if (!res)
		return -1;
	long n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

/* Scheduling and starting lead to sending: the templates must be right
 * and there must be something to send. */
static int check_ready(struct db *db, const struct campaign *c,
		       enum campaign_action action, struct buf *report,
		       struct error *err)
{
	if (campaign_check_templates(c->subject_template, c->body_template,
				     report) > 0)
		return error_set(err, "cannot %s campaign \"%s\": its templates "
				 "have errors; fix them with 'outreach "
				 "campaign edit'", campaign_action_name(action),
				 c->name);
	long pending = pending_count(db, c->id, err);
	if (pending < 0)
		return -1;
	if (pending == 0)
		return error_set(err, "cannot %s campaign \"%s\": it has no "
				 "messages to send; run 'outreach campaign "
				 "generate' first", campaign_action_name(action),
				 c->name);
	return 0;
}

/* A start time must be readable and in the future: a time in the past
 * would start the campaign at once, which 'start' says more plainly. */
static int check_start_at(struct db *db, const char *start_at,
			  struct error *err)
{
	const char *params[] = {start_at};
	PGresult *res = db_exec(db, "SELECT $1::timestamptz > now()", 1,
				params, err);
	if (!res)
		return error_set(err, "cannot read the start time \"%s\": "
				 "write it like 2030-03-01 09:00 or "
				 "2030-03-01T09:00+01", start_at);
	bool future = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!future)
		return error_set(err, "the start time \"%s\" is not in the "
				 "future; to send now use 'outreach campaign "
				 "start'", start_at);
	return 0;
}

static int write_status(struct db *db, const struct apply_args *a,
			const struct campaign *c, enum campaign_status to,
			struct error *err)
{
	char id[16];
	snprintf(id, sizeof id, "%d", c->id);
	const char *params[] = {
		id, campaign_status_name(to), actor_name(a->actor),
		a->action == CAMPAIGN_SCHEDULE ? a->start_at : c->start_at,
	};
	return db_command(db, "UPDATE campaigns SET status = $2, "
			  "updated_by = $3, start_at = $4::timestamptz "
			  "WHERE id = $1", 4, params, err);
}

static int apply_in_tx(struct db *db, void *arg, struct error *err)
{
	struct apply_args *a = arg;
	struct campaign c;
	if (load(db, a->name, true, &c, err) < 0)
		return -1;
	char reason[256];
	enum campaign_status to = c.status;
	int rc = 0;
	a->out->from = c.status;
	if (!campaign_transition(c.status, a->action, &to, reason, sizeof reason))
		rc = error_set(err, "campaign \"%s\": %s", c.name, reason);
	if (rc == 0 && campaign_action_needs_messages(a->action))
		rc = check_ready(db, &c, a->action, a->report, err);
	if (rc == 0 && a->action == CAMPAIGN_SCHEDULE && a->start_at)
		rc = check_start_at(db, a->start_at, err);
	/* Resuming with nothing left (the last messages were marked by hand
	 * while paused) finishes the campaign rather than idling in sending. */
	if (rc == 0 && to == CAMPAIGN_SENDING) {
		long pending = pending_count(db, c.id, err);
		rc = pending < 0 ? -1 : 0;
		if (pending == 0)
			to = CAMPAIGN_COMPLETED;
	}
	if (rc == 0)
		rc = authorize_and_audit(db, a->actor,
					 campaign_action_name(a->action), c.id,
					 c.name, campaign_status_name(to), err);
	if (rc == 0)
		rc = write_status(db, a, &c, to, err);
	a->out->to = to;
	campaign_free(&c);
	return rc;
}

int campaign_apply(struct db *db, const struct campaign_actor *actor,
		   const char *name, enum campaign_action action,
		   const char *start_at, struct campaign_transition_result *out,
		   struct buf *report, struct error *err)
{
	struct campaign_transition_result ignored;
	struct apply_args a = {
		actor, name, action, start_at, out ? out : &ignored, report,
	};
	return db_transaction(db, apply_in_tx, &a, err);
}

/* ---- deleting ---- */

struct delete_args {
	const struct campaign_actor *actor;
	const char *name;
	long *messages;
};

/* A campaign may go only when nothing of it went out (or may have): its
 * messages and their history would go with it. Not while it is sending:
 * workers claim only from a sending campaign, so once it is paused (and
 * locked by the caller) nothing can start going out. *messages gets how
 * many messages it has. */
static int check_deletable(struct db *db, const struct campaign *c,
			   const char *id, long *messages, struct error *err)
{
	if (c->status == CAMPAIGN_SENDING)
		return error_set(err, "campaign \"%s\" is sending; pause or cancel "
				 "it first", c->name);
	const char *params[] = {id};
	PGresult *res = db_exec(db,
		"SELECT count(*), count(*) FILTER (WHERE status <> 'pending' "
		"OR attempts > 0 OR claimed_by IS NOT NULL) FROM messages "
		"WHERE campaign_id = $1", 1, params, err);
	if (!res)
		return -1;
	*messages = atol(PQgetvalue(res, 0, 0));
	long tried = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	if (tried > 0)
		return error_set(err, "campaign \"%s\" has %ld message%s sent, "
				 "tried or claimed; its record stays: cancel it "
				 "instead", c->name, tried, tried == 1 ? "" : "s");
	return 0;
}

static int delete_in_tx(struct db *db, void *arg, struct error *err)
{
	struct delete_args *a = arg;
	struct campaign c;
	if (load(db, a->name, true, &c, err) < 0)
		return -1;
	char id[16], detail[64];
	snprintf(id, sizeof id, "%d", c.id);
	const char *params[] = {id};
	int rc = check_deletable(db, &c, id, a->messages, err);
	if (rc == 0) {
		snprintf(detail, sizeof detail, "%ld unsent messages deleted "
			 "with it", *a->messages);
		rc = authorize_and_audit(db, a->actor, "delete", c.id, c.name,
					 detail, err);
	}
	if (rc == 0)
		rc = db_command(db, "DELETE FROM campaigns WHERE id = $1", 1,
				params, err);
	campaign_free(&c);
	return rc;
}

int campaign_delete(struct db *db, const struct campaign_actor *actor,
		    const char *name, long *messages, struct error *err)
{
	long ignored;
	struct delete_args a = {actor, name, messages ? messages : &ignored};
	*a.messages = 0;
	return db_transaction(db, delete_in_tx, &a, err);
}

/* ---- generation and preview ---- */

struct compiled {
	struct template *subject;
	struct template *body;
};

/* Compiles both templates, or lists their errors in report. */
static int compile_campaign(const struct campaign *c, struct compiled *out,
			    struct buf *report, const char *doing,
			    struct error *err)
{
	out->subject = template_compile(c->subject_template, TEMPLATE_SUBJECT, NULL);
	out->body = template_compile(c->body_template, TEMPLATE_BODY, NULL);
	if (out->subject && out->body)
		return 0;
	campaign_check_templates(c->subject_template, c->body_template, report);
	template_free(out->subject);
	template_free(out->body);
	*out = (struct compiled){0};
	return error_set(err, "cannot %s campaign \"%s\": its templates have "
			 "errors; fix them with 'outreach campaign edit'",
			 doing, c->name);
}

/* A million messages with an empty sender name or a dead unsubscribe link
 * cannot be taken back: refuse before generating any. */
static int check_sender(const struct campaign *c, const struct compiled *t,
			const struct audience_sender *sender, struct error *err)
{
	bool name = template_uses_field(t->subject, TEMPLATE_FIELD_SENDER_NAME) ||
		    template_uses_field(t->body, TEMPLATE_FIELD_SENDER_NAME);
	bool unsub = template_uses_field(t->subject, TEMPLATE_FIELD_UNSUBSCRIBE_URL) ||
		     template_uses_field(t->body, TEMPLATE_FIELD_UNSUBSCRIBE_URL);
	if (name && !(sender && sender->name && *sender->name))
		return error_set(err, "campaign \"%s\" uses {{sender.name}} but "
				 "no sender name is set; set sender.from_name "
				 "(OUTREACH_FROM_NAME)", c->name);
	if (unsub && !(sender && sender->unsubscribe_url && *sender->unsubscribe_url))
		return error_set(err, "campaign \"%s\" uses {{unsubscribe_url}} "
				 "but no unsubscribe URL is set; set "
				 "sender.unsubscribe_url (OUTREACH_UNSUBSCRIBE_URL)",
				 c->name);
	if (template_uses_field(t->subject, TEMPLATE_FIELD_UNSUBSCRIBE_URL))
		return error_set(err, "campaign \"%s\": {{unsubscribe_url}} "
				 "belongs in the body, not the subject", c->name);
	return 0;
}

struct generate_args {
	const struct campaign_actor *actor;
	const char *name;
	const struct audience_sender *sender;
	audience_progress_fn progress;
	void *progress_arg;
	struct audience_generate_report *out;
	struct buf *report;
};

static int generate_in_tx(struct db *db, void *arg, struct error *err)
{
	struct generate_args *a = arg;
	struct campaign c;
	struct compiled t = {0};
	char reason[256];
	/* The lock makes generations of one campaign take turns, so "already
	 * generated" is exact and COPY never meets a duplicate. */
	if (load(db, a->name, true, &c, err) < 0)
		return -1;
	int rc = 0;
	if (!campaign_can_generate(c.status, reason, sizeof reason))
		rc = error_set(err, "campaign \"%s\": %s", c.name, reason);
	if (rc == 0)
		rc = compile_campaign(&c, &t, a->report, "generate", err);
	if (rc == 0)
		rc = check_sender(&c, &t, a->sender, err);
	if (rc == 0)
		rc = authorize_and_audit(db, a->actor, "campaign.generate", c.id,
					 c.name, NULL, err);
	if (rc == 0)
		rc = audience_generate(db, c.id, c.name, &c.audience, t.subject,
				       t.body, a->sender, a->progress,
				       a->progress_arg, a->out, err);
	template_free(t.subject);
	template_free(t.body);
	campaign_free(&c);
	return rc;
}

int campaign_generate(struct db *db, const struct campaign_actor *actor,
		      const char *name, const struct audience_sender *sender,
		      audience_progress_fn progress, void *progress_arg,
		      struct audience_generate_report *out, struct buf *report,
		      struct error *err)
{
	struct generate_args a = {
		actor, name, sender, progress, progress_arg, out, report,
	};
	*out = (struct audience_generate_report){0};
	int rc = db_transaction(db, generate_in_tx, &a, err);
	if (rc != 0)
		*out = (struct audience_generate_report){0};
	return rc;
}

int campaign_preview(struct db *db, const char *name, int business_id,
		     const struct audience_sender *sender,
		     struct audience_preview *out, struct buf *report,
		     struct error *err)
{
	struct campaign c;
	struct compiled t;
	*out = (struct audience_preview){0};
	if (campaign_load(db, name, &c, err) < 0)
		return -1;
	int rc = compile_campaign(&c, &t, report, "preview", err);
	if (rc == 0)
		rc = audience_preview(db, c.name, &c.audience, business_id,
				      t.subject, t.body, sender, out, err);
	template_free(t.subject);
	template_free(t.body);
	campaign_free(&c);
	return rc;
}
