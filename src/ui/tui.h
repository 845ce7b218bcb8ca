/* tui.h - the terminal interface. For now one screen: the list of
 * businesses; the full screen set replaces it. */
#ifndef OUTREACH_TUI_H
#define OUTREACH_TUI_H

#include "core/error.h"
#include "db/db.h"

/* Runs the interface until the user quits; returns 0, or -1 with err when
 * the database failed underneath it. Restores the terminal either way. */
int tui_run(struct db *db, struct error *err);

#endif
