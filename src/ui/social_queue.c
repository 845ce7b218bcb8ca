/* social_queue.c - the manual social queue on the Messages screen: one
 * task at a time with its profile URL and text, copied to the user's own
 * clipboard with OSC 52 (it works over SSH), the URL made clickable with
 * OSC 8, then marked sent, failed or skipped. Claims are this session's
 * (see model/social.h), so two people never get the same task. */
#include "ui/messages_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/termseq.h"
#include "core/xalloc.h"

/* Skipped tasks are remembered for this session only, up to this many. */
#define MAX_SKIPPED 4096

static void claim_next(struct messages_view *v);

static void set_task(struct messages_view *v, struct social_task *t)
{
	social_task_free(&v->task);
	free(v->link);
	v->task = *t;
	v->link = link_url_clean(t->address);
	v->queue = QUEUE_TASK;
}

static void on_claimed(void *ctx, PGresult *res, const struct error *err)
{
	struct messages_view *v = ctx;
	struct social_task t;
	int got = res ? social_claim_parse(res, &t) : -1;
	if (got < 0) {
		v->queue = QUEUE_IDLE;
		app_message(v->app, true, "cannot claim a task: %s", err->msg);
	} else if (got == 0) {
		v->queue = QUEUE_EMPTY;
	} else if (t.suppressed) {
		/* Failed by the claim itself; tell, then take the next one. */
		v->suppressed_seen++;
		app_message(v->app, false, "task %d skipped and marked failed: %s",
			    t.id, t.suppressed);
		social_task_free(&t);
		v->queue = QUEUE_IDLE;
		claim_next(v);
	} else {
		set_task(v, &t);
	}
	messages_result_done(v);
}

static void claim_next(struct messages_view *v)
{
	if (v->queue == QUEUE_LOADING)
		return;
	struct query q = {0};
	struct error err = {{0}};
	if (social_claim_query(&q, &v->app->actor, v->app->claim, v->queue_campaign,
			       v->skipped, v->nskipped, &err) < 0) {
		app_message(v->app, true, "%s", err.msg);
		v->queue = QUEUE_IDLE;
		return;
	}
	if (messages_send(v, &q, on_claimed, v))
		v->queue = QUEUE_LOADING;
	v->pane->dirty = true;
}

void social_open(struct messages_view *v, int campaign_id)
{
	struct error err = {{0}};
	if (permission_require(&v->app->actor, PERM_MARK_MESSAGES, &err) < 0) {
		app_message(v->app, true, "%s", err.msg);
		return;
	}
	if (v->queue_campaign != campaign_id && v->queue == QUEUE_TASK)
		social_close(v);
	v->queue_campaign = campaign_id;
	if (v->queue != QUEUE_TASK)
		v->queue = QUEUE_IDLE;
	messages_set_mode(v, VIEW_QUEUE);
}

/* Changes elsewhere matter only while waiting for work. */
void social_refresh(struct messages_view *v)
{
	if (v->queue == QUEUE_IDLE || v->queue == QUEUE_EMPTY)
		claim_next(v);
}

static void on_released(void *ctx, PGresult *res, const struct error *err)
{
	struct messages_view *v = ctx;
	(void)res;
	(void)err;	/* a claim already gone is what was wanted */
	messages_result_done(v);
}

static void release_task(struct messages_view *v)
{
	struct query q = {0};
	struct error err = {{0}};
	if (social_release_query(&q, &v->app->actor, v->app->claim, v->task.id,
				 &err) == 0)
		messages_send(v, &q, on_released, v);
	social_task_free(&v->task);
	v->queue = QUEUE_IDLE;
}

void social_close(struct messages_view *v)
{
	if (v->queue == QUEUE_TASK)
		release_task(v);
}

/* ---------------------------------------------------------------- marks */

static void on_marked(void *ctx, PGresult *res, const struct error *err)
{
	struct messages_view *v = ctx;
	struct message_mark m = {v->task.id, v->ask_in_queue ? MESSAGE_FAILED :
				 MESSAGE_SENT, "-", v->app->claim};
	struct error why = {{0}};
	if (!res) {
		app_message(v->app, true, "not marked: %s", err->msg);
		v->queue = QUEUE_TASK;
	} else if (message_mark_parse(res, &m, &why) < 0) {
		app_message(v->app, true, "%s", why.msg);
		social_task_free(&v->task);
		v->queue = QUEUE_IDLE;
		claim_next(v);
	} else {
		app_message(v->app, false, "task %d marked %s", m.id,
			    message_status_name(m.to));
		social_task_free(&v->task);
		v->queue = QUEUE_IDLE;
		claim_next(v);
	}
	messages_result_done(v);
}

static void mark_task(struct messages_view *v, enum message_status to,
		      const char *reason)
{
	struct message_mark m = {v->task.id, to, reason, v->app->claim};
	struct query q = {0};
	struct error err = {{0}};
	if (message_mark_query(&q, &v->app->actor, &m, &err) < 0) {
		app_message(v->app, true, "%s", err.msg);
		return;
	}
	v->ask_in_queue = to == MESSAGE_FAILED;
	if (messages_send(v, &q, on_marked, v))
		v->queue = QUEUE_LOADING;
}

static bool task_failed(struct app *app, void *ctx, const char *text)
{
	struct messages_view *v = ctx;
	if (!*text) {
		app_message(app, true, "say why it failed (Esc cancels)");
		return false;
	}
	if (v->queue == QUEUE_TASK && v->task.id == v->ask_id)
		mark_task(v, MESSAGE_FAILED, text);
	return true;
}

static void skip_task(struct messages_view *v)
{
	if (v->queue == QUEUE_EMPTY && v->nskipped) {
		v->nskipped = 0;	/* go through the skipped ones again */
		claim_next(v);
		return;
	}
	if (v->queue != QUEUE_TASK)
		return;
	if (v->nskipped < MAX_SKIPPED) {
		v->skipped = xreallocarray(v->skipped, v->nskipped + 1,
					   sizeof *v->skipped);
		v->skipped[v->nskipped++] = v->task.id;
	}
	app_message(v->app, false, "task %d skipped", v->task.id);
	release_task(v);
	claim_next(v);
}

/* ---------------------------------------------------------------- terminal */

static void write_all(const char *data, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, data, n);
		if (w <= 0)
			return;
		data += w;
		n -= (size_t)w;
	}
}

static bool terminal_takes_osc(void)
{
	const char *term = getenv("TERM");
	return term && *term && strcmp(term, "dumb") != 0 &&
		strcmp(term, "linux") != 0 && strncmp(term, "vt", 2) != 0;
}

static void copy_text(struct messages_view *v)
{
	const char *text = v->task.content ? v->task.content : "";
	size_t n = strlen(text);
	if (!terminal_takes_osc() || n > 60000) {
		app_message(v->app, true, "%s: select the text shown above and copy "
			    "it by hand", n > 60000 ? "too long for a clipboard "
			    "escape" : "this terminal cannot set the clipboard");
		return;
	}
	enum term_mux mux = getenv("TMUX") ? TERM_MUX_TMUX :
		getenv("STY") ? TERM_MUX_SCREEN : TERM_MUX_NONE;
	struct buf seq = {0};
	osc52_append(&seq, text, n, mux);
	/* Curses has flushed everything it drew: the sequence goes out whole,
	 * and it moves no cursor, so curses' idea of the screen holds. */
	write_all(seq.data, seq.len);
	buf_free(&seq);
	app_message(v->app, false, "copied %zu bytes to your clipboard (OSC 52); "
		    "if nothing arrived, your terminal blocks it: select the "
		    "text above", n);
}

static void show_link(struct messages_view *v)
{
	if (!v->link || !*v->link || v->link_y < 0)
		return;
	if (!terminal_takes_osc()) {
		app_message(v->app, true, "this terminal shows no links: copy the "
			    "URL by hand");
		return;
	}
	struct buf seq = {0};
	/* Over the URL already drawn: the same text, now a link. The cursor
	 * is saved and restored, so curses' idea of it stays true. */
	buf_printf(&seq, "\0337\033[%d;%dH", v->link_y + 1, v->link_x + 1);
	osc8_append(&seq, v->link, v->link);
	buf_puts(&seq, "\0338");
	write_all(seq.data, seq.len);
	buf_free(&seq);
	app_message(v->app, false, "the profile URL is now a link: Ctrl- or "
		    "Cmd-click it (if your terminal supports OSC 8)");
}

/* ---------------------------------------------------------------- drawing */

void social_draw(struct messages_view *v, WINDOW *w, int h, int width)
{
	char title[400];
	snprintf(title, sizeof title, "Social queue — %s",
		 v->queue_campaign && v->queue == QUEUE_TASK ? v->task.campaign_name :
		 v->queue_campaign ? "this campaign" : "all campaigns");
	draw_text(w, 0, 0, width, title, theme_attr(ROLE_TITLE) | A_BOLD);
	app_set_position(v->app, "social queue");
	v->link_y = -1;
	if (v->queue == QUEUE_LOADING || v->queue == QUEUE_IDLE) {
		draw_text(w, 2, 2, width - 4, "claiming a task…", theme_attr(ROLE_DIM));
		return;
	}
	if (v->queue == QUEUE_EMPTY) {
		draw_text(w, 2, 2, width - 4, "No task is waiting. New ones appear "
			  "here by themselves while campaigns with social "
			  "platforms are sending.", theme_attr(ROLE_DIM));
		if (v->nskipped) {
			char more[128];
			snprintf(more, sizeof more, "%zu task%s you skipped %s left: n "
				 "shows them again.", v->nskipped, v->nskipped == 1 ?
				 "" : "s", v->nskipped == 1 ? "is" : "are");
			draw_text(w, 3, 2, width - 4, more, A_NORMAL);
		}
		draw_text(w, h - 1, 0, width, "q back", theme_attr(ROLE_DIM));
		return;
	}
	const struct social_task *t = &v->task;
	char line[160];
	snprintf(line, sizeof line, "task %d", t->id);
	app_set_position(v->app, line);
	snprintf(line, sizeof line, "task %d · %s", t->id, t->platform);
	draw_text(w, 1, 2, width - 4, line, theme_attr(ROLE_DIM));
	draw_text(w, 2, 2, 10, "Business:", theme_attr(ROLE_TITLE));
	draw_text(w, 2, 12, width - 14, t->business_name, A_NORMAL);
	draw_text(w, 3, 2, 10, "Profile:", theme_attr(ROLE_TITLE));
	draw_text(w, 3, 12, width - 14, v->link, A_UNDERLINE);
	v->link_y = v->pane->y + 3;
	v->link_x = v->pane->x + 12;
	draw_text(w, 5, 2, width - 4, "Text to send (c copies it):",
		  theme_attr(ROLE_TITLE));
	messages_draw_wrapped(w, 6, 2, width - 4, h - 8, t->content, A_NORMAL);
	draw_text(w, h - 1, 0, width, "Enter sent · x failed · n skip · c copy "
		  "text · u link · q back", theme_attr(ROLE_HINT));
}

bool social_action(struct messages_view *v, enum ui_action act)
{
	bool busy = v->queue == QUEUE_LOADING;
	switch (act) {
	case ACT_OPEN:
		if (!busy && v->queue == QUEUE_TASK)
			mark_task(v, MESSAGE_SENT, NULL);
		return true;
	case ACT_MARK_FAILED:
		if (!busy && v->queue == QUEUE_TASK) {
			char label[96];
			snprintf(label, sizeof label, "Why did task %d fail? ", v->task.id);
			v->ask_id = v->task.id;
			app_ask(v->app, label, NULL, task_failed, v);
		}
		return true;
	case ACT_SKIP:
		if (!busy)
			skip_task(v);
		return true;
	case ACT_COPY:
		if (v->queue == QUEUE_TASK)
			copy_text(v);
		return true;
	case ACT_LINK:
		if (v->queue == QUEUE_TASK)
			show_link(v);
		return true;
	case ACT_QUEUE:
		return true;
	case ACT_MARK_OPENED: case ACT_MARK_REPLIED: case ACT_RETRY:
		app_message(v->app, false, "a task is sent (Enter), failed (x) or "
			    "skipped (n); opens and replies are marked in the list");
		return true;
	default:
		return false;
	}
}

void social_free(struct messages_view *v)
{
	social_task_free(&v->task);
	free(v->link);
	v->link = NULL;
	free(v->skipped);
	v->skipped = NULL;
	v->nskipped = 0;
}
