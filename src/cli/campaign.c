/* campaign.c - `outreach campaign SUBCOMMAND`: write drafts from files, see
 * them, preview, generate, and move them through their lifecycle. */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/progress.h"
#include "model/permission.h"
#include "core/clock.h"
#include "core/file.h"
#include "core/sanitize.h"
#include "core/config.h"
#include "core/xalloc.h"
#include "model/campaign.h"

/* What the options of create and edit collect. */
struct draft_options {
	const char *subject_file;
	const char *body_file;
	const char *statuses;
	const char *platforms;
	const char *search;
	int primary_only;	/* -1 unchanged, 0 every contact, 1 primary */
	const char *expect;
	const char *at;
	const char *business;
};

static const struct cli_option create_options[] = {
	{"subject-file", 0, "FILE", "read the subject template from FILE (- for stdin)"},
	{"body-file", 0, "FILE", "read the body template from FILE (- for stdin)"},
	{"status", 0, "LIST", "business statuses to reach (default: active)"},
	{"platform", 0, "LIST", "platforms to reach: email, instagram, facebook, "
	 "twitter, linkedin (default: email)"},
	{"search", 0, "TEXT", "only businesses whose name or website contains "
	 "TEXT (\"\" for all)"},
	{"all-contacts", 0, NULL, "every contact of a platform, not only the primary"},
	{"primary-only", 0, NULL, "only the primary contact per platform (default)"},
	{0},
};
enum { OPT_SUBJECT, OPT_BODY, OPT_STATUS, OPT_PLATFORM, OPT_SEARCH,
       OPT_ALL_CONTACTS, OPT_PRIMARY_ONLY, OPT_EXPECT };

static const struct cli_option edit_options[] = {
	{"subject-file", 0, "FILE", "read the subject template from FILE (- for stdin)"},
	{"body-file", 0, "FILE", "read the body template from FILE (- for stdin)"},
	{"status", 0, "LIST", "business statuses to reach"},
	{"platform", 0, "LIST", "platforms to reach"},
	{"search", 0, "TEXT", "only businesses whose name or website contains "
	 "TEXT (\"\" for all)"},
	{"all-contacts", 0, NULL, "every contact of a platform, not only the primary"},
	{"primary-only", 0, NULL, "only the primary contact per platform"},
	{"expect", 0, "TIME", "refuse to save if the campaign changed after TIME "
	 "(the 'updated' time 'show' printed)"},
	{0},
};

static const struct cli_option schedule_options[] = {
	{"at", 0, "TIME", "start at TIME, e.g. '2030-03-01 09:00' (default: "
	 "when a send worker next runs)"},
	{0},
};

static const struct cli_option preview_options[] = {
	{"business", 'b', "ID", "the business to render the message for"},
	{0},
};

static int on_draft_option(int index, const char *arg, void *ctx)
{
	struct draft_options *o = ctx;
	switch (index) {
	case OPT_SUBJECT: o->subject_file = arg; break;
	case OPT_BODY: o->body_file = arg; break;
	case OPT_STATUS: o->statuses = arg; break;
	case OPT_PLATFORM: o->platforms = arg; break;
	case OPT_SEARCH: o->search = arg; break;
	case OPT_ALL_CONTACTS: o->primary_only = 0; break;
	case OPT_PRIMARY_ONLY: o->primary_only = 1; break;
	case OPT_EXPECT: o->expect = arg; break;
	}
	return 0;
}

static int on_schedule_option(int index, const char *arg, void *ctx)
{
	((struct draft_options *)ctx)->at = arg;
	return 0;
}

static int on_preview_option(int index, const char *arg, void *ctx)
{
	((struct draft_options *)ctx)->business = arg;
	return 0;
}

/* ---- helpers ---- */

/* Sender settings from outreach.conf and its OUTREACH_* overrides; the
 * strings live in cfg, which the caller frees. */
static int sender_from_config(struct config *cfg, struct audience_sender *s)
{
	int rc = cli_config(cfg);
	*s = audience_sender_from_config(cfg);
	return rc;
}

/* A template file ("-": standard input): text, so a NUL byte is refused. */
static char *read_file(const char *path)
{
	struct error err = {{0}};
	size_t len = 0;
	char *text = strcmp(path, "-") == 0 ?
		file_read_stream(stdin, "standard input", &len, &err) :
		file_read_all(path, &len, &err);
	if (!text) {
		cli_error("%s", err.msg);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		cli_error("%s holds a NUL byte; a template is text", path);
		free(text);
		return NULL;
	}
	return text;
}

static void print_safe_line(const char *label, const char *value)
{
	char *safe = sanitize_dup(value);
	printf("%s%s\n", label, safe);
	free(safe);
}

/* Template errors go to stderr, one per line, after the campaign name. */
static void print_template_errors(const char *name, const struct buf *report)
{
	if (!report->len)
		return;
	char *safe = sanitize_dup(name);
	fprintf(stderr, "outreach: campaign \"%s\" has template errors:\n", safe);
	free(safe);
	fputs(report->data, stderr);
}

/* Every subcommand but list takes exactly one NAME. */
static int one_name(const struct cli_command *cmd, int first, int argc,
		    char **argv, const char **name)
{
	if (first >= argc)
		return cli_usage_error(cmd, "which campaign? give its NAME");
	if (first + 1 < argc)
		return cli_usage_error(cmd, "one campaign NAME only (quote a "
				       "name with spaces)");
	*name = argv[first];
	return EXIT_OK;
}

/* Fills the audience from the options on top of base (a copy is made). */
static int apply_audience_options(const struct draft_options *o,
				  const struct audience *base,
				  struct audience *out)
{
	struct error err = {{0}};
	*out = *base;
	out->search = base->search ? xstrdup(base->search) : NULL;
	if (o->statuses && audience_parse_statuses(o->statuses, &out->statuses, &err) < 0)
		goto bad;
	if (o->platforms && audience_parse_platforms(o->platforms, &out->platforms, &err) < 0)
		goto bad;
	if (o->search) {
		free(out->search);
		out->search = *o->search ? xstrdup(o->search) : NULL;
	}
	if (o->primary_only >= 0)
		out->primary_only = o->primary_only;
	return EXIT_OK;
bad:
	audience_free(out);
	cli_error("%s", err.msg);
	return EXIT_USAGE;
}

static bool audience_options_given(const struct draft_options *o)
{
	return o->statuses || o->platforms || o->search || o->primary_only >= 0;
}

/* ---- list and show ---- */

static void print_progress_cells(const struct campaign_summary *s)
{
	char audience[32];
	if (s->audience < 0)
		snprintf(audience, sizeof audience, "-");
	else
		snprintf(audience, sizeof audience, "%ld", s->audience);
	printf("%-10s %10s %10ld/%-10ld %8ld\n", campaign_status_name(s->status),
	       audience, s->sent, s->total, s->failed);
}

static int campaign_list_command(struct cli *cli, struct db *db)
{
	struct campaign_summary *rows;
	size_t n;
	struct error err = {{0}};
	if (campaign_list(db, &rows, &n, &err) < 0) {
		cli_error("cannot list campaigns: %s", err.msg);
		return EXIT_RUNTIME;
	}
	if (n == 0) {
		printf("no campaigns yet; create one with 'outreach campaign "
		       "create NAME --body-file FILE'\n");
		return EXIT_OK;
	}
	printf("%-32s %-10s %10s %21s %8s\n", "NAME", "STATUS", "AUDIENCE",
	       "SENT/TOTAL", "FAILED");
	for (size_t i = 0; i < n; i++) {
		struct buf name = {0};
		text_fit(&name, rows[i].name, 32);
		printf("%s ", name.data);
		buf_free(&name);
		print_progress_cells(&rows[i]);
	}
	campaign_list_free(rows, n);
	return EXIT_OK;
}

static void show_audience(struct db *db, const struct campaign *c)
{
	char *desc = audience_describe(&c->audience);
	print_safe_line("audience:   ", desc);
	free(desc);
	struct audience_size size;
	struct error err = {{0}};
	if (audience_size(db, c->id, &c->audience, &size, &err) < 0) {
		cli_error("cannot count the audience: %s", err.msg);
		return;
	}
	printf("size:       %ld messages to %ld businesses (%ld suppressed, "
	       "%ld businesses without a contact)\n", size.messages,
	       size.businesses, size.suppressed, size.no_contact);
}

static int show_command(struct db *db, const char *name)
{
	struct campaign c;
	struct error err = {{0}};
	if (campaign_load(db, name, &c, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	print_safe_line("campaign:   ", c.name);
	printf("status:     %s\n", campaign_status_name(c.status));
	if (c.start_at)
		printf("start at:   %s\n", c.start_at);
	show_audience(db, &c);
	struct campaign_summary s;
	if (campaign_progress(db, &c, &s, &err) == 0) {
		printf("messages:   %ld generated, %ld sent, %ld failed, %ld "
		       "pending\n", s.total, s.sent, s.failed, s.pending);
		free(s.name);
		free(s.start_at);
	}
	printf("updated:    %s", c.updated_at ? c.updated_at : "-");
	if (c.updated_by)
		print_safe_line(" by ", c.updated_by);
	else
		putchar('\n');
	struct buf report = {0};
	int errors = campaign_check_templates(c.subject_template,
					      c.body_template, &report);
	if (errors)
		printf("templates:  %d error%s\n", errors, errors == 1 ? "" : "s");
	puts("subject:");
	cli_print_block(c.subject_template);
	puts("body:");
	cli_print_block(c.body_template);
	if (errors) {
		puts("errors:");
		cli_print_block(report.data);
	}
	buf_free(&report);
	campaign_free(&c);
	return EXIT_OK;
}

/* ---- create and edit ---- */

/* Reads the files the options name; NULL members for files not given. */
static int read_templates(const struct draft_options *o, char **subject,
			  char **body)
{
	*subject = *body = NULL;
	if (o->subject_file && !(*subject = read_file(o->subject_file)))
		return EXIT_RUNTIME;
	if (o->body_file && !(*body = read_file(o->body_file))) {
		free(*subject);
		*subject = NULL;
		return EXIT_RUNTIME;
	}
	/* An editor's final newline is not part of a one-line subject. */
	if (*subject) {
		size_t n = strlen(*subject);
		while (n > 0 && ((*subject)[n - 1] == '\n' || (*subject)[n - 1] == '\r'))
			(*subject)[--n] = '\0';
	}
	return EXIT_OK;
}

static int report_saved(const char *verb, const char *name, int errors,
			const struct buf *report)
{
	char *safe = sanitize_dup(name);
	if (errors > 0) {
		print_template_errors(name, report);
		printf("%s draft campaign \"%s\" with %d template error%s: fix "
		       "them before generating or starting it\n", verb, safe,
		       errors, errors == 1 ? "" : "s");
		free(safe);
		return EXIT_REJECTED;
	}
	printf("%s draft campaign \"%s\"\n", verb, safe);
	free(safe);
	return EXIT_OK;
}

static int create_command(struct db *db, const struct campaign_actor *actor,
			  const char *name, const struct draft_options *o)
{
	char *subject, *body;
	int rc = read_templates(o, &subject, &body);
	if (rc != EXIT_OK)
		return rc;
	struct audience defaults, audience;
	audience_default(&defaults);
	rc = apply_audience_options(o, &defaults, &audience);
	if (rc != EXIT_OK) {
		free(subject);
		free(body);
		return rc;
	}
	struct buf report = {0};
	struct error err = {{0}};
	int errors = campaign_create(db, actor, name, subject, body, &audience,
				     &report, &err);
	if (errors < 0) {
		cli_error("%s", err.msg);
		rc = EXIT_RUNTIME;
	} else {
		rc = report_saved("created", name, errors, &report);
	}
	buf_free(&report);
	audience_free(&audience);
	free(subject);
	free(body);
	return rc;
}

static int save_edit(struct cli *cli, struct db *db,
		     const struct campaign_actor *actor, const struct campaign *c,
		     const char *subject, const char *body,
		     const struct audience *audience, const char *expect)
{
	struct campaign_change change = {
		subject, body, audience, expect ? expect : c->updated_at,
	};
	struct buf report = {0};
	struct error err = {{0}};
	long discarded = 0;
	int errors = campaign_edit(db, actor, c->name, &change, &discarded,
				   &report, &err);
	int rc;
	if (errors == CAMPAIGN_CONFLICT) {
		cli_error("%s; your files are unchanged: see 'outreach campaign "
			  "show' and save again", err.msg);
		rc = EXIT_RUNTIME;
	} else if (errors < 0) {
		cli_error("%s", err.msg);
		rc = EXIT_RUNTIME;
	} else {
		if (discarded)
			printf("discarded %ld generated message%s written from "
			       "the old text; run 'outreach campaign generate' "
			       "again\n", discarded, discarded == 1 ? "" : "s");
		rc = report_saved("saved", c->name, errors, &report);
	}
	buf_free(&report);
	return rc;
}

static int edit_command(struct cli *cli, struct db *db,
			const struct campaign_actor *actor, const char *name,
			const struct draft_options *o)
{
	if (!o->subject_file && !o->body_file && !audience_options_given(o))
		return cli_usage_error(cli->command, "nothing to change: give "
				       "--subject-file, --body-file or an "
				       "audience option");
	struct campaign c;
	struct error err = {{0}};
	if (campaign_load(db, name, &c, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	char *subject, *body;
	int rc = read_templates(o, &subject, &body);
	struct audience audience = {0};
	bool has_audience = audience_options_given(o);
	if (rc == EXIT_OK && has_audience)
		rc = apply_audience_options(o, &c.audience, &audience);
	if (rc == EXIT_OK)
		rc = save_edit(cli, db, actor, &c, subject, body,
			       has_audience ? &audience : NULL, o->expect);
	audience_free(&audience);
	free(subject);
	free(body);
	campaign_free(&c);
	return rc;
}

/* ---- preview and generate ---- */

static int preview_command(struct db *db, const char *name,
			   const struct draft_options *o)
{
	char *end;
	errno = 0;
	long id = o->business ? strtol(o->business, &end, 10) : 0;
	if (!o->business || errno || *end || id <= 0 || id > 2147483647L) {
		cli_error("preview needs --business ID, the number the "
			  "Businesses screen shows");
		return EXIT_USAGE;
	}
	struct audience_sender sender;
	struct config cfg;
	int rc = sender_from_config(&cfg, &sender);
	struct audience_preview p;
	struct buf report = {0};
	struct error err = {{0}};
	if (rc != EXIT_OK) {
		/* cli_config said which line is wrong */
	} else if (campaign_preview(db, name, (int)id, &sender, &p, &report, &err) < 0) {
		print_template_errors(name, &report);
		cli_error("%s", err.msg);
		rc = EXIT_RUNTIME;
	} else {
		print_safe_line("business: ", p.business_name);
		if (p.contact_type) {
			char *value = sanitize_dup(p.contact_value);
			printf("to:       %s %s\n", p.contact_type, value);
			free(value);
		} else {
			puts("to:       (no contact on the campaign's platforms: "
			     "this business gets no message)");
		}
		if (p.subject)
			print_safe_line("subject:  ", p.subject);
		puts("body:");
		cli_print_block(p.body);
		audience_preview_free(&p);
	}
	buf_free(&report);
	config_free(&cfg);
	return rc;
}

static void on_generate_progress(long done, long total, void *arg)
{
	unsigned long long n = done > 0 ? (unsigned long long)done : 0;
	progress_update(arg, n, n, total > 0 ? (unsigned long long)total : 0);
}

static int generate_command(struct cli *cli, struct db *db,
			    const struct campaign_actor *actor, const char *name)
{
	struct audience_sender sender;
	struct config cfg;
	int status = sender_from_config(&cfg, &sender);
	if (status != EXIT_OK) {
		config_free(&cfg);
		return status;
	}
	bool show = progress_wanted(cli->quiet);
	struct progress *bar = progress_new("rows", show);
	double started = clock_seconds();
	struct audience_generate_report r;
	struct buf report = {0};
	struct error err = {{0}};
	int rc = campaign_generate(db, actor, name, &sender,
				   show ? on_generate_progress : NULL,
				   bar, &r, &report, &err);
	progress_free(bar);
	if (rc < 0) {
		print_template_errors(name, &report);
		cli_error("%s", err.msg);
		buf_free(&report);
		config_free(&cfg);
		return EXIT_RUNTIME;
	}
	config_free(&cfg);
	long skipped = r.suppressed + r.already + r.no_contact;
	double secs = clock_seconds() - started;
	printf("generated %ld, skipped %ld (%ld suppressed, %ld already "
	       "generated, %ld no contact) in %.1f s\n", r.generated, skipped,
	       r.suppressed, r.already, r.no_contact, secs);
	buf_free(&report);
	return EXIT_OK;
}

/* ---- the lifecycle ---- */

static int delete_command(struct db *db, const struct campaign_actor *actor,
			  const char *name)
{
	long messages = 0;
	struct error err = {{0}};
	if (campaign_delete(db, actor, name, &messages, &err) < 0) {
		cli_refusal(actor->who, &err);
		return EXIT_RUNTIME;
	}
	char *safe = sanitize_dup(name);
	printf("deleted campaign \"%s\" and its %ld unsent message%s\n", safe,
	       messages, messages == 1 ? "" : "s");
	free(safe);
	return EXIT_OK;
}

static int transition_command(struct db *db, const struct campaign_actor *actor,
			      const char *name, enum campaign_action action,
			      const char *at)
{
	struct campaign_transition_result t;
	struct buf report = {0};
	struct error err = {{0}};
	int rc = campaign_apply(db, actor, name, action, at, &t, &report, &err);
	if (rc < 0) {
		print_template_errors(name, &report);
		cli_error("%s", err.msg);
		buf_free(&report);
		return EXIT_RUNTIME;
	}
	char *safe = sanitize_dup(name);
	printf("campaign \"%s\": %s -> %s", safe, campaign_status_name(t.from),
	       campaign_status_name(t.to));
	if (t.to == CAMPAIGN_COMPLETED)
		printf(" (no pending message was left)");
	else if (action == CAMPAIGN_SCHEDULE && at)
		printf(" (starts at %s)", at);
	putchar('\n');
	free(safe);
	buf_free(&report);
	return EXIT_OK;
}

/* ---- subcommands ---- */

enum sub {
	SUB_LIST, SUB_SHOW, SUB_CREATE, SUB_EDIT, SUB_PREVIEW, SUB_GENERATE,
	SUB_SCHEDULE, SUB_START, SUB_PAUSE, SUB_RESUME, SUB_CANCEL, SUB_DELETE,
	SUB_COUNT
};

static int run_sub(struct cli *cli, int argc, char **argv);

static const struct cli_command subs[SUB_COUNT] = {
	[SUB_LIST] = {"campaign list", run_sub, "",
		"list campaigns with status, audience size and progress", NULL},
	[SUB_SHOW] = {"campaign show", run_sub, "NAME",
		"show a campaign: status, audience, progress, templates and "
		"their errors", NULL},
	[SUB_CREATE] = {"campaign create", run_sub, "NAME [--subject-file F] "
		"[--body-file F] [AUDIENCE OPTIONS]",
		"create a draft campaign; a template with errors is saved all "
		"the same and listed (exit status 3)", create_options},
	[SUB_EDIT] = {"campaign edit", run_sub, "NAME [--subject-file F] "
		"[--body-file F] [AUDIENCE OPTIONS] [--expect TIME]",
		"change a draft's templates or audience; refused when someone "
		"else saved it since you read it", edit_options},
	[SUB_PREVIEW] = {"campaign preview", run_sub, "NAME --business ID",
		"render the message one business would receive", preview_options},
	[SUB_GENERATE] = {"campaign generate", run_sub, "NAME",
		"create the pending messages of the campaign's audience; "
		"running it again adds only what is new", NULL},
	[SUB_SCHEDULE] = {"campaign schedule", run_sub, "NAME [--at TIME]",
		"mark a draft ready to send, optionally from a given time",
		schedule_options},
	[SUB_START] = {"campaign start", run_sub, "NAME",
		"start sending a draft or scheduled campaign now", NULL},
	[SUB_PAUSE] = {"campaign pause", run_sub, "NAME",
		"stop sending for now", NULL},
	[SUB_RESUME] = {"campaign resume", run_sub, "NAME",
		"continue sending a paused campaign", NULL},
	[SUB_CANCEL] = {"campaign cancel", run_sub, "NAME",
		"stop a campaign for good; pending messages are never sent", NULL},
	[SUB_DELETE] = {"campaign delete", run_sub, "NAME",
		"delete a campaign that never sent anything, with its unsent "
		"messages (admins)", NULL},
};

static enum sub sub_of(const struct cli_command *cmd)
{
	return (enum sub)(cmd - subs);
}

static int (*const option_handler[SUB_COUNT])(int, const char *, void *) = {
	[SUB_CREATE] = on_draft_option,
	[SUB_EDIT] = on_draft_option,
	[SUB_PREVIEW] = on_preview_option,
	[SUB_SCHEDULE] = on_schedule_option,
};

static int dispatch(struct cli *cli, struct db *db,
		    const struct campaign_actor *actor, enum sub sub,
		    const char *name, const struct draft_options *o)
{
	switch (sub) {
	case SUB_LIST: return campaign_list_command(cli, db);
	case SUB_SHOW: return show_command(db, name);
	case SUB_CREATE: return create_command(db, actor, name, o);
	case SUB_EDIT: return edit_command(cli, db, actor, name, o);
	case SUB_PREVIEW: return preview_command(db, name, o);
	case SUB_GENERATE: return generate_command(cli, db, actor, name);
	case SUB_SCHEDULE:
		return transition_command(db, actor, name, CAMPAIGN_SCHEDULE, o->at);
	case SUB_START:
		return transition_command(db, actor, name, CAMPAIGN_START, NULL);
	case SUB_PAUSE:
		return transition_command(db, actor, name, CAMPAIGN_PAUSE, NULL);
	case SUB_RESUME:
		return transition_command(db, actor, name, CAMPAIGN_RESUME, NULL);
	case SUB_CANCEL:
		return transition_command(db, actor, name, CAMPAIGN_CANCEL, NULL);
	case SUB_DELETE:
		return delete_command(db, actor, name);
	case SUB_COUNT: break;
	}
	return EXIT_USAGE;
}

static int run_sub(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli->command;
	enum sub sub = sub_of(cmd);
	struct draft_options o = {.primary_only = -1};
	int status;
	int first = cli_parse(cli, cmd, argc, argv,
			      option_handler[sub] ? option_handler[sub] : cli_no_options,
			      &o, &status);
	if (first < 0)
		return status;
	const char *name = NULL;
	if (sub == SUB_LIST) {
		if (first < argc)
			return cli_usage_error(cmd, "list takes no operands");
	} else if ((status = one_name(cmd, first, argc, argv, &name)) != EXIT_OK) {
		return status;
	}
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	/* Who this command acts as ("changed by" names it): --user when
	 * given, else the login. */
	struct actor who;
	status = cli_actor(cli, db, &who);
	struct campaign_actor actor = {who.name, &who};
	if (status == EXIT_OK)
		status = dispatch(cli, db, &actor, sub, name, &o);
	db_close(db);
	return status;
}

static void print_campaign_help(void)
{
	cli_print_command_help(&cmd_campaign);
	puts("\nSubcommands:");
	for (int i = 0; i < SUB_COUNT; i++)
		printf("  %s%s%s\n      %s\n", subs[i].name + strlen("campaign "),
		       *subs[i].usage ? " " : "", subs[i].usage, subs[i].summary);
	puts("\nAudience options (create, edit): --status LIST, --platform LIST,\n"
	     "--search TEXT, --all-contacts, --primary-only.\n"
	     "Run 'outreach campaign SUBCOMMAND --help' for its options.");
}

static int run_campaign(struct cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(&cmd_campaign, "which subcommand? list, "
				       "show, create, edit, preview, generate, "
				       "schedule, start, pause, resume or cancel");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_campaign_help();
		return EXIT_OK;
	}
	for (int i = 0; i < SUB_COUNT; i++)
		if (strcmp(subs[i].name + strlen("campaign "), argv[1]) == 0) {
			cli->command = &subs[i];
			return subs[i].run(cli, argc - 1, argv + 1);
		}
	return cli_usage_error(&cmd_campaign, "'%s' is not a campaign "
			       "subcommand", argv[1]);
}

const struct cli_command cmd_campaign = {
	.name = "campaign",
	.run = run_campaign,
	.usage = "SUBCOMMAND [NAME] [OPTIONS]",
	.summary = "write, preview, generate and run campaigns",
	.options = NULL,
};
