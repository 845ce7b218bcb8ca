/* cli.h - the subcommand table and the option parser every command shares,
 * so that `outreach COMMAND --help` is generated from the same table that
 * parses the command's options. */
#ifndef OUTREACH_CLI_H
#define OUTREACH_CLI_H

#include <stdbool.h>

/* Exit statuses (also documented in outreach(1)). */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1,	/* database unreachable, I/O failure, ... */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_REJECTED = 3,	/* finished, but some input was rejected */
};

/* What every command may use: the global options. */
struct cli {
	const char *conninfo;		/* --db, else NULL (OUTREACH_DB, libpq) */
	const char *user;		/* --user NAME or NULL */
	const char *password_file;	/* --password-file F or NULL */
	bool quiet;			/* --quiet: no progress bars */
	const struct cli_command *command;
};

struct cli_option {
	const char *long_name;
	int short_name;			/* 0 when there is none */
	const char *arg;		/* argument name, NULL for a flag */
	const char *help;
};

struct cli_command {
	const char *name;
	/* argv[0] is the command name; options are parsed by the command. */
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;		/* operands, e.g. "[--dry-run] FILE..." */
	const char *summary;		/* one line for `outreach --help` */
	const struct cli_option *options;	/* ends with {0} */
};

/* Parses argv against the command's options plus the global ones (which
 * update cli); options and operands may be mixed. For each command option,
 * calls on_option(index into cmd->options, argument or NULL, ctx), which
 * returns 0 to go on or an exit status (having printed why) to stop.
 * Handles --help by printing the command's help and
 * returning -1 with *exit_status = EXIT_OK; a bad option prints a usage
 * hint and returns -1 with *exit_status = EXIT_USAGE. On success returns
 * the index of the first operand in argv. */
int cli_parse(struct cli *cli, const struct cli_command *cmd, int argc,
	      char **argv, int (*on_option)(int index, const char *arg, void *ctx),
	      void *ctx, int *exit_status);
void cli_print_command_help(const struct cli_command *cmd);
/* Prints "outreach: message" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like cli_error("%s", text) for text that may quote the database, a web
 * page or a server: shown sanitised. */
void cli_error_text(const char *text);
/* Prints a usage error plus "Try 'outreach CMD --help'." and returns
 * EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct db;
/* Connects as the global options say; on failure prints the one-line
 * reason and returns NULL (exit with EXIT_RUNTIME). */
struct db *cli_connect(struct cli *cli);
/* Like cli_connect, then checks the schema is current. */
struct db *cli_connect_migrated(struct cli *cli);
struct actor;
struct error;
/* Decides who the command acts as (src/cli/actor.c): without --user the
 * database owner ("os:<login>", full rights); with --user that user,
 * after reading the password from --password-file, the terminal or
 * standard input and logging in (or nobody, while there are no users at
 * all). Returns EXIT_OK or the exit status, having said why. */
int cli_actor(struct cli *cli, struct db *db, struct actor *out);
/* Prints a model error for actor: a refusal to a staff user also says
 * that the database owner could do it. */
void cli_refusal(const struct actor *actor, const struct error *err);
/* Prints multi-line text from the database on standard output, each line
 * sanitised and indented by two spaces. */
void cli_print_block(const char *text);

struct config;
/* Reads the configuration file (see config_default_path) and the
 * OUTREACH_* overrides. Returns EXIT_OK, or the exit status having said
 * which file and line is wrong; config_free it either way. */
int cli_config(struct config *c);
/* An on_option callback for commands without options of their own. */
int cli_no_options(int index, const char *arg, void *ctx);

/* The commands (src/cli/<name>.c). */
extern const struct cli_command cmd_migrate;
extern const struct cli_command cmd_demo;
extern const struct cli_command cmd_import;
extern const struct cli_command cmd_export;
extern const struct cli_command cmd_scan;
extern const struct cli_command cmd_campaign;
extern const struct cli_command cmd_send;
extern const struct cli_command cmd_messages;
extern const struct cli_command cmd_user;
extern const struct cli_command cmd_audit;
extern const struct cli_command cmd_suppress;
extern const struct cli_command cmd_replies;

/* Opens the TUI on an already configured connection (src/cli/tui.c),
 * after the login screen; _as skips the login for an actor the caller
 * vouches for (the demo). */
int cli_open_tui(struct cli *cli);
int cli_open_tui_as(struct cli *cli, const struct actor *actor);

#endif
