/* main.c - outreach's entry point: global options, then the subcommand
 * table; with no subcommand it opens the TUI. */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/password_input.h"

static const struct cli_command *const commands[] = {
	&cmd_migrate, &cmd_demo, &cmd_import, &cmd_export, &cmd_scan,
	&cmd_campaign, &cmd_send, &cmd_replies, &cmd_messages, &cmd_user,
	&cmd_suppress, &cmd_audit,
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_help(void)
{
	printf("Usage: outreach [--db CONNINFO] [--user NAME] [COMMAND [ARGS]]\n\n"
	       "Find businesses, learn how to reach them, run outreach campaigns "
	       "and follow\nevery message to its reply. With no COMMAND, opens "
	       "the terminal interface.\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	printf("\nGlobal options:\n"
	       "      --db CONNINFO        PostgreSQL connection string or URI\n"
	       "                           (default: $OUTREACH_DB, then libpq's PG* variables)\n"
	       "  -u, --user NAME          act as this outreach user\n"
	       "      --password-file FILE read --user's password from FILE\n"
	       "  -q, --quiet              no progress bars\n"
	       "  -h, --help               show this help\n"
	       "  -V, --version            show the version\n\n"
	       "Exit status: 0 success, 1 runtime failure, 2 usage error, "
	       "3 some input rejected.\n"
	       "Run 'outreach COMMAND --help' for a command's options; see "
	       "outreach(1).\n");
}

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* "--db X" and "--db=X": returns the value and advances *i, or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t len = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, len) != 0)
		return NULL;
	if (a[len] == '=')
		return a + len + 1;
	if (a[len] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		cli_usage_error(NULL, "option %s needs an argument", name);
		exit(EXIT_USAGE);
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	/* Before any password can be in memory: no core file, no ptrace. */
	secrets_protect_process();
	setlocale(LC_ALL, "");
	struct cli cli = {0};
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_help();
			return EXIT_OK;
		} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("outreach %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		} else if ((v = option_value(argc, argv, &i, "--db"))) {
			cli.conninfo = v;
		} else if ((v = option_value(argc, argv, &i, "--user")) ||
			   (v = option_value(argc, argv, &i, "-u"))) {
			cli.user = v;
		} else if ((v = option_value(argc, argv, &i, "--password-file"))) {
			cli.password_file = v;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			cli.quiet = true;
		} else {
			return cli_usage_error(NULL, "unknown option %s", a);
		}
	}
	if (i >= argc)
		return cli_open_tui(&cli);
	const struct cli_command *cmd = find_command(argv[i]);
	if (!cmd)
		return cli_usage_error(NULL, "'%s' is not an outreach command",
				       argv[i]);
	cli.command = cmd;
	return cmd->run(&cli, argc - i, argv + i);
}
