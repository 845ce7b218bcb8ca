/* import.c - `outreach import`: lead lists from CSV files or stdin into the
 * database through lead_import(), with a progress bar, warnings, the first
 * rejected rows and one summary line. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/progress.h"
#include "core/leadrow.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/import.h"
#include "model/permission.h"

static const struct cli_option import_options[] = {
	{"dry-run", 'n', NULL, "do everything, then roll back: report what "
	 "would happen (the rejects file is still written)"},
	{"delimiter", 'd', "C", "field delimiter: , ; | or tab (default: "
	 "guessed from the header line)"},
	{"map", 'm', "HEADER=FIELD", "read column HEADER as FIELD (name, "
	 "website, email, phone_number, address, instagram, facebook, "
	 "twitter, linkedin, contact_form, ignore); repeatable"},
	{"rejects", 'r', "PATH", "write rejected rows to PATH (default: "
	 "FILE.rejects.csv beside FILE, ./stdin.rejects.csv for -)"},
	{0},
};

enum { OPT_DRY_RUN, OPT_DELIMITER, OPT_MAP, OPT_REJECTS };

struct import_args {
	struct import_options opts;
	const char **maps;
	struct lead_map *check_map;	/* validates --map as it is given */
	struct progress *bar;
};

static int parse_delimiter(const char *arg, char *out)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0 ||
	    strcmp(arg, "\t") == 0) {
		*out = '\t';
		return 0;
	}
	if (strlen(arg) == 1 && strchr(",;|", arg[0])) {
		*out = arg[0];
		return 0;
	}
	return cli_usage_error(&cmd_import, "--delimiter '%s': expected one "
			       "of , ; | or tab", arg);
}

static int on_option(int index, const char *arg, void *ctx)
{
	struct import_args *a = ctx;
	struct error err = {{0}};

	switch (index) {
	case OPT_DRY_RUN:
		a->opts.dry_run = true;
		break;
	case OPT_DELIMITER:
		return parse_delimiter(arg, &a->opts.delimiter);
	case OPT_MAP:
		if (lead_map_override(a->check_map, arg, &err) < 0)
			return cli_usage_error(&cmd_import, "%s", err.msg);
		a->maps = xreallocarray(a->maps, a->opts.map_count + 1,
					sizeof *a->maps);
		a->maps[a->opts.map_count++] = arg;
		break;
	case OPT_REJECTS:
		a->opts.rejects_path = arg;
		break;
	}
	return 0;
}

static void on_warning(const char *msg, void *ctx)
{
	struct import_args *a = ctx;

	progress_finish(a->bar);
	cli_error("warning: %s", msg);
}

static void on_progress(const struct import_progress *p, void *ctx)
{
	struct import_args *a = ctx;

	if (p->phase == IMPORT_MERGING)
		progress_status(a->bar, "merging into the database...");
	else
		progress_update(a->bar, p->rows, p->bytes_done, p->bytes_total);
}

static void print_rejects(const struct import_report *r)
{
	for (size_t i = 0; i < r->kept_count; i++)
		cli_error("%s:%lu: rejected: %s", r->kept[i].file,
			  r->kept[i].line, r->kept[i].reason);
	if (r->rejected > r->kept_count)
		cli_error("... and %llu more rejected rows (all of them are in "
			  "the rejects file)", r->rejected - r->kept_count);
	for (size_t i = 0; i < r->file_count; i++)
		if (r->files[i].header_only)
			cli_error("warning: %s: only a header, no rows to "
				  "import", r->files[i].path);
}

/* imported N businesses (M new, K merged), C contacts, R rows rejected
 * -> FILE.rejects.csv; without rejects the arrow and file are left out. */
static void print_summary(const struct import_report *r)
{
	printf("%simport%s %lld businesses (%lld new, %lld merged), %lld "
	       "contacts, %llu rows rejected", r->dry_run ? "dry run: would " : "",
	       r->dry_run ? "" : "ed", r->businesses, r->businesses_new,
	       r->businesses_merged, r->contacts_added, r->rejected);
	const char *sep = " -> ";
	for (size_t i = 0; i < r->file_count; i++) {
		if (!r->files[i].rejects_path)
			continue;
		printf("%s%s", sep, r->files[i].rejects_path);
		sep = ", ";
	}
	if (r->dry_run)
		fputs("; nothing was changed", stdout);
	putchar('\n');
	fflush(stdout);
}

static int check_operands(struct import_args *a, int argc, int first)
{
	if (first >= argc)
		return cli_usage_error(&cmd_import, "no input files (give "
				       "FILE... or - for standard input)");
	if (a->opts.rejects_path && argc - first > 1)
		return cli_usage_error(&cmd_import, "--rejects names one file, "
				       "but there are %d inputs", argc - first);
	int dashes = 0;
	for (int i = first; i < argc; i++)
		dashes += strcmp(a->opts.files[i - first], "-") == 0;
	if (dashes > 1)
		return cli_usage_error(&cmd_import, "standard input (-) can "
				       "be read only once");
	return EXIT_OK;
}

static int do_import(struct cli *cli, struct import_args *a)
{
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct actor who;
	int acting = cli_actor(cli, db, &who);
	if (acting != EXIT_OK) {
		db_close(db);
		return acting;
	}
	a->opts.actor = &who;
	struct import_report report;
	struct error err = {{0}};
	a->bar = progress_new("rows", progress_wanted(cli->quiet));
	int rc = lead_import(db, &a->opts, on_progress, a, &report, &err);
	progress_free(a->bar);
	a->bar = NULL;
	db_close(db);
	int status = EXIT_RUNTIME;
	if (rc < 0) {
		cli_error("%s; nothing was imported", err.msg);
	} else {
		print_rejects(&report);
		print_summary(&report);
		status = report.rejected ? EXIT_REJECTED : EXIT_OK;
	}
	import_report_free(&report);
	return status;
}

static int run_import(struct cli *cli, int argc, char **argv)
{
	struct import_args a = {0};
	int status;

	a.check_map = lead_map_new();
	a.opts.warn = on_warning;
	a.opts.warn_ctx = &a;
	int first = cli_parse(cli, &cmd_import, argc, argv, on_option, &a,
			      &status);
	if (first >= 0) {
		a.opts.files = (const char *const *)argv + first;
		a.opts.file_count = (size_t)(argc - first);
		a.opts.maps = a.maps;
		status = check_operands(&a, argc, first);
		if (status == EXIT_OK)
			status = do_import(cli, &a);
	}
	lead_map_free(a.check_map);
	free(a.maps);
	return status;
}

const struct cli_command cmd_import = {
	.name = "import",
	.run = run_import,
	.usage = "[--dry-run] [--delimiter C] [--map HEADER=FIELD]... "
		 "[--rejects PATH] FILE... | -",
	.summary = "import businesses and contacts from CSV files (- reads "
		   "standard input)",
	.options = import_options,
};
