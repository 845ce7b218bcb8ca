/* users.c - the Users screen: every account with its role, its state and
 * its last login. Admins add accounts, set passwords, disable and enable
 * accounts and grant or revoke admin rights; staff see their own account
 * and may change their own password. The model decides every change (the
 * last enabled admin stays one, a staff user cannot manage others) and
 * audits it.
 *
 * The list is read on the event loop and follows other sessions' changes
 * through the users table's notifications. A change runs on the screens'
 * blocking connection: it hashes a password (a fraction of a second) or
 * holds the users lock for one short transaction. Passwords are typed at a
 * prompt that shows nothing; the first of the two entries waits in a
 * locked buffer that is wiped as soon as the second arrives. */
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/password.h"
#include "core/validate.h"
#include "core/xalloc.h"
#include "model/user.h"

struct user_row {
	char *name, *email, *last_login, *locked_until;
	bool is_admin, disabled;
};

struct users_view {
	struct app *app;
	struct user_row *rows;
	size_t count, cap;
	size_t cursor, top;
	bool loaded;			/* read at least once */
	bool in_flight, again;		/* a read is under way; read once more */
	char keep[80];			/* the account to select when it comes */
	/* The change being asked for. */
	char target[80];		/* the account */
	bool target_disabled, target_admin;	/* as it was shown */
	bool flipping_admin;		/* confirmed A, not d */
	bool adding;			/* a new account, not a new password */
	char *email;			/* adding: the e-mail, NULL for none */
	char *password;			/* the first entry, a password buffer */
};

static struct users_view *view_of(struct pane *p)
{
	return p->state;
}

static bool is_admin(const struct app *app)
{
	return permission_require(&app->actor, PERM_MANAGE_USERS, NULL) == 0;
}

static const struct user_row *selected(const struct users_view *v)
{
	return v->count ? &v->rows[v->cursor] : NULL;
}

static void free_rows(struct users_view *v)
{
	for (size_t i = 0; i < v->count; i++) {
		free(v->rows[i].name);
		free(v->rows[i].email);
		free(v->rows[i].last_login);
		free(v->rows[i].locked_until);
	}
	v->count = 0;
}

static void forget_change(struct users_view *v)
{
	password_buffer_free(v->password);
	v->password = NULL;
	free(v->email);
	v->email = NULL;
	v->target[0] = '\0';
	v->adding = false;
	v->flipping_admin = false;
}

static void show_position(struct users_view *v)
{
	char text[64];
	if (v->count)
		snprintf(text, sizeof text, "%zu of %zu", v->cursor + 1, v->count);
	else
		snprintf(text, sizeof text, "%s", v->loaded ? "no accounts" : "");
	app_set_position(v->app, text);
}

/* ---------------------------------------------------------------- reading */

static void add_row(const struct user_entry *u, void *ctx)
{
	struct users_view *v = ctx;
	/* Staff see their own account only. */
	if (!is_admin(v->app) && strcmp(u->name, v->app->actor.name) != 0)
		return;
	if (v->count == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->rows = xrealloc(v->rows, v->cap * sizeof *v->rows);
	}
	v->rows[v->count++] = (struct user_row){
		xstrdup(u->name), xstrdup(u->email), xstrdup(u->last_login),
		xstrdup(u->locked_until), u->is_admin, u->disabled,
	};
}

static void load(struct pane *p);

static void on_list(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	v->in_flight = false;
	if (!res) {
		app_message(v->app, true, "cannot read the accounts: %s", err->msg);
		return;
	}
	char was[sizeof v->keep];
	const struct user_row *cur = selected(v);
	snprintf(was, sizeof was, "%s", v->keep[0] ? v->keep :
		 cur ? cur->name : "");
	free_rows(v);
	user_list_parse(res, add_row, v);
	v->loaded = true;
	v->keep[0] = '\0';
	/* The cursor stays on its account wherever it now sorts. */
	if (v->cursor >= v->count)
		v->cursor = v->count ? v->count - 1 : 0;
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->rows[i].name, was) == 0)
			v->cursor = i;
	p->dirty = true;
	if (v->app->screen == SCREEN_USERS)
		show_position(v);
	if (v->again) {
		v->again = false;
		load(p);
	}
}

static void load(struct pane *p)
{
	struct users_view *v = view_of(p);
	if (v->in_flight) {
		v->again = true;
		return;
	}
	struct query q = {0};
	user_list_query(&q);
	v->in_flight = app_query(v->app, &q, on_list, p);
}

void users_shown(struct pane *p, struct app *app)
{
	(void)app;
	struct users_view *v = view_of(p);
	if (!v->loaded)
		load(p);
	show_position(v);
}

/* ---------------------------------------------------------------- drawing */

enum { COL_NAME, COL_EMAIL, COL_ROLE, COL_STATE, COL_LOGIN, COLS_N };

/* Column widths for a pane width: the e-mail takes what the others leave. */
static void column_widths(int width, int out[COLS_N])
{
	static const int fixed[COLS_N] = {16, 0, 5, 18, 16};
	int rest = width - 1 - COLS_N;
	for (int i = 0; i < COLS_N; i++) {
		out[i] = fixed[i];
		rest -= fixed[i];
	}
	out[COL_EMAIL] = rest < 10 ? 10 : rest;
}

static void draw_cells(WINDOW *w, int y, int width,
		       const char *const cells[COLS_N], int attr)
{
	int cw[COLS_N];
	column_widths(width, cw);
	int x = 1;
	for (int i = 0; i < COLS_N && x < width; i++) {
		draw_text(w, y, x, x + cw[i] > width ? width - x : cw[i], cells[i],
			  attr);
		x += cw[i] + 1;
	}
}

static void draw_row(WINDOW *w, int y, int width, const struct user_row *u,
		     int attr)
{
	char state[40];
	if (u->disabled)
		snprintf(state, sizeof state, "disabled");
	else if (*u->locked_until)
		/* A lock lasts minutes: the time of day says enough. */
		snprintf(state, sizeof state, "locked until %s",
			 strlen(u->locked_until) > 11 ? u->locked_until + 11 :
			 u->locked_until);
	else
		snprintf(state, sizeof state, "active");
	const char *cells[COLS_N] = {
		u->name, u->email, u->is_admin ? "admin" : "staff", state,
		*u->last_login ? u->last_login : "never",
	};
	draw_cells(w, y, width, cells, attr);
}

static void users_draw(struct pane *p, struct app *app)
{
	struct users_view *v = view_of(p);
	WINDOW *w = p->win;
	werase(w);
	int y = 0;
	if (!is_admin(app))
		draw_text(w, y++, 1, p->w - 2, "Only admins manage accounts; "
			  "p changes your own password.", theme_attr(ROLE_DIM));
	static const char *const header[COLS_N] = {
		"Name", "E-mail", "Role", "State", "Last login",
	};
	draw_cells(w, y++, p->w, header, theme_attr(ROLE_TITLE));
	if (!v->loaded) {
		draw_text(w, y, 1, p->w - 2, "loading…", theme_attr(ROLE_DIM));
		return;
	}
	size_t rows = p->h > y ? (size_t)(p->h - y) : 1;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + rows)
		v->top = v->cursor - rows + 1;
	for (size_t i = v->top; i < v->count && y < p->h; i++, y++) {
		bool sel = i == v->cursor && p->focused;
		int attr = sel ? theme_attr(ROLE_SELECTED) :
			   v->rows[i].disabled ? theme_attr(ROLE_DIM) :
			   theme_attr(ROLE_NORMAL);
		if (sel)
			mvwchgat(w, y, 0, p->w, attr, 0, NULL);
		draw_row(w, y, p->w, &v->rows[i], attr);
	}
}

/* ---------------------------------------------------------------- changes */

static struct db *work_db(struct users_view *v)
{
	struct error err = {{0}};
	struct db *db = app_work_db(v->app, &err);
	if (!db)
		app_message(v->app, true, "%s", err.msg);
	return db;
}

/* Reports a change's outcome, forgets it and reads the list again, the
 * cursor staying on the account. */
static void finish(struct pane *p, int rc, const struct error *err,
		   const char *done_text)
{
	struct users_view *v = view_of(p);
	if (rc < 0)
		app_message(v->app, true, "%s", err->msg);
	else
		app_message(v->app, false, "%s", done_text);
	snprintf(v->keep, sizeof v->keep, "%s", v->target);
	forget_change(v);
	load(p);
}

static void ask_first_password(struct pane *p);

/* Esc at a password prompt: the first entry goes at once. */
static void change_cancelled(struct app *app, void *ctx)
{
	(void)app;
	forget_change(view_of(ctx));
}

static bool second_password(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	if (strcmp(text, v->password) != 0) {
		app_message(app, true, "the two entries differ; type the "
			    "password again");
		password_buffer_free(v->password);
		v->password = NULL;
		ask_first_password(p);
		return true;
	}
	struct db *db = work_db(v);
	if (!db) {
		forget_change(v);
		return true;
	}
	struct error err = {{0}};
	char done_text[200];
	int rc;
	if (v->adding) {
		rc = user_add(db, &app->actor, v->target, v->email, false, text,
			      &err);
		snprintf(done_text, sizeof done_text, "added %s (staff); A makes "
			 "them an admin", v->target);
	} else {
		rc = user_set_password(db, &app->actor, v->target, text, &err);
		snprintf(done_text, sizeof done_text, "changed the password of %s",
			 v->target);
	}
	finish(p, rc, &err, done_text);
	return true;
}

static bool first_password(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	struct error err = {{0}};
	if (password_check_rules(v->target, text, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		ask_first_password(p);
		return true;
	}
	v->password = password_buffer_new();
	if (!v->password) {
		app_message(app, true, "no locked memory for a password");
		forget_change(v);
		return true;
	}
	snprintf(v->password, PASSWORD_MAX + 1, "%s", text);
	app->message[0] = '\0';	/* a refusal of the first try is over */
	app_ask_secret(app, "Again, to be sure: ", second_password,
		       change_cancelled, p);
	return true;
}

static void ask_first_password(struct pane *p)
{
	struct users_view *v = view_of(p);
	char label[160];
	snprintf(label, sizeof label, "%s password for %.64s (%d+ characters, "
		 "not shown): ", v->adding ? "A" : "New", v->target,
		 PASSWORD_MIN_CHARS);
	app_ask_secret(v->app, label, first_password, change_cancelled, p);
}

static bool add_email(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	struct error err = {{0}};
	free(v->email);
	v->email = NULL;
	if (*text && normalize_email(text, &v->email, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	ask_first_password(p);
	return true;
}

static bool add_name(struct app *app, void *ctx, const char *text)
{
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	struct error err = {{0}};
	if (user_check_name(text, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->rows[i].name, text) == 0) {
			app_message(app, true, "a user named '%s' already exists",
				    text);
			return false;
		}
	snprintf(v->target, sizeof v->target, "%s", text);
	char label[160];
	snprintf(label, sizeof label, "E-mail of %.64s (optional): ", text);
	app_ask(app, label, NULL, add_email, p);
	return true;
}

/* d and A, once confirmed: flips the account's disabled or admin flag
 * from what the screen showed. */
static bool flip(struct app *app, void *ctx, const char *text)
{
	(void)text;
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	struct db *db = work_db(v);
	if (!db)
		return true;
	struct error err = {{0}};
	char done_text[160];
	int rc;
	if (v->flipping_admin) {
		bool grant = !v->target_admin;
		rc = user_set_admin(db, &app->actor, v->target, grant, &err);
		snprintf(done_text, sizeof done_text, grant ? "%s is an admin "
			 "now" : "%s is staff now", v->target);
	} else {
		bool disable = !v->target_disabled;
		rc = user_set_disabled(db, &app->actor, v->target, disable, &err);
		snprintf(done_text, sizeof done_text, disable ? "disabled %s: "
			 "they can no longer log in" : "enabled %s", v->target);
	}
	finish(p, rc, &err, done_text);
	return true;
}

/* Only admins manage accounts: the model's refusal when the user is not
 * one (or no longer may do anything). */
static bool admin_only(struct app *app)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_MANAGE_USERS, &err) == 0)
		return true;
	app_message(app, true, "%s", err.msg);
	return false;
}

/* Starts a change of the selected account; false when none is selected. */
static bool start_change(struct users_view *v)
{
	const struct user_row *u = selected(v);
	forget_change(v);
	if (!u) {
		app_message(v->app, true, "no account is selected");
		return false;
	}
	snprintf(v->target, sizeof v->target, "%s", u->name);
	v->target_disabled = u->disabled;
	v->target_admin = u->is_admin;
	return true;
}

static void move_cursor(struct users_view *v, long step)
{
	if (!v->count)
		return;
	long at = (long)v->cursor + step;
	if (at < 0)
		at = 0;
	if (at >= (long)v->count)
		at = (long)v->count - 1;
	v->cursor = (size_t)at;
	show_position(v);
}

static bool users_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct users_view *v = view_of(p);
	long page = p->h > 3 ? p->h - 2 : 1;
	char question[200];
	switch (act) {
	case ACT_DOWN: move_cursor(v, 1); break;
	case ACT_UP: move_cursor(v, -1); break;
	case ACT_PAGE_DOWN: move_cursor(v, page); break;
	case ACT_PAGE_UP: move_cursor(v, -page); break;
	case ACT_TOP: move_cursor(v, -(long)v->count); break;
	case ACT_BOTTOM: move_cursor(v, (long)v->count); break;
	case ACT_ADD:
		if (!admin_only(app))
			return true;
		forget_change(v);
		v->adding = true;
		app_ask(app, "New user's name: ", NULL, add_name, p);
		return true;
	case ACT_PASSWORD:
		if (!start_change(v))
			return true;
		ask_first_password(p);
		return true;
	case ACT_DISABLE:
		if (!admin_only(app) || !start_change(v))
			return true;
		if (v->target_disabled) {
			flip(app, p, "y");
			return true;
		}
		snprintf(question, sizeof question, "Disable %s? They can no "
			 "longer log in; their work stays. (y/n) ", v->target);
		app_confirm(app, question, flip, p);
		return true;
	case ACT_ADMIN:
		if (!admin_only(app) || !start_change(v))
			return true;
		v->flipping_admin = true;
		snprintf(question, sizeof question, v->target_admin ?
			 "Make %s staff, no longer an admin? (y/n) " :
			 "Make %s an admin (users, deletions, sending)? (y/n) ",
			 v->target);
		app_confirm(app, question, flip, p);
		return true;
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

static void users_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

/* The session's rights follow its account: an admin may have disabled it
 * or changed its role since the login. */
static void on_own_account(void *ctx, PGresult *res, const struct error *err)
{
	(void)err;	/* the next change notification asks again */
	struct pane *p = ctx;
	struct users_view *v = view_of(p);
	struct actor *me = &v->app->actor;
	if (!res)
		return;
	bool gone = PQntuples(res) == 0;
	bool disabled = gone || PQgetvalue(res, 0, 1)[0] == 't';
	bool admin = !gone && PQgetvalue(res, 0, 0)[0] == 't';
	bool changed = false;
	if (disabled && me->kind == ACTOR_USER) {
		me->kind = ACTOR_DISABLED;
		app_message(v->app, true, "your account was disabled: you can "
			    "still look, but not change anything");
		changed = true;
	} else if (!disabled && me->kind == ACTOR_DISABLED) {
		me->kind = ACTOR_USER;
		app_message(v->app, false, "your account was enabled again");
		changed = true;
	}
	if (!disabled && admin != me->is_admin) {
		me->is_admin = admin;
		app_message(v->app, false, admin ? "you are an admin now" :
			    "you are staff now: an admin took back your admin "
			    "rights");
		changed = true;
	}
	if (changed) {
		v->app->chrome_dirty = true;
		p->dirty = true;
	}
}

static void users_notify(struct pane *p, struct app *app, const char *table,
			 int id)
{
	(void)id;
	if (strcmp(table, "users") != 0)
		return;
	/* The rights are asked first: answers come in order, so the list
	 * read below is filtered by the role the account has now (staff see
	 * only themselves). */
	if (app->actor.kind == ACTOR_USER || app->actor.kind == ACTOR_DISABLED) {
		struct query q = {0};
		user_rights_query(&q, app->actor.user_id);
		app_query(app, &q, on_own_account, p);
	}
	if (view_of(p)->loaded)
		load(p);
}

static void users_reconnected(struct pane *p, struct app *app)
{
	(void)app;
	struct users_view *v = view_of(p);
	v->in_flight = false;	/* it failed with the connection */
	v->again = false;
	if (v->loaded)
		load(p);
}

static void users_destroy(struct pane *p)
{
	struct users_view *v = view_of(p);
	if (!v)
		return;
	free_rows(v);
	free(v->rows);
	forget_change(v);
	free(v);
	p->state = NULL;
}

static const struct pane_ops users_ops = {
	.name = "users",
	.draw = users_draw,
	.action = users_action,
	.resize = users_resize,
	.notify = users_notify,
	.reconnected = users_reconnected,
	.destroy = users_destroy,
};

void users_pane_init(struct pane *p, struct app *app)
{
	struct users_view *v = xcalloc(1, sizeof *v);
	v->app = app;
	p->state = v;
	p->ops = &users_ops;
	p->dirty = true;
}
