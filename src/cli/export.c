/* export.c - `outreach export`: businesses and contacts as CSV, to a file
 * (written beside it and moved into place when complete) or to stdout. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/vocab.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/export.h"

static const struct cli_option export_options[] = {
	{"status", 's', "S", "only businesses with status S (pending_scan, "
	 "scanned, active, archived)"},
	{"output", 'o', "FILE", "write to FILE instead of standard output"},
	{0},
};

enum { OPT_STATUS, OPT_OUTPUT };

struct export_args {
	const char *status;
	const char *output;
};

static int on_option(int index, const char *arg, void *ctx)
{
	struct export_args *a = ctx;

	if (index == OPT_OUTPUT) {
		a->output = arg;
		return 0;
	}
	if (business_status_from_name(arg) < 0)
		return cli_usage_error(&cmd_export, "--status '%s': expected "
				       "pending_scan, scanned, active or "
				       "archived", arg);
	a->status = arg;
	return 0;
}

/* A half-written export must not replace a good one: write a new file
 * beside the target and rename it when the database said all is well. */
static FILE *open_temp(const char *path, char **tmp_out)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		char *tmp = xasprintf("%s.%ld-%d.tmp", path, (long)getpid(),
				      attempt);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd >= 0) {
			FILE *fp = fdopen(fd, "wb");
			if (fp) {
				*tmp_out = tmp;
				return fp;
			}
			close(fd);
		}
		int saved = errno;
		free(tmp);
		if (fd >= 0 || saved != EEXIST)
			break;
	}
	cli_error("%s: cannot create: %s", path, strerror(errno));
	return NULL;
}

static int export_to_file(struct db *db, const struct export_args *a,
			  long long *count)
{
	char *tmp = NULL;
	FILE *fp = open_temp(a->output, &tmp);
	if (!fp)
		return EXIT_RUNTIME;
	struct error err = {{0}};
	int rc = business_export(db, a->status, fp, count, &err);
	if (fclose(fp) != 0 && rc == 0)
		rc = error_set(&err, "cannot write: %s", strerror(errno));
	if (rc == 0 && rename(tmp, a->output) != 0)
		rc = error_set(&err, "cannot rename %s: %s", tmp,
			       strerror(errno));
	if (rc < 0) {
		unlink(tmp);
		cli_error("%s: %s; nothing was written", a->output, err.msg);
	}
	free(tmp);
	return rc < 0 ? EXIT_RUNTIME : EXIT_OK;
}

static int run_export(struct cli *cli, int argc, char **argv)
{
	struct export_args a = {0};
	int status;
	int first = cli_parse(cli, &cmd_export, argc, argv, on_option, &a,
			      &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_export, "unexpected argument '%s'",
				       argv[first]);
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	long long count = 0;
	if (a.output) {
		status = export_to_file(db, &a, &count);
	} else {
		struct error err = {{0}};
		status = EXIT_OK;
		if (business_export(db, a.status, stdout, &count, &err) < 0) {
			cli_error("export: %s", err.msg);
			status = EXIT_RUNTIME;
		}
	}
	db_close(db);
	/* On stderr: stdout may be the data itself. */
	if (status == EXIT_OK)
		fprintf(stderr, "exported %lld businesses -> %s\n", count,
			a.output ? a.output : "standard output");
	return status;
}

const struct cli_command cmd_export = {
	.name = "export",
	.run = run_export,
	.usage = "[--status S] [-o FILE]",
	.summary = "export businesses and contacts as CSV (the columns "
		   "import reads)",
	.options = export_options,
};
