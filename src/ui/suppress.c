/* suppress.c - the :suppress command: keep an address, or the business
 * selected on the Businesses screen, from being contacted again. Asks for
 * a reason, then writes on the event-loop connection. */
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "model/suppression.h"

struct suppress_request {
	char address[400];	/* "" for the business */
	int business_id;
	char what[440];		/* for messages */
};

/* One request at a time: the prompt is modal, so this cannot be overrun. */
static struct suppress_request pending;

static void on_suppressed(void *ctx, PGresult *res, const struct error *err)
{
	struct app *app = ctx;
	if (!res)
		app_message(app, true, "not suppressed: %s", err->msg);
	else if (PQntuples(res) && atol(PQgetvalue(res, 0, 0)) > 0)
		app_message(app, false, "suppressed %s: it is skipped at generation "
			    "and when sending", pending.what);
	else
		app_message(app, false, "%s was already suppressed", pending.what);
}

static bool reason_given(struct app *app, void *ctx, const char *text)
{
	(void)ctx;
	struct query q = {0};
	struct error err = {{0}};
	if (suppression_add_query(&q, &app->actor,
				  pending.address[0] ? pending.address : NULL,
				  pending.business_id, text, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return true;
	}
	app_query(app, &q, on_suppressed, app);
	return true;
}

void suppress_command(struct app *app, const char *arg)
{
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_EDIT_BUSINESS, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return;
	}
	memset(&pending, 0, sizeof pending);
	if (arg && *arg) {
		snprintf(pending.address, sizeof pending.address, "%s", arg);
		snprintf(pending.what, sizeof pending.what, "\"%s\"", arg);
	} else if (app->screen == SCREEN_BUSINESSES &&
		   (pending.business_id = businesses_selected_id(&app->businesses))) {
		snprintf(pending.what, sizeof pending.what, "business %d",
			 pending.business_id);
	} else {
		app_message(app, true, "say what to suppress: :suppress ADDRESS, or "
			    "select a business on the Businesses screen first");
		return;
	}
	char label[sizeof app->prompt.label];
	snprintf(label, sizeof label, "Suppress %.100s; reason (optional): ",
		 pending.what);
	app_ask(app, label, NULL, reason_given, NULL);
}
