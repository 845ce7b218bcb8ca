/* messages.c - `outreach messages SUBCOMMAND`: mark what happened to a
 * message, retry a failure, show one message with its history, and list
 * messages a page at a time. The rules live in the model. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/message.h"

struct messages_options {
	const char *reason;
	const char *campaign;
	const char *status;
	const char *platform;
	const char *limit;
	const char *after;
	bool unknown;		/* retry --unknown */
};

static const struct cli_option mark_options[] = {
	{"reason", 'r', "TEXT", "why it failed (required with failed)"},
	{0},
};

static const struct cli_option list_options[] = {
	{"campaign", 'c', "NAME", "only the messages of campaign NAME"},
	{"status", 's', "S", "only pending, sent, opened, replied or failed"},
	{"platform", 'p', "P", "only email, instagram, facebook, twitter or linkedin"},
	{"limit", 'n', "N", "at most N messages (default 50)"},
	{"after", 0, "ID", "the page after message ID (the hint at the end "
	 "of a page says which)"},
	{0},
};

static const struct cli_option retry_options[] = {
	{"unknown", 0, NULL, "every message failed as \"delivery unknown\""},
	{"campaign", 'c', "NAME", "with --unknown: only campaign NAME's"},
	{0},
};

static int on_retry_option(int index, const char *arg, void *ctx)
{
	struct messages_options *o = ctx;
	if (index == 0)
		o->unknown = true;
	else
		o->campaign = arg;
	return 0;
}

static int on_mark_option(int index, const char *arg, void *ctx)
{
	(void)index;
	((struct messages_options *)ctx)->reason = arg;
	return 0;
}

static int on_list_option(int index, const char *arg, void *ctx)
{
	struct messages_options *o = ctx;
	const char **slots[] = {&o->campaign, &o->status, &o->platform, &o->limit,
				&o->after};
	*slots[index] = arg;
	return 0;
}

/* A positive number for ID-like operands; 0 when it is not one. */
static long positive(const char *s)
{
	char *end;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || errno || *end || end == s || v <= 0 || v > 2147483647L)
		return 0;
	return v;
}

static void print_safe(const char *label, const char *value)
{
	if (!value)
		return;
	char *safe = sanitize_dup(value);
	printf("%-12s%s\n", label, safe);
	free(safe);
}

/* Model errors may quote database text (a campaign name, a claimant):
 * shown sanitised, like everything else from the database. */
static void refuse(const struct actor *actor, const struct error *err)
{
	struct error safe = {{0}};
	char *text = sanitize_dup(err->msg);
	snprintf(safe.msg, sizeof safe.msg, "%s", text);
	free(text);
	if (actor)
		cli_refusal(actor, &safe);
	else
		cli_error("%s", safe.msg);
}

/* ---- mark and retry ---- */

/* Operands are checked before connecting, so a typo costs no login. */
static int parse_mark(int argc, char **argv, const struct messages_options *o,
		      struct message_mark *m)
{
	const struct cli_command *cmd = &cmd_messages;
	if (argc != 2)
		return cli_usage_error(cmd, "mark takes a message ID and a status: "
				       "messages mark ID (sent|opened|replied|failed)");
	long id = positive(argv[0]);
	if (!id)
		return cli_usage_error(cmd, "'%s' is not a message ID (a number "
				       "'messages list' shows)", argv[0]);
	int to = message_status_from_name(argv[1]);
	if (to < 0 || to == MESSAGE_PENDING)
		return cli_usage_error(cmd, "mark a message sent, opened, replied "
				       "or failed, not '%s'%s", argv[1],
				       to == MESSAGE_PENDING ? " (use 'messages "
				       "retry ID' to send a failed one again)" : "");
	if (to == MESSAGE_FAILED && (!o->reason || !*o->reason))
		return cli_usage_error(cmd, "say why it failed: --reason TEXT");
	if (to != MESSAGE_FAILED && o->reason)
		return cli_usage_error(cmd, "--reason goes with failed only");
	*m = (struct message_mark){(int)id, (enum message_status)to, o->reason, NULL};
	return EXIT_OK;
}

static int parse_one_id(const char *verb, int argc, char **argv, int *id)
{
	if (argc != 1)
		return cli_usage_error(&cmd_messages, "%s takes one message ID", verb);
	*id = (int)positive(argv[0]);
	if (!*id)
		return cli_usage_error(&cmd_messages, "'%s' is not a message ID "
				       "(a number 'messages list' shows)", argv[0]);
	return EXIT_OK;
}

static int mark_command(struct db *db, const struct actor *actor,
			const struct message_mark *m)
{
	struct error err = {{0}};
	if (message_mark(db, actor, m, &err) < 0) {
		refuse(actor, &err);
		return EXIT_RUNTIME;
	}
	printf("message %d marked %s%s\n", m->id, message_status_name(m->to),
	       m->to == MESSAGE_REPLIED ? " (and opened, if it was not yet)" : "");
	return EXIT_OK;
}

/* retry ID... or retry --unknown [--campaign NAME]: the IDs. */
static int parse_retry(int argc, char **argv, const struct messages_options *o,
		       int **ids, size_t *count)
{
	*ids = NULL;
	*count = 0;
	if (o->unknown && argc > 0)
		return cli_usage_error(&cmd_messages, "retry takes message IDs or "
				       "--unknown, not both");
	if (o->campaign && !o->unknown)
		return cli_usage_error(&cmd_messages, "retry --campaign goes with "
				       "--unknown");
	if (!o->unknown && argc == 0)
		return cli_usage_error(&cmd_messages, "retry takes one or more "
				       "message IDs, or --unknown");
	*ids = xcalloc((size_t)argc + 1, sizeof **ids);
	for (int i = 0; i < argc; i++) {
		(*ids)[i] = (int)positive(argv[i]);
		if (!(*ids)[i]) {
			free(*ids);
			*ids = NULL;
			return cli_usage_error(&cmd_messages, "'%s' is not a message "
					       "ID (a number 'messages list' "
					       "shows)", argv[i]);
		}
	}
	*count = (size_t)argc;
	return EXIT_OK;
}

/* Each message is its own retry (and audit entry): one refused does not
 * hold back the others. */
static int retry_command(struct db *db, const struct actor *actor,
			 const struct messages_options *o, int *ids, size_t count)
{
	struct error err = {{0}};
	if (o->unknown) {
		free(ids);
		if (message_unknown_ids(db, o->campaign, &ids, &count, &err) < 0) {
			cli_error("%s", err.msg);
			return EXIT_RUNTIME;
		}
		if (count == 0)
			printf("no message failed as \"delivery unknown\"%s%s%s\n",
			       o->campaign ? " in campaign \"" : "",
			       o->campaign ? o->campaign : "",
			       o->campaign ? "\"" : "");
	}
	size_t refused = 0;
	for (size_t i = 0; i < count; i++) {
		bool reopened = false;
		if (message_retry(db, actor, ids[i], &reopened, &err) < 0) {
			refuse(actor, &err);
			refused++;
			continue;
		}
		printf("message %d is pending again%s\n", ids[i], reopened ?
		       "; its campaign was completed and is sending again" : "");
	}
	if (count > 1)
		printf("%zu of %zu messages pending again\n", count - refused, count);
	free(ids);
	return refused ? EXIT_RUNTIME : EXIT_OK;
}

/* ---- show ---- */

static int show_command(struct db *db, int id)
{
	struct message_detail d;
	struct error err = {{0}};
	if (message_show(db, id, &d, &err) < 0) {
		refuse(NULL, &err);
		return EXIT_RUNTIME;
	}
	printf("%-12s%d\n", "message:", d.id);
	char *campaign = sanitize_dup(d.campaign_name);
	printf("%-12s%s (%s)\n", "campaign:", campaign, d.campaign_status);
	free(campaign);
	print_safe("business:", d.business_name);
	char *to = sanitize_dup(d.address);
	printf("%-12s%s %s\n", "to:", d.platform, to);
	free(to);
	printf("%-12s%s\n", "status:", d.status);
	print_safe("sent:", d.sent_at);
	print_safe("opened:", d.opened_at);
	print_safe("replied:", d.replied_at);
	print_safe("failed:", d.failed_at);
	printf("%-12s%d\n", "attempts:", d.attempts);
	print_safe("last error:", d.last_error);
	if (d.claimed_by) {
		char *who = sanitize_dup(d.claimed_by);
		printf("%-12s%s since %s\n", "claimed by:", who, d.claimed_at);
		free(who);
	}
	print_safe("next try:", d.next_attempt_at);
	print_safe("message-id:", d.message_id_header);
	if (d.subject && *d.subject)
		print_safe("subject:", d.subject);
	puts("content:");
	cli_print_block(d.content);
	puts("history:");
	if (d.event_count == 0)
		puts("  (no changes since it was generated)");
	for (size_t i = 0; i < d.event_count; i++) {
		struct buf line = {0};
		buf_printf(&line, "  %s  %-9s ", d.events[i].at, d.events[i].event);
		if (d.events[i].actor) {
			buf_puts(&line, "by ");
			sanitize_append(&line, d.events[i].actor, strlen(d.events[i].actor));
		}
		if (d.events[i].detail) {
			buf_puts(&line, ": ");
			sanitize_append(&line, d.events[i].detail, strlen(d.events[i].detail));
		}
		puts(line.data);
		buf_free(&line);
	}
	message_detail_free(&d);
	return EXIT_OK;
}

/* ---- list ---- */

static int campaign_id(struct db *db, const char *name, int *out)
{
	const char *params[] = {name};
	struct error err = {{0}};
	PGresult *res = db_exec(db, "SELECT id FROM campaigns WHERE name = $1",
				1, params, &err);
	if (!res) {
		error_prefix(&err, "cannot look up the campaign");
		refuse(NULL, &err);
		return EXIT_RUNTIME;
	}
	int found = PQntuples(res);
	*out = found ? atoi(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	if (!found) {
		char *safe = sanitize_dup(name);
		cli_error("no campaign named \"%s\"; 'outreach campaign list' shows "
			  "them", safe);
		free(safe);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int list_filter(const struct messages_options *o,
		       struct message_filter *f, long *limit, long *after)
{
	const struct cli_command *cmd = &cmd_messages;
	*f = (struct message_filter){0, -1, -1};
	if (o->status && (f->status = message_status_from_name(o->status)) < 0)
		return cli_usage_error(cmd, "--status: '%s' is not pending, sent, "
				       "opened, replied or failed", o->status);
	if (o->platform &&
	    (f->platform = message_platform_from_name(o->platform)) < 0)
		return cli_usage_error(cmd, "--platform: '%s' is not email, "
				       "instagram, facebook, twitter or linkedin",
				       o->platform);
	*limit = o->limit ? positive(o->limit) : 50;
	if (!*limit || *limit > 10000)
		return cli_usage_error(cmd, "--limit: give a number from 1 to 10000");
	*after = o->after ? positive(o->after) : 0;
	if (o->after && !*after)
		return cli_usage_error(cmd, "--after: give a message ID");
	return EXIT_OK;
}

static int list_command(struct db *db, const struct messages_options *o,
			struct message_filter f, long limit, long after)
{
	int rc = EXIT_OK;
	if (o->campaign)
		rc = campaign_id(db, o->campaign, &f.campaign_id);
	if (rc != EXIT_OK)
		return rc;
	struct message_row *rows;
	size_t n;
	struct error err = {{0}};
	if (message_list(db, &f, (int)after, (int)limit, &rows, &n, &err) < 0) {
		refuse(NULL, &err);
		return EXIT_RUNTIME;
	}
	printf("%8s %-20s %-24s %-9s %-7s %-19s %s\n", "ID", "CAMPAIGN", "BUSINESS",
	       "PLATFORM", "STATUS", "WHEN", "TO / ERROR");
	for (size_t i = 0; i < n; i++) {
		struct buf line = {0};
		buf_printf(&line, "%8d ", rows[i].id);
		text_fit(&line, rows[i].campaign_name, 20);
		buf_putc(&line, ' ');
		text_fit(&line, rows[i].business_name, 24);
		buf_printf(&line, " %-9s %-7s %-19s ", rows[i].platform,
			   rows[i].status, rows[i].when);
		const char *last = rows[i].last_error && !strcmp(rows[i].status, "failed") ?
			rows[i].last_error : rows[i].address;
		sanitize_append(&line, last, strlen(last));
		puts(line.data);
		buf_free(&line);
	}
	if (n == 0)
		puts("no message matches");
	else if ((long)n == limit)
		printf("more: add --after %d\n", rows[n - 1].id);
	message_rows_free(rows, n);
	return EXIT_OK;
}

/* ---- the command ---- */

static const char *const subcommands = "mark, retry, show or list";

static int run_messages(struct cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
		cli_print_command_help(&cmd_messages);
		return EXIT_OK;
	}
	if (!sub)
		return cli_usage_error(&cmd_messages, "which subcommand? %s",
				       subcommands);
	bool is_mark = strcmp(sub, "mark") == 0, is_list = strcmp(sub, "list") == 0;
	if (!is_mark && !is_list && strcmp(sub, "retry") != 0 &&
	    strcmp(sub, "show") != 0)
		return cli_usage_error(&cmd_messages, "'%s' is not a messages "
				       "subcommand (%s)", sub, subcommands);
	bool is_retry = strcmp(sub, "retry") == 0;
	struct cli_command parsed = cmd_messages;
	parsed.options = is_mark ? mark_options : is_list ? list_options :
			 is_retry ? retry_options : NULL;
	struct messages_options o = {0};
	int status;
	int first = cli_parse(cli, &parsed, argc - 1, argv + 1,
			      is_mark ? on_mark_option : is_list ? on_list_option :
			      is_retry ? on_retry_option : cli_no_options, &o,
			      &status);
	if (first < 0)
		return status;
	int nops = argc - 1 - first;
	char **ops = argv + 1 + first;
	int *retry_ids = NULL;
	size_t nretry = 0;
	struct message_mark m = {0};
	struct message_filter f = {0, -1, -1};
	long limit = 0, after = 0;
	int id = 0;
	if (is_mark)
		status = parse_mark(nops, ops, &o, &m);
	else if (is_list)
		status = nops ? cli_usage_error(&cmd_messages, "list takes options "
						"only") : list_filter(&o, &f, &limit, &after);
	else if (is_retry)
		status = parse_retry(nops, ops, &o, &retry_ids, &nretry);
	else
		status = parse_one_id(sub, nops, ops, &id);
	if (status != EXIT_OK)
		return status;
	struct db *db = cli_connect_migrated(cli);
	if (!db) {
		free(retry_ids);
		return EXIT_RUNTIME;
	}
	struct actor actor;
	status = cli_actor(cli, db, &actor);
	if (status == EXIT_OK) {
		if (is_mark)
			status = mark_command(db, &actor, &m);
		else if (is_list)
			status = list_command(db, &o, f, limit, after);
		else if (is_retry) {
			status = retry_command(db, &actor, &o, retry_ids, nretry);
			retry_ids = NULL;	/* freed there */
		}
		else
			status = show_command(db, id);
	}
	free(retry_ids);
	db_close(db);
	return status;
}

/* Both tables shown in the help: the parse uses the one of the verb. */
static const struct cli_option help_options[] = {
	{"reason", 'r', "TEXT", "mark ... failed: why it failed (required)"},
	{"campaign", 'c', "NAME", "list, retry --unknown: only the messages "
	 "of campaign NAME"},
	{"status", 's', "S", "list: only pending, sent, opened, replied or failed"},
	{"platform", 'p', "P", "list: only email, instagram, facebook, twitter "
	 "or linkedin"},
	{"limit", 'n', "N", "list: at most N messages (default 50)"},
	{"after", 0, "ID", "list: the page after message ID"},
	{"unknown", 0, NULL, "retry: every message failed as \"delivery "
	 "unknown\" (with --campaign: of that campaign)"},
	{0},
};

const struct cli_command cmd_messages = {
	.name = "messages",
	.run = run_messages,
	.usage = "mark ID (sent|opened|replied|failed) [--reason R] | "
		 "retry (ID... | --unknown [--campaign NAME]) | show ID | list [--campaign NAME] [--status S] [--platform P] "
		 "[--limit N] [--after ID]",
	.summary = "record what happened to a message, retry, show and list them",
	.options = help_options,
};
