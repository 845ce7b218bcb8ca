/* test_sanitize.c - nothing from the database reaches the terminal as a
 * control sequence, and widths come out right for wide characters. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "check_run.h"

static void assert_sanitized(const char *in, size_t n, const char *want)
{
	struct buf b = {0};
	sanitize_append(&b, in, n);
	ck_assert_str_eq(b.data ? b.data : "", want);
	buf_free(&b);
}

#define SANITIZED(in, want) assert_sanitized(in, sizeof(in) - 1, want)

START_TEST(test_plain_text_is_unchanged)
{
	SANITIZED("Café Zürich 東京", "Café Zürich 東京");
}
END_TEST

START_TEST(test_clear_screen_is_shown_not_obeyed)
{
	SANITIZED("Evil\x1b[2JCorp", "Evil^[[2JCorp");
}
END_TEST

START_TEST(test_osc52_clipboard_write_is_defused)
{
	SANITIZED("x\x1b]52;c;cm0gLXJmIH4K\x07y", "x^[]52;c;cm0gLXJmIH4K^Gy");
}
END_TEST

START_TEST(test_carriage_return_and_tab_and_del)
{
	SANITIZED("a\rb\tc\x7f", "a^Mb^Ic^?");
	SANITIZED("nul\0byte", "nul^@byte");
}
END_TEST

START_TEST(test_c1_controls_are_escaped)
{
	/* U+009B is a one-character CSI on some terminals. */
	SANITIZED("a\xc2\x9b" "31mb", "a\\x9b31mb");
}
END_TEST

START_TEST(test_bidi_overrides_are_named)
{
	SANITIZED("abc\xe2\x80\xae" "fdp.exe", "abc<U+202E>fdp.exe");
	SANITIZED("\xe2\x81\xa6x\xe2\x81\xa9", "<U+2066>x<U+2069>");
}
END_TEST

START_TEST(test_invalid_utf8_becomes_replacement)
{
	SANITIZED("a\xff" "b", "a\xef\xbf\xbd" "b");
	SANITIZED("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '/' */
	SANITIZED("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	SANITIZED("cut\xe6\x9d", "cut\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

START_TEST(test_widths_count_columns)
{
	ck_assert_int_eq(text_width("abc"), 3);
	ck_assert_int_eq(text_width("東京"), 4);
	ck_assert_int_eq(text_width("e\xcc\x81"), 1);	/* e + combining acute */
}
END_TEST

/* An empty string once left an unterminated buffer behind, which the
 * width count then read past (the interface's empty cells). */
START_TEST(test_empty_text_fits_as_spaces)
{
	struct buf b = {0};
	text_fit(&b, "", 4);
	ck_assert_str_eq(b.data, "    ");
	buf_free(&b);
	struct buf r = {0};
	buf_reserve(&r, 10);
	ck_assert_str_eq(r.data, "");
	buf_free(&r);
}
END_TEST

START_TEST(test_fit_pads_and_cuts_by_columns)
{
	struct buf b = {0};
	text_fit(&b, "ab", 5);
	ck_assert_str_eq(b.data, "ab   ");
	buf_reset(&b);
	text_fit(&b, "東京タワー", 5);
	/* Two wide characters fill 4 columns, then the ellipsis. */
	ck_assert_str_eq(b.data, "東京…");
	ck_assert_int_eq(text_width(b.data), 5);
	buf_reset(&b);
	text_fit(&b, "x\x1b[2J", 8);
	ck_assert_str_eq(b.data, "x^[[2J  ");
	buf_free(&b);
}
END_TEST

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		setlocale(LC_CTYPE, "");
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("sanitize");
	tcase_add_test(tc, test_plain_text_is_unchanged);
	tcase_add_test(tc, test_clear_screen_is_shown_not_obeyed);
	tcase_add_test(tc, test_osc52_clipboard_write_is_defused);
	tcase_add_test(tc, test_carriage_return_and_tab_and_del);
	tcase_add_test(tc, test_c1_controls_are_escaped);
	tcase_add_test(tc, test_bidi_overrides_are_named);
	tcase_add_test(tc, test_invalid_utf8_becomes_replacement);
	tcase_add_test(tc, test_widths_count_columns);
	tcase_add_test(tc, test_fit_pads_and_cuts_by_columns);
	tcase_add_test(tc, test_empty_text_fits_as_spaces);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
