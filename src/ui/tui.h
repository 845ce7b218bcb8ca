/* tui.h - the terminal interface: one event loop over the keyboard and the
 * database socket, with the Businesses screen and the screens to come. */
#ifndef OUTREACH_TUI_H
#define OUTREACH_TUI_H

#include "core/error.h"

struct tui_options {
	const char *conninfo;	/* resolved: --db, OUTREACH_DB or "" */
	const char *user;	/* the logged-in user, for the status line */
};

/* Runs the interface until the user quits; restores the terminal on every
 * path. Returns 0, or -1 with err when it could not start. */
int tui_run(const struct tui_options *opts, struct error *err);

#endif
