/* replies.c - `outreach replies`: reads the mail that arrived in an IMAP
 * mailbox since the last run, header fields only and without changing the
 * mailbox, and marks replied every message a mail answers (In-Reply-To or
 * References naming its Message-ID). Batches of UIDs, one transaction
 * each, so a run that stops resumes after its last finished batch. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/progress.h"
#include "core/config.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "db/db.h"
#include "model/replies.h"
#include "net/imap.h"

/* Mails asked for per FETCH: the headers of at most this many are held
 * at once, whatever the size of the mailbox. */
#define BATCH_UIDS 500
/* UID numbers listed per SEARCH: its answer (eleven bytes a UID at most)
 * stays well under what one response may hold. */
#define SEARCH_WINDOW 50000u

static const struct cli_option replies_options[] = {
	{"imap", 'i', "URL", "IMAP server, imap://HOST[:PORT] or imaps://... "
	 "(default: imap.url)"},
	{"mailbox", 'm', "NAME", "mailbox to read (default: imap.mailbox, "
	 "else INBOX)"},
	{0},
};

struct replies_args {
	const char *url;
	const char *mailbox;
};

static int on_option(int index, const char *arg, void *ctx)
{
	struct replies_args *a = ctx;
	if (index == 0)
		a->url = arg;
	else
		a->mailbox = arg;
	return 0;
}

/* The mails of one batch and the ids they name. */
struct batch {
	struct reply_ref *refs;
	size_t count, cap;
	int mails;
};

static void batch_clear(struct batch *b)
{
	for (size_t i = 0; i < b->count; i++)
		free((char *)b->refs[i].message_id);
	b->count = 0;
	b->mails = 0;
}

static void on_mail(void *arg, const struct imap_fetch *m)
{
	struct batch *b = arg;
	struct mail_refs r;
	mail_refs_parse(m->header, m->header_len, &r);
	for (size_t i = 0; i < r.count; i++) {
		if (b->count == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 256;
			b->refs = xrealloc(b->refs, b->cap * sizeof *b->refs);
		}
		b->refs[b->count++] = (struct reply_ref){
			.mail = b->mails, .message_id = r.ids[i],
			.date = r.date, .has_date = r.has_date,
		};
		r.ids[i] = NULL;	/* now the batch's */
	}
	r.count = 0;
	b->mails++;
}

struct settings {
	struct imap_options imap;
	char *server;
	const char *mailbox;
	char *password;
};

static int read_settings(const struct config *c, const struct replies_args *a,
			 struct settings *s, struct error *err)
{
	if (imap_server_name(a->url ? a->url : config_get(c, CFG_IMAP_URL),
			     &s->server, err) < 0)
		return -1;
	s->imap.server = s->server;
	s->mailbox = a->mailbox ? a->mailbox : config_get(c, CFG_IMAP_MAILBOX);
	if (!s->mailbox)
		s->mailbox = "INBOX";
	if (imap_check_mailbox(s->mailbox, err) < 0)
		return -1;
	if (starttls_parse("imap.starttls", config_get(c, CFG_IMAP_STARTTLS),
			   &s->imap.starttls, err) < 0 ||
	    config_get_long(c, CFG_IMAP_TIMEOUT, 1, 3600, 60, &s->imap.timeout_s,
			    err) < 0)
		return -1;
	s->imap.user = config_get(c, CFG_IMAP_USER);
	s->imap.ca_file = config_get(c, CFG_IMAP_CA_FILE);
	if (!s->imap.user)
		return error_set(err, "imap.user is not set: name the account "
				 "replies arrive at (and imap.password_file)");
	if (config_read_secret(c, CFG_IMAP_PASSWORD_FILE, &s->password, err) < 0)
		return -1;
	if (!s->password)
		return error_set(err, "imap.user is set but imap.password_file "
				 "is not: name the file holding the password");
	s->imap.password = s->password;
	return 0;
}

static void settings_free(struct settings *s)
{
	free(s->server);
	if (s->password) {
		memset(s->password, 0, strlen(s->password));
		free(s->password);
	}
}

struct tally {
	long checked;
	struct replies_outcome found;
};

/* Reads the mailbox from where the last run stopped to the end. */
static int read_mailbox(struct db *db, const struct actor *actor,
			struct imap_session *imap, const struct settings *s,
			struct progress *bar, struct tally *t, struct error *err)
{
	uint32_t validity, next;
	if (imap_status(imap, s->mailbox, &validity, &next, err) < 0)
		return -1;
	struct reply_mailbox m = {.server = s->server, .mailbox = s->mailbox};
	if (replies_mailbox_get(db, &m, err) < 0)
		return -1;
	if (m.uidvalidity != 0 && m.uidvalidity != validity) {
		char *safe = sanitize_dup(s->mailbox);
		progress_finish(bar);
		fprintf(stderr, "outreach: %s renumbered mailbox \"%s\" "
			"(UIDVALIDITY changed): reading it again from the start\n",
			s->server, safe);
		free(safe);
	}
	uint32_t last = m.uidvalidity == validity ? m.last_uid : 0;
	uint32_t end = next > 0 ? next - 1 : 0;
	bool fresh = m.uidvalidity != validity;
	m.uidvalidity = validity;
	struct batch b = {0};
	int rc = 0;
	/* The UIDs that exist are listed first, a window of UID numbers at a
	 * time: a mailbox whose UIDs are sparse (mail deleted over the years)
	 * costs one FETCH per BATCH_UIDS mails, not per BATCH_UIDS numbers. */
	uint32_t *uids = NULL;
	size_t nuids = 0, at = 0;
	uint32_t window_end = last;	/* the last UID the list covers */
	if (last < end && imap_examine(imap, s->mailbox, validity, err) < 0)
		return -1;
	while (last < end || fresh) {
		if (at == nuids && window_end < end) {
			uint32_t from = window_end + 1;
			window_end = end - from >= SEARCH_WINDOW ?
				     from + SEARCH_WINDOW - 1 : end;
			free(uids);
			at = 0;
			if (imap_search_uids(imap, from, window_end, &uids, &nuids,
					     err) < 0) {
				uids = NULL;
				rc = -1;
				break;
			}
		}
		/* The next BATCH_UIDS mails, as one range up to the next
		 * batch's first; the window's last range (or none) reaches
		 * the window's end. */
		uint32_t upto = window_end;
		if (at < nuids) {
			size_t stop = nuids - at > BATCH_UIDS ? at + BATCH_UIDS : nuids;
			if (stop < nuids)
				upto = uids[stop] - 1;
			if (imap_fetch_headers(imap, uids[at], upto, on_mail, &b,
					       err) < 0) {
				rc = -1;
				break;
			}
			at = stop;
		}
		m.last_uid = last < end ? upto : last;
		if (replies_record_batch(db, actor, &m, b.refs, b.count, &t->found,
					 err) < 0) {
			rc = -1;
			break;
		}
		t->checked += b.mails;
		batch_clear(&b);
		last = m.last_uid;
		fresh = false;
		progress_update(bar, (unsigned long long)t->checked,
				(unsigned long long)last, (unsigned long long)end);
	}
	batch_clear(&b);
	free(b.refs);
	free(uids);
	return rc;
}

static int run_replies(struct cli *cli, int argc, char **argv)
{
	struct replies_args a = {0};
	int status = EXIT_OK;
	int first = cli_parse(cli, &cmd_replies, argc, argv, on_option, &a, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_replies, "unexpected operand '%s'",
				       argv[first]);
	struct config cfg;
	struct settings s = {0};
	struct error err = {{0}};
	if ((status = cli_config(&cfg)) != EXIT_OK)
		goto out;
	if (read_settings(&cfg, &a, &s, &err) < 0) {
		cli_error_text(err.msg);
		status = EXIT_USAGE;
		goto out;
	}
	struct db *db = cli_connect_migrated(cli);
	if (!db) {
		status = EXIT_RUNTIME;
		goto out;
	}
	struct actor actor;
	if ((status = cli_actor(cli, db, &actor)) != EXIT_OK) {
		db_close(db);
		goto out;
	}
	if (permission_require(&actor, PERM_MARK_MESSAGES, &err) < 0) {
		cli_refusal(&actor, &err);
		db_close(db);
		status = EXIT_RUNTIME;
		goto out;
	}
	struct imap_session *imap = imap_open(&s.imap);
	struct progress *bar = progress_new("mails", progress_wanted(cli->quiet));
	struct tally t = {0};
	int rc = read_mailbox(db, &actor, imap, &s, bar, &t, &err);
	progress_free(bar);
	imap_close(imap);
	db_close(db);
	char *mailbox = sanitize_dup(s.mailbox);
	if (rc < 0) {
		cli_error_text(err.msg);
		if (t.checked)
			fprintf(stderr, "outreach: %ld mails in %s were read and "
				"recorded before that; the next run goes on from "
				"there\n", t.checked, mailbox);
		status = EXIT_RUNTIME;
	} else {
		printf("checked %ld new mail%s in %s, %ld repl%s matched (%ld "
		       "message%s marked replied)\n", t.checked,
		       t.checked == 1 ? "" : "s", mailbox, t.found.matched,
		       t.found.matched == 1 ? "y" : "ies", t.found.marked,
		       t.found.marked == 1 ? "" : "s");
	}
	free(mailbox);
out:
	settings_free(&s);
	config_free(&cfg);
	return status;
}

const struct cli_command cmd_replies = {
	.name = "replies",
	.run = run_replies,
	.usage = "[--imap URL] [--mailbox NAME]",
	.summary = "mark replied the messages answered by mail that arrived "
		   "over IMAP",
	.options = replies_options,
};
