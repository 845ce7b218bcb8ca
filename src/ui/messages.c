/* messages.c - the Messages screen's monitor: each campaign worth
 * watching with a progress bar, and for the selected one its counts by
 * status and platform, the rate over the last minute, an ETA and the
 * latest failures grouped by reason. Change notifications only mark the
 * numbers stale; they are fetched at most a few times a second, so a
 * worker sending thousands a second costs a few small queries, and
 * nothing at all runs while nothing changes. */
#include "ui/messages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/sanitize.h"
#include "core/xalloc.h"

struct result_ctx {
	struct messages_view *v;
	int key;		/* the campaign a stats query is for */
};

static struct result_ctx *ctx_new(struct messages_view *v, int key)
{
	struct result_ctx *c = xcalloc(1, sizeof *c);
	c->v = v;
	c->key = key;
	return c;
}

bool messages_send(struct messages_view *v, struct query *q,
		   db_async_result_fn fn, void *ctx)
{
	if (!app_query(v->app, q, fn, ctx))
		return false;
	v->in_flight++;
	return true;
}

void messages_result_done(struct messages_view *v)
{
	if (v->in_flight > 0)
		v->in_flight--;
	v->pane->dirty = true;
	if (v->in_flight == 0 && v->stale) {
		v->stale = false;
		messages_request_refresh(v);
	}
}

/* ---------------------------------------------------------------- fetch */

static void on_stats(void *vctx, PGresult *res, const struct error *err,
		     void (*parse)(PGresult *, struct message_stats *))
{
	struct result_ctx *c = vctx;
	struct messages_view *v = c->v;
	if (!res)
		app_message(v->app, true, "cannot count messages: %s", err->msg);
	else if (c->key == v->stats_for)
		parse(res, &v->stats);
	free(c);
	messages_result_done(v);
}

static void on_counts(void *ctx, PGresult *res, const struct error *err)
{
	on_stats(ctx, res, err, message_stats_counts_parse);
}

static void on_errors(void *ctx, PGresult *res, const struct error *err)
{
	on_stats(ctx, res, err, message_stats_errors_parse);
}

static void on_rate(void *ctx, PGresult *res, const struct error *err)
{
	struct result_ctx *c = ctx;
	struct messages_view *v = c->v;
	bool mine = res && c->key == v->stats_for;
	on_stats(ctx, res, err, message_stats_rate_parse);
	/* The rate of the last minute falls as time passes, with or without
	 * changes: look again in a while, but only while it is not zero. */
	if (mine && v->stats.done_last_minute > 0) {
		long long due = db_async_now_ms() + RATE_REFRESH_MS;
		if (!v->refresh_due || v->refresh_due > due)
			v->refresh_due = due;
		app_wake_at(v->app, v->refresh_due);
	}
}

static void send_stats(struct messages_view *v)
{
	int id = v->stats_for;
	if (!id)
		return;
	struct query q = {0};
	message_stats_counts_query(&q, id);
	messages_send(v, &q, on_counts, ctx_new(v, id));
	message_stats_rate_query(&q, id);
	messages_send(v, &q, on_rate, ctx_new(v, id));
	message_stats_errors_query(&q, id, 8);
	messages_send(v, &q, on_errors, ctx_new(v, id));
}

static int selected_campaign(const struct messages_view *v)
{
	return v->ncampaigns ? v->campaigns[v->sel].id : 0;
}

static void select_stats(struct messages_view *v)
{
	int id = selected_campaign(v);
	if (id == v->stats_for)
		return;
	v->stats_for = id;
	message_stats_free(&v->stats);
	memset(&v->stats, 0, sizeof v->stats);
	send_stats(v);
}

static void on_campaigns(void *ctx, PGresult *res, const struct error *err)
{
	struct result_ctx *c = ctx;
	struct messages_view *v = c->v;
	free(c);
	if (!res) {
		app_message(v->app, true, "cannot load campaigns: %s", err->msg);
		messages_result_done(v);
		return;
	}
	int keep = selected_campaign(v);
	monitor_campaigns_free(v->campaigns, v->ncampaigns);
	monitor_campaigns_parse(res, &v->campaigns, &v->ncampaigns);
	v->sel = 0;
	for (size_t i = 0; i < v->ncampaigns; i++)
		if (v->campaigns[i].id == keep)
			v->sel = i;
	select_stats(v);
	messages_result_done(v);
}

static void refresh_now(struct messages_view *v)
{
	v->refresh_due = 0;
	v->stale = false;
	v->loaded = true;
	v->last_refresh = db_async_now_ms();
	if (v->app->trace) {
		/* For tests and benchmarks: how often a burst made us look. */
		fprintf(v->app->trace, "refresh messages %lld\n", v->last_refresh);
		fflush(v->app->trace);
	}
	switch (v->mode) {
	case VIEW_MONITOR: {
		struct query q = {0};
		monitor_campaigns_query(&q);
		messages_send(v, &q, on_campaigns, ctx_new(v, 0));
		send_stats(v);
		break;
	}
	case VIEW_LIST:
		message_list_refresh(v);
		break;
	case VIEW_DETAIL:
		message_detail_refresh(v);
		break;
	case VIEW_QUEUE:
		social_refresh(v);
		break;
	}
}

void messages_request_refresh(struct messages_view *v)
{
	if (v->app->screen != SCREEN_MESSAGES) {
		v->hidden_stale = true;
		return;
	}
	if (v->in_flight > 0) {
		v->stale = true;
		return;
	}
	long long now = db_async_now_ms();
	long long due = v->last_refresh + REFRESH_MIN_MS;
	if (now >= due) {
		refresh_now(v);
		return;
	}
	if (!v->refresh_due || v->refresh_due > due)
		v->refresh_due = due;
	app_wake_at(v->app, v->refresh_due);
}

void messages_set_mode(struct messages_view *v, enum messages_mode mode)
{
	v->mode = mode;
	v->pane->dirty = true;
	v->app->chrome_dirty = true;
	v->last_refresh = 0;	/* a new view loads at once */
	messages_request_refresh(v);
}

/* ---------------------------------------------------------------- drawing */

int messages_draw_wrapped(WINDOW *w, int y, int x, int width, int max,
			  const char *text, int attr)
{
	int used = 0;
	const char *p = text ? text : "";
	while (used < max) {
		size_t n = strcspn(p, "\n");
		struct buf line = {0};
		sanitize_append(&line, p, n);
		buf_append(&line, "", 0);
		/* Cut the sanitised line into pieces of at most width columns. */
		const char *s = line.data;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		do {
			const char *start = s;
			int cols = 0;
			while (*s) {
				wchar_t wc;
				size_t len = mbrtowc(&wc, s, MB_CUR_MAX, &st);
				if (len == (size_t)-1 || len == (size_t)-2 || len == 0)
					len = 1, wc = L'?';
				int cw = wcwidth(wc);
				if (cw < 0)
					cw = 1;
				if (cols + cw > width)
					break;
				cols += cw;
				s += len;
			}
			/* Break after the last space of the piece when there is
			 * one, so words stay whole. */
			if (*s) {
				const char *space = NULL;
				for (const char *q = start; q < s; q++)
					if (*q == ' ')
						space = q;
				if (space && space > start) {
					s = space + 1;
					memset(&st, 0, sizeof st);
				}
			}
			char *piece = xstrndup(start, (size_t)(s - start));
			draw_text(w, y + used, x, width, piece, attr);
			free(piece);
			used++;
		} while (*s && used < max);
		buf_free(&line);
		p += n;
		if (*p++ != '\n')
			break;
	}
	return used;
}

static void draw_bar(WINDOW *w, int y, int x, int width, long done, long total)
{
	if (width < 3)
		return;
	int inner = width - 2;
	int fill = total > 0 ? (int)((double)done * inner / (double)total) : 0;
	char *bar = xcalloc((size_t)width + 1, 1);
	bar[0] = '[';
	for (int i = 0; i < inner; i++)
		bar[1 + i] = i < fill ? '#' : '.';
	bar[width - 1] = ']';
	draw_text(w, y, x, width, bar, theme_attr(fill > 0 ? ROLE_OK : ROLE_DIM));
	free(bar);
}

static int percent(long done, long total)
{
	return total > 0 ? (int)(done * 100 / total) : 0;
}

static void format_rate(double per_sec, char *out, size_t len)
{
	if (per_sec >= 1.0)
		snprintf(out, len, "%.1f/s", per_sec);
	else
		snprintf(out, len, "%.0f/min", per_sec * 60.0);
}

static void format_eta(long secs, char *out, size_t len)
{
	if (secs < 0)
		snprintf(out, len, "unknown (nothing went out in the last minute)");
	else if (secs == 0)
		snprintf(out, len, "done");
	else if (secs < 60)
		snprintf(out, len, "under a minute");
	else if (secs < 3600)
		snprintf(out, len, "%ld min", (secs + 59) / 60);
	else if (secs < 86400)
		snprintf(out, len, "%ld h %ld min", secs / 3600, (secs % 3600) / 60);
	else
		snprintf(out, len, "%ld d %ld h", secs / 86400, (secs % 86400) / 3600);
}

static void draw_campaign_rows(struct messages_view *v, WINDOW *w, int rows,
			       int width)
{
	int name_w = width >= 100 ? 32 : 22, bar_w = width >= 100 ? 30 : 16;
	draw_text(w, 0, 0, width, "Campaign", theme_attr(ROLE_TITLE));
	draw_text(w, 0, name_w + 1, 10, "Status", theme_attr(ROLE_TITLE));
	draw_text(w, 0, name_w + 12, width - name_w - 12, "Progress (sent+failed of "
		  "total)", theme_attr(ROLE_TITLE));
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + (size_t)rows)
		v->top = v->sel - (size_t)rows + 1;
	for (int i = 0; i < rows && v->top + (size_t)i < v->ncampaigns; i++) {
		size_t at = v->top + (size_t)i;
		const struct monitor_campaign *c = &v->campaigns[at];
		int attr = at == v->sel ? theme_attr(ROLE_SELECTED) : (int)A_NORMAL;
		long done = c->total - c->by_status[MESSAGE_PENDING];
		draw_text(w, 1 + i, 0, name_w + 1, c->name, attr);
		draw_text(w, 1 + i, name_w + 1, 11, c->status, attr);
		draw_bar(w, 1 + i, name_w + 12, bar_w, done, c->total);
		char nums[64], a[32], b[32];
		snprintf(nums, sizeof nums, " %3d%%  %s/%s", percent(done, c->total),
			 format_count(done, false, a, sizeof a),
			 format_count(c->total, false, b, sizeof b));
		int x = name_w + 12 + bar_w;
		draw_text(w, 1 + i, x, width - x, nums, attr);
	}
}

static void draw_platforms(struct messages_view *v, WINDOW *w, int *y, int h,
			   int width)
{
	const struct message_stats *s = &v->stats;
	char line[160];
	snprintf(line, sizeof line, "%-10s %9s %9s %9s %9s %9s", "platform",
		 "pending", "sent", "opened", "replied", "failed");
	draw_text(w, (*y)++, 1, width - 1, line, theme_attr(ROLE_TITLE));
	for (int p = 0; p < MESSAGE_PLATFORM_COUNT && *y < h; p++) {
		long total = 0;
		for (int st = 0; st < MESSAGE_STATUS_COUNT; st++)
			total += s->by_platform[p][st];
		if (total == 0)
			continue;
		snprintf(line, sizeof line, "%-10s %9ld %9ld %9ld %9ld %9ld",
			 message_platform_name(p), s->by_platform[p][MESSAGE_PENDING],
			 s->by_platform[p][MESSAGE_SENT],
			 s->by_platform[p][MESSAGE_OPENED],
			 s->by_platform[p][MESSAGE_REPLIED],
			 s->by_platform[p][MESSAGE_FAILED]);
		draw_text(w, (*y)++, 1, width - 1, line, A_NORMAL);
	}
}

static void draw_errors(struct messages_view *v, WINDOW *w, int *y, int h,
			int width)
{
	const struct message_stats *s = &v->stats;
	if (*y >= h)
		return;
	draw_text(w, (*y)++, 1, width - 1, s->error_count ?
		  "Last errors (count, reason, latest)" : "No failures.",
		  theme_attr(s->error_count ? ROLE_TITLE : ROLE_DIM));
	for (size_t i = 0; i < s->error_count && *y < h; i++, (*y)++) {
		char n[32];
		snprintf(n, sizeof n, "%6ld ", s->errors[i].count);
		draw_text(w, *y, 1, 7, n, theme_attr(ROLE_ERROR));
		int reason_w = width - 8 - 21;
		draw_text(w, *y, 8, reason_w, s->errors[i].reason, A_NORMAL);
		draw_text(w, *y, 8 + reason_w + 1, 20, s->errors[i].latest,
			  theme_attr(ROLE_DIM));
	}
}

static void draw_selected(struct messages_view *v, WINDOW *w, int y, int h,
			  int width)
{
	const struct monitor_campaign *c = &v->campaigns[v->sel];
	const struct message_stats *s = &v->stats;
	if (v->stats_for != c->id || y >= h)
		return;
	char line[256], a[32], b[32];
	snprintf(line, sizeof line, "%s — %s", c->name, c->status);
	draw_text(w, y++, 1, width - 1, line, theme_attr(ROLE_TITLE) | A_BOLD);
	long done = message_stats_done(s);
	draw_bar(w, y, 1, width / 2, done, s->total);
	snprintf(line, sizeof line, " %d%%  %s of %s done", percent(done, s->total),
		 format_count(done, false, a, sizeof a),
		 format_count(s->total, false, b, sizeof b));
	draw_text(w, y++, 1 + width / 2, width - 1 - width / 2, line, A_NORMAL);
	snprintf(line, sizeof line, "pending %ld · sent %ld · opened %ld · "
		 "replied %ld · failed %ld", s->by_status[MESSAGE_PENDING],
		 s->by_status[MESSAGE_SENT], s->by_status[MESSAGE_OPENED],
		 s->by_status[MESSAGE_REPLIED], s->by_status[MESSAGE_FAILED]);
	if (y < h)
		draw_text(w, y++, 1, width - 1, line, A_NORMAL);
	char rate[32], eta[64];
	format_rate(message_stats_rate(s), rate, sizeof rate);
	if (strcmp(c->status, "sending") == 0)
		format_eta(message_stats_eta(s), eta, sizeof eta);
	else
		snprintf(eta, sizeof eta, "- (%s)", c->status);
	snprintf(line, sizeof line, "rate %s (%ld in the last minute) · ETA %s",
		 rate, s->done_last_minute, eta);
	if (y < h)
		draw_text(w, y++, 1, width - 1, line, A_NORMAL);
	if (y < h)
		y++;
	draw_platforms(v, w, &y, h, width);
	if (y < h)
		y++;
	draw_errors(v, w, &y, h, width);
}

static void draw_monitor(struct messages_view *v, WINDOW *w, int h, int width)
{
	if (v->ncampaigns == 0) {
		draw_text(w, 1, 2, width - 4, v->loaded && v->in_flight == 0 ?
			  "No campaign is sending, paused, scheduled or completed. "
			  "Start one with `outreach campaign start NAME`." :
			  "loading…", theme_attr(ROLE_DIM));
		return;
	}
	int rows = (int)v->ncampaigns;
	int max_rows = h / 3 > 3 ? h / 3 : 3;
	if (rows > max_rows)
		rows = max_rows;
	draw_campaign_rows(v, w, rows, width);
	draw_selected(v, w, rows + 2, h, width);
}

static void messages_draw(struct pane *p, struct app *app)
{
	struct messages_view *v = p->state;
	if (v->hidden_stale || !v->loaded) {
		v->hidden_stale = false;
		messages_request_refresh(v);
	}
	werase(p->win);
	switch (v->mode) {
	case VIEW_MONITOR:
		draw_monitor(v, p->win, p->h, p->w);
		if (v->ncampaigns) {
			char pos[64];
			snprintf(pos, sizeof pos, "%zu of %zu campaigns", v->sel + 1,
				 v->ncampaigns);
			app_set_position(app, pos);
		}
		break;
	case VIEW_LIST:
		message_list_draw(v, p->win, p->h, p->w);
		break;
	case VIEW_DETAIL:
		message_detail_draw(v, p->win, p->h, p->w);
		break;
	case VIEW_QUEUE:
		social_draw(v, p->win, p->h, p->w);
		break;
	}
}

/* ---------------------------------------------------------------- actions */

static void move_selection(struct messages_view *v, long delta)
{
	if (v->ncampaigns == 0)
		return;
	long at = (long)v->sel + delta;
	long last = (long)v->ncampaigns - 1;
	v->sel = (size_t)(at < 0 ? 0 : at > last ? last : at);
	v->pane->dirty = true;
	select_stats(v);
}

static bool monitor_action(struct messages_view *v, enum ui_action act)
{
	const struct monitor_campaign *c = v->ncampaigns ? &v->campaigns[v->sel] : NULL;
	switch (act) {
	case ACT_DOWN: move_selection(v, 1); return true;
	case ACT_UP: move_selection(v, -1); return true;
	case ACT_PAGE_DOWN: move_selection(v, 10); return true;
	case ACT_PAGE_UP: move_selection(v, -10); return true;
	case ACT_TOP: move_selection(v, -(long)v->sel); return true;
	case ACT_BOTTOM: move_selection(v, (long)v->ncampaigns); return true;
	case ACT_OPEN:
	case ACT_FILTER:
	case ACT_PLATFORM:
		if (c)
			message_list_open(v, c->id, c->name);
		return true;
	case ACT_QUEUE:
		social_open(v, c ? c->id : 0);
		return true;
	case ACT_MARK_OPENED: case ACT_MARK_REPLIED: case ACT_MARK_FAILED:
	case ACT_RETRY: case ACT_COPY: case ACT_LINK: case ACT_SKIP:
		app_message(v->app, false, "Enter opens the campaign's messages; "
			    "w works the social queue");
		return true;
	default:
		return false;
	}
}

static bool messages_action(struct pane *p, struct app *app, enum ui_action act)
{
	(void)app;
	struct messages_view *v = p->state;
	if (act == ACT_BACK) {
		/* Esc goes back as q does, but never quits from the monitor. */
		if (v->mode == VIEW_MONITOR)
			return true;
		act = ACT_QUIT;
	}
	switch (v->mode) {
	case VIEW_MONITOR:
		return monitor_action(v, act);
	case VIEW_LIST:
		if (act == ACT_QUIT) {
			messages_set_mode(v, VIEW_MONITOR);
			return true;
		}
		return message_list_action(v, act);
	case VIEW_DETAIL:
		if (act == ACT_QUIT) {
			messages_set_mode(v, v->list_campaign ? VIEW_LIST : VIEW_MONITOR);
			return true;
		}
		return message_detail_action(v, act);
	case VIEW_QUEUE:
		if (act == ACT_QUIT) {
			social_close(v);
			messages_set_mode(v, VIEW_MONITOR);
			return true;
		}
		return social_action(v, act);
	}
	return false;
}

static void messages_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void messages_notify(struct pane *p, struct app *app, const char *table,
			    int id)
{
	(void)app;
	(void)id;
	if (strcmp(table, "messages") == 0 || strcmp(table, "campaigns") == 0)
		messages_request_refresh(p->state);
}

static void messages_reconnected(struct pane *p, struct app *app)
{
	(void)app;
	struct messages_view *v = p->state;
	v->in_flight = 0;	/* everything in flight failed */
	v->last_refresh = 0;
	if (v->mode == VIEW_QUEUE && v->queue == QUEUE_LOADING)
		v->queue = QUEUE_IDLE;
	messages_request_refresh(v);
}

static void messages_timer(struct pane *p, struct app *app, long long now)
{
	struct messages_view *v = p->state;
	if (v->refresh_due && now >= v->refresh_due) {
		v->refresh_due = 0;
		messages_request_refresh(v);
	} else if (v->refresh_due) {
		app_wake_at(app, v->refresh_due);
	}
}

static void messages_destroy(struct pane *p)
{
	struct messages_view *v = p->state;
	if (!v)
		return;
	monitor_campaigns_free(v->campaigns, v->ncampaigns);
	message_stats_free(&v->stats);
	message_list_free(v);
	social_free(v);
	free(v);
	p->state = NULL;
}

static const struct pane_ops messages_ops = {
	.name = "messages",
	.draw = messages_draw,
	.action = messages_action,
	.resize = messages_resize,
	.notify = messages_notify,
	.reconnected = messages_reconnected,
	.destroy = messages_destroy,
	.timer = messages_timer,
};

void messages_pane_init(struct pane *p, struct app *app)
{
	struct messages_view *v = xcalloc(1, sizeof *v);
	v->app = app;
	v->pane = p;
	v->filter = (struct message_filter){0, -1, -1};
	p->ops = &messages_ops;
	p->state = v;
	p->dirty = true;
}

void messages_quit(struct pane *p)
{
	struct messages_view *v = p->state;
	if (!v || v->queue != QUEUE_TASK)
		return;
	social_close(v);
	db_async_drain(v->app->db, 2000);
}
