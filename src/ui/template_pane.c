/* template_pane.c - the Campaigns screen's template editor: the subject and
 * body of the open campaign in two editor widgets, compiled on every change
 * so errors are underlined at once, saved with Ctrl-S through campaign_edit
 * (which refuses a save that would overwrite someone else's), and editable
 * only while the campaign is a draft. */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "core/xalloc.h"
#include "model/campaign.h"
#include "ui/editor.h"

enum { FIELD_SUBJECT, FIELD_BODY };

/* One template: its editor, the errors of its current text as marks, and
 * the last text that compiled, which the preview renders. */
struct field {
	struct editor ed;
	enum template_kind kind;
	const char *label;
	struct template_errors errors;
	struct editor_mark *marks;
	struct template *good;
	unsigned compiled_version;
};

struct drafts {
	struct app *app;
	struct field fields[2];
	int focus;		/* FIELD_SUBJECT or FIELD_BODY */
	struct campaign campaign;
	bool loaded;
	char read_only[200];	/* why the text cannot change; "" when it can */
	const char *words[TEMPLATE_FIELD_COUNT];
};

static struct drafts *state_of(struct pane *p)
{
	return p->state;
}

/* Compiles a field's text when it changed since the last compile. */
static void compile_field(struct field *f)
{
	if (f->compiled_version == f->ed.text.version && f->compiled_version)
		return;
	f->compiled_version = f->ed.text.version;
	struct template *t = template_compile(textedit_text(&f->ed.text), f->kind,
					      &f->errors);
	if (t) {
		template_free(f->good);
		f->good = t;
	}
	f->marks = xreallocarray(f->marks, f->errors.count + 1, sizeof *f->marks);
	for (size_t i = 0; i < f->errors.count; i++)
		f->marks[i] = (struct editor_mark){f->errors.items[i].offset,
						   f->errors.items[i].length};
	f->ed.marks = f->marks;
	f->ed.nmarks = f->errors.count;
}

/* The first error of either template for the status line, or false. */
static bool describe_first_error(struct drafts *d, char *out, size_t len)
{
	for (int i = 0; i < 2; i++) {
		struct field *f = &d->fields[i];
		if (!f->errors.count)
			continue;
		struct buf b = {0};
		template_error_format(&f->errors.items[0], &b);
		snprintf(out, len, "%s %s%s", f->label, b.data ? b.data : "",
			 f->errors.count + (d->fields[!i].errors.count) > 1 ?
			 " (and more, underlined)" : "");
		buf_free(&b);
		return true;
	}
	return false;
}

static void changed(struct pane *p, struct app *app, bool report)
{
	struct drafts *d = state_of(p);
	bool had = d->fields[0].errors.count || d->fields[1].errors.count;
	compile_field(&d->fields[0]);
	compile_field(&d->fields[1]);
	char msg[256];
	if (report && describe_first_error(d, msg, sizeof msg))
		app_message(app, true, "%s", msg);
	else if (report && had)
		app_message(app, false, "the templates have no errors");
	p->dirty = true;
	app->preview.dirty = true;
	app->chrome_dirty = true;
}

/* ---------------------------------------------------------------- loading */

static void set_read_only(struct drafts *d)
{
	char reason[160];
	d->read_only[0] = '\0';
	if (!campaign_can_edit(d->campaign.status, reason, sizeof reason))
		snprintf(d->read_only, sizeof d->read_only, "read-only: %s", reason);
}

/* Shows a freshly loaded campaign; the texts are replaced only when they
 * differ, so a save's own notification does not move the cursor. */
static void show_campaign(struct pane *p, struct app *app, struct campaign *c,
			  bool force)
{
	struct drafts *d = state_of(p);
	bool same = !force && d->loaded && strcmp(d->campaign.name, c->name) == 0;
	const char *texts[2] = {c->subject_template ? c->subject_template : "",
				c->body_template ? c->body_template : ""};
	for (int i = 0; i < 2; i++) {
		struct textedit *t = &d->fields[i].ed.text;
		if (!same || strcmp(textedit_text(t), texts[i]) != 0) {
			textedit_set(t, texts[i]);
			d->fields[i].ed.top = 0;
		}
		textedit_mark_saved(t);
	}
	if (d->loaded)
		campaign_free(&d->campaign);
	d->campaign = *c;
	d->loaded = true;
	set_read_only(d);
	changed(p, app, false);
	if (!same)
		preview_campaign_changed(&app->preview, app);
}

/* Loads name into the pane: 0, or below 0 with the reason in the status
 * line; CAMPAIGN_NOT_FOUND, when there is no such campaign, goes
 * unreported when quiet_if_gone is set. */
static int load_campaign(struct pane *p, struct app *app, const char *name,
			 bool force, bool quiet_if_gone)
{
	struct error err = {{0}};
	struct db *db = app_work_db(app, &err);
	struct campaign c;
	int rc = db ? campaign_load(db, name, &c, &err) : -1;
	if (rc == 0)
		show_campaign(p, app, &c, force);
	else if (rc != CAMPAIGN_NOT_FOUND || !quiet_if_gone)
		app_message(app, true, "cannot open the campaign: %s", err.msg);
	return rc;
}

bool template_pane_modified(struct pane *p)
{
	struct drafts *d = state_of(p);
	return d->loaded && (textedit_modified(&d->fields[0].ed.text) ||
			     textedit_modified(&d->fields[1].ed.text));
}

bool template_pane_open(struct pane *p, struct app *app, const char *name)
{
	struct drafts *d = state_of(p);
	if (d->loaded && strcmp(d->campaign.name, name) != 0 &&
	    template_pane_modified(p)) {
		app_message(app, true, "\"%s\" has unsaved changes: Ctrl-S saves "
			    "them, :reload drops them", d->campaign.name);
		return false;
	}
	if (d->loaded && strcmp(d->campaign.name, name) == 0 &&
	    template_pane_modified(p))
		return true;	/* keep the edits; a save checks for conflicts */
	return load_campaign(p, app, name, false, false) == 0;
}

void template_pane_reload(struct pane *p, struct app *app)
{
	struct drafts *d = state_of(p);
	if (!d->loaded)
		return;
	char *name = xstrdup(d->campaign.name);
	if (load_campaign(p, app, name, true, false) == 0)
		app_message(app, false, "loaded the saved \"%s\"", name);
	free(name);
}

const struct campaign *template_pane_campaign(struct pane *p)
{
	struct drafts *d = state_of(p);
	return d->loaded ? &d->campaign : NULL;
}

void template_pane_templates(struct pane *p, const struct template **subject,
			     const struct template **body, bool *has_errors)
{
	struct drafts *d = state_of(p);
	*subject = d->fields[FIELD_SUBJECT].good;
	*body = d->fields[FIELD_BODY].good;
	*has_errors = d->fields[0].errors.count || d->fields[1].errors.count;
}

/* ---------------------------------------------------------------- saving */

static void report_saved(struct app *app, const char *name, int errors,
			 long discarded)
{
	char extra[160] = "";
	if (discarded)
		snprintf(extra, sizeof extra, "; %ld generated message%s of the "
			 "old text discarded, generate again", discarded,
			 discarded == 1 ? "" : "s");
	if (errors > 0)
		app_message(app, true, "saved \"%s\" with %d template error%s: "
			    "fix them before generating%s", name, errors,
			    errors == 1 ? "" : "s", extra);
	else
		app_message(app, false, "saved \"%s\"%s", name, extra);
}

static void save(struct pane *p, struct app *app)
{
	struct drafts *d = state_of(p);
	if (!d->loaded) {
		app_message(app, true, "no campaign is open: choose one in the list");
		return;
	}
	if (d->read_only[0]) {
		app_message(app, true, "%s", d->read_only);
		return;
	}
	struct error err = {{0}};
	struct db *db = app_work_db(app, &err);
	if (!db) {
		app_message(app, true, "not saved, your text is kept: %s", err.msg);
		return;
	}
	struct campaign_actor actor = {app->actor.name, &app->actor};
	struct campaign_change change = {
		.subject = textedit_text(&d->fields[FIELD_SUBJECT].ed.text),
		.body = textedit_text(&d->fields[FIELD_BODY].ed.text),
		.expected_updated_at = d->campaign.updated_at,
	};
	long discarded = 0;
	struct buf report = {0};
	int rc = campaign_edit(db, &actor, d->campaign.name, &change, &discarded,
			       &report, &err);
	buf_free(&report);
	if (rc == CAMPAIGN_CONFLICT) {
		app_message(app, true, "not saved: %s; your text is kept (:reload "
			    "drops it and loads theirs)", err.msg);
		return;
	}
	if (rc < 0) {
		app_message(app, true, "not saved, your text is kept: %s", err.msg);
		return;
	}
	char *name = xstrdup(d->campaign.name);
	struct campaign c;
	if (campaign_load(db, name, &c, &err) == 0)
		show_campaign(p, app, &c, false);	/* the new updated_at */
	for (int i = 0; i < 2; i++)
		textedit_mark_saved(&d->fields[i].ed.text);
	report_saved(app, name, rc, discarded);
	free(name);
	p->dirty = true;
}

void template_pane_external(struct pane *p, struct app *app)
{
	struct drafts *d = state_of(p);
	if (!d->loaded) {
		app_message(app, true, "no campaign is open: choose one in the list");
		return;
	}
	if (d->read_only[0]) {
		app_message(app, true, "%s", d->read_only);
		return;
	}
	struct field *f = &d->fields[d->focus];
	char *text = NULL;
	struct error err = {{0}};
	int rc = editor_run_external(textedit_text(&f->ed.text), &text, &err);
	app->redraw_all = true;
	for (int i = 0; i < app->npanes; i++)
		app->panes[i]->dirty = true;
	if (rc < 0) {
		app_message(app, true, "%s", err.msg);
		return;
	}
	if (f->ed.text.single_line) {
		char *nl = strchr(text, '\n');
		if (nl)
			*nl = '\0';	/* a subject is one line */
	}
	struct textedit *t = &f->ed.text;
	/* One undo step, so Ctrl-Z takes the whole outside edit back. */
	if (strcmp(text, textedit_text(t)) != 0) {
		textedit_replace(t, 0, t->text.len, text, strlen(text));
		app_message(app, false, "%s changed in the editor: Ctrl-S saves it",
			    f->label);
		changed(p, app, true);
	} else {
		app_message(app, false, "%s unchanged", f->label);
	}
	free(text);
}

/* ---------------------------------------------------------------- keys */

static bool editor_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct drafts *d = state_of(p);
	struct textedit *t = &d->fields[d->focus].ed.text;
	switch (act) {
	case ACT_SAVE:
		save(p, app);
		return true;
	case ACT_EXTERNAL_EDIT:
		template_pane_external(p, app);
		return true;
	case ACT_UNDO:
	case ACT_REDO:
		if (d->read_only[0]) {
			app_message(app, true, "%s", d->read_only);
			return true;
		}
		if (act == ACT_UNDO ? textedit_undo(t) : textedit_redo(t))
			changed(p, app, true);
		else
			app_message(app, false, "nothing to %s",
				    act == ACT_UNDO ? "undo" : "redo");
		return true;
	default:
		return false;
	}
}

static bool tab_key(struct pane *p, struct app *app)
{
	struct drafts *d = state_of(p);
	struct editor *ed = &d->fields[d->focus].ed;
	if (d->read_only[0])
		return false;
	if (editor_complete(ed)) {
		app_message(app, false, "%s", ed->note);
		changed(p, app, false);
		return true;
	}
	/* Outside a placeholder Tab keeps its meaning: the next pane. */
	if (strncmp(ed->note, "Tab completes", 13) == 0)
		return false;
	app_message(app, true, "%s", ed->note);
	return true;
}

static bool template_key(struct pane *p, struct app *app, int key)
{
	struct drafts *d = state_of(p);
	const struct key_binding *b = keys_lookup(app->screen, key);
	if (b && editor_action(p, app, b->action))
		return true;
	if (key == '\t')
		return tab_key(p, app);
	if (key == UI_ESC)
		return false;
	if (!d->loaded) {
		app_message(app, true, "no campaign is open: choose one in the list");
		return false;
	}
	struct editor *ed = &d->fields[d->focus].ed;
	size_t before = ed->text.cursor;
	/* Enter or Down leaves the subject for the body; Up from the body's
	 * first row goes back. */
	if (d->focus == FIELD_SUBJECT && (key == '\n' || key == '\r' ||
	    key == UI_FKEY(KEY_ENTER) || key == UI_FKEY(KEY_DOWN))) {
		d->focus = FIELD_BODY;
		p->dirty = true;
		return true;
	}
	enum editor_result r = editor_key(ed, key, d->read_only[0] != '\0');
	switch (r) {
	case EDITOR_IGNORED:
		return false;
	case EDITOR_REFUSED:
		app_message(app, true, "%s", d->read_only);
		return true;
	case EDITOR_CHANGED:
		changed(p, app, true);
		return true;
	case EDITOR_MOVED:
		if (d->focus == FIELD_BODY && key == UI_FKEY(KEY_UP) &&
		    ed->text.cursor == before)
			d->focus = FIELD_SUBJECT;
		p->dirty = true;
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------- pane */

static void draw_title(struct pane *p, struct drafts *d)
{
	char title[320];
	if (!d->loaded)
		snprintf(title, sizeof title, "Template");
	else
		snprintf(title, sizeof title, "Template: %s [%s]%s%s%s",
			 d->campaign.name, campaign_status_name(d->campaign.status),
			 template_pane_modified(p) ? " (modified: Ctrl-S saves)" : "",
			 d->read_only[0] ? " " : "", d->read_only);
	int attr = p->focused ? theme_attr(ROLE_TITLE) : theme_attr(ROLE_DIM);
	draw_text(p->win, 0, 0, p->w, title, attr);
}

static void template_draw(struct pane *p, struct app *app)
{
	struct drafts *d = state_of(p);
	(void)app;
	werase(p->win);
	draw_title(p, d);
	if (!d->loaded) {
		draw_text(p->win, 2, 2, p->w - 4, "Choose a campaign in the list "
			  "(Enter opens it), or n for a new one.", theme_attr(ROLE_DIM));
		return;
	}
	int label = 9;
	draw_text(p->win, 1, 0, label, "Subject:", theme_attr(ROLE_HEADER));
	editor_draw(&d->fields[FIELD_SUBJECT].ed, p->win, 1, label, 1,
		    p->w - label, p->focused && d->focus == FIELD_SUBJECT);
	/* The first error also stays under the text, where the status line's
	 * other messages cannot push it away. */
	char error[256];
	bool errors = describe_first_error(d, error, sizeof error);
	int body_h = p->h - 2 - (errors && p->h > 4);
	if (body_h > 0)
		editor_draw(&d->fields[FIELD_BODY].ed, p->win, 2, 0, body_h,
			    p->w, p->focused && d->focus == FIELD_BODY);
	if (errors && p->h > 4)
		draw_text(p->win, p->h - 1, 0, p->w, error, theme_attr(ROLE_ERROR));
}

static bool template_action(struct pane *p, struct app *app, enum ui_action act)
{
	return editor_action(p, app, act);
}

static void template_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void template_notify(struct pane *p, struct app *app, const char *table,
			    int id)
{
	struct drafts *d = state_of(p);
	if (strcmp(table, "campaigns") != 0 || !d->loaded)
		return;
	if (id && id != d->campaign.id)
		return;
	/* Unsaved edits stay as they are: saving them reports the conflict. */
	if (template_pane_modified(p))
		return;
	char *name = xstrdup(d->campaign.name);
	if (load_campaign(p, app, name, false, true) == CAMPAIGN_NOT_FOUND) {
		/* Deleted (or renamed) meanwhile: nothing is left to edit; the
		 * list, refreshed by the same change, offers what there is. */
		campaign_free(&d->campaign);
		d->loaded = false;
		p->dirty = true;
		preview_campaign_changed(&app->preview, app);
	}
	free(name);
}

static void template_reconnected(struct pane *p, struct app *app)
{
	template_notify(p, app, "campaigns", 0);
}

static void template_destroy(struct pane *p)
{
	struct drafts *d = state_of(p);
	for (int i = 0; i < 2; i++) {
		editor_free(&d->fields[i].ed);
		template_errors_free(&d->fields[i].errors);
		template_free(d->fields[i].good);
		free(d->fields[i].marks);
	}
	if (d->loaded)
		campaign_free(&d->campaign);
	free(d);
}

static const struct pane_ops template_ops = {
	.name = "template",
	.draw = template_draw,
	.action = template_action,
	.resize = template_resize,
	.notify = template_notify,
	.reconnected = template_reconnected,
	.destroy = template_destroy,
	.key = template_key,
};

void template_pane_init(struct pane *p, struct app *app)
{
	struct drafts *d = xcalloc(1, sizeof *d);
	d->app = app;
	d->focus = FIELD_BODY;
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		d->words[f] = template_field_name(f);
	static const char *const labels[2] = {"subject", "body"};
	for (int i = 0; i < 2; i++) {
		editor_init(&d->fields[i].ed, i == FIELD_SUBJECT);
		d->fields[i].kind = i == FIELD_SUBJECT ? TEMPLATE_SUBJECT : TEMPLATE_BODY;
		d->fields[i].label = labels[i];
		d->fields[i].ed.words = d->words;
		d->fields[i].ed.nwords = TEMPLATE_FIELD_COUNT;
	}
	p->ops = &template_ops;
	p->state = d;
	p->dirty = true;
}
