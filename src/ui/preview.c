/* preview.c - the Campaigns screen's preview: the open campaign's templates
 * rendered for one business as the user types. The business's values are
 * fetched on the event-loop connection only when the business (or the
 * campaign, whose audience picks the contact) changes; every keystroke
 * renders locally with the compiled templates. */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "core/textedit.h"
#include "core/xalloc.h"
#include "model/campaign.h"

struct preview {
	struct app *app;
	struct audience_values values;
	bool have_values;
	int business_id;	/* shown or being fetched; 0 for none */
	unsigned gen;		/* drops answers to superseded fetches */
	bool loading;
	char note[160];		/* "no further business in the audience" */
};

struct fetch {
	struct pane *pane;
	unsigned gen;
	enum audience_step step;
};

static void on_values(void *ctx, PGresult *res, const struct error *err)
{
	struct fetch *f = ctx;
	struct pane *p = f->pane;
	struct preview *v = p->state;
	if (f->gen != v->gen) {
		free(f);
		return;
	}
	v->loading = false;
	p->dirty = true;
	if (!res) {
		snprintf(v->note, sizeof v->note, "cannot load the business: %.100s",
			 err->msg);
		free(f);
		return;
	}
	struct audience_values got;
	if (audience_values_parse(res, &got) != 0) {
		snprintf(v->note, sizeof v->note, f->step == AUDIENCE_THIS ?
			 "that business no longer exists" :
			 f->step == AUDIENCE_NEXT ? "no further business in the audience" :
			 "no earlier business in the audience");
		free(f);
		return;
	}
	audience_values_free(&v->values);
	v->values = got;
	v->have_values = true;
	v->business_id = got.business_id;
	v->note[0] = '\0';
	free(f);
}

static void fetch(struct pane *p, struct app *app, int business_id,
		  enum audience_step step)
{
	struct preview *v = p->state;
	const struct campaign *c = template_pane_campaign(&app->templates);
	struct audience fallback;
	audience_default(&fallback);
	struct fetch *f = xcalloc(1, sizeof *f);
	*f = (struct fetch){p, ++v->gen, step};
	struct query q = {0};
	audience_values_query(&q, c ? &c->audience : &fallback, business_id, step);
	if (app_query(app, &q, on_values, f))
		v->loading = true;
	else
		free(f);
	p->dirty = true;
}

void preview_show_business(struct pane *p, struct app *app, int business_id)
{
	struct preview *v = p->state;
	if (business_id <= 0)
		return;
	v->business_id = business_id;
	fetch(p, app, business_id, AUDIENCE_THIS);
}

void preview_step(struct pane *p, struct app *app, bool forward)
{
	struct preview *v = p->state;
	if (!template_pane_campaign(&app->templates)) {
		app_message(app, true, "open a campaign first");
		return;
	}
	fetch(p, app, v->business_id, forward ? AUDIENCE_NEXT : AUDIENCE_PREVIOUS);
}

void preview_campaign_changed(struct pane *p, struct app *app)
{
	struct preview *v = p->state;
	if (v->business_id > 0)
		fetch(p, app, v->business_id, AUDIENCE_THIS);
	else
		fetch(p, app, 0, AUDIENCE_NEXT);	/* the audience's first */
}

/* ---------------------------------------------------------------- drawing */

/* Draws text wrapped to the pane from row y; returns the next free row. */
static int draw_wrapped(struct pane *p, int y, const char *text, int attr)
{
	struct textedit_row *rows = NULL;
	size_t cap = 0;
	size_t n = textedit_wrap(text, strlen(text), p->w, &rows, &cap);
	for (size_t i = 0; i < n && y < p->h; i++, y++) {
		char *line = xstrndup(text + rows[i].start, rows[i].end - rows[i].start);
		draw_text(p->win, y, 0, p->w, line, attr);
		free(line);
	}
	free(rows);
	return y;
}

static void render(const struct template *t, const struct template_values *tv,
		   struct buf *out)
{
	buf_reset(out);
	if (t)
		template_render(t, tv, out);
	buf_append(out, "", 0);
}

/* The values of the business plus the campaign's and the sender's. */
static void fill_values(struct app *app, const struct preview *v,
			const struct campaign *c, struct template_values *tv)
{
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		tv->v[f] = v->values.v[f];
	tv->v[TEMPLATE_FIELD_CAMPAIGN_NAME] = c->name;
	/* Sender settings come from outreach.conf, as for the commands; with
	 * an error in the file they stay empty (generating reports it). */
	struct error err = {{0}};
	const struct config *cfg = app_config(app, &err);
	if (cfg) {
		struct audience_sender s = audience_sender_from_config(cfg);
		tv->v[TEMPLATE_FIELD_SENDER_NAME] = s.name;
		tv->v[TEMPLATE_FIELD_UNSUBSCRIBE_URL] = s.unsubscribe_url;
	}
}

static void draw_message(struct pane *p, struct app *app, struct preview *v,
			 const struct campaign *c)
{
	const struct template *subject, *body;
	bool errors;
	template_pane_templates(&app->templates, &subject, &body, &errors);
	struct template_values tv = {{0}};
	fill_values(app, v, c, &tv);
	const char *type = v->values.v[TEMPLATE_FIELD_CONTACT_TYPE];
	const char *value = v->values.v[TEMPLATE_FIELD_CONTACT_VALUE];
	int y = 1;
	struct buf line = {0};
	if (type)
		buf_printf(&line, "To: %s %s", type, value ? value : "");
	else
		buf_puts(&line, "To: (no contact on the campaign's platforms: "
			 "no message)");
	draw_text(p->win, y++, 0, p->w, line.data, theme_attr(ROLE_HEADER));
	struct buf out = {0};
	if (y < p->h && (!type || strcmp(type, "email") == 0)) {
		render(subject, &tv, &out);
		buf_reset(&line);
		buf_printf(&line, "Subject: %s", out.data);
		draw_text(p->win, y++, 0, p->w, line.data, theme_attr(ROLE_HEADER));
	}
	if (errors && y < p->h)
		draw_text(p->win, y++, 0, p->w, "(the template has errors: this is "
			  "its last version without them)", theme_attr(ROLE_ERROR));
	render(body, &tv, &out);
	draw_wrapped(p, y, out.data, A_NORMAL);
	buf_free(&out);
	buf_free(&line);
}

static void preview_draw(struct pane *p, struct app *app)
{
	struct preview *v = p->state;
	const struct campaign *c = template_pane_campaign(&app->templates);
	werase(p->win);
	char title[240];
	if (v->have_values)
		snprintf(title, sizeof title, "Preview for %s (business %d; [ ] step "
			 "through the audience)",
			 v->values.v[TEMPLATE_FIELD_BUSINESS_NAME] ?
			 v->values.v[TEMPLATE_FIELD_BUSINESS_NAME] : "?",
			 v->values.business_id);
	else
		snprintf(title, sizeof title, "Preview");
	draw_text(p->win, 0, 0, p->w, title, p->focused ? theme_attr(ROLE_TITLE) :
		  theme_attr(ROLE_DIM));
	const char *why = !c ? "Open a campaign to see its message here." :
			  v->note[0] ? v->note :
			  !v->have_values ? (v->loading ? "loading..." :
			  "No business to show: the audience is empty.") : NULL;
	if (why && !(v->have_values && c)) {
		draw_text(p->win, 2, 2, p->w - 4, why, theme_attr(ROLE_DIM));
		return;
	}
	draw_message(p, app, v, c);
	if (why)	/* a step that found nothing keeps the last business */
		draw_text(p->win, p->h - 1, 0, p->w, why, theme_attr(ROLE_DIM));
}

static bool preview_action(struct pane *p, struct app *app, enum ui_action act)
{
	(void)p;
	(void)app;
	(void)act;
	return false;
}

static void preview_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void preview_notify(struct pane *p, struct app *app, const char *table,
			   int id)
{
	struct preview *v = p->state;
	if (!v->have_values)
		return;
	if ((strcmp(table, "businesses") == 0 && (id == 0 || id == v->business_id)) ||
	    strcmp(table, "contacts") == 0)
		fetch(p, app, v->business_id, AUDIENCE_THIS);
}

static void preview_reconnected(struct pane *p, struct app *app)
{
	preview_notify(p, app, "businesses", 0);
}

static void preview_destroy(struct pane *p)
{
	struct preview *v = p->state;
	audience_values_free(&v->values);
	free(v);
}

static const struct pane_ops preview_ops = {
	.name = "preview",
	.draw = preview_draw,
	.action = preview_action,
	.resize = preview_resize,
	.notify = preview_notify,
	.reconnected = preview_reconnected,
	.destroy = preview_destroy,
};

void preview_pane_init(struct pane *p, struct app *app)
{
	struct preview *v = xcalloc(1, sizeof *v);
	v->app = app;
	p->ops = &preview_ops;
	p->state = v;
	p->dirty = true;
}
