/* migrate.c - `outreach migrate`: create or upgrade the schema.
 * Safe to run at any time: already applied migrations are skipped. */
#include "cli/cli.h"

#include <stdio.h>

#include "db/datafiles.h"
#include "db/db.h"
#include "db/migrate.h"

static void say_applying(const char *name, void *arg)
{
	struct cli *cli = arg;
	if (!cli->quiet)
		fprintf(stderr, "applying %s\n", name);
}

static int run_migrate(struct cli *cli, int argc, char **argv)
{
	int status;
	int first = cli_parse(cli, &cmd_migrate, argc, argv, cli_no_options,
			      NULL, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_migrate, "migrate takes no operands");
	struct db *db = cli_connect(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct error err = {{0}};
	struct migrate_report report;
	int rc = migrate_run(db, datafiles_sql_dir(), say_applying, cli,
			     &report, &err);
	if (rc < 0) {
		cli_error("%s: %s", db_describe(db), err.msg);
		db_close(db);
		return EXIT_RUNTIME;
	}
	if (report.applied)
		printf("applied %d migration%s; schema is at version %d\n",
		       report.applied, report.applied == 1 ? "" : "s",
		       report.version);
	else
		printf("schema is up to date at version %d\n", report.version);
	db_close(db);
	return EXIT_OK;
}

const struct cli_command cmd_migrate = {
	.name = "migrate",
	.run = run_migrate,
	.usage = "",
	.summary = "create or upgrade the database schema (safe to repeat)",
	.options = NULL,
};
