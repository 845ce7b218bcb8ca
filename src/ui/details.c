/* details.c - the contact details pane: the selected business's fields and
 * every contact, fetched in one round trip when the selection settles. */
#include "ui/ui.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/business.h"
#include "model/business_edit.h"
#include "core/vocab.h"

struct details {
	int wanted_id;		/* selected in the list */
	int loaded_id;
	bool in_flight, again;
	bool missing;		/* deleted under us */
	struct business_details d;
	size_t scroll;
	size_t sel;		/* FIELD_* for fields, then contacts */
	struct app *app;
	struct pane *pane;
	/* What is being edited, so a failed save keeps the text. */
	int edit_field;		/* FIELD_*, or -1 for a contact */
	int edit_contact;	/* contact id being edited, 0 when adding */
	char kept[512];		/* text of a save that did not go through */
	char kept_key[32];	/* which field/contact the kept text is for */
	char edit_updated_at[64];	/* the row's version when the edit began */
	/* An edit asked for before the selected business had loaded: run
	 * when it arrives, so e right after j never edits the old one. */
	enum { PENDING_NONE, PENDING_FIELD, PENDING_ADD } pending;
	int pending_field;
};

static void on_details(void *ctx, PGresult *res, const struct error *err);

static void fetch(struct pane *p, struct app *app)
{
	struct details *s = p->state;
	if (s->in_flight) {
		s->again = true;
		return;
	}
	if (s->wanted_id == 0) {
		business_details_free(&s->d);
		s->loaded_id = 0;
		p->dirty = true;
		return;
	}
	struct query q = {0};
	business_details_query(&q, s->wanted_id);
	if (app_query(app, &q, on_details, p))
		s->in_flight = true;
}

static void on_details(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct details *s = p->state;
	s->in_flight = false;
	if (res) {
		business_details_free(&s->d);
		s->missing = !business_details_parse(res, &s->d);
		s->loaded_id = s->missing ? 0 : s->d.id;
		if (s->sel >= FIELD_COUNT + s->d.contact_count)
			s->sel = FIELD_COUNT + s->d.contact_count - 1;
		p->dirty = true;
	} else {
		app_message(s->app, true, "cannot load details: %s", err->msg);
	}
	if (s->again || (res && s->loaded_id != s->wanted_id && !s->missing)) {
		s->again = false;
		fetch(p, s->app);
		return;
	}
	if (s->pending == PENDING_FIELD && !s->app->prompt.active)
		details_edit_field(p, s->app, s->pending_field);
	else if (s->pending == PENDING_ADD && !s->app->prompt.active)
		details_add_contact(p, s->app);
	s->pending = PENDING_NONE;
}

void details_show(struct pane *p, struct app *app, int business_id)
{
	struct details *s = p->state;
	if (s->wanted_id != business_id)
		s->sel = 0, s->scroll = 0, s->kept_key[0] = '\0',
		s->pending = PENDING_NONE;
	s->wanted_id = business_id;
	fetch(p, app);
}

static void field(WINDOW *w, int y, int width, const char *label,
		  const char *value, bool selected)
{
	draw_text(w, y, 1, 9, label, theme_attr(ROLE_DIM));
	draw_text(w, y, 10, width - 11, value && *value ? value : "-",
		  selected ? theme_attr(ROLE_SELECTED) : (int)A_NORMAL);
}

static void draw_contacts(struct pane *p, const struct details *s, int y)
{
	int w = p->w;
	draw_text(p->win, y++, 1, w - 2, "Contacts", theme_attr(ROLE_TITLE));
	if (s->d.contact_count == 0) {
		draw_text(p->win, y, 1, w - 2, "none yet: scan the website or add one",
			  theme_attr(ROLE_DIM));
		return;
	}
	for (size_t i = s->scroll; i < s->d.contact_count && y < p->h; i++, y++) {
		const struct contact_row *c = &s->d.contacts[i];
		bool selected = p->focused && s->sel == FIELD_COUNT + i;
		int attr = selected ? theme_attr(ROLE_SELECTED) : (int)A_NORMAL;
		draw_text(p->win, y, 1, 2, c->is_primary ? "*" : " ", theme_attr(ROLE_OK));
		draw_text(p->win, y, 3, 13, c->type, attr);
		/* The source column only when the value keeps room to read. */
		bool with_source = w >= 72;
		int value_w = w - 17 - (with_source ? 22 : 0);
		draw_text(p->win, y, 16, value_w, c->value, attr);
		if (with_source)
			draw_text(p->win, y, 16 + value_w + 1, 21, c->source,
				  theme_attr(ROLE_DIM));
	}
}

static void details_draw(struct pane *p, struct app *app)
{
	struct details *s = p->state;
	(void)app;
	werase(p->win);
	wattrset(p->win, theme_attr(ROLE_DIM));
	whline(p->win, ACS_HLINE, p->w);
	wattrset(p->win, A_NORMAL);
	if (s->loaded_id == 0) {
		draw_text(p->win, 1, 1, p->w - 2, s->missing ?
			  "This business was deleted by someone else." :
			  "No business selected.", theme_attr(ROLE_DIM));
		return;
	}
	const struct business_details *d = &s->d;
	bool f = p->focused;
	draw_text(p->win, 0, 1, p->w - 2, d->name,
		  theme_attr(f && s->sel == FIELD_NAME ? ROLE_SELECTED : ROLE_TITLE));
	int y = 1;
	field(p->win, y++, p->w, "Status", d->status, f && s->sel == FIELD_STATUS);
	field(p->win, y++, p->w, "Website", d->website, f && s->sel == FIELD_WEBSITE);
	field(p->win, y++, p->w, "E-mail", d->email, f && s->sel == FIELD_EMAIL);
	field(p->win, y++, p->w, "Phone", d->phone_number, f && s->sel == FIELD_PHONE);
	field(p->win, y++, p->w, "Address", d->address, f && s->sel == FIELD_ADDRESS);
	if (p->h >= 14)
		field(p->win, y++, p->w, "Updated", d->updated_label, false);
	char scan[640];
	if (!d->last_scan_label)
		snprintf(scan, sizeof scan, "not yet (S scans the website)");
	else if (d->scan_error)
		snprintf(scan, sizeof scan, "failed %d time%s, last %s: %.500s",
			 d->scan_attempts, d->scan_attempts == 1 ? "" : "s",
			 d->last_scan_label, d->scan_error);
	else
		snprintf(scan, sizeof scan, "read %s", d->last_scan_label);
	field(p->win, y++, p->w, "Scan", scan, false);
	draw_contacts(p, s, y);
}

static void keep_text(struct details *s, const char *key, const char *text)
{
	snprintf(s->kept_key, sizeof s->kept_key, "%s", key);
	snprintf(s->kept, sizeof s->kept, "%s", text);
}

/* The text to start an edit with: what a failed save left, else value. */
static const char *initial_text(struct details *s, const char *key,
				const char *value)
{
	if (s->kept_key[0] && strcmp(s->kept_key, key) == 0)
		return s->kept;
	return value ? value : "";
}

static void edit_key(char *out, size_t len, int field, int contact)
{
	snprintf(out, len, field >= 0 ? "f%d" : "c%d", field >= 0 ? field : contact);
}

/* A write's result: saved, refused as a conflict, or failed. */
static void on_saved(void *ctx, PGresult *res, const struct error *err)
{
	struct details *s = ctx;
	char key[32];
	edit_key(key, sizeof key, s->edit_field, s->edit_contact);
	if (!res) {
		app_message(s->app, true, "not saved: %s; your text is kept, press "
			    "e (or a) to try again", err->msg);
		return;
	}
	if (!edit_result_applied(res)) {
		app_message(s->app, true, "not saved: someone else changed this "
			    "business since it was shown (now updated); your text "
			    "is kept, press e to try again");
		return;
	}
	s->kept_key[0] = '\0';
	app_message(s->app, false, "saved");
	fetch(s->pane, s->app);
}

/* Sends a write the model built, or shows why the model refused it.
 * Returns true either way: a refusal is not fixed by editing the text. */
static bool send_or_refuse(struct app *app, struct query *q, int built,
			   db_async_result_fn done, void *ctx,
			   const struct error *err)
{
	if (built < 0) {
		query_free(q);
		app_message(app, true, "%s", err->msg);
		return true;
	}
	app_query(app, q, done, ctx);
	return true;
}

static bool save_field(struct app *app, void *ctx, const char *text)
{
	struct details *s = ctx;
	char *value = NULL;
	struct error err = {{0}};
	char key[32];
	edit_key(key, sizeof key, s->edit_field, 0);
	keep_text(s, key, text);
	if (business_field_normalize(s->edit_field, text, &value, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;	/* the prompt stays open with the text */
	}
	struct query q = {0};
	int rc = business_update_query(&q, &app->actor, s->d.id, s->edit_field,
				       value, s->edit_updated_at, &err);
	free(value);
	return send_or_refuse(app, &q, rc, on_saved, s, &err);
}

static bool save_contact(struct app *app, void *ctx, const char *text)
{
	struct details *s = ctx;
	int type;
	char *value = NULL;
	struct error err = {{0}};
	char key[32];
	edit_key(key, sizeof key, -1, s->edit_contact);
	keep_text(s, key, text);
	if (contact_parse_input(text, &type, &value, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return false;
	}
	struct query q = {0};
	int rc = s->edit_contact ?
		contact_update_query(&q, &app->actor, s->edit_contact, type, value,
				     &err) :
		contact_add_query(&q, &app->actor, s->d.id, type, value, &err);
	free(value);
	return send_or_refuse(app, &q, rc, on_saved, s, &err);
}

static bool ready_or_pending(struct details *s, struct app *app, int what,
			     int field)
{
	if (s->wanted_id == 0) {
		app_message(app, true, "no business selected");
		return false;
	}
	if (s->loaded_id != s->wanted_id || s->in_flight) {
		s->pending = what;
		s->pending_field = field;
		return false;
	}
	s->pending = PENDING_NONE;
	return true;
}

void details_edit_field(struct pane *p, struct app *app, int f)
{
	struct details *s = p->state;
	if (!ready_or_pending(s, app, PENDING_FIELD, f))
		return;
	static const size_t offsets[FIELD_COUNT] = {
		offsetof(struct business_details, name),
		offsetof(struct business_details, status),
		offsetof(struct business_details, website),
		offsetof(struct business_details, email),
		offsetof(struct business_details, phone_number),
		offsetof(struct business_details, address),
	};
	const char *value = *(char *const *)((const char *)&s->d + offsets[f]);
	char key[32], label[64];
	edit_key(key, sizeof key, f, 0);
	s->edit_field = f;
	s->edit_contact = 0;
	/* A save is checked against the version shown when editing began. */
	snprintf(s->edit_updated_at, sizeof s->edit_updated_at, "%s", s->d.updated_at);
	snprintf(label, sizeof label, "%s: ", business_field_label(f));
	app_ask(app, label, initial_text(s, key, value), save_field, s);
}

void details_add_contact(struct pane *p, struct app *app)
{
	struct details *s = p->state;
	if (!ready_or_pending(s, app, PENDING_ADD, 0))
		return;
	s->edit_field = -1;
	s->edit_contact = 0;
	app_ask(app, "New contact (type value): ", initial_text(s, "c0", ""),
		save_contact, s);
}

static void edit_contact(struct details *s, struct app *app,
			 const struct contact_row *c)
{
	char key[32], initial[512];
	edit_key(key, sizeof key, -1, c->id);
	s->edit_field = -1;
	s->edit_contact = c->id;
	snprintf(initial, sizeof initial, "%s %s", c->type, c->value);
	app_ask(app, "Contact (type value): ", initial_text(s, key, initial),
		save_contact, s);
}

static void on_done_simple(void *ctx, PGresult *res, const struct error *err)
{
	struct details *s = ctx;
	if (!res)
		app_message(s->app, true, "not done: %s", err->msg);
	else if (!edit_result_applied(res))
		app_message(s->app, true, "not done: it was changed or removed "
			    "by someone else");
	else
		app_message(s->app, false, "done");
	fetch(s->pane, s->app);
}

static bool delete_contact(struct app *app, void *ctx, const char *text)
{
	struct details *s = ctx;
	(void)text;
	struct query q = {0};
	struct error err = {{0}};
	int rc = contact_delete_query(&q, &app->actor, s->edit_contact, &err);
	return send_or_refuse(app, &q, rc, on_done_simple, s, &err);
}

static const struct contact_row *selected_contact(const struct details *s)
{
	if (s->sel < FIELD_COUNT || s->sel - FIELD_COUNT >= s->d.contact_count)
		return NULL;
	return &s->d.contacts[s->sel - FIELD_COUNT];
}

static void move_selection(struct pane *p, struct details *s, long delta)
{
	long max = (long)(FIELD_COUNT + s->d.contact_count) - 1;
	long sel = (long)s->sel + delta;
	s->sel = (size_t)(sel < 0 ? 0 : sel > max ? max : sel);
	/* Keep a selected contact in view. */
	int room = p->h - (p->h >= 14 ? 9 : 8);
	if (room < 1)
		room = 1;
	if (s->sel >= FIELD_COUNT) {
		size_t ci = s->sel - FIELD_COUNT;
		if (ci < s->scroll)
			s->scroll = ci;
		else if (ci >= s->scroll + (size_t)room)
			s->scroll = ci - (size_t)room + 1;
	}
}

static bool details_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct details *s = p->state;
	const struct contact_row *c = selected_contact(s);
	switch (act) {
	case ACT_DOWN:
		move_selection(p, s, 1);
		break;
	case ACT_UP:
		move_selection(p, s, -1);
		break;
	case ACT_TOP:
		s->sel = 0;
		s->scroll = 0;
		break;
	case ACT_EDIT:
		if (c)
			edit_contact(s, app, c);
		else
			details_edit_field(p, app, (int)s->sel);
		break;
	case ACT_ADD:
		details_add_contact(p, app);
		break;
	case ACT_STATUS:
		details_edit_field(p, app, FIELD_STATUS);
		break;
	case ACT_DELETE: {
		if (!c) {
			app_message(app, true, "select a contact to delete (a business "
				    "is deleted from the list)");
			break;
		}
		char question[160];
		snprintf(question, sizeof question, "Delete %s contact? (y/n) ", c->type);
		s->edit_contact = c->id;
		app_confirm(app, question, delete_contact, s);
		break;
	}
	case ACT_PRIMARY: {
		if (!c) {
			app_message(app, true, "select a contact to make it primary");
			break;
		}
		struct query q = {0};
		struct error err = {{0}};
		int rc = contact_toggle_primary_query(&q, &app->actor, c->id, &err);
		send_or_refuse(app, &q, rc, on_done_simple, s, &err);
		break;
	}
	default:
		return false;
	}
	p->dirty = true;
	return true;
}

static void details_notify(struct pane *p, struct app *app, const char *table, int id)
{
	struct details *s = p->state;
	if (s->wanted_id == 0)
		return;
	if (strcmp(table, "contacts") == 0 ||
	    (strcmp(table, "businesses") == 0 && (id == 0 || id == s->wanted_id)))
		fetch(p, app);
}

static void details_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void details_reconnected(struct pane *p, struct app *app)
{
	fetch(p, app);
}

static void details_destroy(struct pane *p)
{
	struct details *s = p->state;
	business_details_free(&s->d);
	free(s);
}

static const struct pane_ops details_ops = {
	.name = "details",
	.draw = details_draw,
	.action = details_action,
	.resize = details_resize,
	.notify = details_notify,
	.reconnected = details_reconnected,
	.destroy = details_destroy,
};

void details_pane_init(struct pane *p, struct app *app)
{
	struct details *s = xcalloc(1, sizeof *s);
	s->app = app;
	s->pane = p;
	p->ops = &details_ops;
	p->state = s;
	p->dirty = true;
}
