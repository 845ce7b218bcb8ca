/* tui.c - the event loop: poll() over the terminal and the PostgreSQL
 * socket, keys turned into actions through the key table, dirty panes
 * redrawn with wnoutrefresh and a single doupdate. Nothing runs while
 * nothing happens: poll() sleeps until a key, a result or a notification
 * arrives (or, only while disconnected, until the next reconnect try). */
#include "ui/tui.h"

#include <errno.h>
#include <poll.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "model/social.h"
#include "model/campaign.h"
#include "ui/editor.h"
#include "ui/ui.h"

#define MIN_COLS 60
#define MIN_LINES 16

static const char *const screen_names[SCREEN_COUNT] = {
	"Businesses", "Campaigns", "Messages", "Users",
};

void app_message(struct app *app, bool is_error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	va_end(ap);
	app->message_is_error = is_error;
	app->chrome_dirty = true;
}

void app_set_position(struct app *app, const char *text)
{
	if (strcmp(app->position, text) != 0) {
		snprintf(app->position, sizeof app->position, "%s", text);
		app->chrome_dirty = true;
	}
}

void app_wake_at(struct app *app, long long at_ms)
{
	if (app->wake_at == 0 || at_ms < app->wake_at)
		app->wake_at = at_ms;
}

bool app_query(struct app *app, struct query *q, db_async_result_fn fn, void *ctx)
{
	struct error err = {{0}};
	int rc = db_async_send(app->db, q->sql.data, q->nparams,
			       (const char *const *)q->params, fn, ctx, &err);
	query_free(q);
	if (rc < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	return true;
}

void app_ask(struct app *app, const char *label, const char *initial,
	     bool (*done)(struct app *app, void *ctx, const char *text), void *ctx)
{
	prompt_open(&app->prompt, label, initial);
	app->prompt_kind = PROMPT_ASK;
	app->prompt_done = done;
	app->prompt_cancelled = NULL;
	app->prompt_ctx = ctx;
	app->chrome_dirty = true;
}

const struct config *app_config(struct app *app, struct error *err)
{
	if (app->config_read)
		return &app->config;
	/* A file with an error is read again once it may have been fixed,
	 * not on every key the preview redraws for. */
	long long now = db_async_now_ms();
	if (app->config_failed_at && now - app->config_failed_at < 2000) {
		*err = app->config_error;
		return NULL;
	}
	if (config_load_default(&app->config, err) < 0) {
		config_free(&app->config);
		app->config_error = *err;
		app->config_failed_at = now ? now : 1;
		return NULL;
	}
	app->config_read = true;
	return &app->config;
}

struct db *app_work_db(struct app *app, struct error *err)
{
	if (app->work_db && !db_ok(app->work_db)) {
		db_close(app->work_db);
		app->work_db = NULL;
	}
	if (!app->work_db)
		app->work_db = db_connect(app->conninfo, err);
	return app->work_db;
}

void app_ask_secret(struct app *app, const char *label,
		    bool (*done)(struct app *app, void *ctx, const char *text),
		    void (*cancelled)(struct app *app, void *ctx), void *ctx)
{
	app_ask(app, label, NULL, done, ctx);
	app->prompt.secret = true;
	app->prompt_cancelled = cancelled;
}

void app_confirm(struct app *app, const char *question,
		 bool (*done)(struct app *app, void *ctx, const char *text), void *ctx)
{
	char label[sizeof app->prompt.label];
	snprintf(label, sizeof label, "%s", question);
	prompt_open(&app->prompt, label, NULL);
	app->prompt_kind = PROMPT_CONFIRM;
	app->prompt_done = done;
	app->prompt_cancelled = NULL;
	app->prompt_ctx = ctx;
	app->chrome_dirty = true;
}

/* Every pane of every screen, for what they all hear: a change
 * notification, a reconnection, the end. */
#define ALL_PANES 7
static size_t all_panes(struct app *app, struct pane *out[ALL_PANES])
{
	struct pane *all[ALL_PANES] = {
		&app->businesses, &app->details, &app->campaigns,
		&app->templates, &app->preview, &app->messages, &app->users,
	};
	memcpy(out, all, sizeof all);
	return ALL_PANES;
}

/* ---------------------------------------------------------------- layout */

static void place(struct pane *p, int y, int x, int h, int w)
{
	if (p->win)
		delwin(p->win);
	p->y = y, p->x = x, p->h = h, p->w = w;
	p->win = newwin(h, w, y, x);
	p->dirty = true;
}

static void set_screen_panes(struct app *app)
{
	if (app->screen == SCREEN_BUSINESSES) {
		app->panes[0] = &app->businesses;
		app->panes[1] = &app->details;
		app->npanes = 2;
	} else if (app->screen == SCREEN_MESSAGES) {
		app->panes[0] = &app->messages;
		app->npanes = 1;
	} else if (app->screen == SCREEN_CAMPAIGNS) {
		app->panes[0] = &app->campaigns;
		app->panes[1] = &app->templates;
		app->panes[2] = &app->preview;
		app->npanes = 3;
	} else {
		app->panes[0] = &app->users;
		app->npanes = 1;
	}
	if (app->focus >= app->npanes)
		app->focus = 0;
	for (int i = 0; i < app->npanes; i++)
		app->panes[i]->focused = i == app->focus;
}

/* The campaign list on top, a few rows; the editor and the preview share
 * the rest, side by side when there is room, else one above the other. */
static void layout_campaigns(struct app *app, int body)
{
	int list_h = body / 4 < 4 ? 4 : body / 4;
	int rest = body - list_h - 1;	/* a blank line under the list */
	int top = 1 + list_h + 1;
	place(&app->campaigns, 1, 0, list_h, COLS);
	if (COLS >= 120) {
		int edit_w = COLS / 2;
		place(&app->templates, top, 0, rest, edit_w);
		place(&app->preview, top, edit_w + 1, rest, COLS - edit_w - 1);
	} else {
		int edit_h = rest * 3 / 5;
		place(&app->templates, top, 0, edit_h, COLS);
		place(&app->preview, top + edit_h, 0, rest - edit_h, COLS);
	}
}

static void layout(struct app *app)
{
	app->too_small = COLS < MIN_COLS || LINES < MIN_LINES;
	if (app->too_small)
		return;
	int body = LINES - 3;
	if (app->header)
		delwin(app->header), delwin(app->status), delwin(app->hints);
	app->header = newwin(1, COLS, 0, 0);
	app->status = newwin(1, COLS, LINES - 2, 0);
	app->hints = newwin(1, COLS, LINES - 1, 0);
	/* Wide terminals put details beside the list, others below it. */
	if (COLS >= 120) {
		int list_w = COLS * 3 / 5;
		place(&app->businesses, 1, 0, body, list_w);
		place(&app->details, 1, list_w + 1, body, COLS - list_w - 1);
	} else {
		int list_h = body * 3 / 5;
		place(&app->businesses, 1, 0, list_h, COLS);
		place(&app->details, 1 + list_h, 0, body - list_h, COLS);
	}
	place(&app->users, 1, 0, body, COLS);
	place(&app->messages, 1, 0, body, COLS);
	app->messages.ops->resize(&app->messages, app);
	layout_campaigns(app, body);
	app->businesses.ops->resize(&app->businesses, app);
	app->details.ops->resize(&app->details, app);
	app->chrome_dirty = true;
}

/* ---------------------------------------------------------------- drawing */

static void draw_header(struct app *app)
{
	WINDOW *w = app->header;
	wbkgdset(w, ' ' | theme_attr(ROLE_HEADER));
	werase(w);
	int x = 1;
	draw_text(w, 0, x, 9, "outreach", theme_attr(ROLE_HEADER));
	x += 10;
	for (int s = 0; s < SCREEN_COUNT; s++) {
		char label[32];
		snprintf(label, sizeof label, s == (int)app->screen ? "[%d %s]" : " %d %s ",
			 s + 1, screen_names[s]);
		int len = (int)strlen(label);
		if (x + len >= COLS)
			break;
		draw_text(w, 0, x, len, label, theme_attr(ROLE_HEADER) |
			  (s == (int)app->screen ? A_BOLD : 0));
		x += len + 1;
	}
	if (app->user) {
		int len = (int)strlen(app->user);
		if (x + len + 2 < COLS)
			draw_text(w, 0, COLS - len - 1, len, app->user, theme_attr(ROLE_HEADER));
	}
	wnoutrefresh(w);
}

static void draw_status(struct app *app)
{
	WINDOW *w = app->status;
	wbkgdset(w, ' ' | theme_attr(ROLE_STATUS_BAR));
	werase(w);
	char left[256];
	snprintf(left, sizeof left, " %s | %s | %s | %s %s%s%s", app->db_state,
		 app->user ? app->user : "-", screen_names[app->screen],
		 app->position, app->job_state[0] ? "| " : "", app->job_state,
		 app->job_state[0] ? " " : "");
	int lw = (int)strlen(left);
	if (lw > COLS)
		lw = COLS;
	bool disconnected = strncmp(app->db_state, "disconnected", 12) == 0;
	draw_text(w, 0, 0, lw, left, disconnected ? (int)(theme_attr(ROLE_ERROR) | A_REVERSE)
						  : theme_attr(ROLE_STATUS_BAR));
	if (app->message[0] && COLS - lw > 4)
		draw_text(w, 0, lw, COLS - lw, app->message, app->message_is_error ?
			  (int)(theme_attr(ROLE_ERROR) | A_REVERSE) : theme_attr(ROLE_STATUS_BAR));
	wnoutrefresh(w);
}

static void draw_hints(struct app *app)
{
	WINDOW *w = app->hints;
	werase(w);
	if (app->prompt.active) {
		prompt_draw(&app->prompt, w, 0, COLS);
		wnoutrefresh(w);
		return;
	}
	size_t n;
	const struct key_binding *b = keys_table(&n);
	bool editing = app->npanes && app->panes[app->focus]->ops->key;
	int x = 0;
	for (size_t i = 0; i < n; i++) {
		const char *hint = b[i].hint;
		if (!keys_hint_shown(&b[i], app->screen, editing))
			continue;
		char key[16];
		keys_name(b[i].key, key, sizeof key);
		int need = (int)strlen(key) + (int)strlen(hint) + 2;
		if (x + need > COLS)
			break;
		draw_text(w, 0, x, (int)strlen(key), key, theme_attr(ROLE_HINT_KEY));
		x += (int)strlen(key) + 1;
		draw_text(w, 0, x, (int)strlen(hint), hint, theme_attr(ROLE_HINT));
		x += (int)strlen(hint) + 1;
	}
	wnoutrefresh(w);
}

/* Lines of the ? overlay: bindings sharing a help text share a line. */
static int help_line_count(const struct app *app)
{
	size_t n;
	const struct key_binding *b = keys_table(&n);
	const char *last = NULL;
	int lines = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i].screen != app->screen && b[i].screen != SCREEN_ANY)
			continue;
		if (!last || strcmp(last, b[i].help) != 0)
			lines++;
		last = b[i].help;
	}
	return lines;
}

/* The ? overlay: every key of the current screen, from the key table. */
static void draw_help(struct app *app)
{
	size_t n;
	const struct key_binding *b = keys_table(&n);
	int h = LINES - 4, w = COLS - 8;
	WINDOW *win = newwin(h, w, 2, 4);
	werase(win);
	box(win, 0, 0);
	char title[64];
	snprintf(title, sizeof title, " Keys: %s ", screen_names[app->screen]);
	draw_text(win, 0, 2, (int)strlen(title), title, theme_attr(ROLE_TITLE));
	int y = 1, skip = app->help_scroll, lines = 0;
	const char *last_help = NULL;
	for (size_t i = 0; i < n; i++) {
		if (b[i].screen != app->screen && b[i].screen != SCREEN_ANY)
			continue;
		/* Bindings sharing a help line are listed on one line. */
		if (last_help && strcmp(last_help, b[i].help) == 0)
			continue;
		last_help = b[i].help;
		lines++;
		if (skip-- > 0 || y >= h - 1)
			continue;
		char keys_text[64] = "";
		for (size_t j = i; j < n; j++)
			if (strcmp(b[j].help, b[i].help) == 0 &&
			    (b[j].screen == app->screen || b[j].screen == SCREEN_ANY)) {
				char k[16];
				keys_name(b[j].key, k, sizeof k);
				if (strstr(keys_text, k) && strlen(k) > 1)
					continue;
				if (keys_text[0])
					strncat(keys_text, " ", sizeof keys_text - strlen(keys_text) - 1);
				strncat(keys_text, k, sizeof keys_text - strlen(keys_text) - 1);
			}
		draw_text(win, y, 2, 20, keys_text, theme_attr(ROLE_HINT_KEY));
		draw_text(win, y, 23, w - 25, b[i].help, A_NORMAL);
		y++;
	}
	draw_text(win, h - 1, 2, w - 4, lines > h - 2 ?
		  " j/k scroll, any other key closes " : " any key closes ",
		  theme_attr(ROLE_DIM));
	wnoutrefresh(win);
	delwin(win);
}

static void render(struct app *app)
{
	if (app->redraw_all) {
		clearok(curscr, TRUE);
		app->redraw_all = false;
	}
	if (app->too_small) {
		erase();
		char text[96];
		snprintf(text, sizeof text, "terminal too small: %dx%d, need %dx%d",
			 COLS, LINES, MIN_COLS, MIN_LINES);
		mvaddnstr(LINES / 2, 0, text, COLS);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	bool any = false;
	for (int i = 0; i < app->npanes; i++) {
		struct pane *p = app->panes[i];
		if (p->dirty || app->help_open) {
			p->ops->draw(p, app);
			wnoutrefresh(p->win);
			p->dirty = false;
			any = true;
		}
	}
	if (app->chrome_dirty || any) {
		draw_header(app);
		draw_status(app);
		draw_hints(app);
		app->chrome_dirty = false;
	}
	if (app->help_open)
		draw_help(app);
	curs_set(app->prompt.active ? 1 : 0);
	doupdate();
}

static bool needs_render(const struct app *app)
{
	if (app->chrome_dirty || app->help_open || app->too_small)
		return true;
	for (int i = 0; i < app->npanes; i++)
		if (app->panes[i]->dirty)
			return true;
	return false;
}

/* ---------------------------------------------------------------- actions */

static struct pane *focused(struct app *app)
{
	return app->panes[app->focus];
}

static void switch_screen(struct app *app, enum ui_screen s)
{
	if (app->screen == SCREEN_CAMPAIGNS && s != SCREEN_CAMPAIGNS)
		campaigns_hidden(&app->campaigns, app);
	app->screen = s;
	app->focus = 0;
	set_screen_panes(app);
	for (int i = 0; i < app->npanes; i++)
		app->panes[i]->dirty = true;
	app->chrome_dirty = true;
	/* Copied to the virtual screen now, under the panes drawn next: left
	 * touched, the next key read (wget_wch on stdscr) would refresh the
	 * blank stdscr over them. */
	touchwin(stdscr);
	/* The blank line between panes keeps what another screen drew. */
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (s == SCREEN_CAMPAIGNS)
		campaigns_shown(&app->campaigns, app);
	else if (s == SCREEN_BUSINESSES)
		businesses_shown(&app->businesses, app);
	else if (s == SCREEN_USERS)
		users_shown(&app->users, app);
	else
		app_set_position(app, "");
}

void app_focus(struct app *app, int index)
{
	app->focus = index % app->npanes;
	for (int i = 0; i < app->npanes; i++) {
		app->panes[i]->focused = i == app->focus;
		app->panes[i]->dirty = true;
	}
}

static void remember_command(struct app *app, const char *text)
{
	if (!*text)
		return;
	if (app->history_count == (int)(sizeof app->history / sizeof app->history[0])) {
		free(app->history[0]);
		memmove(app->history, app->history + 1,
			(size_t)(app->history_count - 1) * sizeof app->history[0]);
		app->history_count--;
	}
	app->history[app->history_count++] = xstrdup(text);
}

static char saved_search[sizeof ((struct app *)0)->search];

static void set_search(struct app *app, const char *text)
{
	snprintf(app->search, sizeof app->search, "%s", text ? text : "");
	businesses_set_search(&app->businesses, app, app->search);
	app->chrome_dirty = true;
}

static bool quit_anyway(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	(void)text;
	app->quit = true;
	return true;
}

/* Unsaved template text is asked about rather than lost, and a job
 * running in the background is not stopped or waited for without asking. */
static void request_quit(struct app *app)
{
	const struct campaign *c = template_pane_campaign(&app->templates);
	char question[160];
	if (c && template_pane_modified(&app->templates)) {
		snprintf(question, sizeof question, "Quit and lose the unsaved "
			 "changes to \"%.60s\"? (y/n) ", c->name);
		app_confirm(app, question, quit_anyway, NULL);
	} else if (job_running(app)) {
		job_quit_question(app, question, sizeof question);
		app_confirm(app, question, quit_anyway, NULL);
	} else {
		app->quit = true;
	}
}

static void run_command(struct app *app, char *text)
{
	remember_command(app, text);
	char *cmd = strtok(text, " ");
	char *arg = strtok(NULL, "");
	while (arg && *arg == ' ')
		arg++;
	if (!cmd)
		return;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0) {
		request_quit(app);
	} else if (strcmp(cmd, "help") == 0) {
		app->help_open = true;
	} else if (strcmp(cmd, "import") == 0) {
		transfer_import(app, arg);
	} else if (strcmp(cmd, "export") == 0) {
		transfer_export(app, businesses_status_filter(&app->businesses), arg);
	} else if (strcmp(cmd, "stop") == 0 ||
		   (strcmp(cmd, "scan") == 0 && arg && strcmp(arg, "stop") == 0)) {
		if (job_stop(app)) {
			char what[128];
			job_leaving_message(app, what, sizeof what);
			app_message(app, false, "%s", what);
		} else
			app_message(app, true, job_running(app) ? "this job "
				    "cannot be stopped; it ends by itself" :
				    "nothing is running in the background");
	} else if (strcmp(cmd, "scan") == 0) {
		transfer_scan_filter(app);
	} else if (app->screen == SCREEN_CAMPAIGNS &&
		   campaigns_command(&app->campaigns, app, cmd, arg)) {
		/* done */
	} else if (strcmp(cmd, "search") == 0) {
		set_search(app, arg);
	} else if (strcmp(cmd, "suppress") == 0) {
		suppress_command(app, arg);
	} else if (!businesses_command(&app->businesses, app, cmd, arg)) {
		app_message(app, true, "unknown command ':%s' (try :status S, :sort K, "
			    ":search TEXT, :scan, :stop, :suppress [ADDRESS], :q)", cmd);
	}
}

static void prompt_history(struct app *app, int step)
{
	struct prompt *p = &app->prompt;
	if (app->history_count == 0)
		return;
	int pos = p->history_pos < 0 ? app->history_count : p->history_pos;
	pos += step;
	if (pos < 0)
		pos = 0;
	if (pos >= app->history_count) {
		p->history_pos = -1;
		p->text[0] = '\0';
		p->len = p->cursor = 0;
		return;
	}
	p->history_pos = pos;
	snprintf(p->text, sizeof p->text, "%s", app->history[pos]);
	p->len = p->cursor = strlen(p->text);
}


/* A password typed at the prompt leaves no copy behind. */
static void wipe_prompt(struct prompt *p)
{
	sodium_memzero(p->text, sizeof p->text);
	p->len = p->cursor = 0;
}

static void prompt_input(struct app *app, int key)
{
	if (app->prompt_kind == PROMPT_COMMAND &&
	    (key == UI_FKEY(KEY_UP) || key == UI_FKEY(KEY_DOWN))) {
		prompt_history(app, key == UI_FKEY(KEY_UP) ? -1 : 1);
		app->chrome_dirty = true;
		return;
	}
	if (app->prompt_kind == PROMPT_CONFIRM) {
		app->prompt.active = false;
		app->prompt_kind = PROMPT_NONE;
		app->chrome_dirty = true;
		if (key == 'y' || key == 'Y')
			app->prompt_done(app, app->prompt_ctx, "y");
		else
			app_message(app, false, "cancelled");
		return;
	}
	enum prompt_result r = prompt_key(&app->prompt, key);
	app->chrome_dirty = true;
	if (app->prompt_kind == PROMPT_ASK) {
		bool secret = app->prompt.secret;
		if (r == PROMPT_DONE) {
			char text[sizeof app->prompt.text];
			snprintf(text, sizeof text, "%s", app->prompt.text);
			if (secret)
				wipe_prompt(&app->prompt);
			app->prompt_kind = PROMPT_NONE;
			if (!app->prompt_done(app, app->prompt_ctx, text) &&
			    app->prompt_kind == PROMPT_NONE && !secret) {
				/* Keep what was typed so it can be corrected. */
				app->prompt.active = true;
				app->prompt_kind = PROMPT_ASK;
			}
			sodium_memzero(text, sizeof text);
		} else if (r == PROMPT_CANCEL) {
			if (secret)
				wipe_prompt(&app->prompt);
			app_message(app, false, "cancelled");
			if (app->prompt_cancelled)
				app->prompt_cancelled(app, app->prompt_ctx);
		}
	} else if (app->prompt_kind == PROMPT_SEARCH) {
		if (r == PROMPT_CHANGED)
			set_search(app, app->prompt.text);
		else if (r == PROMPT_CANCEL)
			set_search(app, saved_search);
	} else if (r == PROMPT_DONE) {
		char text[sizeof app->prompt.text];
		snprintf(text, sizeof text, "%s", app->prompt.text);
		run_command(app, text);
	}
	if (!app->prompt.active)
		app->prompt_kind = PROMPT_NONE;
}

static void global_action(struct app *app, enum ui_action act)
{
	switch (act) {
	case ACT_QUIT:
		if (app->focus != 0)
			app_focus(app, 0);
		else
			request_quit(app);
		break;
	case ACT_HELP:
		app->help_open = true;
		break;
	case ACT_REDRAW:
		app->redraw_all = true;
		for (int i = 0; i < app->npanes; i++)
			app->panes[i]->dirty = true;
		app->chrome_dirty = true;
		break;
	case ACT_SCREEN_1: case ACT_SCREEN_2: case ACT_SCREEN_3: case ACT_SCREEN_4:
		switch_screen(app, (enum ui_screen)(act - ACT_SCREEN_1));
		break;
	case ACT_SWITCH_PANE:
		app_focus(app, app->focus + 1);
		break;
	case ACT_OPEN:
		if (app->npanes > 1)
			app_focus(app, 1);
		break;
	case ACT_CLEAR:
		if (app->search[0])
			set_search(app, "");
		break;
	case ACT_IMPORT:
		transfer_import(app, NULL);
		break;
	case ACT_EXPORT:
		transfer_export(app, businesses_status_filter(&app->businesses), NULL);
		break;
	case ACT_SCAN:
		transfer_scan(app, businesses_selected_id(&app->businesses));
		break;
	case ACT_COMMAND:
		prompt_open(&app->prompt, ":", NULL);
		app->prompt_kind = PROMPT_COMMAND;
		app->chrome_dirty = true;
		break;
	case ACT_BACK:
		app_focus(app, 0);
		break;
	case ACT_SEARCH:
		if (app->screen != SCREEN_BUSINESSES)
			break;
		snprintf(saved_search, sizeof saved_search, "%s", app->search);
		prompt_open(&app->prompt, "/", app->search);
		app->prompt_kind = PROMPT_SEARCH;
		app->chrome_dirty = true;
		break;
	default:
		/* The Campaigns screen's keys work from any of its panes. */
		if (app->screen == SCREEN_CAMPAIGNS && focused(app) != &app->campaigns)
			app->campaigns.ops->action(&app->campaigns, app, act);
		break;
	}
}

/* ---------------------------------------------------------------- input */

static void handle_mouse(struct app *app)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			focused(app)->ops->action(focused(app), app, ACT_UP);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			focused(app)->ops->action(focused(app), app, ACT_DOWN);
	} else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) {
		for (int i = 0; i < app->npanes; i++) {
			struct pane *p = app->panes[i];
			if (ev.y >= p->y && ev.y < p->y + p->h && ev.x >= p->x &&
			    ev.x < p->x + p->w) {
				app_focus(app, i);
				if (p == &app->businesses)
					businesses_click(p, app, ev.y - p->y);
			}
		}
	}
}

static enum ui_action handle_key(struct app *app, int key)
{
	if (key == UI_FKEY(KEY_RESIZE)) {
		layout(app);
		app->redraw_all = true;
		return ACT_NONE;
	}
	if (app->too_small)
		return key == 'q' ? (app->quit = true, ACT_QUIT) : ACT_NONE;
	if (app->prompt.active) {
		prompt_input(app, key);
		return ACT_SEARCH;
	}
	if (app->help_open && (key == 'j' || key == UI_FKEY(KEY_DOWN))) {
		if (app->help_scroll + (LINES - 6) < help_line_count(app))
			app->help_scroll++;
		return ACT_HELP;
	}
	if (app->help_open && (key == 'k' || key == UI_FKEY(KEY_UP))) {
		if (app->help_scroll > 0)
			app->help_scroll--;
		return ACT_HELP;
	}
	if (app->help_open) {
		app->help_open = false;
		app->help_scroll = 0;
		for (int i = 0; i < app->npanes; i++)
			app->panes[i]->dirty = true;
		touchwin(stdscr);
		wnoutrefresh(stdscr);
		return ACT_HELP;
	}
	if (key == UI_FKEY(KEY_MOUSE)) {
		handle_mouse(app);
		return ACT_NONE;
	}
	struct pane *f = focused(app);
	if (f->ops->key && f->ops->key(f, app, key))
		return ACT_EDIT;
	const struct key_binding *b = keys_lookup(app->screen, key);
	if (!b)
		return ACT_NONE;
	if (!focused(app)->ops->action(focused(app), app, b->action))
		global_action(app, b->action);
	return b->action;
}

/* Reads every key already waiting, so a burst of keys over a slow link
 * costs one repaint, not one per key. */
static int read_keys(struct app *app, int *keys, int max)
{
	int n = 0;
	wint_t ch;
	int r;
	while (n < max && (r = wget_wch(stdscr, &ch)) != ERR) {
		keys[n++] = r == KEY_CODE_YES ? UI_FKEY((int)ch) : (int)ch;
	}
	(void)app;
	return n;
}

/* ---------------------------------------------------------------- trace */

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct trace_batch {
	long long started;
	enum ui_action actions[64];
	int count;
	bool waiting_for_data;
};

static const char *action_name(enum ui_action a)
{
	static const char *const names[] = {
		"none", "down", "up", "top", "bottom", "page-down", "page-up",
		"search", "next-match", "prev-match", "filter", "sort", "open",
		"switch-pane", "screen-1", "screen-2", "screen-3", "screen-4",
		"edit", "add", "delete", "primary", "status", "clear", "import", "export",
		"scan",
		"command", "redraw", "help", "quit",
		"platform", "mark-opened", "mark-replied", "mark-failed", "retry",
		"queue", "copy", "link", "skip",
		"generate", "schedule", "start", "pause", "resume", "cancel",
		"prev-business", "next-business", "save", "undo", "redo",
		"external-edit", "back",
	};
	return (unsigned)a < sizeof names / sizeof names[0] ? names[a] : "?";
}

/* "key ACTION us": key read to doupdate returned. "ready ACTION us": key
 * read to the repaint after the data it asked for arrived. */
static void trace_rendered(struct app *app, struct trace_batch *t)
{
	if (!app->trace || t->count == 0)
		return;
	long long elapsed = now_us() - t->started;
	if (!t->waiting_for_data) {
		for (int i = 0; i < t->count; i++)
			fprintf(app->trace, "key %s %lld\n", action_name(t->actions[i]),
				elapsed);
		t->waiting_for_data = true;
	}
	if (db_async_pending(app->db) == 0) {
		fprintf(app->trace, "ready %s %lld\n",
			action_name(t->actions[t->count - 1]), elapsed);
		fflush(app->trace);
		t->count = 0;
		t->waiting_for_data = false;
	}
}

/* ---------------------------------------------------------------- loop */

static void on_notify(void *ctx, const char *payload)
{
	struct app *app = ctx;
	char table[64];
	const char *colon = strchr(payload, ':');
	size_t len = colon ? (size_t)(colon - payload) : strlen(payload);
	if (len >= sizeof table)
		return;
	memcpy(table, payload, len);
	table[len] = '\0';
	int id = colon ? atoi(colon + 1) : 0;
	struct pane *all[ALL_PANES];
	size_t n = all_panes(app, all);
	for (size_t i = 0; i < n; i++)
		all[i]->ops->notify(all[i], app, table, id);
}

static void on_state(void *ctx, enum db_async_state st, const char *message)
{
	struct app *app = ctx;
	bool was_lost = strncmp(app->db_state, "disconnected", 12) == 0;
	switch (st) {
	case DB_ASYNC_CONNECTING:
		if (!was_lost)
			snprintf(app->db_state, sizeof app->db_state, "connecting");
		break;
	case DB_ASYNC_READY:
		snprintf(app->db_state, sizeof app->db_state, "connected");
		if (was_lost) {
			app_message(app, false, "reconnected to the database");
			struct pane *all[ALL_PANES];
			size_t n = all_panes(app, all);
			for (size_t i = 0; i < n; i++)
				all[i]->ops->reconnected(all[i], app);
		}
		break;
	case DB_ASYNC_DISCONNECTED:
		snprintf(app->db_state, sizeof app->db_state,
			 "disconnected — retrying");
		if (!was_lost)
			app_message(app, true, "lost the database: %s", message);
		break;
	}
	app->chrome_dirty = true;
}

static void start_curses(void)
{
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	theme_init();
	wnoutrefresh(stdscr);
}

static void app_free(struct app *app)
{
	/* First, while the panes live: queries still queued are answered
	 * with an error, and the panes free what they held for them. */
	db_async_free(app->db);
	app->db = NULL;
	struct pane *all[ALL_PANES];
	size_t n = all_panes(app, all);
	for (size_t i = 0; i < n; i++) {
		all[i]->ops->destroy(all[i]);
		if (all[i]->win)
			delwin(all[i]->win);
	}
	if (app->header)
		delwin(app->header), delwin(app->status), delwin(app->hints);
	for (int i = 0; i < app->history_count; i++)
		free(app->history[i]);
	db_close(app->work_db);
	config_free(&app->config);
	if (app->trace)
		fclose(app->trace);
}

/* Timers exist so a pane can coalesce a burst of notifications into a
 * few refreshes a second; they run only while one is asked for. */
static void run_timers(struct app *app)
{
	long long now = db_async_now_ms();
	if (!app->wake_at || now < app->wake_at)
		return;
	app->wake_at = 0;
	struct pane *all[] = {&app->businesses, &app->details, &app->messages};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i]->ops->timer)
			all[i]->ops->timer(all[i], app, now);
}

static void wait_for_events(struct app *app)
{
	struct pollfd fds[3] = {
		{.fd = STDIN_FILENO, .events = POLLIN},
		{.fd = job_fd(app), .events = POLLIN},
		{.fd = db_async_fd(app->db), .events = db_async_events(app->db)},
	};
	/* poll() skips negative descriptors: no job, or no connection. */
	nfds_t nfds = 3;
	long long now = db_async_now_ms();
	int timeout = db_async_timeout(app->db, now);
	if (app->wake_at) {
		long long left = app->wake_at > now ? app->wake_at - now : 0;
		if (timeout < 0 || left < timeout)
			timeout = (int)left;
	}
	int rc = poll(fds, nfds, timeout);
	if (rc < 0 && errno != EINTR)
		return;
	/* The terminal went away (an SSH connection dropped): leave rather
	 * than spin on a descriptor that is always "readable". */
	if (rc > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
		app->quit = true;
		return;
	}
	/* EINTR is usually SIGWINCH: the key read below sees KEY_RESIZE. */
	if (rc > 0 && fds[1].fd >= 0 && fds[1].revents)
		job_update(app);
	db_async_tick(app->db, fds[2].fd >= 0 && rc > 0 ? fds[2].revents : 0,
		      db_async_now_ms());
	run_timers(app);
}

/* Fills app->actor from the options or the login screen; curses is up.
 * Returns 0 to go on, 1 when the user quit, -1 with err. */
static int log_in(struct app *app, const struct tui_options *opts,
		  struct error *err)
{
	if (opts->actor) {
		app->actor = *opts->actor;
		return 0;
	}
	if (!opts->login_db)
		return error_set(err, "no database connection to log in with");
	return login_screen(opts->login_db, opts->user, &app->actor, err);
}

int tui_run(const struct tui_options *opts, struct error *err)
{
	struct app *app = xcalloc(1, sizeof *app);
	app->conninfo = opts->conninfo;
	const char *trace = getenv("OUTREACH_TRACE");
	if (trace && *trace && !(app->trace = fopen(trace, "w"))) {
		free(app);
		return error_set(err, "cannot write the trace file %s", trace);
	}
	start_curses();
	int rc = log_in(app, opts, err);
	db_close(opts->login_db);
	if (rc != 0) {
		endwin();
		if (app->trace)
			fclose(app->trace);
		free(app);
		return rc < 0 ? -1 : 0;
	}
	app->user = app->actor.name;
	snprintf(app->db_state, sizeof app->db_state, "connecting");
	businesses_pane_init(&app->businesses, app);
	details_pane_init(&app->details, app);
	users_pane_init(&app->users, app);
	messages_pane_init(&app->messages, app);
	social_claim_name(app->actor.name, app->claim);
	campaigns_pane_init(&app->campaigns, app);
	template_pane_init(&app->templates, app);
	preview_pane_init(&app->preview, app);
	struct db_async_hooks hooks = {app, on_notify, on_state};
	app->db = db_async_new_named(opts->conninfo, app->claim,
				     DB_CHANGES_CHANNEL, &hooks);
	set_screen_panes(app);
	layout(app);
	businesses_start(&app->businesses, app);
	struct trace_batch batch = {0};
	while (!app->quit) {
		if (needs_render(app)) {
			render(app);
			trace_rendered(app, &batch);
		}
		wait_for_events(app);
		int keys[64];
		int n = read_keys(app, keys, 64);
		if (n > 0 && batch.count == 0)
			batch.started = now_us(), batch.waiting_for_data = false;
		for (int i = 0; i < n && !app->quit; i++) {
			enum ui_action a = handle_key(app, keys[i]);
			if (batch.count < 64)
				batch.actions[batch.count++] = a;
		}
		if (batch.count && !needs_render(app))
			trace_rendered(app, &batch);
		editor_take_control_keys(focused(app)->ops->key != NULL && !app->quit);
	}
	messages_quit(&app->messages);
	if (job_running(app)) {
		char leaving[128];
		job_leaving_message(app, leaving, sizeof leaving);
		app_message(app, false, "%s", leaving);
		render(app);
		job_finish(app);
	}
	endwin();
	app_free(app);
	free(app);
	return 0;
}
