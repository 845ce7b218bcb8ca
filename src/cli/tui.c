/* tui.c - `outreach` with no command: connect, check the schema, and hand
 * the terminal to the interface, which starts with the login screen. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "model/permission.h"
#include "ui/tui.h"

int cli_open_tui_as(struct cli *cli, const struct actor *actor)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the interface needs a terminal; run a command instead "
			  "(see 'outreach --help')");
		return EXIT_USAGE;
	}
	if (cli->password_file)
		return cli_usage_error(NULL, "--password-file is for commands; the "
				       "interface asks for the password itself");
	/* A first, blocking connection checks the schema and reports a bad
	 * address as a one-line error before the screen is taken over; the
	 * login screen then checks the password on it. */
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	const char *conninfo = cli->conninfo ? cli->conninfo : getenv("OUTREACH_DB");
	struct tui_options opts = {
		.conninfo = conninfo ? conninfo : "",
		.user = cli->user,
		.actor = actor,
		.login_db = db,
	};
	struct error err = {{0}};
	if (tui_run(&opts, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

int cli_open_tui(struct cli *cli)
{
	return cli_open_tui_as(cli, NULL);
}
