/* test_termseq.c - the clipboard and link sequences byte for byte: base64
 * padding, tmux passthrough doubling ESC, and URLs that cannot break out
 * of the escape sequence they travel in. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/termseq.h"
#include "check_run.h"

static char *b64(const char *s)
{
	struct buf b = {0};
	base64_append(&b, s, strlen(s));
	buf_append(&b, "", 0);
	return buf_detach(&b);
}

START_TEST(test_base64)
{
	const char *cases[][2] = {
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"Hi Zoë\n", "SGkgWm/Dqwo="},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = b64(cases[i][0]);
		ck_assert_str_eq(got, cases[i][1]);
		free(got);
	}
}
END_TEST

START_TEST(test_osc52)
{
	struct buf b = {0};
	osc52_append(&b, "foo", 3, TERM_MUX_NONE);
	buf_append(&b, "", 0);
	ck_assert_str_eq(b.data, "\033]52;c;Zm9v\a");
	buf_free(&b);
	osc52_append(&b, "foo", 3, TERM_MUX_TMUX);
	buf_append(&b, "", 0);
	ck_assert_str_eq(b.data, "\033]52;c;Zm9v\a"
			 "\033Ptmux;\033\033]52;c;Zm9v\a\033\\");
	buf_free(&b);
	osc52_append(&b, "foo", 3, TERM_MUX_SCREEN);
	buf_append(&b, "", 0);
	ck_assert_str_eq(b.data, "\033P\033]52;c;Zm9v\a\033\\");
	buf_free(&b);
}
END_TEST

START_TEST(test_link_clean)
{
	char *u = link_url_clean("https://x.com/a\033]8;;evil\a b\x7fü");
	ck_assert_str_eq(u, "https://x.com/a]8;;evil%20b%C3%BC");
	ck_assert_ptr_null(strchr(u, '\033'));
	struct buf b = {0};
	osc8_append(&b, u, u);
	buf_append(&b, "", 0);
	ck_assert_str_eq(b.data, "\033]8;;https://x.com/a]8;;evil%20b%C3%BC\033\\"
			 "https://x.com/a]8;;evil%20b%C3%BC\033]8;;\033\\");
	buf_free(&b);
	free(u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("termseq");
	TCase *tc = tcase_create("termseq");
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_osc52);
	tcase_add_test(tc, test_link_clean);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
