/* actor.c - who a command acts as: the database owner when run without
 * --user, else the user --user names, once the password is right. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/password_input.h"
#include "core/password.h"
#include "core/sanitize.h"
#include "db/db.h"
#include "model/login.h"
#include "model/user.h"

static char *login_password(struct cli *cli, struct error *err)
{
	if (cli->password_file)
		return password_read_file(cli->password_file, err);
	char prompt[160];
	char *name = sanitize_dup(cli->user);
	snprintf(prompt, sizeof prompt, "Password for %.100s: ", name);
	free(name);
	return password_read(prompt, false, err);
}

int cli_actor(struct cli *cli, struct db *db, struct actor *out)
{
	if (!cli->user) {
		if (cli->password_file)
			return cli_usage_error(cli->command, "--password-file is "
					       "--user's password: give --user NAME too");
		actor_os_owner(out);
		return EXIT_OK;
	}
	struct error err = {{0}};
	long users;
	if (user_count(db, &users, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	if (users == 0) {
		/* Nobody can log in yet; the model lets nobody create only the
		 * first admin. */
		actor_nobody(out, cli->user);
		return EXIT_OK;
	}
	char *password = login_password(cli, &err);
	if (!password) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	int rc = login_verify(db, cli->user, password, NULL, out, &err);
	password_buffer_free(password);
	if (rc < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

void cli_refusal(const struct actor *actor, const struct error *err)
{
	/* The model says what the right is; only the command line has the
	 * second way out. */
	bool staff = actor->kind == ACTOR_USER && !actor->is_admin;
	cli_error("%s%s", err->msg, staff && strncmp(err->msg, "only an admin", 13) == 0 ?
		  " or run without --user as the database owner" : "");
}
