/* details.c - the contact details pane: the selected business's fields and
 * every contact, fetched in one round trip when the selection settles. */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/business.h"

struct details {
	int wanted_id;		/* selected in the list */
	int loaded_id;
	bool in_flight, again;
	bool missing;		/* deleted under us */
	struct business_details d;
	size_t scroll;
	struct app *app;
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
		p->dirty = true;
	} else {
		app_message(s->app, true, "cannot load details: %s", err->msg);
	}
	if (s->again || (res && s->loaded_id != s->wanted_id && !s->missing)) {
		s->again = false;
		fetch(p, s->app);
	}
}

void details_show(struct pane *p, struct app *app, int business_id)
{
	struct details *s = p->state;
	s->wanted_id = business_id;
	s->scroll = 0;
	fetch(p, app);
}

static void field(WINDOW *w, int y, int width, const char *label, const char *value)
{
	draw_text(w, y, 1, 9, label, theme_attr(ROLE_DIM));
	draw_text(w, y, 10, width - 11, value && *value ? value : "-", A_NORMAL);
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
		draw_text(p->win, y, 1, 2, c->is_primary ? "*" : " ", theme_attr(ROLE_OK));
		draw_text(p->win, y, 3, 13, c->type, A_NORMAL);
		int value_w = w - 3 - 13 - 17;
		if (value_w < 10)
			value_w = w - 17;
		draw_text(p->win, y, 16, value_w, c->value, A_NORMAL);
		if (16 + value_w + 16 <= w)
			draw_text(p->win, y, 16 + value_w + 1, 16, c->source,
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
	draw_text(p->win, 0, 1, p->w - 2, d->name,
		  theme_attr(p->focused ? ROLE_SELECTED : ROLE_TITLE));
	int y = 1;
	/* Narrow panes list fields one per line; wide ones two per line. */
	int half = p->w / 2;
	if (p->w >= 90 && p->h < 14) {
		field(p->win, y, half, "Status", d->status);
		wmove(p->win, y, half);
		draw_text(p->win, y, half + 1, 9, "Updated", theme_attr(ROLE_DIM));
		draw_text(p->win, y++, half + 10, half - 11, d->updated_label, A_NORMAL);
	} else {
		field(p->win, y++, p->w, "Status", d->status);
	}
	field(p->win, y++, p->w, "Website", d->website);
	field(p->win, y++, p->w, "E-mail", d->email);
	field(p->win, y++, p->w, "Phone", d->phone_number);
	field(p->win, y++, p->w, "Address", d->address);
	if (p->h >= 14 || p->w < 90)
		field(p->win, y++, p->w, "Updated", d->updated_label);
	draw_contacts(p, s, y);
}

static bool details_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct details *s = p->state;
	(void)app;
	switch (act) {
	case ACT_DOWN:
		if (s->scroll + 1 < s->d.contact_count)
			s->scroll++;
		break;
	case ACT_UP:
		if (s->scroll > 0)
			s->scroll--;
		break;
	case ACT_TOP:
		s->scroll = 0;
		break;
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
	p->ops = &details_ops;
	p->state = s;
	p->dirty = true;
}
