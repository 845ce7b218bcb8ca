/* tui.c - `outreach` with no command: connect, check the schema, and hand
 * the terminal to the interface. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "ui/tui.h"

int cli_open_tui(struct cli *cli)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the interface needs a terminal; run a command instead "
			  "(see 'outreach --help')");
		return EXIT_USAGE;
	}
	/* A first, blocking connection checks the schema and reports a bad
	 * address as a one-line error before the screen is taken over. */
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	db_close(db);
	const char *conninfo = cli->conninfo ? cli->conninfo : getenv("OUTREACH_DB");
	struct tui_options opts = {
		.conninfo = conninfo ? conninfo : "",
		.user = cli->user,
	};
	struct error err = {{0}};
	if (tui_run(&opts, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
