/* message_list.c - one campaign's messages, a keyset page at a time and
 * filtered by status and platform, and one message in full: its text,
 * times, last error and history. Marks (o, r, x, R) act on the selected
 * message through the same model statements as `outreach messages`. */
#include "ui/messages_view.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

enum page_kind { PAGE_RELOAD, PAGE_NEXT, PAGE_PREV, PAGE_LAST_ROWS };

struct page_ctx {
	struct messages_view *v;
	enum page_kind kind;
	int campaign;
};

static int page_rows(const struct messages_view *v)
{
	return v->pane->h > 3 ? v->pane->h - 2 : 1;	/* title + columns */
}

static void on_page(void *ctx, PGresult *res, const struct error *err)
{
	struct page_ctx *c = ctx;
	struct messages_view *v = c->v;
	v->list_loading = false;
	if (!res) {
		app_message(v->app, true, "cannot load messages: %s", err->msg);
	} else if (c->campaign == v->list_campaign) {
		struct message_row *rows;
		size_t n;
		message_page_parse(res, c->kind == PAGE_PREV || c->kind == PAGE_LAST_ROWS,
				   &rows, &n);
		int keep = v->nrows ? v->rows[v->cursor].id : 0;
		if (n == 0 && (c->kind == PAGE_NEXT || c->kind == PAGE_PREV)) {
			/* Nothing beyond this page: stay. */
			if (c->kind == PAGE_NEXT)
				v->at_end = true;
			message_rows_free(rows, n);
		} else {
			message_rows_free(v->rows, v->nrows);
			v->rows = rows;
			v->nrows = n;
			v->at_end = n < (size_t)page_rows(v) && c->kind != PAGE_PREV;
			if (c->kind == PAGE_NEXT)
				v->cursor = 0;
			else if (c->kind == PAGE_PREV || c->kind == PAGE_LAST_ROWS)
				v->cursor = n ? n - 1 : 0;
			else {
				size_t was = v->cursor;
				v->cursor = n && was < n ? was : (n ? n - 1 : 0);
				for (size_t i = 0; i < n; i++)
					if (rows[i].id == keep)
						v->cursor = i;
			}
		}
	}
	free(c);
	messages_result_done(v);
}

static void send_page(struct messages_view *v, enum page_kind kind, int after,
		      int before)
{
	struct page_ctx *c = xcalloc(1, sizeof *c);
	*c = (struct page_ctx){v, kind, v->list_campaign};
	struct query q = {0};
	message_page_query(&q, &v->filter, after, before, page_rows(v));
	if (messages_send(v, &q, on_page, c))
		v->list_loading = true;
	else
		free(c);
}

void message_list_refresh(struct messages_view *v)
{
	/* The page from its first row on, so rows stay where they are. */
	int after = v->nrows ? v->rows[0].id - 1 : 0;
	send_page(v, PAGE_RELOAD, after, 0);
}

void message_list_open(struct messages_view *v, int campaign_id,
		       const char *campaign_name)
{
	if (v->list_campaign != campaign_id) {
		message_rows_free(v->rows, v->nrows);
		v->rows = NULL;
		v->nrows = v->cursor = 0;
		v->filter = (struct message_filter){campaign_id, -1, -1};
	}
	v->list_campaign = campaign_id;
	snprintf(v->list_campaign_name, sizeof v->list_campaign_name, "%s",
		 campaign_name);
	messages_set_mode(v, VIEW_LIST);
}

static void describe_filter(const struct messages_view *v, char *out, size_t len)
{
	snprintf(out, len, "status %s, platform %s",
		 v->filter.status >= 0 ? message_status_name(v->filter.status) : "all",
		 v->filter.platform >= 0 ? message_platform_name(v->filter.platform) :
		 "all");
}

static void reload_filtered(struct messages_view *v)
{
	message_rows_free(v->rows, v->nrows);
	v->rows = NULL;
	v->nrows = v->cursor = 0;
	char what[96];
	describe_filter(v, what, sizeof what);
	app_message(v->app, false, "messages: %s", what);
	send_page(v, PAGE_RELOAD, 0, 0);
}

void message_list_draw(struct messages_view *v, WINDOW *w, int h, int width)
{
	char title[400], what[96];
	describe_filter(v, what, sizeof what);
	snprintf(title, sizeof title, "%s — messages (%s)", v->list_campaign_name,
		 what);
	draw_text(w, 0, 0, width, title, theme_attr(ROLE_TITLE) | A_BOLD);
	int name_w = width >= 100 ? 28 : 18;
	char cols[200];
	snprintf(cols, sizeof cols, "%7s %-*s %-9s %-7s %-19s %s", "ID", name_w,
		 "Business", "Platform", "Status", "When", "To / last error");
	draw_text(w, 1, 0, width, cols, theme_attr(ROLE_TITLE));
	for (size_t i = 0; i < v->nrows && (int)i < h - 2; i++) {
		const struct message_row *r = &v->rows[i];
		int attr = i == v->cursor ? theme_attr(ROLE_SELECTED) : (int)A_NORMAL;
		int y = 2 + (int)i;
		char id[16];
		snprintf(id, sizeof id, "%7d ", r->id);
		draw_text(w, y, 0, 8, id, attr);
		draw_text(w, y, 8, name_w + 1, "", attr);
		draw_text(w, y, 8, name_w, r->business_name, attr);
		int x = 9 + name_w;
		draw_text(w, y, x, 10, r->platform, attr);
		draw_text(w, y, x + 10, 8, r->status, attr |
			  (strcmp(r->status, "failed") == 0 ? theme_attr(ROLE_ERROR) : 0));
		draw_text(w, y, x + 18, 20, r->when, attr);
		const char *last = strcmp(r->status, "failed") == 0 && r->last_error ?
			r->last_error : r->address;
		draw_text(w, y, x + 38, width - x - 38, last, attr);
	}
	if (v->nrows == 0)
		draw_text(w, 3, 2, width - 4, v->list_loading ? "loading…" :
			  "No message matches. f and p change the filters; q goes back.",
			  theme_attr(ROLE_DIM));
	char pos[64];
	snprintf(pos, sizeof pos, "message %d", v->nrows ? v->rows[v->cursor].id : 0);
	app_set_position(v->app, pos);
}

static void move_cursor(struct messages_view *v, long delta)
{
	if (v->nrows == 0 || v->list_loading)
		return;
	long at = (long)v->cursor + delta;
	if (at >= (long)v->nrows) {
		if (!v->at_end)
			send_page(v, PAGE_NEXT, v->rows[v->nrows - 1].id, 0);
		at = (long)v->nrows - 1;
	} else if (at < 0) {
		send_page(v, PAGE_PREV, 0, v->rows[0].id);
		at = 0;
	}
	v->cursor = (size_t)at;
	v->pane->dirty = true;
}

static void open_detail(struct messages_view *v, int id)
{
	if (v->detail_id != id) {
		message_detail_free(&v->detail);
		v->detail_loaded = false;
		v->detail_scroll = 0;
	}
	v->detail_id = id;
	messages_set_mode(v, VIEW_DETAIL);
}

bool message_list_action(struct messages_view *v, enum ui_action act)
{
	int id = v->nrows ? v->rows[v->cursor].id : 0;
	switch (act) {
	case ACT_DOWN: move_cursor(v, 1); return true;
	case ACT_UP: move_cursor(v, -1); return true;
	case ACT_PAGE_DOWN:
		if (v->nrows && !v->at_end && !v->list_loading)
			send_page(v, PAGE_NEXT, v->rows[v->nrows - 1].id, 0);
		return true;
	case ACT_PAGE_UP:
		if (v->nrows && !v->list_loading)
			send_page(v, PAGE_PREV, 0, v->rows[0].id);
		return true;
	case ACT_TOP:
		send_page(v, PAGE_RELOAD, 0, 0);
		return true;
	case ACT_BOTTOM:
		send_page(v, PAGE_LAST_ROWS, 0, INT_MAX);
		return true;
	case ACT_FILTER:
		v->filter.status = v->filter.status + 1 >= MESSAGE_STATUS_COUNT ? -1 :
			v->filter.status + 1;
		reload_filtered(v);
		return true;
	case ACT_PLATFORM:
		v->filter.platform = v->filter.platform + 1 >= MESSAGE_PLATFORM_COUNT ?
			-1 : v->filter.platform + 1;
		reload_filtered(v);
		return true;
	case ACT_OPEN:
		if (id)
			open_detail(v, id);
		return true;
	case ACT_QUEUE:
		social_open(v, v->list_campaign);
		return true;
	case ACT_MARK_OPENED: case ACT_MARK_REPLIED: case ACT_MARK_FAILED:
	case ACT_RETRY:
		if (id)
			message_mark_selected(v, id, act);
		return true;
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- marks */

struct mark_ctx {
	struct messages_view *v;
	struct message_mark mark;
	char reason[512];
	bool retry;
};

static void on_marked(void *ctx, PGresult *res, const struct error *err)
{
	struct mark_ctx *c = ctx;
	struct messages_view *v = c->v;
	struct error why = {{0}};
	bool reopened = false;
	if (!res)
		app_message(v->app, true, "not changed: %s", err->msg);
	else if (c->retry ? message_retry_parse(res, c->mark.id, &reopened, &why) < 0 :
		 message_mark_parse(res, &c->mark, &why) < 0)
		app_message(v->app, true, "%s", why.msg);
	else if (c->retry)
		app_message(v->app, false, "message %d is pending again%s", c->mark.id,
			    reopened ? "; its campaign is sending again" : "");
	else
		app_message(v->app, false, "message %d marked %s", c->mark.id,
			    message_status_name(c->mark.to));
	free(c);
	messages_result_done(v);
}

static void send_mark(struct messages_view *v, int id, enum message_status to,
		      const char *reason, bool retry)
{
	struct mark_ctx *c = xcalloc(1, sizeof *c);
	c->v = v;
	c->retry = retry;
	snprintf(c->reason, sizeof c->reason, "%s", reason ? reason : "");
	c->mark = (struct message_mark){id, to, reason ? c->reason : NULL, NULL};
	struct query q = {0};
	struct error err = {{0}};
	int rc = retry ? message_retry_query(&q, &v->app->actor, id, &err) :
		message_mark_query(&q, &v->app->actor, &c->mark, &err);
	if (rc < 0) {
		app_message(v->app, true, "%s", err.msg);
		free(c);
		return;
	}
	if (!messages_send(v, &q, on_marked, c))
		free(c);
}

static bool failed_reason(struct app *app, void *ctx, const char *text)
{
	struct messages_view *v = ctx;
	if (!*text) {
		app_message(app, true, "say why it failed (Esc cancels)");
		return false;
	}
	send_mark(v, v->ask_id, MESSAGE_FAILED, text, false);
	return true;
}

void message_mark_selected(struct messages_view *v, int id, enum ui_action act)
{
	struct error err = {{0}};
	if (permission_require(&v->app->actor, act == ACT_RETRY ? PERM_SEND :
			       PERM_MARK_MESSAGES, &err) < 0) {
		app_message(v->app, true, "%s", err.msg);
		return;
	}
	switch (act) {
	case ACT_MARK_OPENED:
		send_mark(v, id, MESSAGE_OPENED, NULL, false);
		break;
	case ACT_MARK_REPLIED:
		send_mark(v, id, MESSAGE_REPLIED, NULL, false);
		break;
	case ACT_RETRY:
		send_mark(v, id, MESSAGE_PENDING, NULL, true);
		break;
	case ACT_MARK_FAILED: {
		char label[96];
		snprintf(label, sizeof label, "Why did message %d fail? ", id);
		v->ask_id = id;
		app_ask(v->app, label, NULL, failed_reason, v);
		break;
	}
	default:
		break;
	}
}

/* ---------------------------------------------------------------- detail */

static void on_detail(void *ctx, PGresult *res, const struct error *err)
{
	struct page_ctx *c = ctx;
	struct messages_view *v = c->v;
	if (!res) {
		app_message(v->app, true, "cannot load message: %s", err->msg);
	} else if (c->campaign == v->detail_id) {
		struct message_detail d;
		if (message_detail_parse(res, &d)) {
			/* Keep the history until its own query answers. */
			d.events = v->detail.events;
			d.event_count = v->detail.event_count;
			v->detail.events = NULL;
			v->detail.event_count = 0;
			message_detail_free(&v->detail);
			v->detail = d;
			v->detail_loaded = true;
		} else {
			app_message(v->app, true, "message %d no longer exists",
				    v->detail_id);
		}
	}
	free(c);
	messages_result_done(v);
}

static void on_events(void *ctx, PGresult *res, const struct error *err)
{
	struct page_ctx *c = ctx;
	struct messages_view *v = c->v;
	if (res && c->campaign == v->detail_id) {
		for (size_t i = 0; i < v->detail.event_count; i++) {
			free(v->detail.events[i].at);
			free(v->detail.events[i].event);
			free(v->detail.events[i].detail);
			free(v->detail.events[i].actor);
		}
		free(v->detail.events);
		message_events_parse(res, &v->detail);
	} else if (!res) {
		app_message(v->app, true, "cannot load the history: %s", err->msg);
	}
	free(c);
	messages_result_done(v);
}

void message_detail_refresh(struct messages_view *v)
{
	struct query q = {0};
	struct page_ctx *c = xcalloc(1, sizeof *c);
	*c = (struct page_ctx){v, PAGE_RELOAD, v->detail_id};
	message_detail_query(&q, v->detail_id);
	if (!messages_send(v, &q, on_detail, c))
		free(c);
	c = xcalloc(1, sizeof *c);
	*c = (struct page_ctx){v, PAGE_RELOAD, v->detail_id};
	message_events_query(&q, v->detail_id);
	if (!messages_send(v, &q, on_events, c))
		free(c);
}

/* Lines of the detail view: label and value, or a block of text. */
static void detail_field(struct buf *out, const char *label, const char *value)
{
	/* The longest label is "Message-ID:": every value starts after it. */
	buf_printf(out, "%-11s %s\n", label, value);
}

static void detail_lines(const struct message_detail *d, struct buf *out)
{
	buf_printf(out, "Message %d — %s\n", d->id, d->status);
	char *campaign = xasprintf("%s (%s)", d->campaign_name, d->campaign_status);
	detail_field(out, "Campaign:", campaign);
	free(campaign);
	detail_field(out, "Business:", d->business_name);
	char *to = xasprintf("%s %s", d->platform, d->address);
	detail_field(out, "To:", to);
	free(to);
	const char *fields[][2] = {
		{"Sent:", d->sent_at}, {"Opened:", d->opened_at},
		{"Replied:", d->replied_at}, {"Failed:", d->failed_at},
		{"Next try:", d->next_attempt_at},
		{"Last error:", d->last_error}, {"Message-ID:", d->message_id_header},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i][1])
			detail_field(out, fields[i][0], fields[i][1]);
	char attempts[16];
	snprintf(attempts, sizeof attempts, "%d", d->attempts);
	detail_field(out, "Attempts:", attempts);
	if (d->claimed_by) {
		char *claim = xasprintf("by %s since %s", d->claimed_by,
					d->claimed_at);
		detail_field(out, "Claimed:", claim);
		free(claim);
	}
	if (d->subject && *d->subject)
		detail_field(out, "Subject:", d->subject);
	buf_printf(out, "\n%s\n\nHistory:\n", d->content ? d->content : "");
	if (d->event_count == 0)
		buf_puts(out, "  (no change since it was generated)\n");
	for (size_t i = 0; i < d->event_count; i++)
		buf_printf(out, "  %s  %-9s %s%s%s%s\n", d->events[i].at,
			   d->events[i].event, d->events[i].actor ? "by " : "",
			   d->events[i].actor ? d->events[i].actor : "",
			   d->events[i].detail && d->events[i].actor ? ": " : "",
			   d->events[i].detail ? d->events[i].detail : "");
}

void message_detail_draw(struct messages_view *v, WINDOW *w, int h, int width)
{
	if (!v->detail_loaded) {
		draw_text(w, 1, 2, width - 4, "loading…", theme_attr(ROLE_DIM));
		return;
	}
	struct buf text = {0};
	detail_lines(&v->detail, &text);
	buf_append(&text, "", 0);
	/* Skip the scrolled-off lines of the text. */
	const char *p = text.data;
	for (size_t i = 0; i < v->detail_scroll && *p; i++) {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	int used = messages_draw_wrapped(w, 0, 1, width - 2, h, p, A_NORMAL);
	(void)used;
	mvwchgat(w, 0, 0, width, A_BOLD, 0, NULL);
	buf_free(&text);
	char pos[64];
	snprintf(pos, sizeof pos, "message %d", v->detail_id);
	app_set_position(v->app, pos);
}

bool message_detail_action(struct messages_view *v, enum ui_action act)
{
	switch (act) {
	case ACT_DOWN:
		v->detail_scroll++;
		v->pane->dirty = true;
		return true;
	case ACT_UP:
		if (v->detail_scroll)
			v->detail_scroll--;
		v->pane->dirty = true;
		return true;
	case ACT_TOP:
		v->detail_scroll = 0;
		v->pane->dirty = true;
		return true;
	case ACT_MARK_OPENED: case ACT_MARK_REPLIED: case ACT_MARK_FAILED:
	case ACT_RETRY:
		message_mark_selected(v, v->detail_id, act);
		return true;
	case ACT_OPEN:
		return true;
	default:
		return false;
	}
}

void message_list_free(struct messages_view *v)
{
	message_rows_free(v->rows, v->nrows);
	v->rows = NULL;
	v->nrows = 0;
	message_detail_free(&v->detail);
}
