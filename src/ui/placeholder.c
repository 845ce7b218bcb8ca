/* placeholder.c - screens whose work has not landed yet say so plainly and
 * point at what works today, rather than showing an empty frame. */
#include "ui/ui.h"

#include <stdlib.h>

#include "core/xalloc.h"

static const char *const texts[SCREEN_COUNT] = {
	[SCREEN_USERS] = "Users: this screen is not built yet. Manage accounts "
		"with `outreach user` meanwhile.",
};

static void placeholder_draw(struct pane *p, struct app *app)
{
	werase(p->win);
	const char *text = texts[app->screen] ? texts[app->screen] : "";
	draw_text(p->win, 1, 2, p->w - 4, text, theme_attr(ROLE_DIM));
}

static bool placeholder_action(struct pane *p, struct app *app, enum ui_action act)
{
	(void)p;
	(void)app;
	(void)act;
	return false;
}

static void placeholder_resize(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void placeholder_notify(struct pane *p, struct app *app,
			       const char *table, int id)
{
	(void)p;
	(void)app;
	(void)table;
	(void)id;
}

static void placeholder_reconnected(struct pane *p, struct app *app)
{
	(void)app;
	p->dirty = true;
}

static void placeholder_destroy(struct pane *p)
{
	(void)p;
}

static const struct pane_ops placeholder_ops = {
	.name = "placeholder",
	.draw = placeholder_draw,
	.action = placeholder_action,
	.resize = placeholder_resize,
	.notify = placeholder_notify,
	.reconnected = placeholder_reconnected,
	.destroy = placeholder_destroy,
};

void placeholder_pane_init(struct pane *p, struct app *app)
{
	(void)app;
	p->ops = &placeholder_ops;
	p->dirty = true;
}
