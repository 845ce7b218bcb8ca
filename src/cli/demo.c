/* demo.c - `outreach demo`: a private PostgreSQL with demo data and the
 * TUI on top, so a newcomer sees the product with no set-up at all. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/cluster.h"
#include "db/datafiles.h"
#include "db/db.h"
#include "db/migrate.h"
#include "core/password.h"
#include "model/audit.h"
#include "model/permission.h"
#include "model/user.h"

/* The account the demo logs in as. Its password is random and thrown
 * away: nobody needs it, since `outreach demo` vouches for the person
 * at the keyboard, and nobody can guess it to use the account elsewhere. */
#define DEMO_ADMIN "demo"

struct demo_options {
	bool stop;
	bool no_tui;
};

static const struct cli_option demo_options[] = {
	{"stop", 0, NULL, "stop the demo's private PostgreSQL and exit"},
	{"no-tui", 0, NULL, "set up and start, print the connection string, "
	 "do not open the interface"},
	{0},
};

static int on_demo_option(int index, const char *arg, void *ctx)
{
	struct demo_options *o = ctx;
	(void)arg;
	if (index == 0)
		o->stop = true;
	else
		o->no_tui = true;
	return 0;
}

static int ensure_database(const char *admin_conninfo, const char *name,
			   struct error *err)
{
	struct db *db = db_connect(admin_conninfo, err);
	if (!db)
		return -1;
	const char *params[] = {name};
	PGresult *res = db_exec(db, "SELECT 1 FROM pg_database WHERE datname = $1",
				1, params, err);
	int rc = res ? 0 : -1;
	if (res && PQntuples(res) == 0)
		/* The name is a constant of ours, not user input. */
		rc = db_command(db, "CREATE DATABASE outreach", 0, NULL, err);
	PQclear(res);
	db_close(db);
	return rc;
}

/* Loads data/demo.sql into an empty database (one transaction). */
static int load_demo_data(struct db *db, struct error *err)
{
	PGresult *res = db_exec(db, "SELECT EXISTS (SELECT 1 FROM businesses)",
				0, NULL, err);
	if (!res)
		return -1;
	bool has_data = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (has_data)
		return 0;
	char *path = xasprintf("%s/demo.sql", datafiles_data_dir());
	char *sql = datafiles_read(path, err);
	if (!sql) {
		free(path);
		return -1;
	}
	fprintf(stderr, "loading demo data from %s\n", path);
	int rc = db_begin(db, err);
	if (rc == 0 && db_run_script(db, sql, err) < 0) {
		error_prefix(err, "loading %s failed", path);
		rc = -1;
	}
	if (rc == 0)
		rc = db_commit(db, err);
	if (rc != 0)
		db_rollback(db);
	free(sql);
	free(path);
	return rc;
}

static int ensure_demo_admin(struct db *db, struct error *err)
{
	struct actor owner;
	if (user_actor(db, DEMO_ADMIN, &owner, NULL) == 0)
		return 0;
	actor_os_owner(&owner);
	unsigned char random[24];
	char password[sizeof random * 2 + 1];
	randombytes_buf(random, sizeof random);
	sodium_bin2hex(password, sizeof password, random, sizeof random);
	int rc = user_add(db, &owner, DEMO_ADMIN, NULL, true, password, err);
	sodium_memzero(password, sizeof password);
	sodium_memzero(random, sizeof random);
	return rc;
}

static int prepare_database(const char *conninfo, struct error *err)
{
	struct db *db = db_connect(conninfo, err);
	if (!db)
		return -1;
	struct migrate_report report;
	int rc = migrate_run(db, datafiles_sql_dir(), NULL, NULL, &report, err);
	if (rc == 0)
		rc = load_demo_data(db, err);
	if (rc == 0)
		rc = ensure_demo_admin(db, err);
	if (rc < 0)
		error_prefix(err, "%s", db_describe(db));
	db_close(db);
	return rc;
}

static int start_private_cluster(struct cluster *c, char *conninfo,
				 size_t conninfo_len, struct error *err)
{
	if (cluster_locate_demo(c, err) < 0)
		return -1;
	if (!cluster_exists(c)) {
		fprintf(stderr, "setting up a private PostgreSQL in %s "
			"(first run only)\n", c->base);
		if (cluster_init(c, err) < 0)
			return -1;
	}
	if (!cluster_running(c)) {
		fprintf(stderr, "starting the demo PostgreSQL (socket in %s)\n",
			c->sockdir);
		if (cluster_start(c, err) < 0)
			return -1;
	}
	char admin[PATH_MAX + 64];
	cluster_conninfo(c, "postgres", admin, sizeof admin);
	if (ensure_database(admin, "outreach", err) < 0)
		return -1;
	cluster_conninfo(c, "outreach", conninfo, conninfo_len);
	return 0;
}

static int stop_private_cluster(void)
{
	struct cluster c;
	struct error err = {{0}};
	if (cluster_locate_demo(&c, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	if (!cluster_exists(&c) || !cluster_running(&c)) {
		printf("the demo PostgreSQL is not running\n");
		return EXIT_OK;
	}
	if (cluster_stop(&c, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	printf("stopped the demo PostgreSQL in %s\n", c.base);
	return EXIT_OK;
}

static int open_as_demo_admin(struct cli *cli)
{
	struct error err = {{0}};
	struct db *db = db_connect(cli->conninfo, &err);
	struct actor demo;
	if (!db || user_actor(db, DEMO_ADMIN, &demo, &err) < 0) {
		cli_error("%s", err.msg);
		db_close(db);
		return EXIT_RUNTIME;
	}
	audit_write(db, &demo, "login", "user", NULL, "outreach demo", &err);
	db_close(db);
	return cli_open_tui_as(cli, &demo);
}

static int run_demo(struct cli *cli, int argc, char **argv)
{
	struct demo_options opts = {0};
	int status;
	int first = cli_parse(cli, &cmd_demo, argc, argv, on_demo_option,
			      &opts, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return cli_usage_error(&cmd_demo, "demo takes no operands");
	if (opts.stop)
		return stop_private_cluster();

	/* A configured database is used as it is; otherwise a private one. */
	static char conninfo[PATH_MAX + 64];
	struct error err = {{0}};
	const char *configured = cli->conninfo ? cli->conninfo : getenv("OUTREACH_DB");
	if (configured && *configured) {
		snprintf(conninfo, sizeof conninfo, "%s", configured);
	} else {
		struct cluster c;
		if (start_private_cluster(&c, conninfo, sizeof conninfo, &err) < 0) {
			cli_error("%s", err.msg);
			return EXIT_RUNTIME;
		}
	}
	if (prepare_database(conninfo, &err) < 0) {
		cli_error("%s", err.msg);
		return EXIT_RUNTIME;
	}
	if (opts.no_tui) {
		printf("%s\n", conninfo);
		return EXIT_OK;
	}
	cli->conninfo = conninfo;
	return open_as_demo_admin(cli);
}

const struct cli_command cmd_demo = {
	.name = "demo",
	.run = run_demo,
	.usage = "[--stop | --no-tui]",
	.summary = "open the interface on a private PostgreSQL with demo data",
	.options = demo_options,
};
