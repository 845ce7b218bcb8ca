/* testdb.c - database test support: unique databases from a template and
 * small helpers that fail the current Check test loudly. */
#include "testdb.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xalloc.h"

static struct db *create_from(const char *template, char *name_out)
{
	static int counter;
	char name[64];
	snprintf(name, sizeof name, "t_%d_%d", (int)getpid(), ++counter);
	struct error err = {{0}};
	struct db *admin = db_connect("dbname=postgres", &err);
	ck_assert_msg(admin, "connect to the test cluster: %s", err.msg);
	/* Identifiers cannot be parameters; both names are ours. */
	char *sql = xasprintf("CREATE DATABASE %s TEMPLATE %s", name, template);
	ck_assert_msg(db_command(admin, sql, 0, NULL, &err) == 0,
		      "%s: %s", sql, err.msg);
	free(sql);
	db_close(admin);
	if (name_out)
		strcpy(name_out, name);
	return testdb_connect(name);
}

struct db *testdb_fresh(char *name_out)
{
	const char *template = getenv("OUTREACH_TEST_TEMPLATE");
	ck_assert_msg(template, "OUTREACH_TEST_TEMPLATE is not set: run the "
		      "database tests through make check");
	return create_from(template, name_out);
}

struct db *testdb_empty(char *name_out)
{
	return create_from("template0", name_out);
}

struct db *testdb_connect(const char *name)
{
	struct error err = {{0}};
	char *conninfo = xasprintf("dbname=%s", name);
	struct db *db = db_connect(conninfo, &err);
	free(conninfo);
	ck_assert_msg(db, "connect to %s: %s", name, err.msg);
	return db;
}

PGresult *testdb_query(struct db *db, const char *sql)
{
	struct error err = {{0}};
	PGresult *res = db_exec(db, sql, 0, NULL, &err);
	ck_assert_msg(res, "%s: %s", sql, err.msg);
	return res;
}

void testdb_script(struct db *db, const char *sql)
{
	struct error err = {{0}};
	ck_assert_msg(db_run_script(db, sql, &err) == 0, "%s: %s", sql, err.msg);
}

char *testdb_value(struct db *db, const char *sql)
{
	PGresult *res = testdb_query(db, sql);
	ck_assert_msg(PQntuples(res) > 0, "%s returned no rows", sql);
	char *v = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

int testdb_run_outreach(const char *args, char **out)
{
	const char *bin = getenv("OUTREACH_BIN");
	ck_assert_msg(bin, "OUTREACH_BIN is not set: run through make check");
	char *cmd = xasprintf("'%s' %s 2>&1", bin, args);
	FILE *p = popen(cmd, "r");
	ck_assert_msg(p, "cannot run %s", cmd);
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&b, chunk, n);
	int status = pclose(p);
	free(cmd);
	*out = buf_detach(&b);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
