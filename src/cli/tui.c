/* tui.c - `outreach` with no command: connect, check the schema, and hand
 * the terminal to the interface. */
#include "cli/cli.h"

#include <stdio.h>
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
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct error err = {{0}};
	int rc = tui_run(db, &err);
	if (rc < 0)
		cli_error("%s: %s", db_describe(db), err.msg);
	db_close(db);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}
