/* test_schema.c - `outreach migrate` builds exactly the seed schema, is
 * idempotent, refuses newer databases, and the database enforces the
 * vocabularies, updated_at, one primary contact and cascading deletes. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/migrate.h"
#include "testdb.h"
#include "check_run.h"

static const char COLUMNS_SQL[] =
	"SELECT c.relname || '|' || a.attname || '|' || "
	"format_type(a.atttypid, a.atttypmod) || '|' || "
	"CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END || '|' || "
	"coalesce(pg_get_expr(d.adbin, d.adrelid), '') "
	"FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
	"JOIN pg_namespace n ON n.oid = c.relnamespace "
	"LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
	"WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 "
	"AND NOT a.attisdropped ORDER BY 1";
static const char INDEXES_SQL[] =
	"SELECT tablename || '|' || indexdef FROM pg_indexes "
	"WHERE schemaname = 'public' ORDER BY 1";
static const char FOREIGN_KEYS_SQL[] =
	"SELECT conrelid::regclass || '|' || pg_get_constraintdef(oid) "
	"FROM pg_constraint WHERE contype = 'f' ORDER BY 1";
static const char OTHER_OBJECTS_SQL[] =
	"SELECT 'con|' || conrelid::regclass || '|' || conname || '|' || "
	"pg_get_constraintdef(oid) FROM pg_constraint "
	"WHERE connamespace = 'public'::regnamespace UNION ALL "
	"SELECT 'trg|' || tgrelid::regclass || '|' || tgname FROM pg_trigger "
	"WHERE NOT tgisinternal UNION ALL "
	"SELECT 'fn|' || proname || '|' || md5(prosrc) FROM pg_proc "
	"WHERE pronamespace = 'public'::regnamespace ORDER BY 1";

/* All rows of a one-column query joined by newlines, each line framed by
 * newlines so a whole-line search is a strstr for "\nLINE\n". */
static char *lines_of(struct db *db, const char *sql)
{
	PGresult *res = testdb_query(db, sql);
	struct buf b = {0};
	buf_putc(&b, '\n');
	for (int i = 0; i < PQntuples(res); i++) {
		buf_puts(&b, PQgetvalue(res, i, 0));
		buf_putc(&b, '\n');
	}
	PQclear(res);
	return buf_detach(&b);
}

/* Every non-comment line of the fixture must appear in actual. */
static void assert_fixture_lines_present(const char *fixture, const char *actual)
{
	char *path = xasprintf("%s/schema/%s", getenv("OUTREACH_FIXTURES"), fixture);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f, "cannot open fixture %s", path);
	char line[1024];
	int checked = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *framed = xasprintf("\n%s\n", line);
		ck_assert_msg(strstr(actual, framed), "%s: missing from the "
			      "database: %s\nthe database has:%s", fixture, line,
			      actual);
		free(framed);
		checked++;
	}
	fclose(f);
	free(path);
	ck_assert_int_gt(checked, 3);
}

/* The number of NNN_name.sql files the binary will apply. */
static int count_migration_files(void)
{
	DIR *d = opendir(getenv("OUTREACH_SQLDIR"));
	ck_assert_msg(d, "cannot open OUTREACH_SQLDIR");
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 8 && strcmp(e->d_name + len - 4, ".sql") == 0 &&
		    e->d_name[3] == '_')
			n++;
	}
	closedir(d);
	return n;
}

static int migrate_cli(const char *dbname, char **out)
{
	char *args = xasprintf("--db 'dbname=%s' migrate", dbname);
	int rc = testdb_run_outreach(args, out);
	free(args);
	return rc;
}

START_TEST(test_migrate_creates_the_seed_schema)
{
	char name[64], *out;
	struct db *db = testdb_empty(name);
	ck_assert_int_eq(migrate_cli(name, &out), 0);
	char *want = xasprintf("applied %d migration", count_migration_files());
	ck_assert_msg(strstr(out, want), "want '%s', output: %s", want, out);
	free(want);
	free(out);
	char *cols = lines_of(db, COLUMNS_SQL);
	assert_fixture_lines_present("seed_columns.txt", cols);
	char *idx = lines_of(db, INDEXES_SQL);
	assert_fixture_lines_present("seed_indexes.txt", idx);
	char *fks = lines_of(db, FOREIGN_KEYS_SQL);
	assert_fixture_lines_present("seed_foreign_keys.txt", fks);
	free(cols);
	free(idx);
	free(fks);
	db_close(db);
}
END_TEST

START_TEST(test_migrate_twice_changes_nothing)
{
	char name[64], *out;
	struct db *db = testdb_empty(name);
	ck_assert_int_eq(migrate_cli(name, &out), 0);
	free(out);
	char *before[3] = {lines_of(db, COLUMNS_SQL), lines_of(db, INDEXES_SQL),
			   lines_of(db, OTHER_OBJECTS_SQL)};
	ck_assert_int_eq(migrate_cli(name, &out), 0);
	ck_assert_msg(strstr(out, "schema is up to date"), "output: %s", out);
	free(out);
	char *after[3] = {lines_of(db, COLUMNS_SQL), lines_of(db, INDEXES_SQL),
			  lines_of(db, OTHER_OBJECTS_SQL)};
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(before[i], after[i]);
		free(before[i]);
		free(after[i]);
	}
	char *n = testdb_value(db, "SELECT count(*) FROM schema_migrations");
	ck_assert_int_eq(atoi(n), count_migration_files());
	free(n);
	db_close(db);
}
END_TEST

START_TEST(test_refuses_a_newer_database)
{
	char name[64], *out;
	struct db *db = testdb_fresh(name);
	PQclear(testdb_query(db, "INSERT INTO schema_migrations (version, name) "
			     "VALUES (999, '999_from_the_future.sql')"));
	ck_assert_int_eq(migrate_cli(name, &out), 1);
	ck_assert_msg(strstr(out, "version 999") && strstr(out, "upgrade outreach"),
		      "output: %s", out);
	ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1,
		      "want one line, got: %s", out);
	free(out);
	struct error err = {{0}};
	ck_assert_int_eq(migrate_check(db, getenv("OUTREACH_SQLDIR"), &err), -1);
	ck_assert_msg(strstr(err.msg, "upgrade outreach"), "%s", err.msg);
	db_close(db);
}
END_TEST

START_TEST(test_check_asks_for_migrate_on_an_old_database)
{
	char name[64];
	struct db *db = testdb_empty(name);
	struct error err = {{0}};
	ck_assert_int_eq(migrate_check(db, getenv("OUTREACH_SQLDIR"), &err), -1);
	ck_assert_msg(strstr(err.msg, "run `outreach migrate`"), "%s", err.msg);
	db_close(db);
}
END_TEST

/* Each statement must fail with check_violation (SQLSTATE 23514). */
static void assert_refused(struct db *db, const char *sql)
{
	PGresult *res = PQexec(db_conn(db), sql);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	ck_assert_msg(state && strcmp(state, "23514") == 0,
		      "expected a CHECK violation for: %s (got %s)", sql,
		      state ? state : PQresStatus(PQresultStatus(res)));
	PQclear(res);
}

START_TEST(test_vocabularies_are_enforced)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db,
		"INSERT INTO businesses (id, name) VALUES (1, 'Alder Cafe');"
		"INSERT INTO contacts (id, business_id, type, value, source) "
		"VALUES (1, 1, 'email', 'hi@alder.example', 'csv');"
		"INSERT INTO campaigns (id, name, message_template) "
		"VALUES (1, 'Spring', 'Hello')");
	assert_refused(db, "INSERT INTO businesses (name, status) VALUES ('B', 'deleted')");
	assert_refused(db, "UPDATE businesses SET status = 'Active' WHERE id = 1");
	assert_refused(db, "INSERT INTO contacts (business_id, type, value, source) "
		       "VALUES (1, 'fax', '123', 'csv')");
	assert_refused(db, "INSERT INTO contacts (business_id, type, value, source) "
		       "VALUES (1, 'email', 'a@b.example', 'guess')");
	assert_refused(db, "INSERT INTO campaigns (name, message_template, status) "
		       "VALUES ('C', 'x', 'running')");
	assert_refused(db, "INSERT INTO messages (campaign_id, business_id, contact_id, "
		       "platform, personalized_content) VALUES (1, 1, 1, 'phone', 'x')");
	assert_refused(db, "INSERT INTO messages (campaign_id, business_id, contact_id, "
		       "platform, personalized_content, status) "
		       "VALUES (1, 1, 1, 'email', 'x', 'bounced')");
	/* Every word of each vocabulary is accepted. */
	PQclear(testdb_query(db,
		"UPDATE businesses SET status = s FROM unnest(ARRAY['scanned', "
		"'active', 'archived', 'pending_scan']) s WHERE id = 1"));
	PQclear(testdb_query(db,
		"INSERT INTO contacts (business_id, type, value, source) "
		"SELECT 1, t, 'v-' || t || '-' || s, s FROM unnest(ARRAY['email', 'instagram', "
		"'facebook', 'twitter', 'linkedin', 'phone', 'contact_form']) t, "
		"unnest(ARRAY['csv', 'scanned_website', 'scanned_social_media']) s"));
	char *n = testdb_value(db, "SELECT count(*) FROM contacts");
	ck_assert_str_eq(n, "22");
	free(n);
	db_close(db);
}
END_TEST

START_TEST(test_updated_at_follows_changes)
{
	struct db *db = testdb_fresh(NULL);
	PQclear(testdb_query(db, "INSERT INTO businesses (name, updated_at) "
			     "VALUES ('Birch Books', now() - interval '1 day')"));
	PQclear(testdb_query(db, "UPDATE businesses SET website = "
			     "'https://birch.example' WHERE name = 'Birch Books'"));
	char *fresh = testdb_value(db, "SELECT updated_at > now() - interval "
				   "'1 minute' FROM businesses");
	ck_assert_str_eq(fresh, "t");
	free(fresh);
	db_close(db);
}
END_TEST

START_TEST(test_one_primary_contact_per_type)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db,
		"INSERT INTO businesses (id, name) VALUES (1, 'Cedar Dental');"
		"INSERT INTO contacts (business_id, type, value, source, is_primary) "
		"VALUES (1, 'email', 'a@cedar.example', 'csv', true), "
		"(1, 'phone', '+44 20 7946 0000', 'csv', true), "
		"(1, 'email', 'b@cedar.example', 'csv', false)");
	PGresult *res = PQexec(db_conn(db),
		"UPDATE contacts SET is_primary = true WHERE value = 'b@cedar.example'");
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	ck_assert_msg(state && strcmp(state, "23505") == 0,
		      "a second primary e-mail was accepted");
	PQclear(res);
	db_close(db);
}
END_TEST

START_TEST(test_deleting_a_business_cascades)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db,
		"INSERT INTO businesses (id, name) VALUES (1, 'Dune Surf');"
		"INSERT INTO contacts (id, business_id, type, value, source) "
		"VALUES (1, 1, 'email', 'hi@dune.example', 'csv');"
		"INSERT INTO campaigns (id, name, message_template) VALUES (1, 'S', 'x');"
		"INSERT INTO messages (campaign_id, business_id, contact_id, platform, "
		"personalized_content) VALUES (1, 1, 1, 'email', 'Hello');"
		"DELETE FROM businesses WHERE id = 1");
	char *n = testdb_value(db, "SELECT (SELECT count(*) FROM contacts) + "
			       "(SELECT count(*) FROM messages)");
	ck_assert_str_eq(n, "0");
	free(n);
	db_close(db);
}
END_TEST

static Suite *schema_suite(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("migrate");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_migrate_creates_the_seed_schema);
	tcase_add_test(tc, test_migrate_twice_changes_nothing);
	tcase_add_test(tc, test_refuses_a_newer_database);
	tcase_add_test(tc, test_check_asks_for_migrate_on_an_old_database);
	suite_add_tcase(s, tc);
	tc = tcase_create("constraints");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_vocabularies_are_enforced);
	tcase_add_test(tc, test_updated_at_follows_changes);
	tcase_add_test(tc, test_one_primary_contact_per_type);
	tcase_add_test(tc, test_deleting_a_business_cascades);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int failed = check_run(schema_suite());
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
