/* suppress.c - `outreach suppress`: add an address or a business to the
 * list of those never to be contacted again, and list it. Generation skips
 * them and every send worker checks again just before sending. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/permission.h"
#include "model/suppression.h"

static const struct cli_option suppress_options[] = {
	{"business", 'b', "ID", "suppress the whole business ID (every contact "
	 "it has or will have)"},
	{"reason", 0, "TEXT", "why, for whoever looks later (e.g. \"asked by "
	 "phone\")"},
	{0},
};

struct suppress_args {
	long business;
	const char *reason;
};

static int on_option(int index, const char *arg, void *ctx)
{
	struct suppress_args *a = ctx;
	if (index == 1) {
		a->reason = arg;
		return 0;
	}
	char *end;
	errno = 0;
	a->business = strtol(arg, &end, 10);
	if (errno || end == arg || *end || a->business < 1 || a->business > 2147483647L)
		return cli_usage_error(&cmd_suppress, "--business takes a business "
				       "id (a positive number), not '%s'", arg);
	return 0;
}

static void print_row(const struct suppression_row *r)
{
	struct buf line = {0};
	buf_puts(&line, r->created_at);
	buf_putc(&line, ' ');
	if (r->address) {
		text_fit(&line, r->address, 40);
	} else {
		char who[48];
		snprintf(who, sizeof who, "business %d ", r->business_id);
		buf_puts(&line, who);
		text_fit(&line, r->business_name ? r->business_name : "", 39 -
			 (int)strlen(who) > 0 ? 40 - (int)strlen(who) : 1);
	}
	buf_putc(&line, ' ');
	text_fit(&line, r->created_by ? r->created_by : "-", 16);
	if (r->reason) {
		buf_puts(&line, " ");
		sanitize_append(&line, r->reason, strlen(r->reason));
	}
	printf("%s\n", line.data);
	buf_free(&line);
}

static int list(struct db *db)
{
	struct suppression_row *rows;
	size_t n;
	struct error err = {{0}};
	if (suppression_list(db, &rows, &n, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	for (size_t i = 0; i < n; i++)
		print_row(&rows[i]);
	if (n == 0)
		fprintf(stderr, "the suppression list is empty\n");
	suppression_list_free(rows, n);
	return EXIT_OK;
}

static int business_exists(struct db *db, long id, struct error *err)
{
	char s[24];
	snprintf(s, sizeof s, "%ld", id);
	const char *p[] = {s};
	PGresult *r = db_exec(db, "SELECT 1 FROM businesses WHERE id = $1::int",
			      1, p, err);
	if (!r)
		return -1;
	int found = PQntuples(r) > 0;
	PQclear(r);
	return found;
}

static int add(struct db *db, const struct actor *actor,
	       const struct suppress_args *a, const char *address)
{
	struct error err = {{0}};
	if (!address) {
		int found = business_exists(db, a->business, &err);
		if (found <= 0) {
			if (found == 0)
				cli_error("there is no business with id %ld; "
					  "`outreach export` lists them", a->business);
			else
				cli_error("%s", err.msg);
			return EXIT_RUNTIME;
		}
	} else if (!*address || strspn(address, " \t") == strlen(address)) {
		return cli_usage_error(&cmd_suppress, "the address is empty");
	}
	bool added = false;
	if (suppression_add(db, address, (int)a->business, a->reason, actor->name,
			    &added, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	char *what;
	if (address) {
		/* As stored: trimmed and lower-cased (ASCII; the database
		 * lower-cases the rest). */
		char *copy = xstrdup(address + strspn(address, " \t"));
		size_t n = strlen(copy);
		while (n > 0 && (copy[n - 1] == ' ' || copy[n - 1] == '\t'))
			copy[--n] = '\0';
		for (char *p = copy; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		what = sanitize_dup(copy);
		free(copy);
	} else {
		what = xasprintf("business %ld", a->business);
	}
	printf("%s %s\n", what, added ? "suppressed" : "was already suppressed");
	free(what);
	return EXIT_OK;
}

static int run_suppress(struct cli *cli, int argc, char **argv)
{
	struct suppress_args a = {0};
	int status = EXIT_OK;
	int first = cli_parse(cli, &cmd_suppress, argc, argv, on_option, &a, &status);
	if (first < 0)
		return status;
	const char *verb = first < argc ? argv[first] : NULL;
	int nargs = argc - first - 1;
	if (!verb || (strcmp(verb, "add") != 0 && strcmp(verb, "list") != 0))
		return cli_usage_error(&cmd_suppress, "say what to do: add or list");
	if (strcmp(verb, "list") == 0 && (nargs > 0 || a.business || a.reason))
		return cli_usage_error(&cmd_suppress, "list takes no operands or "
				       "options");
	if (strcmp(verb, "add") == 0 && (a.business ? nargs != 0 : nargs != 1))
		return cli_usage_error(&cmd_suppress, "add takes one ADDRESS or "
				       "--business ID");

	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct actor actor;
	status = cli_actor(cli, db, &actor);
	if (status == EXIT_OK) {
		if (strcmp(verb, "list") == 0)
			status = list(db);
		else
			status = add(db, &actor, &a, a.business ? NULL : argv[first + 1]);
	}
	db_close(db);
	return status;
}

const struct cli_command cmd_suppress = {
	.name = "suppress",
	.run = run_suppress,
	.usage = "add ADDRESS [--reason R] | add --business ID [--reason R] | list",
	.summary = "keep addresses and businesses from being contacted",
	.options = suppress_options,
};
