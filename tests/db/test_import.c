/* test_import.c - lead_import() and business_export() against a real
 * database: the exact rows and contacts stored, the rejects file, merges,
 * idempotence, dry runs, failures that leave nothing, an import stopped
 * at a person's request (as the interface's :stop does), and round
 * trips. */
#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "model/export.h"
#include "model/import.h"
#include "testdb.h"
#include "check_run.h"

/* The database owner: the rights a plain command has without --user. */
static const struct actor owner = {ACTOR_OWNER, 0, true, "os:tester"};

static char tmpdir[256];

static void make_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/outreach-import.XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp failed");
}

static void remove_tmpdir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static char *fixture(const char *name)
{
	const char *dir = getenv("OUTREACH_FIXTURES");
	ck_assert_msg(dir != NULL, "OUTREACH_FIXTURES is not set");
	return xasprintf("%s/csv/%s", dir, name);
}

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	buf_putc(&b, '\0');
	b.len--;
	return buf_detach(&b);
}

/* Fixtures are copied next to the rejects files so that the source tree,
 * read-only in a distcheck, is never written to. Returns the copy. */
static char *fixture_copy(const char *name)
{
	char *src = fixture(name);
	char *dst = tmp_path(name);
	char *cmd = xasprintf("cp '%s' '%s'", src, dst);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(src);
	return dst;
}

struct run {
	struct import_report report;
	struct error err;
	int rc;
	char *rejects;		/* the rejects path used */
};

static void collect_warning(const char *msg, void *ctx)
{
	buf_printf(ctx, "%s\n", msg);
}

/* Imports fixture files (NULL-terminated) with rejects going to the
 * temporary directory. */
static void import_files(struct db *db, bool dry_run, struct run *r,
			 struct buf *warnings, ...)
{
	const char *files[8];
	char *owned[8];
	size_t n = 0;
	va_list ap;

	va_start(ap, warnings);
	for (const char *f; (f = va_arg(ap, const char *)) != NULL; n++) {
		ck_assert_uint_lt(n, 8);
		owned[n] = fixture_copy(f);
		files[n] = owned[n];
	}
	va_end(ap);
	memset(r, 0, sizeof *r);
	r->rejects = tmp_path("rejects.csv");
	struct import_options o = {
		.files = files, .file_count = n, .dry_run = dry_run,
		.actor = &owner,
		.rejects_path = n == 1 ? r->rejects : NULL,
		.warn = warnings ? collect_warning : NULL, .warn_ctx = warnings,
	};
	r->rc = lead_import(db, &o, NULL, NULL, &r->report, &r->err);
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
}

static void run_free(struct run *r)
{
	import_report_free(&r->report);
	free(r->rejects);
}

/* All rows of a query as "a|b|c\n" lines, NULL shown as "~". */
static char *rows(struct db *db, const char *sql)
{
	PGresult *res = testdb_query(db, sql);
	struct buf b = {0};
	for (int i = 0; i < PQntuples(res); i++) {
		for (int j = 0; j < PQnfields(res); j++)
			buf_printf(&b, "%s%s", j ? "|" : "",
				   PQgetisnull(res, i, j) ? "~" :
				   PQgetvalue(res, i, j));
		buf_putc(&b, '\n');
	}
	PQclear(res);
	buf_putc(&b, '\0');
	b.len--;
	return buf_detach(&b);
}

static void assert_rows(struct db *db, const char *sql, const char *want)
{
	char *got = rows(db, sql);
	ck_assert_str_eq(got, want);
	free(got);
}

#define BUSINESSES "SELECT name, website, email, phone_number, address, " \
	"status FROM businesses ORDER BY name"
#define CONTACTS "SELECT b.name, c.type, c.value, c.source, c.is_primary " \
	"FROM contacts c JOIN businesses b ON b.id = c.business_id " \
	"ORDER BY b.name, c.id"
#define CONTACTS_AS_SET "SELECT b.name, c.type, c.value, c.source " \
	"FROM contacts c JOIN businesses b ON b.id = c.business_id " \
	"ORDER BY b.name, c.type, c.value"
#define EVERYTHING "SELECT b.*, c.* FROM businesses b " \
	"LEFT JOIN contacts c ON c.business_id = b.id ORDER BY b.id, c.id"

#define EMAIL_REASON "not an e-mail address (expected name@domain.tld)"

START_TEST(mixed_file_stores_good_rows_and_hands_back_bad_ones)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "mixed.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.rows, 8);
	ck_assert_uint_eq(r.report.good_rows, 4);
	ck_assert_uint_eq(r.report.rejected, 4);
	ck_assert_int_eq(r.report.businesses, 4);
	ck_assert_int_eq(r.report.businesses_new, 4);
	ck_assert_int_eq(r.report.businesses_merged, 0);
	ck_assert_int_eq(r.report.contacts_added, 6);
	ck_assert_uint_eq(r.report.kept_count, 4);
	ck_assert_uint_eq(r.report.kept[1].line, 4);
	ck_assert_str_eq(r.report.files[0].rejects_path, r.rejects);
	assert_rows(db, BUSINESSES,
		"Acme Bakery|~|info@acme.example|555 010 0001|~|pending_scan\n"
		"Easy Eats|~|~|~|~|pending_scan\n"
		"Fine Foods|~|fine@foods.example|555 010 0006|~|pending_scan\n"
		"Good Grill|~|grill@good.example|555 010 0007|~|pending_scan\n");
	assert_rows(db, CONTACTS,
		"Acme Bakery|email|info@acme.example|csv|f\n"
		"Acme Bakery|phone|555 010 0001|csv|f\n"
		"Fine Foods|email|fine@foods.example|csv|f\n"
		"Fine Foods|phone|555 010 0006|csv|f\n"
		"Good Grill|email|grill@good.example|csv|f\n"
		"Good Grill|phone|555 010 0007|csv|f\n");
	char *rejects = read_file(r.rejects);
	ck_assert_str_eq(rejects,
		"name,email,phone,reject_reason\n"
		"Bolt Bikes,sales@bolt,555 010 0002,email: " EMAIL_REASON "\n"
		"Corner Cafe,cafe@corner.example,12,"
		"\"phone: not a phone number (expected 7 to 20 digits, found 2)\"\n"
		"Deli Two,deli@two.example,555 010 0004,surprise,"
		"\"row has 4 fields, header has 3 (is a delimiter or quote out of place?)\"\n"
		",nobody@example.com,,name: name is empty (every business needs one)\n");
	free(rejects);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(every_alias_and_contact_type_is_stored)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "aliases.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.rejected, 0);
	ck_assert_ptr_null(r.report.files[0].rejects_path);
	ck_assert_int_eq(access(r.rejects, F_OK), -1);	/* none written */
	assert_rows(db, BUSINESSES,
		"Acme Bakery|https://www.acme.example|Info@acme.example|"
		"+44 20 7946 0000|1 Baker St, London|pending_scan\n");
	assert_rows(db, "SELECT type, value, source FROM contacts ORDER BY id",
		"email|Info@acme.example|csv\n"
		"phone|+44 20 7946 0000|csv\n"
		"instagram|https://www.instagram.com/acme.bakery|csv\n"
		"facebook|https://www.facebook.com/acmebakery|csv\n"
		"twitter|https://www.twitter.com/acmebakes|csv\n"
		"linkedin|https://www.linkedin.com/in/jane-acme|csv\n"
		"contact_form|https://acme.example/contact|csv\n");
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(reimport_changes_nothing)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "aliases.csv", "duplicates.csv",
		     "quoted_newlines.csv", "mixed.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	run_free(&r);
	char *before = rows(db, EVERYTHING);
	import_files(db, false, &r, NULL, "aliases.csv", "duplicates.csv",
		     "quoted_newlines.csv", "mixed.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_int_eq(r.report.businesses_new, 0);
	ck_assert_int_eq(r.report.businesses_filled, 0);
	ck_assert_int_eq(r.report.businesses_merged, r.report.businesses);
	ck_assert_int_eq(r.report.contacts_added, 0);
	char *after = rows(db, EVERYTHING);	/* updated_at included */
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	/* Each import is in the audit log under who ran it; a dry run is not. */
	char *audited = testdb_value(db, "SELECT count(*) FROM audit_log WHERE "
				     "action = 'import' AND actor = 'os:tester'");
	ck_assert_str_eq(audited, "2");
	free(audited);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(merge_fills_empty_fields_and_keeps_the_rest)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	testdb_script(db,
		"INSERT INTO businesses (id, name, website, email, status, "
		"updated_at) VALUES (7, 'Acme Bakery', 'https://acme.example', "
		"'', 'active', '2020-01-01');"
		"INSERT INTO contacts (business_id, type, value, source) VALUES "
		"(7, 'email', 'orders@acme.example', 'scanned_website');");
	struct run r;
	import_files(db, false, &r, NULL, "duplicates.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_int_eq(r.report.businesses, 2);
	ck_assert_int_eq(r.report.businesses_new, 1);
	ck_assert_int_eq(r.report.businesses_merged, 1);
	ck_assert_int_eq(r.report.businesses_filled, 1);
	ck_assert_int_eq(r.report.contacts_added, 3);
	/* Website and status kept; empty email and NULL phone filled with
	 * the first value the file gives. */
	assert_rows(db, BUSINESSES,
		"Acme Bakery|https://acme.example|info@acme.example|"
		"555 010 0001|~|active\n"
		"Bolt Bikes|~|sales@bolt.example|~|~|pending_scan\n");
	assert_rows(db, CONTACTS,
		"Acme Bakery|email|orders@acme.example|scanned_website|f\n"
		"Acme Bakery|email|info@acme.example|csv|f\n"
		"Acme Bakery|phone|555 010 0001|csv|f\n"
		"Bolt Bikes|email|sales@bolt.example|csv|f\n");
	assert_rows(db, "SELECT id, updated_at > '2020-01-01' FROM businesses "
		    "WHERE name = 'Acme Bakery'", "7|t\n");
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(duplicates_within_a_file_merge)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "duplicates.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.good_rows, 4);
	ck_assert_int_eq(r.report.businesses, 2);
	ck_assert_int_eq(r.report.businesses_new, 2);
	ck_assert_int_eq(r.report.contacts_added, 4);
	assert_rows(db, BUSINESSES,
		"Acme Bakery|~|info@acme.example|555 010 0001|~|pending_scan\n"
		"Bolt Bikes|~|sales@bolt.example|~|~|pending_scan\n");
	assert_rows(db, CONTACTS,
		"Acme Bakery|email|info@acme.example|csv|f\n"
		"Acme Bakery|email|orders@acme.example|csv|f\n"
		"Acme Bakery|phone|555 010 0001|csv|f\n"
		"Bolt Bikes|email|sales@bolt.example|csv|f\n");
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(dry_run_reports_and_leaves_nothing)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, true, &r, NULL, "mixed.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.report.dry_run);
	ck_assert_int_eq(r.report.businesses_new, 4);
	ck_assert_int_eq(r.report.contacts_added, 6);
	ck_assert_uint_eq(r.report.rejected, 4);
	assert_rows(db, "SELECT count(*) FROM businesses", "0\n");
	assert_rows(db, "SELECT count(*) FROM contacts", "0\n");
	/* The rejects file is the point of a dry run: it is written. */
	ck_assert_int_eq(access(r.rejects, F_OK), 0);
	/* The connection is left usable, outside any transaction. */
	assert_rows(db, "SELECT count(*) FROM pg_class WHERE relname = "
		    "'import_stage'", "0\n");
	ck_assert_int_eq(PQtransactionStatus(db_conn(db)), PQTRANS_IDLE);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(fatal_error_after_good_rows_leaves_nothing)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	/* mixed.csv is fine and has rejects; the second file breaks. */
	import_files(db, false, &r, NULL, "mixed.csv",
		     "unterminated_quote.csv", NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.err.msg, "unterminated_quote.csv:3: a quoted "
			     "field is never closed") != NULL, "%s", r.err.msg);
	assert_rows(db, "SELECT count(*) FROM businesses", "0\n");
	ck_assert_int_eq(PQtransactionStatus(db_conn(db)), PQTRANS_IDLE);
	char *mixed_rejects = tmp_path("mixed.rejects.csv");
	ck_assert_int_eq(access(mixed_rejects, F_OK), -1);
	free(mixed_rejects);
	run_free(&r);

	import_files(db, false, &r, NULL, "long_field.csv", NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.err.msg, "long_field.csv:3: a field is longer "
			     "than 64 KiB") != NULL, "%s", r.err.msg);
	run_free(&r);

	import_files(db, false, &r, NULL, "no_name_column.csv", NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.err.msg, "no_name_column.csv: no column holds "
			     "the business name") != NULL, "%s", r.err.msg);
	run_free(&r);

	import_files(db, false, &r, NULL, "empty.csv", NULL);
	ck_assert_int_eq(r.rc, -1);
	ck_assert_msg(strstr(r.err.msg, "empty.csv: the file is empty") != NULL,
		      "%s", r.err.msg);
	ck_assert_int_eq(access(r.rejects, F_OK), -1);
	run_free(&r);
	assert_rows(db, "SELECT count(*) FROM businesses", "0\n");
	db_close(db);
	remove_tmpdir();
}
END_TEST

/* What the interface's :stop does to an import: sets the connection's stop
 * flag between two chunks of the file. */
struct stopper {
	atomic_int flag;
	int calls;
};

static void stop_on_third_report(const struct import_progress *p, void *ctx)
{
	(void)p;
	struct stopper *s = ctx;
	if (++s->calls == 3)
		atomic_store(&s->flag, 1);
}

START_TEST(an_import_stopped_midway_keeps_nothing)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	char *path = tmp_path("big.csv");
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("name,email\n", f);
	for (int i = 0; i < 60000; i++)
		fprintf(f, "Stopped Business %d,info@stopped%d.example\n", i, i);
	ck_assert_int_eq(fclose(f), 0);
	struct stopper s = {0};
	db_set_stop(db, &s.flag);
	const char *files[] = {path};
	struct import_options o = {.files = files, .file_count = 1,
				   .actor = &owner};
	struct import_report report;
	struct error err = {{0}};
	ck_assert_int_eq(lead_import(db, &o, stop_on_third_report, &s, &report,
				     &err), -1);
	ck_assert_msg(strstr(err.msg, DB_STOPPED) != NULL, "%s", err.msg);
	ck_assert_int_ge(s.calls, 3);
	import_report_free(&report);
	db_set_stop(db, NULL);
	assert_rows(db, "SELECT count(*) FROM businesses", "0\n");
	ck_assert_int_eq(PQtransactionStatus(db_conn(db)), PQTRANS_IDLE);
	free(path);
	db_close(db);
	remove_tmpdir();
}
END_TEST

struct canceller {
	atomic_int flag;
	PGcancel *cancel;
};

static void *cancel_soon(void *arg)
{
	struct canceller *c = arg;
	usleep(300 * 1000);
	atomic_store(&c->flag, 1);
	char why[256];
	PQcancel(c->cancel, why, sizeof why);
	return NULL;
}

/* The other half of :stop: the statement running when it comes is
 * cancelled, reported as stopped, and so is every statement after it. */
START_TEST(a_statement_cancelled_at_the_request_reports_stopped)
{
	struct db *db = testdb_fresh(NULL);
	struct canceller c = {0};
	c.cancel = PQgetCancel(db_conn(db));
	db_set_stop(db, &c.flag);
	pthread_t t;
	pthread_create(&t, NULL, cancel_soon, &c);
	struct error err = {{0}};
	PGresult *res = db_exec(db, "SELECT pg_sleep(30)", 0, NULL, &err);
	pthread_join(t, NULL);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(err.msg, DB_STOPPED);
	res = db_exec(db, "SELECT 1", 0, NULL, &err);
	ck_assert_ptr_null(res);
	ck_assert_str_eq(err.msg, DB_STOPPED);
	db_set_stop(db, NULL);
	char *one = testdb_value(db, "SELECT 1");
	ck_assert_str_eq(one, "1");
	free(one);
	PQfreeCancel(c.cancel);
	db_close(db);
}
END_TEST

START_TEST(header_only_imports_nothing_without_error)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "header_only.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.report.files[0].header_only);
	ck_assert_int_eq(r.report.businesses, 0);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(bad_utf8_rows_are_rejected_never_stored)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "bad_utf8.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.rejected, 3);
	ck_assert_uint_eq(r.report.kept[0].line, 3);
	ck_assert_uint_eq(r.report.kept[1].line, 4);
	ck_assert_uint_eq(r.report.kept[2].line, 6);
	assert_rows(db, "SELECT name FROM businesses ORDER BY name",
		    "Café Zürich\nGood Bakery\n");
	/* The rejects file hands the bytes back exactly as they came. */
	char *rejects = read_file(r.rejects);
	char *input = tmp_path("bad_utf8.csv");
	char *original = read_file(input);
	ck_assert_ptr_nonnull(strstr(original, "Bad \xff Bakery"));
	ck_assert_ptr_nonnull(strstr(rejects, "Bad \xff Bakery,info@bad.example,x,"));
	free(original);
	free(input);
	free(rejects);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(control_characters_and_copy_escapes_are_stored_as_given)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "control_chars.csv",
		     "copy_escapes.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.rejected, 0);
	assert_rows(db, "SELECT name, address FROM businesses ORDER BY name",
		"\x1b[31mRed\x1b[0m Shop|~\n"
		"Back\\slash \\N Bar|C:\\new\\table\tx\nline two\r\nline three\n"
		"Bell\a Bar|~\n"
		"\\.|~\n");
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(too_long_values_reject_rows_not_the_import)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct run r;
	import_files(db, false, &r, NULL, "too_long.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_uint_eq(r.report.rejected, 4);
	ck_assert_int_eq(r.report.businesses, 2);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(unknown_columns_warn_once)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	struct buf warnings = {0};
	struct run r;
	import_files(db, false, &r, &warnings, "unknown_columns.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert_ptr_nonnull(warnings.data);
	ck_assert_msg(strstr(warnings.data, "unknown_columns.csv: ignoring "
			     "unknown columns 'Favourite Colour', 'Rating', "
			     "'Notes' (") != NULL, "%s", warnings.data);
	ck_assert_ptr_eq(strchr(warnings.data, '\n'),
			 warnings.data + warnings.len - 1);
	buf_free(&warnings);
	run_free(&r);
	db_close(db);
	remove_tmpdir();
}
END_TEST

START_TEST(rejects_file_never_replaces_an_input)
{
	make_tmpdir();
	struct db *db = testdb_fresh(NULL);
	char *input = fixture_copy("mixed.csv");
	const char *files[] = { input };
	struct import_options o = {
		.files = files, .file_count = 1, .rejects_path = input,
		.actor = &owner,
	};
	struct import_report report;
	struct error err = {{0}};
	ck_assert_int_eq(lead_import(db, &o, NULL, NULL, &report, &err), -1);
	ck_assert_msg(strstr(err.msg, "would overwrite an input"), "%s", err.msg);
	import_report_free(&report);
	free(input);
	db_close(db);
	remove_tmpdir();
}
END_TEST

static void export_to(struct db *db, const char *path)
{
	FILE *fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	long long count;
	struct error err = {{0}};
	ck_assert_msg(business_export(db, NULL, fp, &count, &err) == 0, "%s",
		      err.msg);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(export_then_import_round_trips)
{
	make_tmpdir();
	struct db *a = testdb_fresh(NULL);
	struct run r;
	/* The export carries every e-mail address but only the first
	 * contact of the other types, so no business here has two. */
	import_files(a, false, &r, NULL, "aliases.csv", "embedded_quotes.csv",
		     "quoted_newlines.csv", "control_chars.csv",
		     "copy_escapes.csv", "semicolon.csv", "tab.csv", NULL);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	run_free(&r);
	char *path = tmp_path("export.csv");
	export_to(a, path);
	char *exported = read_file(path);
	ck_assert_msg(strncmp(exported, EXPORT_HEADER "\n",
			      strlen(EXPORT_HEADER) + 1) == 0, "%s", exported);

	struct db *b = testdb_fresh(NULL);
	const char *files[] = { path };
	struct import_options o = { .files = files, .file_count = 1,
				    .actor = &owner };
	struct error err = {{0}};
	ck_assert_msg(lead_import(b, &o, NULL, NULL, &r.report, &err) == 0,
		      "%s", err.msg);
	ck_assert_uint_eq(r.report.rejected, 0);
	import_report_free(&r.report);
	const char *queries[] = { BUSINESSES, CONTACTS_AS_SET };
	for (int i = 0; i < 2; i++) {
		char *want = rows(a, queries[i]);
		assert_rows(b, queries[i], want);
		free(want);
	}
	/* And the export of the copy is the same file. */
	char *path2 = tmp_path("export2.csv");
	export_to(b, path2);
	char *again = read_file(path2);
	ck_assert_str_eq(again, exported);
	free(again);
	free(exported);
	free(path2);
	free(path);
	db_close(a);
	db_close(b);
	remove_tmpdir();
}
END_TEST

START_TEST(export_filters_by_status)
{
	struct db *db = testdb_fresh(NULL);
	testdb_script(db, "INSERT INTO businesses (name, status) VALUES "
		      "('A', 'active'), ('B', 'archived'), ('C', 'active')");
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	long long count;
	struct error err = {{0}};
	ck_assert_msg(business_export(db, "active", fp, &count, &err) == 0,
		      "%s", err.msg);
	fclose(fp);
	ck_assert_int_eq(count, 2);
	ck_assert_str_eq(out, EXPORT_HEADER "\nA,,,,,,,,,,\nC,,,,,,,,,,\n");
	free(out);
	db_close(db);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("import");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mixed_file_stores_good_rows_and_hands_back_bad_ones);
	tcase_add_test(tc, every_alias_and_contact_type_is_stored);
	tcase_add_test(tc, reimport_changes_nothing);
	tcase_add_test(tc, merge_fills_empty_fields_and_keeps_the_rest);
	tcase_add_test(tc, duplicates_within_a_file_merge);
	tcase_add_test(tc, dry_run_reports_and_leaves_nothing);
	tcase_add_test(tc, fatal_error_after_good_rows_leaves_nothing);
	tcase_add_test(tc, an_import_stopped_midway_keeps_nothing);
	tcase_add_test(tc, a_statement_cancelled_at_the_request_reports_stopped);
	tcase_add_test(tc, header_only_imports_nothing_without_error);
	tcase_add_test(tc, bad_utf8_rows_are_rejected_never_stored);
	tcase_add_test(tc, control_characters_and_copy_escapes_are_stored_as_given);
	tcase_add_test(tc, too_long_values_reject_rows_not_the_import);
	tcase_add_test(tc, unknown_columns_warn_once);
	tcase_add_test(tc, rejects_file_never_replaces_an_input);
	tcase_add_test(tc, export_then_import_round_trips);
	tcase_add_test(tc, export_filters_by_status);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int failed = check_run(import_suite());
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
