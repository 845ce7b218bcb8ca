/* audit.c - `outreach audit`: the audit log, oldest first, one entry per
 * line. Every field is sanitised: actors of failed logins are whatever
 * someone typed. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "db/db.h"
#include "model/audit.h"

struct audit_options {
	const char *since;
	long limit;
};

static const struct cli_option audit_options[] = {
	{"since", 0, "T", "entries from T on: a time (2024-05-01, "
	 "'2024-05-01 13:00') or a duration ago ('2 hours', '7 days')"},
	{"limit", 'n', "N", "only the newest N entries"},
	{0},
};

static int on_audit_option(int index, const char *arg, void *ctx)
{
	struct audit_options *o = ctx;
	if (index == 0) {
		o->since = arg;
		return 0;
	}
	char *end;
	errno = 0;
	o->limit = strtol(arg, &end, 10);
	if (errno || *end || end == arg || o->limit <= 0)
		return cli_usage_error(&cmd_audit, "--limit: '%s' is not a "
				       "positive number", arg);
	return 0;
}

static void print_entry(const struct audit_entry *e, void *ctx)
{
	(void)ctx;
	struct buf line = {0};
	buf_puts(&line, e->at);
	buf_putc(&line, ' ');
	text_fit(&line, e->actor, 16);
	buf_putc(&line, ' ');
	text_fit(&line, e->action, 18);
	buf_putc(&line, ' ');
	sanitize_append(&line, e->entity[0] ? e->entity : "-",
			strlen(e->entity[0] ? e->entity : "-"));
	if (e->entity_id[0]) {
		buf_putc(&line, ' ');
		sanitize_append(&line, e->entity_id, strlen(e->entity_id));
	}
	if (e->detail[0]) {
		buf_puts(&line, ": ");
		sanitize_append(&line, e->detail, strlen(e->detail));
	}
	while (line.len && line.data[line.len - 1] == ' ')
		line.data[--line.len] = '\0';
	puts(line.data);
	buf_free(&line);
}

static int show_audit(struct db *db, const struct actor *actor,
		      const struct audit_options *o)
{
	struct error err = {{0}};
	char since[64];
	if (o->since && audit_resolve_since(db, o->since, since, sizeof since,
					    &err) < 0)
		return cli_usage_error(&cmd_audit, "%s", err.msg);
	if (audit_list(db, actor, o->since ? since : NULL, o->limit, print_entry,
		       NULL, &err) < 0) {
		cli_refusal(actor, &err);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int run_audit(struct cli *cli, int argc, char **argv)
{
	struct audit_options o = {0};
	int status;
	int first = cli_parse(cli, &cmd_audit, argc, argv, on_audit_option, &o,
			      &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_audit, "audit takes no operands");
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct actor actor;
	status = cli_actor(cli, db, &actor);
	if (status == EXIT_OK)
		status = show_audit(db, &actor, &o);
	db_close(db);
	return status;
}

const struct cli_command cmd_audit = {
	.name = "audit",
	.run = run_audit,
	.usage = "[--since T] [--limit N]",
	.summary = "show who did what and when",
	.options = audit_options,
};
