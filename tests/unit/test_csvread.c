/* test_csvread.c - unit tests for src/core/csvread.c over the fixture files
 * in tests/fixtures/csv: records, physical line numbers, dialects, errors. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvread.h"
#include "core/xalloc.h"
#include "check_run.h"

#define MAX_RECORDS 16

struct record_copy {
	char **fields;
	size_t count;
	unsigned long line;
};

struct collected {
	struct record_copy rec[MAX_RECORDS];
	size_t n;
	size_t stop_at;		/* index at which the callback refuses, or 0 */
};

static char *fixture_path(const char *name)
{
	const char *dir = getenv("OUTREACH_FIXTURES");
	ck_assert_msg(dir != NULL, "OUTREACH_FIXTURES is not set");
	return xasprintf("%s/csv/%s", dir, name);
}

/* Returns the fixture's bytes (caller frees) and its size in *len. */
static char *fixture_bytes(const char *name, size_t *len)
{
	char *path = fixture_path(name);
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	struct buf b = {0};
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		buf_append(&b, tmp, n);
	fclose(fp);
	free(path);
	*len = b.len;
	return buf_detach(&b);
}

static int collect(const struct csv_record *rec, void *ctx, struct error *err)
{
	struct collected *c = ctx;

	ck_assert_uint_eq(rec->index, c->n);
	if (c->stop_at && rec->index == c->stop_at)
		return error_set(err, "stopped at line %lu", rec->line);
	ck_assert_uint_lt(c->n, MAX_RECORDS);
	struct record_copy *copy = &c->rec[c->n++];
	copy->count = rec->count;
	copy->line = rec->line;
	copy->fields = xcalloc(rec->count, sizeof *copy->fields);
	for (size_t i = 0; i < rec->count; i++) {
		ck_assert_uint_eq(strlen(rec->fields[i].data), rec->fields[i].len);
		copy->fields[i] = xstrndup(rec->fields[i].data, rec->fields[i].len);
	}
	return 0;
}

static void collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t f = 0; f < c->rec[i].count; f++)
			free(c->rec[i].fields[f]);
		free(c->rec[i].fields);
	}
	memset(c, 0, sizeof *c);
}

/* Reads a fixture through csvread_file; returns its status. */
static int read_fixture(const char *name, char delimiter, struct collected *c,
			struct csvread **reader, struct error *err)
{
	char *path = fixture_path(name);
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	struct csvread *r = csvread_new(delimiter, collect, c);
	int rc = csvread_file(r, fp, err);
	fclose(fp);
	free(path);
	if (reader)
		*reader = r;
	else
		csvread_free(r);
	return rc;
}

static void assert_record(const struct collected *c, size_t i,
			  unsigned long line, size_t count, ...)
{
	ck_assert_msg(i < c->n, "only %zu records, wanted record %zu", c->n, i);
	const struct record_copy *r = &c->rec[i];
	ck_assert_uint_eq(r->line, line);
	ck_assert_uint_eq(r->count, count);
	va_list ap;
	va_start(ap, count);
	for (size_t f = 0; f < count; f++)
		ck_assert_str_eq(r->fields[f], va_arg(ap, const char *));
	va_end(ap);
}

START_TEST(bom_is_stripped)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("bom.csv", 0, &c, &r, &err), 0);
	ck_assert(csvread_had_bom(r));
	ck_assert_int_eq(csvread_delimiter(r), ',');
	ck_assert_uint_eq(c.n, 3);
	assert_record(&c, 0, 1, 3, "name", "website", "email");
	assert_record(&c, 2, 3, 3, "Bolt Bikes", "boltbikes.co.uk", "");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

START_TEST(crlf_lines_and_quoted_crlf)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("crlf.csv", 0, &c, &r, &err), 0);
	ck_assert(!csvread_had_bom(r));
	ck_assert_str_eq(csvread_line_ending(r), "\r\n");
	ck_assert_uint_eq(c.n, 3);
	assert_record(&c, 0, 1, 3, "Business Name", "Phone", "Address");
	assert_record(&c, 1, 2, 3, "Acme Bakery", "+1 555 010 0001",
		      "12 Main St\r\nSpringfield");
	assert_record(&c, 2, 4, 3, "Bolt Bikes", "555-010-0002", "3 High Rd");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

START_TEST(lone_cr_ends_lines)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("cr_only.csv", 0, &c, &r, &err), 0);
	ck_assert_str_eq(csvread_line_ending(r), "\n");
	ck_assert_uint_eq(c.n, 3);
	assert_record(&c, 2, 3, 2, "Bolt Bikes", "sales@bolt.example");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

static void check_sniffed(const char *name, char want, const char *field)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture(name, 0, &c, &r, &err), 0);
	ck_assert_msg(csvread_delimiter(r) == want, "%s: sniffed '%c'", name,
		      csvread_delimiter(r));
	ck_assert_str_eq(csvread_line_ending(r), "\n");
	ck_assert_uint_eq(c.n, 3);
	ck_assert_uint_eq(c.rec[2].line, 3);
	ck_assert_str_eq(c.rec[2].fields[0], field);
	csvread_free(r);
	collected_free(&c);
}

START_TEST(delimiters_are_sniffed)
{
	check_sniffed("semicolon.csv", ';', "Bolt; Bikes");
	check_sniffed("tab.csv", '\t', "Bolt Bikes");
	check_sniffed("pipe.csv", '|', "Bolt Bikes");
	check_sniffed("single_column.csv", ',', "Bolt Bikes");
}
END_TEST

START_TEST(sniffing_ignores_quoted_delimiters)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("sniff_quoted.csv", 0, &c, &r, &err), 0);
	ck_assert_int_eq(csvread_delimiter(r), ';');
	assert_record(&c, 0, 1, 2, "Name, Business", "E,mail");
	assert_record(&c, 1, 2, 2, "Acme Bakery", "info@acme.example");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

START_TEST(given_delimiter_wins)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("tab.csv", ';', &c, &r, &err), 0);
	ck_assert_int_eq(csvread_delimiter(r), ';');
	assert_record(&c, 0, 1, 1, "name\temail\tinstagram");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

START_TEST(quoted_newlines_keep_physical_lines)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("quoted_newlines.csv", 0, &c, NULL, &err), 0);
	ck_assert_uint_eq(c.n, 4);
	assert_record(&c, 1, 2, 3, "Acme\nBakery", "12 Main St\nSpringfield\nIL",
		      "info@acme.example");
	assert_record(&c, 2, 6, 3, "Bolt Bikes", "3 High Rd", "sales@bolt.example");
	assert_record(&c, 3, 7, 3, "Cafe, Corner", "\"Upstairs\"\nflat 2", "");
	collected_free(&c);
}
END_TEST

START_TEST(embedded_quotes_and_blank_rows)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("embedded_quotes.csv", 0, &c, NULL, &err), 0);
	ck_assert_uint_eq(c.n, 3);	/* the final "", row is blank */
	assert_record(&c, 1, 2, 2, "The \"Best\" Bakery", "best.example");
	assert_record(&c, 2, 3, 2, "Comma, Inc.", "comma.example");
	collected_free(&c);
}
END_TEST

START_TEST(blank_lines_are_skipped)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("blank_lines.csv", 0, &c, NULL, &err), 0);
	ck_assert_uint_eq(c.n, 3);
	assert_record(&c, 0, 2, 2, "name", "email");
	assert_record(&c, 1, 4, 2, "Acme Bakery", "info@acme.example");
	assert_record(&c, 2, 9, 2, "Bolt Bikes", "sales@bolt.example");
	collected_free(&c);
}
END_TEST

START_TEST(empty_file_has_no_records)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("empty.csv", 0, &c, &r, &err), 0);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_uint_eq(csvread_bytes_consumed(r), 0);
	csvread_free(r);
}
END_TEST

START_TEST(header_only_file)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("header_only.csv", 0, &c, NULL, &err), 0);
	ck_assert_uint_eq(c.n, 1);
	assert_record(&c, 0, 1, 3, "name", "website", "email");
	collected_free(&c);
}
END_TEST

START_TEST(long_field_is_an_error_naming_the_line)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("long_field.csv", 0, &c, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "line 3: a field is longer than 64 KiB (is a "
			 "quote missing, or is this not a lead list?)");
	ck_assert_uint_eq(c.n, 2);	/* nothing after the bad record */
	collected_free(&c);
}
END_TEST

START_TEST(unterminated_quote_names_the_record_start)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("unterminated_quote.csv", 0, &c, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "line 3: a quoted field is never closed"));
	ck_assert_uint_eq(c.n, 2);
	collected_free(&c);
}
END_TEST

START_TEST(stray_quote_is_an_error)
{
	struct collected c = {0};
	struct error err = {{0}};

	ck_assert_int_eq(read_fixture("stray_quote.csv", 0, &c, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "line 2: a quote inside an unquoted field"));
	ck_assert_uint_eq(c.n, 1);
	collected_free(&c);
}
END_TEST

START_TEST(callback_can_stop_the_read)
{
	struct collected c = { .stop_at = 2 };
	struct error err = {{0}};
	struct csvread *r;

	ck_assert_int_eq(read_fixture("quoted_newlines.csv", 0, &c, &r, &err), -1);
	ck_assert_str_eq(err.msg, "stopped at line 6");
	ck_assert_uint_eq(c.n, 2);
	/* A failed reader keeps failing with the same message. */
	struct error again = {{0}};
	ck_assert_int_eq(csvread_feed(r, "x\n", 2, &again), -1);
	ck_assert_str_eq(again.msg, "stopped at line 6");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

static const char *all_fixtures[] = {
	"bom.csv", "crlf.csv", "cr_only.csv", "semicolon.csv", "tab.csv",
	"pipe.csv", "quoted_newlines.csv", "embedded_quotes.csv",
	"bad_utf8.csv", "missing_name.csv", "bad_email.csv", "bad_social.csv",
	"duplicates.csv", "unknown_columns.csv", "empty.csv",
	"header_only.csv", "blank_lines.csv", "export_columns.csv",
	"control_chars.csv", "aliases.csv", "mixed.csv", "long_field.csv",
	"unterminated_quote.csv", "stray_quote.csv", "sniff_quoted.csv",
	"single_column.csv", "no_name_column.csv", "name_conflict.csv",
};

/* Feeds bytes in pieces of the given size; returns the status. */
static int feed_in_pieces(const char *data, size_t len, size_t piece,
			  struct collected *c, struct error *err,
			  unsigned long long *consumed)
{
	struct csvread *r = csvread_new(0, collect, c);
	int rc = 0;
	for (size_t off = 0; off < len && rc == 0; off += piece) {
		size_t n = len - off < piece ? len - off : piece;
		rc = csvread_feed(r, data + off, n, err);
	}
	if (rc == 0)
		rc = csvread_finish(r, err);
	*consumed = csvread_bytes_consumed(r);
	csvread_free(r);
	return rc;
}

static void assert_same_records(const char *name, const struct collected *a,
				const struct collected *b)
{
	ck_assert_msg(a->n == b->n, "%s: %zu vs %zu records", name, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		ck_assert_msg(a->rec[i].line == b->rec[i].line,
			      "%s: record %zu line %lu vs %lu", name, i,
			      a->rec[i].line, b->rec[i].line);
		ck_assert_uint_eq(a->rec[i].count, b->rec[i].count);
		for (size_t f = 0; f < a->rec[i].count; f++)
			ck_assert_str_eq(a->rec[i].fields[f], b->rec[i].fields[f]);
	}
}

/* Chunk boundaries (inside a BOM, between CR and LF, inside quotes) must
 * not change what is read. */
START_TEST(chunking_does_not_change_records)
{
	const char *name = all_fixtures[_i];
	size_t len;
	char *data = fixture_bytes(name, &len);
	struct collected whole = {0}, bytewise = {0};
	struct error err1 = {{0}}, err2 = {{0}};
	unsigned long long consumed1, consumed2;

	int rc1 = feed_in_pieces(data, len, len ? len : 1, &whole, &err1, &consumed1);
	int rc2 = feed_in_pieces(data, len, 1, &bytewise, &err2, &consumed2);
	ck_assert_int_eq(rc1, rc2);
	ck_assert_str_eq(err1.msg, err2.msg);
	assert_same_records(name, &whole, &bytewise);
	if (rc1 == 0) {
		ck_assert_uint_eq(consumed1, len);
		ck_assert_uint_eq(consumed2, len);
	}
	collected_free(&whole);
	collected_free(&bytewise);
	free(data);
}
END_TEST

START_TEST(format_quotes_only_where_needed)
{
	struct csv_field f[] = {
		{ "The \"Best\" Bakery", 17 }, { "a;b", 3 }, { "plain", 5 },
		{ "two\nlines", 9 }, { " pad", 4 }, { "", 0 },
	};
	struct buf out = {0};

	csv_format_record(';', "\r\n", f, 6, &out);
	ck_assert_str_eq(out.data, "\"The \"\"Best\"\" Bakery\";\"a;b\";plain;"
			 "\"two\nlines\";\" pad\";\r\n");
	buf_reset(&out);
	csv_format_record(',', "\n", f + 1, 1, &out);
	ck_assert_str_eq(out.data, "a;b\n");
	buf_reset(&out);
	csv_format_record(',', "\n", f + 5, 1, &out);
	ck_assert_str_eq(out.data, "\"\"\n");
	buf_free(&out);
}
END_TEST

struct reformat_ctx {
	struct csvread **reader;
	struct buf out;
};

static int reformat(const struct csv_record *rec, void *vctx, struct error *err)
{
	struct reformat_ctx *ctx = vctx;
	(void)err;
	csvread_format_record(*ctx->reader, rec->fields, rec->count, &ctx->out);
	return 0;
}

/* Rejected rows are written back in the input's dialect: reading that
 * output again must give the same records. */
static void check_round_trip(const char *name)
{
	size_t len;
	char *data = fixture_bytes(name, &len);
	struct csvread *r = NULL;
	struct reformat_ctx ctx = { &r, {0} };
	struct error err = {{0}};

	r = csvread_new(0, reformat, &ctx);
	ck_assert_int_eq(csvread_feed(r, data, len, &err), 0);
	ck_assert_int_eq(csvread_finish(r, &err), 0);
	char delimiter = csvread_delimiter(r);
	csvread_free(r);

	struct collected orig = {0}, again = {0};
	unsigned long long consumed;
	ck_assert_int_eq(feed_in_pieces(data, len, len, &orig, &err, &consumed), 0);
	struct csvread *r2 = csvread_new(delimiter, collect, &again);
	ck_assert_int_eq(csvread_feed(r2, ctx.out.data, ctx.out.len, &err), 0);
	ck_assert_int_eq(csvread_finish(r2, &err), 0);
	csvread_free(r2);
	ck_assert_uint_eq(orig.n, again.n);
	for (size_t i = 0; i < orig.n; i++)
		for (size_t f = 0; f < orig.rec[i].count; f++)
			ck_assert_str_eq(orig.rec[i].fields[f], again.rec[i].fields[f]);
	collected_free(&orig);
	collected_free(&again);
	buf_free(&ctx.out);
	free(data);
}

START_TEST(format_round_trips)
{
	check_round_trip("quoted_newlines.csv");
	check_round_trip("embedded_quotes.csv");
	check_round_trip("semicolon.csv");
	check_round_trip("crlf.csv");
	check_round_trip("tab.csv");
}
END_TEST

START_TEST(progress_counts_bytes)
{
	struct collected c = {0};
	struct error err = {{0}};
	struct csvread *r = csvread_new(0, collect, &c);

	ck_assert_int_eq(csvread_feed(r, "name,email\nAcme,", 16, &err), 0);
	ck_assert_uint_eq(csvread_bytes_consumed(r), 16);
	ck_assert_uint_eq(c.n, 1);	/* the header is complete */
	ck_assert_int_eq(csvread_feed(r, "a@b.co", 6, &err), 0);
	ck_assert_uint_eq(csvread_bytes_consumed(r), 22);
	ck_assert_uint_eq(c.n, 1);	/* the row has no line end yet */
	ck_assert_int_eq(csvread_finish(r, &err), 0);
	assert_record(&c, 1, 2, 2, "Acme", "a@b.co");
	csvread_free(r);
	collected_free(&c);
}
END_TEST

static Suite *csvread_suite(void)
{
	Suite *s = suite_create("csvread");
	TCase *tc = tcase_create("reader");

	tcase_add_test(tc, bom_is_stripped);
	tcase_add_test(tc, crlf_lines_and_quoted_crlf);
	tcase_add_test(tc, lone_cr_ends_lines);
	tcase_add_test(tc, delimiters_are_sniffed);
	tcase_add_test(tc, sniffing_ignores_quoted_delimiters);
	tcase_add_test(tc, given_delimiter_wins);
	tcase_add_test(tc, quoted_newlines_keep_physical_lines);
	tcase_add_test(tc, embedded_quotes_and_blank_rows);
	tcase_add_test(tc, blank_lines_are_skipped);
	tcase_add_test(tc, empty_file_has_no_records);
	tcase_add_test(tc, header_only_file);
	tcase_add_test(tc, long_field_is_an_error_naming_the_line);
	tcase_add_test(tc, unterminated_quote_names_the_record_start);
	tcase_add_test(tc, stray_quote_is_an_error);
	tcase_add_test(tc, callback_can_stop_the_read);
	tcase_add_loop_test(tc, chunking_does_not_change_records, 0,
			    sizeof all_fixtures / sizeof *all_fixtures);
	tcase_add_test(tc, format_quotes_only_where_needed);
	tcase_add_test(tc, format_round_trips);
	tcase_add_test(tc, progress_counts_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!getenv("OUTREACH_FIXTURES")) {
		fprintf(stderr, "test_csvread: set OUTREACH_FIXTURES to the "
			"tests/fixtures directory\n");
		return EXIT_FAILURE;
	}
	int failed = check_run(csvread_suite());
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
