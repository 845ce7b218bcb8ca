/* tui.h - the terminal interface: one event loop over the keyboard and the
 * database socket, with the Businesses screen and the screens to come. */
#ifndef OUTREACH_TUI_H
#define OUTREACH_TUI_H

#include "core/error.h"
#include "model/permission.h"

struct db;

struct tui_options {
	const char *conninfo;	/* resolved: --db, OUTREACH_DB or "" */
	const char *user;	/* --user: pre-fills the login screen's name */
	/* Who acts: when NULL the login screen asks, checking the password
	 * on login_db, a blocking connection tui_run closes once the login
	 * is over (the screens use their own). */
	const struct actor *actor;
	struct db *login_db;
};

/* Runs the interface until the user quits; restores the terminal on every
 * path. Returns 0, or -1 with err when it could not start. A user who
 * leaves the login screen has quit: 0. */
int tui_run(const struct tui_options *opts, struct error *err);

#endif
