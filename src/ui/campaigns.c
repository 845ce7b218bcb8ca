/* campaigns.c - the Campaigns screen's list: every campaign with its status,
 * audience and progress, read on the event-loop connection (the audience
 * sizes, a pass over the businesses each, fill in as they come) and
 * refreshed when campaigns or messages change; and the lifecycle started
 * from it (new, generate, schedule, start, pause, resume, cancel). The
 * model does that work and checks the rights on the screen's short-lived
 * blocking connection; its refusals go to the status line as they are. */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/db.h"
#include "model/campaign.h"

struct campaign_list {
	struct app *app;
	struct campaign_summary *rows;
	size_t count;
	size_t cursor, top;
	bool loaded;		/* read at least once */
	bool stale;		/* changes arrived while the screen was hidden */
	int shown_business;	/* the Businesses selection last previewed */
	bool progress_in_flight, progress_again;
	bool list_in_flight, list_again;
	char *keep;		/* the campaign to select when the list comes */
	bool open_on_load;	/* ... and to open in the editor */
};

static const char *selected_name(const struct campaign_list *l)
{
	return l->count ? l->rows[l->cursor].name : NULL;
}

static void update_position(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	char text[64];
	snprintf(text, sizeof text, "%zu of %zu", l->count ? l->cursor + 1 : 0,
		 l->count);
	app_set_position(app, text);
}

/* Opens the selected campaign in the editor, unless that would lose edits. */
static void open_selected(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	if (l->count)
		template_pane_open(&app->templates, app, selected_name(l));
}

static void load_list(struct pane *p, struct app *app, const char *name);

/* An audience's size, as it arrives: the result names its campaign. */
static void on_audience(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct campaign_list *l = p->state;
	(void)err;	/* cancelled by a newer list, or shown as not counted */
	struct audience_size size;
	int id = res ? audience_size_parse(res, &size) : -1;
	for (size_t i = 0; id > 0 && i < l->count; i++)
		if (l->rows[i].id == id) {
			l->rows[i].audience = size.messages;
			p->dirty = true;
		}
}

static void on_list(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct campaign_list *l = p->state;
	struct app *app = l->app;
	l->list_in_flight = false;
	if (l->list_again) {
		l->list_again = false;
		load_list(p, app, NULL);
		return;
	}
	if (!res) {
		app_message(app, true, "cannot list the campaigns: %s", err->msg);
		return;
	}
	struct campaign_summary *rows;
	size_t count;
	campaign_list_parse(res, &rows, &count);
	campaign_list_free(l->rows, l->count);
	l->rows = rows;
	l->count = count;
	l->loaded = true;
	l->cursor = 0;
	for (size_t i = 0; l->keep && i < count; i++)
		if (strcmp(rows[i].name, l->keep) == 0)
			l->cursor = i;
	free(l->keep);
	l->keep = NULL;
	p->dirty = true;
	update_position(p, app);
	if (l->open_on_load) {
		l->open_on_load = false;
		open_selected(p, app);
	}
	/* Each audience costs a pass over the businesses: asked one by one,
	 * filled in as they come, while the list is already in use; and only
	 * while the screen shows them (else when it is shown next). */
	if (app->screen != SCREEN_CAMPAIGNS) {
		l->stale = true;
		return;
	}
	for (size_t i = 0; i < count; i++) {
		if (rows[i].audience != CAMPAIGN_AUDIENCE_UNCOUNTED)
			continue;
		struct query q = {0};
		audience_size_query(&q, rows[i].id, &rows[i].who);
		app_query(app, &q, on_audience, p);
	}
}

/* Asks for the list on the event-loop connection; the cursor stays on its
 * campaign (or goes to name) when it comes. Counts still running for an
 * older list are dropped. */
static void load_list(struct pane *p, struct app *app, const char *name)
{
	struct campaign_list *l = p->state;
	/* A name asked for earlier and not shown yet outranks the cursor. */
	if (name) {
		free(l->keep);
		l->keep = xstrdup(name);
	} else if (!l->keep && selected_name(l)) {
		l->keep = xstrdup(selected_name(l));
	}
	l->stale = false;
	db_async_cancel(app->db, on_audience, p);
	if (l->list_in_flight) {
		l->list_again = true;
		return;
	}
	struct query q = {0};
	campaign_list_query(&q);
	if (app_query(app, &q, on_list, p))
		l->list_in_flight = true;
}

void campaigns_reload(struct pane *p, struct app *app)
{
	load_list(p, app, NULL);
}

void campaigns_shown(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	bool first = !l->loaded && !l->list_in_flight;
	if (first)
		l->open_on_load = true;
	if (first || l->stale)
		load_list(p, app, NULL);
	update_position(p, app);
	int business = businesses_selected_id(&app->businesses);
	if (business > 0 && business != l->shown_business) {
		l->shown_business = business;
		preview_show_business(&app->preview, app, business);
	}
}

void campaigns_hidden(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	for (size_t i = 0; i < l->count; i++)
		if (l->rows[i].audience == CAMPAIGN_AUDIENCE_UNCOUNTED) {
			db_async_cancel(app->db, on_audience, p);
			l->stale = true;
			return;
		}
}

static void move_cursor(struct pane *p, struct app *app, long delta)
{
	struct campaign_list *l = p->state;
	if (!l->count)
		return;
	long at = (long)l->cursor + delta;
	if (at < 0)
		at = 0;
	if (at >= (long)l->count)
		at = (long)l->count - 1;
	if ((size_t)at == l->cursor)
		return;
	l->cursor = (size_t)at;
	p->dirty = true;
	update_position(p, app);
	open_selected(p, app);
}

/* ---------------------------------------------------------------- lifecycle */

static struct campaign_actor acting(struct app *app)
{
	return (struct campaign_actor){app->actor.name, &app->actor};
}

/* The first line of a model report (template errors), for the status line. */
static const char *first_line(struct buf *report)
{
	if (!report->data)
		return "";
	char *nl = strchr(report->data, '\n');
	if (nl)
		*nl = '\0';
	return report->data;
}

static void apply(struct pane *p, struct app *app, enum campaign_action action,
		  const char *start_at)
{
	struct campaign_list *l = p->state;
	if (!l->count) {
		app_message(app, true, "no campaign selected");
		return;
	}
	char *name = xstrdup(selected_name(l));
	struct error err = {{0}};
	struct db *db = app_work_db(app, &err);
	struct campaign_actor actor = acting(app);
	struct campaign_transition_result t;
	struct buf report = {0};
	if (!db || campaign_apply(db, &actor, name, action, start_at, &t, &report,
				  &err) < 0) {
		const char *first = first_line(&report);
		app_message(app, true, "%s%s%s", err.msg, *first ? ": " : "", first);
	} else {
		app_message(app, false, "\"%s\": %s -> %s%s", name,
			    campaign_status_name(t.from), campaign_status_name(t.to),
			    t.to == CAMPAIGN_COMPLETED ? " (no pending message was left)" : "");
		load_list(p, app, name);
	}
	buf_free(&report);
	free(name);
}

static bool ask_schedule_done(struct app *app, void *ctx, const char *text)
{
	apply(ctx, app, CAMPAIGN_SCHEDULE, *text ? text : NULL);
	return true;
}

static bool confirm_cancel_done(struct app *app, void *ctx, const char *text)
{
	(void)text;
	apply(ctx, app, CAMPAIGN_CANCEL, NULL);
	return true;
}

/* ---- g: generation, as a background job (job.c) ---- */

struct generate_data {
	struct pane *pane;
	char *name;
	struct actor who;
	char *sender_name, *unsubscribe_url;
	struct audience_generate_report r;
	struct buf report;		/* template errors, when refused */
};

static void on_generated(long done, long total, void *arg)
{
	struct job *j = arg;
	if (total > 0)
		job_progress(j, "generating %ld of %ld", done, total);
	else
		job_progress(j, "generating %ld", done);
}

static int generate_run(struct job *j, struct db *db, struct error *err)
{
	struct generate_data *d = job_data(j);
	struct campaign_actor actor = {d->who.name, &d->who};
	struct audience_sender sender = {d->sender_name, d->unsubscribe_url};
	return campaign_generate(db, &actor, d->name, &sender, on_generated, j,
				 &d->r, &d->report, err);
}

static void generate_done_job(struct app *app, void *data, int rc,
			      const struct error *err)
{
	struct generate_data *d = data;
	const struct audience_generate_report *r = &d->r;
	if (rc < 0 && strstr(err->msg, DB_STOPPED)) {
		app_message(app, false, "generation cancelled: no message was "
			    "generated");
		return;
	}
	if (rc < 0) {
		const char *first = first_line(&d->report);
		app_message(app, true, "nothing generated: %s%s%s", err->msg,
			    *first ? ": " : "", first);
		return;
	}
	app_message(app, false, "generated %ld message%s for \"%s\", skipped "
		    "%ld (%ld suppressed, %ld already generated, %ld no "
		    "contact)", r->generated, r->generated == 1 ? "" : "s",
		    d->name, r->suppressed + r->already + r->no_contact,
		    r->suppressed, r->already, r->no_contact);
	load_list(d->pane, app, d->name);
}

static void generate_free(void *data)
{
	struct generate_data *d = data;
	free(d->name);
	free(d->sender_name);
	free(d->unsubscribe_url);
	buf_free(&d->report);
	free(d);
}

/* One transaction: :stop (or quitting) cancels it and keeps nothing. */
static const struct job_kind generate_kind = {
	"a generation", JOB_STOP_ROLLS_BACK, generate_run, generate_done_job, generate_free,
};

/* Generation can take minutes on a large audience: it runs in the
 * background, its count in the status line. */
static bool generate_done(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct campaign_list *l = p->state;
	(void)text;
	if (!l->count)
		return true;
	struct error err = {{0}};
	/* The sender settings come from outreach.conf, as for the commands. */
	const struct config *cfg = app_config(app, &err);
	if (!cfg) {
		app_message(app, true, "nothing generated: %s", err.msg);
		return true;
	}
	struct audience_sender sender = audience_sender_from_config(cfg);
	struct generate_data *d = xcalloc(1, sizeof *d);
	d->pane = p;
	d->name = xstrdup(selected_name(l));
	d->who = app->actor;
	d->sender_name = sender.name ? xstrdup(sender.name) : NULL;
	d->unsubscribe_url = sender.unsubscribe_url ?
			     xstrdup(sender.unsubscribe_url) : NULL;
	if (!job_start(app, &generate_kind, d, "generating"))
		generate_free(d);
	return true;
}

/* The selected campaign, for an action that works on what is saved:
 * NULL (and says why) when none is selected or its text is unsaved. */
static const struct campaign_summary *saved_selection(struct pane *p,
						      struct app *app,
						      const char *hint)
{
	struct campaign_list *l = p->state;
	if (!l->count) {
		app_message(app, true, "no campaign selected");
		return NULL;
	}
	if (template_pane_modified(&app->templates)) {
		app_message(app, true, "the template has unsaved changes: %s", hint);
		return NULL;
	}
	return &l->rows[l->cursor];
}

static void ask_generate(struct pane *p, struct app *app)
{
	const struct campaign_summary *s =
		saved_selection(p, app, "Ctrl-S saves them before generating");
	if (!s)
		return;
	char question[200];
	if (s->audience >= 0) {
		char audience[32];
		snprintf(question, sizeof question, "Generate the messages of "
			 "\"%.60s\" for its audience of %s? (y/n) ", s->name,
			 format_count(s->audience, false, audience, sizeof audience));
	} else {
		snprintf(question, sizeof question, "Generate the messages of "
			 "\"%.60s\"? (y/n) ", s->name);
	}
	app_confirm(app, question, generate_done, p);
}

static bool create_done(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	if (!*text) {
		app_message(app, true, "a campaign needs a name");
		return false;
	}
	if (template_pane_modified(&app->templates)) {
		app_message(app, true, "the open template has unsaved changes: "
			    "Ctrl-S saves them, :reload drops them");
		return true;
	}
	struct error err = {{0}};
	struct db *db = app_work_db(app, &err);
	struct campaign_actor actor = acting(app);
	struct audience audience;
	audience_default(&audience);
	struct buf report = {0};
	char *name = xstrdup(text);
	int rc = db ? campaign_create(db, &actor, name, "", "", &audience, &report,
				      &err) : -1;
	buf_free(&report);
	audience_free(&audience);
	if (rc < 0) {
		app_message(app, true, "%s", err.msg);
		free(name);
		return false;	/* keep the name to correct it */
	}
	template_pane_open(&app->templates, app, name);
	load_list(p, app, name);
	app_focus(app, 1);
	app_message(app, false, "created the draft \"%s\": write its body here, "
		    "Ctrl-S saves", name);
	free(name);
	return true;
}

/* ---------------------------------------------------------------- commands */

static void start_action(struct pane *p, struct app *app, enum campaign_action a)
{
	struct campaign_list *l = p->state;
	if (!l->count) {
		app_message(app, true, "no campaign selected");
		return;
	}
	if (a == CAMPAIGN_SCHEDULE) {
		app_ask(app, "Start at (e.g. 2030-03-01 09:00; empty: the next send "
			"run): ", "", ask_schedule_done, p);
	} else if (a == CAMPAIGN_CANCEL) {
		char question[160];
		snprintf(question, sizeof question, "Cancel \"%.60s\" for good? Its "
			 "pending messages will never be sent. (y/n) ",
			 selected_name(l));
		app_confirm(app, question, confirm_cancel_done, p);
	} else {
		apply(p, app, a, NULL);
	}
}

static bool delete_done(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct campaign_list *l = p->state;
	(void)text;
	if (!l->count)
		return true;
	char *name = xstrdup(selected_name(l));
	struct error err = {{0}};
	struct db *db = app_work_db(app, &err);
	struct campaign_actor actor = acting(app);
	long messages = 0;
	if (!db || campaign_delete(db, &actor, name, &messages, &err) < 0) {
		app_message(app, true, "%s", err.msg);
	} else {
		app_message(app, false, "deleted \"%s\" and its %ld unsent "
			    "message%s", name, messages, messages == 1 ? "" : "s");
		/* The cursor moves to a neighbour, and the editor with it. */
		size_t next = l->cursor + 1 < l->count ? l->cursor + 1 :
			      l->cursor ? l->cursor - 1 : l->cursor;
		l->open_on_load = true;
		load_list(p, app, next != l->cursor ? l->rows[next].name : NULL);
	}
	free(name);
	return true;
}

/* :delete - a campaign that never sent anything, after asking. */
static void ask_delete(struct pane *p, struct app *app)
{
	const struct campaign_summary *s =
		saved_selection(p, app, "Ctrl-S saves them, :reload drops them");
	if (!s)
		return;
	char question[200];
	snprintf(question, sizeof question, "Delete the campaign \"%.60s\" and "
		 "its %ld unsent messages? (y/n) ", s->name, s->total);
	app_confirm(app, question, delete_done, p);
}

bool campaigns_command(struct pane *p, struct app *app, const char *cmd,
		       const char *arg)
{
	int action = campaign_action_from_name(cmd);
	if (action == CAMPAIGN_SCHEDULE && arg && *arg)
		apply(p, app, CAMPAIGN_SCHEDULE, arg);
	else if (action >= 0)
		start_action(p, app, (enum campaign_action)action);
	else if (strcmp(cmd, "new") == 0)
		arg && *arg ? (void)create_done(app, p, arg) :
			app_ask(app, "New campaign name: ", "", create_done, p);
	else if (strcmp(cmd, "generate") == 0)
		ask_generate(p, app);
	else if (strcmp(cmd, "edit") == 0)
		template_pane_external(&app->templates, app);
	else if (strcmp(cmd, "reload") == 0)
		template_pane_reload(&app->templates, app);
	else if (strcmp(cmd, "delete") == 0)
		ask_delete(p, app);
	else
		return false;
	return true;
}

static bool list_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct campaign_list *l = p->state;
	long page = p->h > 2 ? p->h - 2 : 1;
	switch (act) {
	case ACT_DOWN: move_cursor(p, app, 1); return true;
	case ACT_UP: move_cursor(p, app, -1); return true;
	case ACT_PAGE_DOWN: move_cursor(p, app, page); return true;
	case ACT_PAGE_UP: move_cursor(p, app, -page); return true;
	case ACT_TOP: move_cursor(p, app, -(long)l->cursor); return true;
	case ACT_BOTTOM: move_cursor(p, app, (long)l->count); return true;
	case ACT_OPEN:
	case ACT_EDIT:
		if (!l->count)
			return true;
		if (template_pane_open(&app->templates, app, selected_name(l)))
			app_focus(app, 1);
		return true;
	case ACT_ADD:
		app_ask(app, "New campaign name: ", "", create_done, p);
		return true;
	case ACT_GENERATE: ask_generate(p, app); return true;
	case ACT_SCHEDULE: start_action(p, app, CAMPAIGN_SCHEDULE); return true;
	case ACT_START: start_action(p, app, CAMPAIGN_START); return true;
	case ACT_PAUSE: start_action(p, app, CAMPAIGN_PAUSE); return true;
	case ACT_RESUME: start_action(p, app, CAMPAIGN_RESUME); return true;
	case ACT_CANCEL: start_action(p, app, CAMPAIGN_CANCEL); return true;
	case ACT_PREV_BUSINESS:
	case ACT_NEXT_BUSINESS:
		preview_step(&app->preview, app, act == ACT_NEXT_BUSINESS);
		return true;
	case ACT_EXTERNAL_EDIT:
		template_pane_external(&app->templates, app);
		return true;
	case ACT_SAVE:
	case ACT_UNDO:
	case ACT_REDO:
		return app->templates.ops->action(&app->templates, app, act);
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- drawing */

struct columns {
	int name, status, audience, progress, failed;
};

static struct columns columns(int width)
{
	struct columns c = {0, 10, 9, 15, width >= 90 ? 8 : 0};
	c.name = width - c.status - c.audience - c.progress - c.failed - 4;
	if (c.name < 8)
		c.name = 8;
	return c;
}

static void draw_row(WINDOW *w, int y, int width, const char *cells[5], int attr)
{
	struct columns c = columns(width);
	const int widths[5] = {c.name, c.status, c.audience, c.progress, c.failed};
	int x = 0;
	for (int i = 0; i < 5 && x < width; i++) {
		if (!widths[i])
			continue;
		int cw = x + widths[i] + 1 > width ? width - x : widths[i] + 1;
		draw_text(w, y, x, cw, cells[i], attr);
		x += widths[i] + 1;
	}
}

static void list_draw(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	(void)app;
	werase(p->win);
	const char *titles[5] = {"Campaign", "Status", " Audience", "  Sent/Total",
				 " Failed"};
	draw_row(p->win, 0, p->w, titles, p->focused ? theme_attr(ROLE_TITLE) :
		 theme_attr(ROLE_DIM));
	int rows = p->h - 1;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (rows > 0 && l->cursor >= l->top + (size_t)rows)
		l->top = l->cursor - (size_t)rows + 1;
	for (int i = 0; i < rows && l->top + (size_t)i < l->count; i++) {
		const struct campaign_summary *s = &l->rows[l->top + (size_t)i];
		char audience[32] = "-", progress[64], failed[32];
		if (s->audience >= 0)
			format_count(s->audience, false, audience, sizeof audience);
		else if (s->audience == CAMPAIGN_AUDIENCE_UNCOUNTED)
			snprintf(audience, sizeof audience, "counting");
		char sent[32], total[32];
		snprintf(progress, sizeof progress, "%s/%s",
			 format_count(s->sent, false, sent, sizeof sent),
			 format_count(s->total, false, total, sizeof total));
		format_count(s->failed, false, failed, sizeof failed);
		char a[40], pr[80], f[40];
		snprintf(a, sizeof a, "%9s", audience);
		snprintf(pr, sizeof pr, "%15s", progress);
		snprintf(f, sizeof f, "%7s", failed);
		const char *cells[5] = {s->name, campaign_status_name(s->status), a, pr, f};
		bool at = l->top + (size_t)i == l->cursor;
		draw_row(p->win, 1 + i, p->w, cells, at && p->focused ?
			 theme_attr(ROLE_SELECTED) : at ? (int)A_BOLD : (int)A_NORMAL);
	}
	if (l->loaded && !l->count)
		draw_text(p->win, 1, 2, p->w - 4, "No campaigns yet: n creates one.",
			  theme_attr(ROLE_DIM));
}

static void list_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void send_progress(struct pane *p, struct app *app);

static void on_progress(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct campaign_list *l = p->state;
	l->progress_in_flight = false;
	(void)err;	/* the next change or reconnection tries again */
	if (res && campaign_progress_all_apply(res, l->rows, l->count))
		p->dirty = true;
	if (l->progress_again) {
		l->progress_again = false;
		send_progress(p, l->app);
	}
}

/* While campaigns send, messages change all the time: only the counts are
 * asked for, on the event-loop connection, one query at a time. */
static void send_progress(struct pane *p, struct app *app)
{
	struct campaign_list *l = p->state;
	if (l->progress_in_flight) {
		l->progress_again = true;
		return;
	}
	struct query q = {0};
	campaign_progress_all_query(&q);
	if (app_query(app, &q, on_progress, p))
		l->progress_in_flight = true;
}

static void list_notify(struct pane *p, struct app *app, const char *table, int id)
{
	struct campaign_list *l = p->state;
	(void)id;
	bool campaigns = strcmp(table, "campaigns") == 0;
	if (!campaigns && strcmp(table, "messages") != 0)
		return;
	if (app->screen != SCREEN_CAMPAIGNS || !l->loaded)
		l->stale = true;
	else if (campaigns)
		load_list(p, app, NULL);
	else
		send_progress(p, app);
}

static void list_reconnected(struct pane *p, struct app *app)
{
	list_notify(p, app, "campaigns", 0);
}

static void list_destroy(struct pane *p)
{
	struct campaign_list *l = p->state;
	campaign_list_free(l->rows, l->count);
	free(l->keep);
	free(l);
}

static const struct pane_ops list_ops = {
	.name = "campaigns",
	.draw = list_draw,
	.action = list_action,
	.resize = list_resize,
	.notify = list_notify,
	.reconnected = list_reconnected,
	.destroy = list_destroy,
};

void campaigns_pane_init(struct pane *p, struct app *app)
{
	struct campaign_list *l = xcalloc(1, sizeof *l);
	l->app = app;
	p->ops = &list_ops;
	p->state = l;
	p->dirty = true;
}
