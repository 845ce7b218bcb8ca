/* migrate.c - the migration runner behind `outreach migrate`.
 * An advisory lock serialises concurrent runs on one database. */
#include "db/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/datafiles.h"

/* Three-digit versions: 000 to 999. */
#define MIGRATE_MAX_VERSION 1000

/* Arbitrary constant naming outreach's migration lock. */
#define MIGRATE_LOCK_KEY "7321004"

struct migration {
	int version;
	char *name;		/* file name, e.g. 001_init.sql */
};

struct migration_list {
	struct migration *items;
	size_t count;
};

static int compare_migrations(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* A migration file is NNN_name.sql with exactly three digits. */
static int parse_version(const char *name)
{
	size_t len = strlen(name);
	if (len < 9 || strcmp(name + len - 4, ".sql") != 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	if (name[3] != '_')
		return -1;
	return (name[0] - '0') * 100 + (name[1] - '0') * 10 + (name[2] - '0');
}

static void migration_list_free(struct migration_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].name);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static int list_migrations(const char *dir, struct migration_list *list,
			   struct error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return error_set(err, "cannot open the migrations directory %s: "
				 "%s; set OUTREACH_SQLDIR or reinstall outreach",
				 dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		int v = parse_version(e->d_name);
		if (v < 0)
			continue;
		list->items = xreallocarray(list->items, list->count + 1,
					    sizeof *list->items);
		list->items[list->count].version = v;
		list->items[list->count].name = xstrdup(e->d_name);
		list->count++;
	}
	closedir(d);
	qsort(list->items, list->count, sizeof *list->items, compare_migrations);
	for (size_t i = 1; i < list->count; i++)
		if (list->items[i].version == list->items[i - 1].version) {
			error_set(err, "two migrations share version %03d in %s: "
				  "%s and %s", list->items[i].version, dir,
				  list->items[i - 1].name, list->items[i].name);
			migration_list_free(list);
			return -1;
		}
	if (list->count == 0)
		return error_set(err, "no migrations (NNN_name.sql) found in %s; "
				 "set OUTREACH_SQLDIR or reinstall outreach", dir);
	return 0;
}

/* Fills applied[v] for every recorded version below MIGRATE_MAX_VERSION
 * and returns the highest one (0 for none), or -1 on error. A database
 * without the table has nothing applied. */
static int applied_versions(struct db *db, bool *applied, struct error *err)
{
	memset(applied, 0, MIGRATE_MAX_VERSION * sizeof *applied);
	PGresult *res = db_exec(db, "SELECT to_regclass('schema_migrations') IS NULL",
				0, NULL, err);
	if (!res)
		return -1;
	bool missing = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (missing)
		return 0;
	res = db_exec(db, "SELECT version FROM schema_migrations", 0, NULL, err);
	if (!res)
		return -1;
	int highest = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		int v = atoi(PQgetvalue(res, i, 0));
		if (v > highest)
			highest = v;
		if (v >= 0 && v < MIGRATE_MAX_VERSION)
			applied[v] = true;
	}
	PQclear(res);
	return highest;
}

static int apply_one(struct db *db, const char *dir,
		     const struct migration *m, struct error *err)
{
	char *path = xasprintf("%s/%s", dir, m->name);
	char *sql = datafiles_read(path, err);
	free(path);
	if (!sql)
		return -1;
	char version[16];
	snprintf(version, sizeof version, "%d", m->version);
	const char *params[] = {version, m->name};
	int rc = db_begin(db, err);
	if (rc == 0 && db_run_script(db, sql, err) < 0) {
		error_prefix(err, "migration %s failed", m->name);
		rc = -1;
	}
	if (rc == 0)
		rc = db_command(db, "INSERT INTO schema_migrations (version, name) "
				"VALUES ($1, $2)", 2, params, err);
	if (rc == 0)
		rc = db_commit(db, err);
	if (rc != 0)
		db_rollback(db);
	free(sql);
	return rc;
}

static int newest_known(const struct migration_list *list)
{
	return list->items[list->count - 1].version;
}

static int refuse_newer(int have, int known, struct error *err)
{
	return error_set(err, "the database schema is at version %d, but this "
			 "outreach only knows versions up to %d; upgrade "
			 "outreach before using this database", have, known);
}

static int migrate_locked(struct db *db, const char *sql_dir,
			  const struct migration_list *list,
			  void (*progress)(const char *name, void *arg),
			  void *arg, struct migrate_report *report,
			  struct error *err)
{
	if (db_command(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		       "version integer PRIMARY KEY, name text NOT NULL, "
		       "applied_at timestamptz NOT NULL DEFAULT now())",
		       0, NULL, err) < 0)
		return -1;
	bool applied[MIGRATE_MAX_VERSION];
	int have = applied_versions(db, applied, err);
	if (have < 0)
		return -1;
	if (have > newest_known(list))
		return refuse_newer(have, newest_known(list), err);
	report->version = have;
	/* Every missing version is applied, not only newer ones: work merged
	 * from parallel branches may add a lower number later. */
	for (size_t i = 0; i < list->count; i++) {
		const struct migration *m = &list->items[i];
		if (applied[m->version])
			continue;
		if (progress)
			progress(m->name, arg);
		if (apply_one(db, sql_dir, m, err) < 0)
			return -1;
		report->applied++;
		if (m->version > report->version)
			report->version = m->version;
	}
	return 0;
}

int migrate_run(struct db *db, const char *sql_dir,
		void (*progress)(const char *name, void *arg), void *arg,
		struct migrate_report *report, struct error *err)
{
	struct migration_list list = {0};
	struct migrate_report local = {0};
	if (!report)
		report = &local;
	memset(report, 0, sizeof *report);
	if (list_migrations(sql_dir, &list, err) < 0)
		return -1;
	const char *key[] = {MIGRATE_LOCK_KEY};
	int rc = db_command(db, "SELECT pg_advisory_lock($1::bigint)", 1, key, err);
	if (rc == 0) {
		rc = migrate_locked(db, sql_dir, &list, progress, arg, report, err);
		struct error ignored;
		db_command(db, "SELECT pg_advisory_unlock($1::bigint)", 1, key,
			   &ignored);
	}
	migration_list_free(&list);
	return rc;
}

int migrate_check(struct db *db, const char *sql_dir, struct error *err)
{
	struct migration_list list = {0};
	if (list_migrations(sql_dir, &list, err) < 0)
		return -1;
	bool applied[MIGRATE_MAX_VERSION];
	int have = applied_versions(db, applied, err);
	int rc = 0;
	if (have < 0) {
		rc = -1;
	} else if (have > newest_known(&list)) {
		rc = refuse_newer(have, newest_known(&list), err);
	} else {
		for (size_t i = 0; i < list.count; i++)
			if (!applied[list.items[i].version]) {
				rc = error_set(err, "the database schema lacks "
					       "migration %s; run `outreach "
					       "migrate`", list.items[i].name);
				break;
			}
	}
	migration_list_free(&list);
	return rc;
}
