/* test_template.c - unit tests for the template language: rendering, the
 * subject rules, and every compile error with its exact line and column. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"
#include "check_run.h"

static const char *fixtures;

/* Reads tests/fixtures/templates/<name>; the caller frees the text. */
static char *read_fixture(const char *name)
{
	char *path = xasprintf("%s/templates/%s", fixtures, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open fixture %s", path);
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	free(path);
	return buf_detach(&b);
}

/* Compiles and renders in one go; the caller frees the result. Fails the
 * test when the template does not compile. */
static char *render(const char *text, enum template_kind kind,
		    const struct template_values *values)
{
	struct template_errors errors = { 0 };
	struct template *t = template_compile(text, kind, &errors);
	ck_assert_msg(t != NULL, "'%s' did not compile: %s", text,
		      errors.count ? errors.items[0].message : "?");
	ck_assert_uint_eq(errors.count, 0);
	struct buf out = { 0 };
	template_render(t, values, &out);
	template_free(t);
	template_errors_free(&errors);
	return buf_detach(&out);
}

static void check_render(const char *text, enum template_kind kind,
			 const struct template_values *values,
			 const char *expected)
{
	char *got = render(text, kind, values);
	ck_assert_str_eq(got, expected);
	free(got);
}

static void check_body(const char *text, const struct template_values *values,
		       const char *expected)
{
	check_render(text, TEMPLATE_BODY, values, expected);
}

/* Compiles text expecting failure and returns the formatted errors, one a
 * line; the caller frees them. */
static char *compile_errors(const char *text, enum template_kind kind)
{
	struct template_errors errors = { 0 };
	struct template *t = template_compile(text, kind, &errors);
	ck_assert_msg(t == NULL, "'%s' compiled but should not", text);
	ck_assert_uint_gt(errors.count, 0);
	struct buf out = { 0 };
	for (size_t i = 0; i < errors.count; i++) {
		template_error_format(&errors.items[i], &out);
		buf_putc(&out, '\n');
	}
	template_errors_free(&errors);
	return buf_detach(&out);
}

static void check_errors(const char *text, enum template_kind kind,
			 const char *expected)
{
	char *got = compile_errors(text, kind);
	ck_assert_str_eq(got, expected);
	free(got);
}

/* Checks the one error of text, field by field, including the byte range
 * an editor would underline. */
static void check_one_error(const char *text, enum template_kind kind,
			    unsigned line, unsigned column, size_t offset,
			    size_t length, const char *message)
{
	struct template_errors errors = { 0 };
	ck_assert_ptr_null(template_compile(text, kind, &errors));
	ck_assert_uint_eq(errors.count, 1);
	const struct template_error *e = &errors.items[0];
	ck_assert_uint_eq(e->line, line);
	ck_assert_uint_eq(e->column, column);
	ck_assert_uint_eq(e->offset, offset);
	ck_assert_uint_eq(e->length, length);
	ck_assert_str_eq(e->message, message);
	template_errors_free(&errors);
}

/* ---- rendering ---- */

START_TEST(test_every_field_renders_its_value)
{
	struct template_values v = { 0 };
	char values[TEMPLATE_FIELD_COUNT][32];

	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++) {
		snprintf(values[f], sizeof values[f], "value %d", f);
		v.v[f] = values[f];
	}
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++) {
		char *text = xasprintf("<{{%s}}>", template_field_name(f));
		char *expected = xasprintf("<value %d>", f);
		check_body(text, &v, expected);
		free(text);
		free(expected);
	}
}
END_TEST

START_TEST(test_field_names_are_the_documented_ones)
{
	static const char *const names[] = {
		"business.name", "business.website", "business.email",
		"business.phone_number", "business.address", "contact.type",
		"contact.value", "campaign.name", "sender.name",
		"unsubscribe_url",
	};
	ck_assert_int_eq(TEMPLATE_FIELD_COUNT, 10);
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++) {
		ck_assert_str_eq(template_field_name(f), names[f]);
		ck_assert_int_eq(template_field_from_name(names[f],
							  strlen(names[f])), f);
	}
	ck_assert_ptr_null(template_field_name(TEMPLATE_FIELD_COUNT));
	ck_assert_int_eq(template_field_from_name("business.name", 8), -1);
	ck_assert_int_eq(template_field_from_name("Business.name", 13), -1);
}
END_TEST

START_TEST(test_whitespace_inside_braces)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_BUSINESS_NAME] = "Acme",
	} };
	check_body("{{ business.name }}", &v, "Acme");
	check_body("{{\tbusiness.name  }}", &v, "Acme");
	check_body("{{ business.address | your area }}!", &v, "your area!");
	check_body("{{business.address|  two  words\t}}", &v, "two  words");
}
END_TEST

START_TEST(test_fallback_when_value_missing)
{
	struct template_values v = { 0 };
	const char *t = "in {{business.address|your area}}.";

	check_body(t, &v, "in your area.");
	v.v[TEMPLATE_FIELD_BUSINESS_ADDRESS] = "";
	check_body(t, &v, "in your area.");
	v.v[TEMPLATE_FIELD_BUSINESS_ADDRESS] = " \t\n";
	check_body(t, &v, "in your area.");
	v.v[TEMPLATE_FIELD_BUSINESS_ADDRESS] = "Main St 1";
	check_body(t, &v, "in Main St 1.");
	/* Surrounding white space of a real value is the data's business. */
	v.v[TEMPLATE_FIELD_BUSINESS_ADDRESS] = " Main St 1 ";
	check_body(t, &v, "in  Main St 1 .");
}
END_TEST

START_TEST(test_missing_value_without_fallback_is_empty)
{
	struct template_values v = { 0 };
	check_body("Hi {{business.name}}!", &v, "Hi !");
	check_body("Hi {{business.name|}}!", &v, "Hi !");
	/* A fallback may hold a single brace and a '|'. */
	check_body("{{business.name|a } or | b}}", &v, "a } or | b");
}
END_TEST

START_TEST(test_escapes_and_single_braces)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_BUSINESS_NAME] = "Acme",
	} };
	check_body("{{{{", &v, "{{");
	check_body("}}}}", &v, "}}");
	check_body("{{{{business.name}}}} = {{business.name}}", &v,
		   "{{business.name}} = Acme");
	check_body("a { b } c {x} }{", &v, "a { b } c {x} }{");
	/* Five braces: the escape, then an ordinary one. */
	check_body("{{{{{ }}}}}", &v, "{{{ }}}");
	check_body("{{business.name}}}", &v, "Acme}");
}
END_TEST

START_TEST(test_values_are_not_expanded)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_BUSINESS_NAME] = "{{sender.name}} }} {{",
		[TEMPLATE_FIELD_SENDER_NAME] = "Dana",
	} };
	check_body("{{business.name}}", &v, "{{sender.name}} }} {{");
}
END_TEST

START_TEST(test_body_fixture)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_BUSINESS_NAME] = "Café {{Zürich}}",
		[TEMPLATE_FIELD_BUSINESS_WEBSITE] = "https://cafe-zurich.example",
		[TEMPLATE_FIELD_BUSINESS_EMAIL] = "info@cafe-zurich.example",
		[TEMPLATE_FIELD_BUSINESS_PHONE_NUMBER] = "",
		[TEMPLATE_FIELD_BUSINESS_ADDRESS] = NULL,
		[TEMPLATE_FIELD_CONTACT_TYPE] = "email",
		[TEMPLATE_FIELD_CONTACT_VALUE] = "hello@cafe-zurich.example",
		[TEMPLATE_FIELD_CAMPAIGN_NAME] = "Spring 2025",
		[TEMPLATE_FIELD_SENDER_NAME] = "Dana Ortiz",
		[TEMPLATE_FIELD_UNSUBSCRIBE_URL] =
			"https://outreach.example/u/abc123",
	} };
	char *text = read_fixture("welcome.body.tmpl");
	char *expected = read_fixture("welcome.body.expected");

	check_body(text, &v, expected);
	free(text);
	free(expected);
}
END_TEST

START_TEST(test_render_appends_and_reuses_buffer)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_SENDER_NAME] = "Dana",
	} };
	struct template *t = template_compile("-{{sender.name}}", TEMPLATE_BODY,
					      NULL);
	struct buf out = { 0 };

	ck_assert_ptr_nonnull(t);
	buf_puts(&out, "x");
	template_render(t, &v, &out);
	template_render(t, &v, &out);
	ck_assert_str_eq(out.data, "x-Dana-Dana");
	buf_reset(&out);
	v.v[TEMPLATE_FIELD_SENDER_NAME] = "Lee";
	template_render(t, &v, &out);
	ck_assert_str_eq(out.data, "-Lee");
	template_free(t);
	buf_free(&out);
}
END_TEST

START_TEST(test_empty_template_renders_empty_string)
{
	struct template_values v = { 0 };
	struct template *t = template_compile("", TEMPLATE_BODY, NULL);
	struct buf out = { 0 };

	ck_assert_ptr_nonnull(t);
	template_render(t, &v, &out);
	ck_assert_ptr_nonnull(out.data);
	ck_assert_str_eq(out.data, "");
	template_free(t);
	buf_free(&out);
	template_free(NULL);
}
END_TEST

START_TEST(test_uses_field)
{
	struct template *t = template_compile(
		"{{business.name}} {{ contact.value | you }} {{{{campaign.name}}}}",
		TEMPLATE_BODY, NULL);

	ck_assert_ptr_nonnull(t);
	ck_assert(template_uses_field(t, TEMPLATE_FIELD_BUSINESS_NAME));
	ck_assert(template_uses_field(t, TEMPLATE_FIELD_CONTACT_VALUE));
	/* Escaped text is not a placeholder. */
	ck_assert(!template_uses_field(t, TEMPLATE_FIELD_CAMPAIGN_NAME));
	ck_assert(!template_uses_field(t, TEMPLATE_FIELD_UNSUBSCRIBE_URL));
	ck_assert(!template_uses_field(t, TEMPLATE_FIELD_COUNT));
	template_free(t);
}
END_TEST

/* ---- subjects ---- */

START_TEST(test_subject_values_lose_line_breaks)
{
	struct template_values v = { .v = {
		[TEMPLATE_FIELD_BUSINESS_NAME] = "Acme\r\nBcc: x@example.com",
	} };
	const char *t = "Hi {{business.name}}!";

	check_render(t, TEMPLATE_SUBJECT, &v, "Hi Acme Bcc: x@example.com!");
	v.v[TEMPLATE_FIELD_BUSINESS_NAME] = "a\nb\rc\td\x01" "e\x7f" "f";
	check_render(t, TEMPLATE_SUBJECT, &v, "Hi a b c d e f!");
	/* C1 controls and the Unicode line separators too. */
	v.v[TEMPLATE_FIELD_BUSINESS_NAME] = "a\xc2\x85" "b\xe2\x80\xa8" "c";
	check_render(t, TEMPLATE_SUBJECT, &v, "Hi a b c!");
	v.v[TEMPLATE_FIELD_BUSINESS_NAME] = "\n\nÜber\n";
	check_render(t, TEMPLATE_SUBJECT, &v, "Hi  Über !");
	/* A body keeps them. */
	v.v[TEMPLATE_FIELD_BUSINESS_NAME] = "a\r\nb\tc";
	check_render(t, TEMPLATE_BODY, &v, "Hi a\r\nb\tc!");
}
END_TEST

START_TEST(test_subject_fallback_and_tab)
{
	struct template_values v = { 0 };
	check_render("News for {{ business.name | you }}\tnow", TEMPLATE_SUBJECT,
		     &v, "News for you\tnow");
}
END_TEST

START_TEST(test_subject_template_must_be_one_line)
{
	check_one_error("Hello\nthere", TEMPLATE_SUBJECT, 1, 6, 5, 1,
			"a subject must be a single line");
	check_one_error("Grüße\r\nthere", TEMPLATE_SUBJECT, 1, 6, 7, 2,
			"a subject must be a single line");
	check_errors("a\nb\nc {{x}}", TEMPLATE_SUBJECT,
		     "line 1, column 2: a subject must be a single line (remove the line break)\n"
		     "line 2, column 2: a subject must be a single line (remove the line break)\n"
		     "line 3, column 3: unknown field 'x' (known fields: business.name, business.website, business.email, business.phone_number, business.address, contact.type, contact.value, campaign.name, sender.name, unsubscribe_url)\n");
	check_one_error("Hi\x07", TEMPLATE_SUBJECT, 1, 3, 2, 1,
			"control character U+0007 in a subject");
	check_one_error("é\xc2\x85", TEMPLATE_SUBJECT, 1, 2, 2, 2,
			"control character U+0085 in a subject");
	/* The same text is a fine body. */
	check_body("Hello\nthere\x07", &(struct template_values){ 0 },
		   "Hello\nthere\x07");
}
END_TEST

/* ---- errors ---- */

START_TEST(test_unknown_field_with_suggestion)
{
	check_errors("Hi\n  {{busines.name}}", TEMPLATE_BODY,
		     "line 2, column 3: unknown field 'busines.name' (did you mean business.name?)\n");
	check_one_error("ab {{ busines.name | x }}", TEMPLATE_BODY, 1, 4, 3, 22,
			"unknown field 'busines.name'");
	check_errors("{{buisness.nmae}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'buisness.nmae' (did you mean business.name?)\n");
	check_errors("{{unsubscribe}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'unsubscribe' (did you mean unsubscribe_url?)\n");
	check_errors("{{phone_number}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'phone_number' (did you mean business.phone_number?)\n");
	check_errors("{{Contact.Value}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'Contact.Value' (did you mean contact.value?)\n");
}
END_TEST

START_TEST(test_unknown_field_without_suggestion)
{
	check_errors("{{price}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'price' (known fields: business.name, business.website, business.email, business.phone_number, business.address, contact.type, contact.value, campaign.name, sender.name, unsubscribe_url)\n");
}
END_TEST

START_TEST(test_long_unknown_name_is_cut_in_message)
{
	char text[300] = "{{";
	memset(text + 2, 'x', 200);
	strcpy(text + 202, "}}");
	check_one_error(text, TEMPLATE_BODY, 1, 1, 0, 204,
			"unknown field 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
	check_one_error("{{ nöme\x01 }}", TEMPLATE_BODY, 1, 1, 0, 12,
			"unknown field 'nöme?'");
}
END_TEST

START_TEST(test_unclosed)
{
	check_one_error("Hi {{business.name", TEMPLATE_BODY, 1, 4, 3, 2,
			"unclosed '{{'");
	check_one_error("Hi {{business.name\n}}}}", TEMPLATE_BODY, 1, 4, 3, 2,
			"unclosed '{{'");
	check_one_error("{{", TEMPLATE_BODY, 1, 1, 0, 2, "unclosed '{{'");
	/* The placeholder after an unclosed one is still checked. */
	check_errors("{{ business.name {{contact.valeu}}", TEMPLATE_BODY,
		     "line 1, column 1: unclosed '{{' (close it with }} on the same line, or write {{{{ for a literal {{)\n"
		     "line 1, column 18: unknown field 'contact.valeu' (did you mean contact.value?)\n");
}
END_TEST

START_TEST(test_empty_name)
{
	check_one_error("a{{}}", TEMPLATE_BODY, 1, 2, 1, 4,
			"empty placeholder");
	check_one_error("a{{ \t }}", TEMPLATE_BODY, 1, 2, 1, 7,
			"empty placeholder");
	check_one_error("x\n{{|your area}}", TEMPLATE_BODY, 2, 1, 2, 14,
			"'|' without a field name");
	check_one_error("{{ | }}", TEMPLATE_BODY, 1, 1, 0, 7,
			"'|' without a field name");
}
END_TEST

START_TEST(test_stray_close)
{
	check_errors("a }} b", TEMPLATE_BODY,
		     "line 1, column 3: stray '}}' with no '{{' before it (write }}}} for a literal }})\n");
	check_one_error("}}}", TEMPLATE_BODY, 1, 1, 0, 2,
			"stray '}}' with no '{{' before it");
	check_one_error("{{business.name}}}}}", TEMPLATE_BODY, 1, 18, 17, 2,
			"stray '}}' with no '{{' before it");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	/* A run of bad bytes is one error; a lone continuation, an overlong
	 * form, a surrogate and a cut-off sequence are each caught. */
	check_one_error("ok\xff\xfe!", TEMPLATE_BODY, 1, 3, 2, 2,
			"invalid UTF-8 byte 0xFF");
	check_one_error("é\x80", TEMPLATE_BODY, 1, 2, 2, 1,
			"invalid UTF-8 byte 0x80");
	check_one_error("\xc0\xaf", TEMPLATE_BODY, 1, 1, 0, 2,
			"invalid UTF-8 byte 0xC0");
	check_one_error("\xed\xa0\x80", TEMPLATE_BODY, 1, 1, 0, 3,
			"invalid UTF-8 byte 0xED");
	check_one_error("ab\xe2\x82", TEMPLATE_BODY, 1, 3, 2, 2,
			"invalid UTF-8 byte 0xE2");
	check_one_error("\xf4\x90\x80\x80", TEMPLATE_BODY, 1, 1, 0, 4,
			"invalid UTF-8 byte 0xF4");
	/* Inside a placeholder it is reported before the placeholder's own
	 * error, in text order after it. */
	check_errors("{{na\xffme}}", TEMPLATE_BODY,
		     "line 1, column 1: unknown field 'na?me' (known fields: business.name, business.website, business.email, business.phone_number, business.address, contact.type, contact.value, campaign.name, sender.name, unsubscribe_url)\n"
		     "line 1, column 5: invalid UTF-8 byte 0xFF (save the template as UTF-8)\n");
	/* Four-byte characters are fine and count as one column. */
	check_one_error("😀😀}}", TEMPLATE_BODY, 1, 3, 8, 2,
			"stray '}}' with no '{{' before it");
}
END_TEST

START_TEST(test_columns_count_characters)
{
	check_one_error("Grüße, {{busines.name}}", TEMPLATE_BODY, 1, 8, 9, 16,
			"unknown field 'busines.name'");
	check_one_error("1\n2\n€ € {{x}}", TEMPLATE_BODY, 3, 5, 12, 5,
			"unknown field 'x'");
	/* A CR before LF is a character of the previous line. */
	check_one_error("a\r\n\t{{}}", TEMPLATE_BODY, 2, 2, 4, 4,
			"empty placeholder");
}
END_TEST

START_TEST(test_all_errors_fixture)
{
	char *text = read_fixture("errors.body.tmpl");
	char *expected = read_fixture("errors.body.expected");
	char *got = compile_errors(text, TEMPLATE_BODY);

	ck_assert_str_eq(got, expected);
	free(got);
	free(text);
	free(expected);
}
END_TEST

START_TEST(test_error_list_is_capped_and_cleared)
{
	struct template_errors errors = { 0 };
	struct buf text = { 0 };

	for (int i = 0; i < 150; i++)
		buf_puts(&text, "}}\n");
	ck_assert_ptr_null(template_compile(text.data, TEMPLATE_BODY, &errors));
	ck_assert_uint_eq(errors.count, TEMPLATE_MAX_ERRORS);
	ck_assert(errors.truncated);
	ck_assert_uint_eq(errors.items[0].line, 1);
	ck_assert_uint_eq(errors.items[99].line, 100);

	/* A second compile into the same list starts afresh. */
	ck_assert_ptr_null(template_compile("{{}}", TEMPLATE_BODY, &errors));
	ck_assert_uint_eq(errors.count, 1);
	ck_assert(!errors.truncated);
	struct template *t = template_compile("fine", TEMPLATE_BODY, &errors);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(errors.count, 0);
	template_free(t);
	template_errors_free(&errors);
	template_errors_free(NULL);
	buf_free(&text);
}
END_TEST

START_TEST(test_errors_without_list)
{
	ck_assert_ptr_null(template_compile("{{nope}}", TEMPLATE_BODY, NULL));
}
END_TEST

START_TEST(test_error_format_without_hint)
{
	struct template_error e = { .line = 3, .column = 7 };
	struct buf out = { 0 };

	snprintf(e.message, sizeof e.message, "something");
	template_error_format(&e, &out);
	ck_assert_str_eq(out.data, "line 3, column 7: something");
	buf_free(&out);
}
END_TEST

static Suite *template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *render_case = tcase_create("render");
	TCase *subject_case = tcase_create("subject");
	TCase *error_case = tcase_create("errors");

	tcase_add_test(render_case, test_every_field_renders_its_value);
	tcase_add_test(render_case, test_field_names_are_the_documented_ones);
	tcase_add_test(render_case, test_whitespace_inside_braces);
	tcase_add_test(render_case, test_fallback_when_value_missing);
	tcase_add_test(render_case, test_missing_value_without_fallback_is_empty);
	tcase_add_test(render_case, test_escapes_and_single_braces);
	tcase_add_test(render_case, test_values_are_not_expanded);
	tcase_add_test(render_case, test_body_fixture);
	tcase_add_test(render_case, test_render_appends_and_reuses_buffer);
	tcase_add_test(render_case, test_empty_template_renders_empty_string);
	tcase_add_test(render_case, test_uses_field);
	suite_add_tcase(s, render_case);

	tcase_add_test(subject_case, test_subject_values_lose_line_breaks);
	tcase_add_test(subject_case, test_subject_fallback_and_tab);
	tcase_add_test(subject_case, test_subject_template_must_be_one_line);
	suite_add_tcase(s, subject_case);

	tcase_add_test(error_case, test_unknown_field_with_suggestion);
	tcase_add_test(error_case, test_unknown_field_without_suggestion);
	tcase_add_test(error_case, test_long_unknown_name_is_cut_in_message);
	tcase_add_test(error_case, test_unclosed);
	tcase_add_test(error_case, test_empty_name);
	tcase_add_test(error_case, test_stray_close);
	tcase_add_test(error_case, test_invalid_utf8);
	tcase_add_test(error_case, test_columns_count_characters);
	tcase_add_test(error_case, test_all_errors_fixture);
	tcase_add_test(error_case, test_error_list_is_capped_and_cleared);
	tcase_add_test(error_case, test_errors_without_list);
	tcase_add_test(error_case, test_error_format_without_hint);
	suite_add_tcase(s, error_case);
	return s;
}

int main(void)
{
	fixtures = getenv("OUTREACH_FIXTURES");
	if (!fixtures || !*fixtures) {
		fprintf(stderr, "test_template: set OUTREACH_FIXTURES to the "
				"tests/fixtures directory\n");
		return 1;
	}
	int failed = check_run(template_suite());
	return failed ? 1 : 0;
}
