/* user.c - `outreach user ...`: adding accounts, passwords, admin rights,
 * disabling, listing. The rules live in the model; this file reads the
 * command line and the passwords and reports the outcome. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/password_input.h"
#include "core/password.h"
#include "core/sanitize.h"
#include "db/db.h"
#include "model/permission.h"
#include "model/user.h"

struct user_options {
	const char *email;
	bool admin;
};

static const struct cli_option user_options[] = {
	{"email", 0, "E", "user add: the user's e-mail address"},
	{"admin", 0, NULL, "user add: make the user an admin"},
	{0},
};

static int on_user_option(int index, const char *arg, void *ctx)
{
	struct user_options *o = ctx;
	if (index == 0)
		o->email = arg;
	else
		o->admin = true;
	return 0;
}

enum user_verb { VERB_ADD, VERB_PASSWD, VERB_LIST, VERB_DISABLE, VERB_ENABLE,
		 VERB_GRANT, VERB_REVOKE };

/* Operands each verb takes after its name: "NAME", "NAME admin" or none. */
static const struct {
	const char *name;
	int operands;
} verbs[] = {
	[VERB_ADD] = {"add", 1}, [VERB_PASSWD] = {"passwd", 1},
	[VERB_LIST] = {"list", 0}, [VERB_DISABLE] = {"disable", 1},
	[VERB_ENABLE] = {"enable", 1}, [VERB_GRANT] = {"grant", 2},
	[VERB_REVOKE] = {"revoke", 2},
};
#define N_VERBS (int)(sizeof verbs / sizeof verbs[0])

static int parse_verb(int argc, char **argv, const struct user_options *o)
{
	if (argc < 1)
		return -cli_usage_error(&cmd_user, "say what to do: add, passwd, "
					"list, disable, enable, grant or revoke");
	for (int v = 0; v < N_VERBS; v++) {
		if (strcmp(argv[0], verbs[v].name) != 0)
			continue;
		if (argc - 1 != verbs[v].operands)
			return -cli_usage_error(&cmd_user, "user %s takes %s",
				verbs[v].name, verbs[v].operands == 0 ? "no operands" :
				verbs[v].operands == 1 ? "one user name" :
				"a user name and the word admin");
		if (verbs[v].operands == 2 && strcmp(argv[2], "admin") != 0)
			return -cli_usage_error(&cmd_user, "the only right to %s is "
						"'admin'", verbs[v].name);
		if (v != VERB_ADD && (o->email || o->admin))
			return -cli_usage_error(&cmd_user, "--email and --admin "
						"go with 'user add'");
		return v;
	}
	return -cli_usage_error(&cmd_user, "'%s' is not something user does "
				"(add, passwd, list, disable, enable, grant, "
				"revoke)", argv[0]);
}

/* ---------------------------------------------------------------- verbs */

static char *new_password(const char *name, struct error *err)
{
	char prompt[160];
	char *shown = sanitize_dup(name);
	snprintf(prompt, sizeof prompt, "New password for %.100s: ", shown);
	free(shown);
	return password_read(prompt, true, err);
}

/* A logged-in user who may not make the change hears so before typing a
 * new password twice; the model still decides (and the first admin of an
 * empty table is its call). */
static int refuse_early(const struct actor *actor, enum user_verb verb,
			const char *name, struct error *err)
{
	if (actor->kind != ACTOR_USER || actor->is_admin)
		return 0;
	if (verb == VERB_PASSWD && strcmp(actor->name, name) == 0)
		return 0;
	if (verb == VERB_ADD)
		return error_set(err, "only an admin can add users; ask an admin");
	return permission_require(actor, PERM_MANAGE_USERS, err);
}

static int with_new_password(struct db *db, const struct actor *actor,
			     enum user_verb verb, const char *name,
			     const struct user_options *o, struct error *err)
{
	if (refuse_early(actor, verb, name, err) < 0)
		return -1;
	char *password = new_password(name, err);
	if (!password)
		return -1;
	int rc = verb == VERB_ADD ?
		user_add(db, actor, name, o->email, o->admin, password, err) :
		user_set_password(db, actor, name, password, err);
	password_buffer_free(password);
	return rc;
}

static void print_user(const struct user_entry *u, void *ctx)
{
	(void)ctx;
	struct buf line = {0};
	text_fit(&line, u->name, 20);
	buf_putc(&line, ' ');
	text_fit(&line, u->email[0] ? u->email : "-", 30);
	buf_printf(&line, " %-5s %-8s ", u->is_admin ? "yes" : "no",
		   u->disabled ? "yes" : "no");
	text_fit(&line, u->last_login[0] ? u->last_login : "never", 16);
	if (u->locked_until[0]) {
		buf_puts(&line, " locked until ");
		sanitize_append(&line, u->locked_until, strlen(u->locked_until));
	}
	while (line.len && line.data[line.len - 1] == ' ')
		line.data[--line.len] = '\0';
	puts(line.data);
	buf_free(&line);
}

static int list_users(struct db *db, const struct actor *actor, struct error *err)
{
	printf("%-20s %-30s %-5s %-8s %s\n", "NAME", "EMAIL", "ADMIN", "DISABLED",
	       "LAST LOGIN");
	return user_list(db, actor, print_user, NULL, err);
}

static const char *done_text(enum user_verb verb)
{
	static const char *const texts[] = {
		[VERB_ADD] = "added user", [VERB_PASSWD] = "changed the password of",
		[VERB_DISABLE] = "disabled", [VERB_ENABLE] = "enabled",
		[VERB_GRANT] = "made an admin:", [VERB_REVOKE] = "no longer an admin:",
	};
	return texts[verb];
}

static int run_verb(struct db *db, const struct actor *actor, enum user_verb verb,
		    const char *name, const struct user_options *o,
		    struct error *err)
{
	switch (verb) {
	case VERB_ADD:
	case VERB_PASSWD:
		return with_new_password(db, actor, verb, name, o, err);
	case VERB_LIST:
		return list_users(db, actor, err);
	case VERB_DISABLE:
	case VERB_ENABLE:
		return user_set_disabled(db, actor, name, verb == VERB_DISABLE, err);
	case VERB_GRANT:
	case VERB_REVOKE:
		return user_set_admin(db, actor, name, verb == VERB_GRANT, err);
	}
	return error_set(err, "unknown verb");
}

static int run_user(struct cli *cli, int argc, char **argv)
{
	struct user_options o = {0};
	int status;
	int first = cli_parse(cli, &cmd_user, argc, argv, on_user_option, &o,
			      &status);
	if (first < 0)
		return status;
	int verb = parse_verb(argc - first, argv + first, &o);
	if (verb < 0)
		return -verb;
	const char *name = argc - first > 1 ? argv[first + 1] : NULL;
	struct db *db = cli_connect_migrated(cli);
	if (!db)
		return EXIT_RUNTIME;
	struct actor actor;
	status = cli_actor(cli, db, &actor);
	if (status == EXIT_OK) {
		struct error err = {{0}};
		if (run_verb(db, &actor, verb, name, &o, &err) < 0) {
			cli_refusal(&actor, &err);
			status = EXIT_RUNTIME;
		} else if (verb != VERB_LIST) {
			char *shown = sanitize_dup(name);
			printf("%s %s%s\n", done_text(verb), shown,
			       verb == VERB_ADD && o.admin ? " (admin)" : "");
			free(shown);
		}
	}
	db_close(db);
	return status;
}

const struct cli_command cmd_user = {
	.name = "user",
	.run = run_user,
	.usage = "add NAME [--email E] [--admin] | passwd NAME | list | "
		 "disable NAME | enable NAME | grant NAME admin | revoke NAME admin",
	.summary = "manage who may log in",
	.options = user_options,
};
