/* pending.c - commands whose work has not landed yet. They are listed so
 * `outreach --help` shows the whole product, and say plainly that they are
 * not available rather than pretending to succeed. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static int run_pending(struct cli *cli, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_print_command_help(cli->command);
			return EXIT_OK;
		}
	cli_error("'%s' is not yet available in this version of outreach",
		  cli->command->name);
	return EXIT_USAGE;
}

#define PENDING(var, cmdname, use, text) \
	const struct cli_command var = { \
		.name = cmdname, .run = run_pending, .usage = use, \
		.summary = text " (not yet available)", .options = NULL, \
	}

PENDING(cmd_send, "send", "[--campaign NAME] [--workers N] [--rate PER_SEC] [--once]",
	"deliver pending e-mail messages over SMTP");
PENDING(cmd_suppress, "suppress", "add ADDRESS | --business ID | list",
	"keep addresses and businesses from being contacted");
