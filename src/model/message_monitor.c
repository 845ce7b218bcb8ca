/* message_monitor.c - the numbers behind the Messages screen: campaigns
 * with their counts, and for one campaign its counts by platform, the
 * outcomes of the last minute and its failures grouped by reason. Each is
 * one statement; the rate and the errors read the partial indexes on
 * sent_at and failed_at, so they cost the rows they count. */
#include "model/message.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

void monitor_campaigns_query(struct query *q)
{
	query_sql(q, "SELECT c.id, c.name, c.status, "
		"count(m.id), "
		"count(*) FILTER (WHERE m.status = 'pending'), "
		"count(*) FILTER (WHERE m.status = 'sent'), "
		"count(*) FILTER (WHERE m.status = 'opened'), "
		"count(*) FILTER (WHERE m.status = 'replied'), "
		"count(*) FILTER (WHERE m.status = 'failed') "
		"FROM campaigns c LEFT JOIN messages m ON m.campaign_id = c.id "
		"WHERE c.status IN ('sending', 'paused', 'scheduled', 'completed') "
		"GROUP BY c.id ORDER BY CASE c.status WHEN 'sending' THEN 0 "
		"WHEN 'paused' THEN 1 WHEN 'scheduled' THEN 2 ELSE 3 END, "
		"c.updated_at DESC, c.id DESC LIMIT 200");
}

void monitor_campaigns_parse(PGresult *res, struct monitor_campaign **rows,
			     size_t *count)
{
	size_t n = (size_t)PQntuples(res);
	struct monitor_campaign *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		int r = (int)i;
		out[i].id = atoi(PQgetvalue(res, r, 0));
		out[i].name = dup_or_null(res, r, 1);
		out[i].status = dup_or_null(res, r, 2);
		out[i].total = atol(PQgetvalue(res, r, 3));
		for (int s = 0; s < MESSAGE_STATUS_COUNT; s++)
			out[i].by_status[s] = atol(PQgetvalue(res, r, 4 + s));
	}
	*rows = out;
	*count = n;
}

void monitor_campaigns_free(struct monitor_campaign *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++) {
		free(rows[i].name);
		free(rows[i].status);
	}
	free(rows);
}

void message_stats_counts_query(struct query *q, int campaign_id)
{
	query_sql(q, "SELECT platform, status, count(*) FROM messages "
		  "WHERE campaign_id = ");
	query_param_int(q, campaign_id);
	query_sql(q, " GROUP BY platform, status");
}

void message_stats_counts_parse(PGresult *res, struct message_stats *s)
{
	s->total = 0;
	memset(s->by_status, 0, sizeof s->by_status);
	memset(s->by_platform, 0, sizeof s->by_platform);
	for (int r = 0; r < PQntuples(res); r++) {
		int p = message_platform_from_name(PQgetvalue(res, r, 0));
		int st = message_status_from_name(PQgetvalue(res, r, 1));
		long n = atol(PQgetvalue(res, r, 2));
		s->total += n;
		if (st >= 0)
			s->by_status[st] += n;
		if (p >= 0 && st >= 0)
			s->by_platform[p][st] += n;
	}
}

void message_stats_rate_query(struct query *q, int campaign_id)
{
	query_sql(q, "SELECT (SELECT count(*) FROM messages WHERE campaign_id = ");
	query_param_int(q, campaign_id);
	query_sql(q, " AND sent_at IS NOT NULL AND sent_at > now() - interval "
		  "'60 seconds') + (SELECT count(*) FROM messages WHERE "
		  "campaign_id = $1 AND failed_at IS NOT NULL AND failed_at > "
		  "now() - interval '60 seconds')");
}

void message_stats_rate_parse(PGresult *res, struct message_stats *s)
{
	s->done_last_minute = PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : 0;
}

void message_stats_errors_query(struct query *q, int campaign_id, int limit)
{
	query_sql(q, "SELECT coalesce(last_error, '(no reason recorded)'), "
		  "count(*), to_char(max(failed_at), 'YYYY-MM-DD HH24:MI:SS') "
		  "FROM messages WHERE campaign_id = ");
	query_param_int(q, campaign_id);
	query_sql(q, " AND status = 'failed' GROUP BY 1 "
		  "ORDER BY max(failed_at) DESC NULLS LAST, 2 DESC LIMIT ");
	query_param_int(q, limit);
}

static void free_errors(struct message_stats *s)
{
	for (size_t i = 0; i < s->error_count; i++) {
		free(s->errors[i].reason);
		free(s->errors[i].latest);
	}
	free(s->errors);
	s->errors = NULL;
	s->error_count = 0;
}

void message_stats_errors_parse(PGresult *res, struct message_stats *s)
{
	free_errors(s);
	size_t n = (size_t)PQntuples(res);
	s->errors = xcalloc(n + 1, sizeof *s->errors);
	s->error_count = n;
	for (size_t i = 0; i < n; i++) {
		int r = (int)i;
		s->errors[i].reason = dup_or_null(res, r, 0);
		s->errors[i].count = atol(PQgetvalue(res, r, 1));
		s->errors[i].latest = PQgetisnull(res, r, 2) ? xstrdup("") :
			xstrdup(PQgetvalue(res, r, 2));
	}
}

int message_stats_fetch(struct db *db, int campaign_id, struct message_stats *s,
			struct error *err)
{
	void (*const build[])(struct query *, int) = {
		message_stats_counts_query, message_stats_rate_query,
	};
	void (*const parse[])(PGresult *, struct message_stats *) = {
		message_stats_counts_parse, message_stats_rate_parse,
		message_stats_errors_parse,
	};
	for (int i = 0; i < 3; i++) {
		struct query q = {0};
		if (i < 2)
			build[i](&q, campaign_id);
		else
			message_stats_errors_query(&q, campaign_id, 5);
		PGresult *res = db_exec_query(db, &q, err);
		if (!res)
			return error_prefix(err, "cannot count the messages of "
					    "campaign %d", campaign_id);
		parse[i](res, s);
		PQclear(res);
	}
	return 0;
}

void message_stats_free(struct message_stats *s)
{
	if (s)
		free_errors(s);
}

long message_stats_done(const struct message_stats *s)
{
	return s->total - s->by_status[MESSAGE_PENDING];
}

double message_stats_rate(const struct message_stats *s)
{
	return (double)s->done_last_minute / 60.0;
}

long message_stats_eta(const struct message_stats *s)
{
	long pending = s->by_status[MESSAGE_PENDING];
	if (pending == 0)
		return 0;
	if (s->done_last_minute <= 0)
		return -1;
	return (long)((double)pending / message_stats_rate(s) + 0.5);
}
