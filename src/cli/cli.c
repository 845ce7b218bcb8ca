/* cli.c - option parsing and help output shared by every subcommand.
 * getopt_long's table is built from struct cli_option so help and parsing
 * can never drift apart. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "db/datafiles.h"
#include "db/db.h"
#include "db/migrate.h"

static const struct cli_option global_options[] = {
	{"db", 0, "CONNINFO", "PostgreSQL connection string or URI "
	 "(default: $OUTREACH_DB, then libpq's PG* variables)"},
	{"user", 'u', "NAME", "act as this outreach user (asks for the password)"},
	{"password-file", 0, "FILE", "read --user's password from FILE (for scripts)"},
	{"quiet", 'q', NULL, "no progress bars (summaries and errors still print)"},
	{"help", 'h', NULL, "show this help"},
	{0},
};

enum { GLOBAL_DB, GLOBAL_USER, GLOBAL_PASSWORD_FILE, GLOBAL_QUIET, GLOBAL_HELP };

/* getopt_long's val for option i of the command table, above any char. */
#define COMMAND_OPTION_BASE 1000
#define GLOBAL_OPTION_BASE 2000

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("outreach: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_error_text(const char *text)
{
	char *safe = sanitize_dup(text);
	cli_error("%s", safe);
	free(safe);
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("outreach: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "Try 'outreach %s --help'.\n", cmd->name);
	else
		fputs("Try 'outreach --help'.\n", stderr);
	return EXIT_USAGE;
}

static size_t count_options(const struct cli_option *opts)
{
	size_t n = 0;
	while (opts && opts[n].long_name)
		n++;
	return n;
}

static void print_options(const struct cli_option *opts)
{
	for (size_t i = 0; opts && opts[i].long_name; i++) {
		char left[64];
		const struct cli_option *o = &opts[i];
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name,
				 o->long_name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->long_name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-28s %s\n", left, o->help);
	}
}

void cli_print_command_help(const struct cli_command *cmd)
{
	printf("Usage: outreach %s %s\n\n%s\n", cmd->name, cmd->usage,
	       cmd->summary);
	if (count_options(cmd->options)) {
		puts("\nOptions:");
		print_options(cmd->options);
	}
	puts("\nGlobal options:");
	print_options(global_options);
	printf("\nSee outreach(1) for details.\n");
}

static void add_long_options(struct option *out, size_t *n, char *shorts,
			     const struct cli_option *opts, int base)
{
	for (size_t i = 0; opts && opts[i].long_name; i++) {
		out[*n] = (struct option){
			opts[i].long_name,
			opts[i].arg ? required_argument : no_argument,
			NULL, base + (int)i,
		};
		(*n)++;
		if (opts[i].short_name) {
			size_t len = strlen(shorts);
			shorts[len] = (char)opts[i].short_name;
			shorts[len + 1] = '\0';
			if (opts[i].arg)
				strcat(shorts, ":");
		}
	}
}

/* Maps a short option character back to its table entry. */
static int find_short(const struct cli_option *opts, int c)
{
	for (size_t i = 0; opts && opts[i].long_name; i++)
		if (opts[i].short_name == c)
			return (int)i;
	return -1;
}

static int apply_global(struct cli *cli, const struct cli_command *cmd,
			int which, const char *arg, int *exit_status)
{
	switch (which) {
	case GLOBAL_DB:
		cli->conninfo = arg;
		break;
	case GLOBAL_USER:
		cli->user = arg;
		break;
	case GLOBAL_PASSWORD_FILE:
		cli->password_file = arg;
		break;
	case GLOBAL_QUIET:
		cli->quiet = true;
		break;
	case GLOBAL_HELP:
		cli_print_command_help(cmd);
		*exit_status = EXIT_OK;
		return -1;
	}
	return 0;
}

int cli_parse(struct cli *cli, const struct cli_command *cmd, int argc,
	      char **argv, int (*on_option)(int index, const char *arg, void *ctx),
	      void *ctx, int *exit_status)
{
	size_t total = count_options(cmd->options) + count_options(global_options);
	struct option *longs = xcalloc(total + 1, sizeof *longs);
	char *shorts = xcalloc(3 * total + 3, 1);
	size_t n = 0;
	strcpy(shorts, ":");	/* report missing arguments as ':' */
	add_long_options(longs, &n, shorts, cmd->options, COMMAND_OPTION_BASE);
	add_long_options(longs, &n, shorts, global_options, GLOBAL_OPTION_BASE);

	int rc = 0, c;
	*exit_status = EXIT_OK;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		int idx;
		if (c == '?' || c == ':') {
			const char *what = argv[optind - 1];
			*exit_status = cli_usage_error(cmd, c == ':' ?
				"option %s needs an argument" :
				"unknown option %s", what);
			rc = -1;
			break;
		}
		if (c >= GLOBAL_OPTION_BASE) {
			rc = apply_global(cli, cmd, c - GLOBAL_OPTION_BASE, optarg,
					  exit_status);
		} else if (c >= COMMAND_OPTION_BASE) {
			rc = on_option(c - COMMAND_OPTION_BASE, optarg, ctx);
		} else if ((idx = find_short(cmd->options, c)) >= 0) {
			rc = on_option(idx, optarg, ctx);
		} else {
			rc = apply_global(cli, cmd, find_short(global_options, c),
					  optarg, exit_status);
		}
		if (rc != 0) {
			if (*exit_status == EXIT_OK && rc > 0)
				*exit_status = rc;
			rc = -1;
			break;
		}
	}
	free(longs);
	free(shorts);
	return rc < 0 ? -1 : optind;
}

struct db *cli_connect(struct cli *cli)
{
	struct error err = {{0}};
	struct db *db = db_connect(cli->conninfo, &err);
	if (!db)
		cli_error("%s", err.msg);
	return db;
}

struct db *cli_connect_migrated(struct cli *cli)
{
	struct db *db = cli_connect(cli);
	if (!db)
		return NULL;
	struct error err = {{0}};
	if (migrate_check(db, datafiles_sql_dir(), &err) < 0) {
		cli_error("%s: %s", db_describe(db), err.msg);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_no_options(int index, const char *arg, void *ctx)
{
	(void)index;
	(void)arg;
	(void)ctx;
	return 0;
}

int cli_config(struct config *c)
{
	struct error err = {{0}};
	if (config_load_default(c, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

void cli_print_block(const char *text)
{
	const char *p = text ? text : "";
	do {
		size_t n = strcspn(p, "\n");
		struct buf line = {0};
		sanitize_append(&line, p, n);
		printf("  %s\n", line.data ? line.data : "");
		buf_free(&line);
		p += n;
	} while (*p++ == '\n' && *p);
}
