/* test_leadrow.c - unit tests for src/core/leadrow.c: header mapping,
 * overrides, row validation and rejects, over tests/fixtures/csv files. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvread.h"
#include "core/leadrow.h"
#include "core/xalloc.h"
#include "check_run.h"

#define MAX_ROWS 16

struct reject {
	unsigned long line;
	char reason[1024];
};

/* Everything an import of one file would produce. */
struct outcome {
	struct lead_map *map;
	struct csvread *reader;
	bool header_seen;
	int header_rc;
	struct error header_err;
	struct lead leads[MAX_ROWS];
	size_t nleads;
	struct reject rejects[MAX_ROWS];
	size_t nrejects;
	struct buf rejects_csv;	/* header + reject_reason, then bad rows */
	int read_rc;
	struct error read_err;
};

static char *fixture_path(const char *name)
{
	const char *dir = getenv("OUTREACH_FIXTURES");
	ck_assert_msg(dir != NULL, "OUTREACH_FIXTURES is not set");
	return xasprintf("%s/csv/%s", dir, name);
}

/* Writes rec plus one more field, the way rejected rows are handed back. */
static void write_with_extra(struct outcome *o, const struct csv_record *rec,
			     const char *extra)
{
	struct csv_field *f = xcalloc(rec->count + 1, sizeof *f);
	memcpy(f, rec->fields, rec->count * sizeof *f);
	f[rec->count].data = extra;
	f[rec->count].len = strlen(extra);
	csvread_format_record(o->reader, f, rec->count + 1, &o->rejects_csv);
	free(f);
}

static int on_record(const struct csv_record *rec, void *ctx, struct error *err)
{
	struct outcome *o = ctx;

	if (rec->index == 0) {
		o->header_seen = true;
		o->header_rc = lead_map_header(o->map, rec, &o->header_err);
		if (o->header_rc < 0)
			return error_set(err, "%s", o->header_err.msg);
		write_with_extra(o, rec, "reject_reason");
		return 0;
	}
	ck_assert_uint_lt(o->nleads, MAX_ROWS);
	ck_assert_uint_lt(o->nrejects, MAX_ROWS);
	struct error reason = {{0}};
	struct lead *l = &o->leads[o->nleads];
	if (lead_row_parse(o->map, rec, l, &reason) == 0) {
		ck_assert_uint_eq(l->line, rec->line);
		o->nleads++;
		return 0;
	}
	ck_assert_ptr_null(l->name);
	ck_assert_uint_eq(l->contact_count, 0);
	o->rejects[o->nrejects].line = rec->line;
	memcpy(o->rejects[o->nrejects].reason, reason.msg, sizeof reason.msg);
	o->nrejects++;
	write_with_extra(o, rec, reason.msg);
	return 0;
}

/* Imports a fixture with optional --map overrides (NULL-terminated). */
static void import(const char *name, struct outcome *o, ...)
{
	memset(o, 0, sizeof *o);
	o->map = lead_map_new();
	va_list ap;
	va_start(ap, o);
	for (const char *spec; (spec = va_arg(ap, const char *)) != NULL;) {
		struct error err = {{0}};
		ck_assert_msg(lead_map_override(o->map, spec, &err) == 0,
			      "--map %s: %s", spec, err.msg);
	}
	va_end(ap);
	char *path = fixture_path(name);
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	o->reader = csvread_new(0, on_record, o);
	o->read_rc = csvread_file(o->reader, fp, &o->read_err);
	fclose(fp);
	free(path);
}

static void outcome_free(struct outcome *o)
{
	for (size_t i = 0; i < o->nleads; i++)
		lead_clear(&o->leads[i]);
	lead_map_free(o->map);
	csvread_free(o->reader);
	buf_free(&o->rejects_csv);
}

static void assert_contact(const struct lead *l, size_t i,
			   enum contact_type type, const char *value)
{
	ck_assert_msg(i < l->contact_count, "%s has %zu contacts", l->name,
		      l->contact_count);
	ck_assert_str_eq(contact_type_name(l->contacts[i].type),
			 contact_type_name(type));
	ck_assert_str_eq(l->contacts[i].value, value);
}

static void assert_reject(const struct outcome *o, size_t i,
			  unsigned long line, const char *reason)
{
	ck_assert_msg(i < o->nrejects, "only %zu rejects", o->nrejects);
	ck_assert_uint_eq(o->rejects[i].line, line);
	ck_assert_str_eq(o->rejects[i].reason, reason);
}

#define EMAIL_REASON "not an e-mail address (expected name@domain.tld)"

START_TEST(every_header_alias_and_normalisation)
{
	struct outcome o;

	import("aliases.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 0);
	ck_assert_ptr_null(lead_map_unknown_list(o.map));
	ck_assert_uint_eq(o.nleads, 1);
	const struct lead *l = &o.leads[0];
	ck_assert_uint_eq(l->line, 2);
	ck_assert_str_eq(l->name, "Acme Bakery");
	ck_assert_str_eq(l->website, "https://www.acme.example");
	ck_assert_str_eq(l->address, "1 Baker St, London");
	ck_assert_str_eq(l->email, "Info@acme.example");
	ck_assert_str_eq(l->phone_number, "+44 20 7946 0000");
	ck_assert_uint_eq(l->contact_count, 7);
	assert_contact(l, 0, CONTACT_EMAIL, "Info@acme.example");
	assert_contact(l, 1, CONTACT_PHONE, "+44 20 7946 0000");
	assert_contact(l, 2, CONTACT_INSTAGRAM, "https://www.instagram.com/acme.bakery");
	assert_contact(l, 3, CONTACT_FACEBOOK, "https://www.facebook.com/acmebakery");
	assert_contact(l, 4, CONTACT_TWITTER, "https://www.twitter.com/acmebakes");
	assert_contact(l, 5, CONTACT_LINKEDIN, "https://www.linkedin.com/in/jane-acme");
	assert_contact(l, 6, CONTACT_CONTACT_FORM, "https://acme.example/contact");
	outcome_free(&o);
}
END_TEST

START_TEST(bom_file_imports)
{
	struct outcome o;

	import("bom.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[0].name, "Acme Bakery");
	ck_assert_str_eq(o.leads[0].website, "https://acme-bakery.com");
	ck_assert_str_eq(o.leads[0].email, "Info@acme-bakery.com");
	ck_assert_str_eq(o.leads[1].name, "Bolt Bikes");
	ck_assert_ptr_null(o.leads[1].email);
	ck_assert_uint_eq(o.leads[1].contact_count, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(crlf_file_keeps_address_lines)
{
	struct outcome o;

	import("crlf.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[0].address, "12 Main St\r\nSpringfield");
	ck_assert_str_eq(o.leads[0].phone_number, "+1 555 010 0001");
	ck_assert_uint_eq(o.leads[1].line, 4);
	ck_assert_str_eq(o.leads[1].phone_number, "555-010-0002");
	outcome_free(&o);
}
END_TEST

START_TEST(other_delimiters_import)
{
	struct outcome o;

	import("semicolon.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[1].name, "Bolt; Bikes");
	ck_assert_str_eq(o.leads[1].website, "https://bolt.example/shop");
	ck_assert_str_eq(o.leads[1].email, "sales@bolt.example");
	outcome_free(&o);

	import("tab.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	assert_contact(&o.leads[0], 1, CONTACT_INSTAGRAM,
		       "https://www.instagram.com/acme.bakery");
	assert_contact(&o.leads[1], 0, CONTACT_INSTAGRAM,
		       "https://www.instagram.com/boltbikes");
	outcome_free(&o);

	import("pipe.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	assert_contact(&o.leads[0], 1, CONTACT_TWITTER, "https://www.twitter.com/acmebakes");
	assert_contact(&o.leads[1], 1, CONTACT_TWITTER, "https://www.twitter.com/boltbikes");
	outcome_free(&o);
}
END_TEST

START_TEST(quoted_newlines_in_rows)
{
	struct outcome o;

	import("quoted_newlines.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 3);
	ck_assert_str_eq(o.leads[0].name, "Acme Bakery");
	ck_assert_str_eq(o.leads[0].address, "12 Main St\nSpringfield\nIL");
	ck_assert_uint_eq(o.leads[1].line, 6);
	ck_assert_str_eq(o.leads[2].name, "Cafe, Corner");
	ck_assert_str_eq(o.leads[2].address, "\"Upstairs\"\nflat 2");
	ck_assert_uint_eq(o.leads[2].contact_count, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(embedded_quotes_in_names)
{
	struct outcome o;

	import("embedded_quotes.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[0].name, "The \"Best\" Bakery");
	ck_assert_str_eq(o.leads[1].name, "Comma, Inc.");
	outcome_free(&o);
}
END_TEST

START_TEST(bad_utf8_rejects_the_row_naming_the_column)
{
	struct outcome o;

	import("bad_utf8.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[0].name, "Good Bakery");
	ck_assert_str_eq(o.leads[1].name, "Caf\xc3\xa9 Z\xc3\xbcrich");
	ck_assert_uint_eq(o.nrejects, 3);
	assert_reject(&o, 0, 3, "name: not valid UTF-8 (save the file as UTF-8 and import it again)");
	assert_reject(&o, 1, 4, "notes: not valid UTF-8 (save the file as UTF-8 and import it again)");
	assert_reject(&o, 2, 6, "notes: not valid UTF-8 (save the file as UTF-8 and import it again)");
	outcome_free(&o);
}
END_TEST

START_TEST(missing_name_rejects)
{
	struct outcome o;

	import("missing_name.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[1].name, "Bolt Bikes");
	ck_assert_uint_eq(o.nrejects, 2);
	assert_reject(&o, 0, 3, "name: name is empty (every business needs one)");
	assert_reject(&o, 1, 4, "name: name is empty (every business needs one)");
	outcome_free(&o);
}
END_TEST

START_TEST(no_name_column_stops_before_any_row)
{
	struct outcome o;

	import("no_name_column.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, -1);
	ck_assert_int_eq(o.header_rc, -1);
	ck_assert_uint_eq(o.nleads + o.nrejects, 0);
	ck_assert_str_eq(o.read_err.msg, "no column holds the business name "
			 "(name a column 'name' or 'company', or use --map "
			 "'HEADER=name')");
	outcome_free(&o);
}
END_TEST

START_TEST(bad_email_rejects)
{
	struct outcome o;

	import("bad_email.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_uint_eq(o.nrejects, 3);
	assert_reject(&o, 0, 3, "email: " EMAIL_REASON);
	assert_reject(&o, 1, 4, "email: " EMAIL_REASON);
	assert_reject(&o, 2, 5, "email: " EMAIL_REASON);
	/* Several addresses in one cell are several contacts. */
	const struct lead *l = &o.leads[1];
	ck_assert_str_eq(l->name, "Easy Eats");
	ck_assert_str_eq(l->email, "first@easy.example");
	ck_assert_uint_eq(l->contact_count, 2);
	assert_contact(l, 1, CONTACT_EMAIL, "second@easy.example");
	outcome_free(&o);
}
END_TEST

START_TEST(bad_social_rejects)
{
	struct outcome o;

	import("bad_social.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 1);
	ck_assert_uint_eq(o.leads[0].contact_count, 2);
	ck_assert_uint_eq(o.nrejects, 6);
	assert_reject(&o, 0, 3, "instagram: not an Instagram profile (expected "
		      "https://www.instagram.com/NAME or @NAME)");
	assert_reject(&o, 1, 4, "facebook: not a Facebook profile (expected "
		      "https://www.facebook.com/NAME or @NAME)");
	assert_reject(&o, 2, 5, "twitter: not a Twitter/X profile (expected "
		      "https://www.twitter.com/NAME or @NAME)");
	assert_reject(&o, 3, 6, "linkedin: not a LinkedIn profile (expected "
		      "https://www.linkedin.com/NAME or @NAME)");
	assert_reject(&o, 4, 7, "instagram: not an Instagram profile (expected "
		      "https://www.instagram.com/NAME or @NAME)");
	assert_reject(&o, 5, 8, "instagram: a hashtag is not a profile (expected "
		      "https://www.instagram.com/NAME or @NAME)");
	outcome_free(&o);
}
END_TEST

START_TEST(duplicates_normalise_to_the_same_name)
{
	struct outcome o;

	import("duplicates.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 4);
	ck_assert_uint_eq(o.nrejects, 0);
	for (size_t i = 0; i < 3; i++)
		ck_assert_str_eq(o.leads[i].name, "Acme Bakery");
	ck_assert_str_eq(o.leads[1].email, "orders@acme.example");
	ck_assert_str_eq(o.leads[1].phone_number, "555 010 0001");
	ck_assert_str_eq(o.leads[3].name, "Bolt Bikes");
	outcome_free(&o);
}
END_TEST

START_TEST(unknown_columns_listed_once)
{
	struct outcome o;

	import("unknown_columns.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 1);
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 3);
	ck_assert_str_eq(lead_map_unknown(o.map, 2), "Notes");
	ck_assert_ptr_null(lead_map_unknown(o.map, 3));
	char *list = lead_map_unknown_list(o.map);
	ck_assert_str_eq(list, "'Favourite Colour', 'Rating', 'Notes'");
	free(list);
	ck_assert_uint_eq(o.leads[0].contact_count, 1);
	outcome_free(&o);
}
END_TEST

START_TEST(empty_and_header_only_files)
{
	struct outcome o;

	import("empty.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert(!o.header_seen);	/* the caller reports "empty file" */
	outcome_free(&o);

	import("header_only.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert(o.header_seen);
	ck_assert_int_eq(o.header_rc, 0);
	ck_assert_uint_eq(o.nleads + o.nrejects, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(export_columns_import_back)
{
	struct outcome o;

	import("export_columns.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 1);
	char *list = lead_map_unknown_list(o.map);
	ck_assert_str_eq(list, "'id', 'status'");
	free(list);
	const struct lead *l = &o.leads[0];
	ck_assert_str_eq(l->email, "info@acme.example");
	ck_assert_str_eq(l->phone_number, "+1 555 010 0001");
	/* info@ appears in both e-mail columns: one contact. */
	ck_assert_uint_eq(l->contact_count, 8);
	assert_contact(l, 0, CONTACT_EMAIL, "info@acme.example");
	assert_contact(l, 1, CONTACT_EMAIL, "orders@acme.example");
	assert_contact(l, 2, CONTACT_PHONE, "+1 555 010 0001");
	assert_contact(l, 6, CONTACT_LINKEDIN, "https://www.linkedin.com/company/acme-bakery");
	assert_contact(l, 7, CONTACT_CONTACT_FORM, "https://acme.example/contact");
	outcome_free(&o);
}
END_TEST

START_TEST(control_characters_are_kept)
{
	struct outcome o;

	import("control_chars.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 2);
	ck_assert_str_eq(o.leads[0].name, "\x1b[31mRed\x1b[0m Shop");
	ck_assert_str_eq(o.leads[1].name, "Bell\x07 Bar");
	outcome_free(&o);
}
END_TEST

START_TEST(two_name_columns_need_a_choice)
{
	struct outcome o;

	import("name_conflict.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, -1);
	ck_assert_str_eq(o.read_err.msg, "columns 'Name' and 'Company' both look "
			 "like name; choose one with --map 'Company=name' or "
			 "--map 'Company=ignore'");
	outcome_free(&o);

	import("name_conflict.csv", &o, "company=name", NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_str_eq(o.leads[0].name, "Acme Bakery");
	ck_assert_str_eq(lead_map_unknown(o.map, 0), "Name");
	outcome_free(&o);

	import("name_conflict.csv", &o, "Company=ignore", NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_str_eq(o.leads[0].name, "Jane Doe");
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 0);
	outcome_free(&o);

	import("name_conflict.csv", &o, "Company=name", "Name=name", NULL);
	ck_assert_int_eq(o.read_rc, -1);
	ck_assert_str_eq(o.read_err.msg, "--map gives name to both 'Name' and "
			 "'Company'; keep one");
	outcome_free(&o);
}
END_TEST

START_TEST(overrides_add_and_replace)
{
	struct outcome o;

	/* Rating holds 5, which is no phone number: the override is used. */
	import("unknown_columns.csv", &o, "Favourite Colour=ignore",
	       "RATING=phone_number", NULL);
	ck_assert_uint_eq(o.nleads, 0);
	assert_reject(&o, 0, 2, "Rating: not a phone number (expected 7 to 20 "
		      "digits, found 1)");
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 1);
	ck_assert_str_eq(lead_map_unknown(o.map, 0), "Notes");
	outcome_free(&o);

	/* The later --map for the same column wins. */
	import("unknown_columns.csv", &o, "Rating=phone", "rating=ignore", NULL);
	ck_assert_uint_eq(o.nleads, 1);
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 2);
	outcome_free(&o);
}
END_TEST

START_TEST(override_errors)
{
	struct lead_map *m = lead_map_new();
	struct error err = {{0}};

	ck_assert_int_eq(lead_map_override(m, "Firm", &err), -1);
	ck_assert_str_eq(err.msg, "--map 'Firm': expected HEADER=FIELD, e.g. --map 'Firm=name'");
	ck_assert_int_eq(lead_map_override(m, "=name", &err), -1);
	ck_assert_int_eq(lead_map_override(m, "Firm=bogus", &err), -1);
	ck_assert_str_eq(err.msg, "--map 'Firm=bogus': unknown field 'bogus' "
			 "(expected name, website, email, phone_number, address, "
			 "instagram, facebook, twitter, linkedin, contact_form or ignore)");
	ck_assert_int_eq(lead_map_override(m, "A=B=name", &err), 0);
	lead_map_free(m);

	struct outcome o;
	import("header_only.csv", &o, "Firm=name", NULL);
	ck_assert_int_eq(o.read_rc, -1);
	ck_assert_str_eq(o.read_err.msg, "--map 'Firm=name': the file has no such column");
	outcome_free(&o);
}
END_TEST

START_TEST(mixed_rows_and_rejects_file)
{
	struct outcome o;

	import("mixed.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_uint_eq(o.nleads, 4);
	ck_assert_str_eq(o.leads[0].name, "Acme Bakery");
	ck_assert_str_eq(o.leads[1].name, "Easy Eats");	/* short row */
	ck_assert_uint_eq(o.leads[1].contact_count, 0);
	ck_assert_str_eq(o.leads[2].name, "Fine Foods");	/* empty extras */
	ck_assert_uint_eq(o.leads[3].line, 9);
	ck_assert_uint_eq(o.nrejects, 4);
	assert_reject(&o, 0, 3, "email: " EMAIL_REASON);
	assert_reject(&o, 1, 4, "phone: not a phone number (expected 7 to 20 digits, found 2)");
	assert_reject(&o, 2, 5, "row has 4 fields, header has 3 (is a delimiter or quote out of place?)");
	assert_reject(&o, 3, 8, "name: name is empty (every business needs one)");
	ck_assert_str_eq(o.rejects_csv.data,
		"name,email,phone,reject_reason\n"
		"Bolt Bikes,sales@bolt,555 010 0002,email: " EMAIL_REASON "\n"
		"Corner Cafe,cafe@corner.example,12,"
		"\"phone: not a phone number (expected 7 to 20 digits, found 2)\"\n"
		"Deli Two,deli@two.example,555 010 0004,surprise,"
		"\"row has 4 fields, header has 3 (is a delimiter or quote out of place?)\"\n"
		",nobody@example.com,,name: name is empty (every business needs one)\n");
	outcome_free(&o);
}
END_TEST

START_TEST(values_longer_than_the_schema_holds_reject_the_row)
{
	struct outcome o;

	import("too_long.csv", &o, NULL);
	ck_assert_int_eq(o.read_rc, 0);
	ck_assert_uint_eq(o.nleads, 2);
	/* 255 two-byte characters: the limit counts characters, not bytes. */
	ck_assert_uint_eq(strlen(o.leads[0].name), 510);
	ck_assert_str_eq(o.leads[1].name, "Fine Shop");
	ck_assert_uint_eq(o.nrejects, 4);
	assert_reject(&o, 0, 3, "name: too long (256 characters, at most 255 fit; shorten it)");
	assert_reject(&o, 1, 4, "website: too long (260 characters, at most 255 fit; shorten it)");
	assert_reject(&o, 2, 5, "phone: too long (51 characters, at most 50 fit; shorten it)");
	assert_reject(&o, 3, 6, "contact form: too long (2010 characters, at most 2000 fit; shorten it)");
	outcome_free(&o);
}
END_TEST

START_TEST(reject_reason_column_is_ignored_quietly)
{
	struct outcome o;

	import("rejects_again.csv", &o, NULL);
	ck_assert_uint_eq(o.nleads, 1);
	ck_assert_uint_eq(lead_map_unknown_count(o.map), 0);
	ck_assert_uint_eq(o.leads[0].contact_count, 1);
	outcome_free(&o);
}
END_TEST

static Suite *leadrow_suite(void)
{
	Suite *s = suite_create("leadrow");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, every_header_alias_and_normalisation);
	tcase_add_test(tc, bom_file_imports);
	tcase_add_test(tc, crlf_file_keeps_address_lines);
	tcase_add_test(tc, other_delimiters_import);
	tcase_add_test(tc, quoted_newlines_in_rows);
	tcase_add_test(tc, embedded_quotes_in_names);
	tcase_add_test(tc, bad_utf8_rejects_the_row_naming_the_column);
	tcase_add_test(tc, missing_name_rejects);
	tcase_add_test(tc, no_name_column_stops_before_any_row);
	tcase_add_test(tc, bad_email_rejects);
	tcase_add_test(tc, bad_social_rejects);
	tcase_add_test(tc, duplicates_normalise_to_the_same_name);
	tcase_add_test(tc, unknown_columns_listed_once);
	tcase_add_test(tc, empty_and_header_only_files);
	tcase_add_test(tc, export_columns_import_back);
	tcase_add_test(tc, control_characters_are_kept);
	tcase_add_test(tc, two_name_columns_need_a_choice);
	tcase_add_test(tc, overrides_add_and_replace);
	tcase_add_test(tc, override_errors);
	tcase_add_test(tc, mixed_rows_and_rejects_file);
	tcase_add_test(tc, values_longer_than_the_schema_holds_reject_the_row);
	tcase_add_test(tc, reject_reason_column_is_ignored_quietly);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!getenv("OUTREACH_FIXTURES")) {
		fprintf(stderr, "test_leadrow: set OUTREACH_FIXTURES to the "
			"tests/fixtures directory\n");
		return EXIT_FAILURE;
	}
	int failed = check_run(leadrow_suite());
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
