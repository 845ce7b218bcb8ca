/* test_config.c - outreach.conf as a user writes it (sections, comments,
 * blanks around '='), the errors that name FILE:LINE, environment
 * overrides, number checks, the mode of secret files, and the sending
 * window's parse and wait. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/sendwindow.h"
#include "core/xalloc.h"
#include "check_run.h"

START_TEST(test_parse)
{
	struct config c = {0};
	struct error err = {{0}};
	ck_assert_int_eq(config_parse(&c, "x.conf",
		"# agency mail\n[smtp]\n  url =  smtp://mail.example:587  \n"
		"; another comment\n\n[sender]\nfrom_name = Ann & Bob = Co\n",
		&err), 0);
	ck_assert_str_eq(config_get(&c, CFG_SMTP_URL), "smtp://mail.example:587");
	ck_assert_str_eq(config_get(&c, CFG_SENDER_FROM_NAME), "Ann & Bob = Co");
	ck_assert_str_eq(c.origin[CFG_SMTP_URL], "x.conf:3");
	ck_assert_ptr_null(config_get(&c, CFG_SMTP_USER));
	config_free(&c);
}
END_TEST

START_TEST(test_errors)
{
	const char *cases[][2] = {
		{"[smtp]\nurl smtp://x\n", "x.conf:2: expected key = value"},
		{"[mail]\n", "x.conf:1: unknown section [mail]"},
		{"[smtp]\nuri = smtp://x\n", "x.conf:2: unknown key 'uri' in [smtp]"},
		{"url = smtp://x\n", "x.conf:1: 'url' comes before any [section]"},
		{"[smtp\n", "x.conf:1: a section is written [name]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c = {0};
		struct error err = {{0}};
		ck_assert_int_eq(config_parse(&c, "x.conf", cases[i][0], &err), -1);
		ck_assert_msg(strstr(err.msg, cases[i][1]), "%s", err.msg);
		config_free(&c);
	}
}
END_TEST

START_TEST(test_env_and_numbers)
{
	struct config c = {0};
	struct error err = {{0}};
	ck_assert_int_eq(config_parse(&c, "x.conf", "[sender]\nrate = 5\n"
				      "daily_cap = lots\n", &err), 0);
	setenv("OUTREACH_SEND_RATE", "2.5", 1);
	config_apply_env(&c);
	unsetenv("OUTREACH_SEND_RATE");
	double d;
	ck_assert_int_eq(config_get_double(&c, CFG_SENDER_RATE, 0, 100, 0, &d, &err), 0);
	ck_assert(d == 2.5);
	long n;
	ck_assert_int_eq(config_get_long(&c, CFG_SENDER_DAILY_CAP, 0, 1000, 0, &n, &err), -1);
	ck_assert_msg(strstr(err.msg, "sender.daily_cap (x.conf:3)") &&
		      strstr(err.msg, "'lots'"), "%s", err.msg);
	ck_assert_int_eq(config_get_long(&c, CFG_SENDER_BATCH, 1, 100, 50, &n, &err), 0);
	ck_assert_int_eq(n, 50);
	config_free(&c);
}
END_TEST

START_TEST(test_secret_mode)
{
	char path[] = "/tmp/outreach-secret-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "pa ss\nignored\n", 14), 14);
	close(fd);
	struct config c = {0};
	struct error err = {{0}};
	char *text = xasprintf("[smtp]\npassword_file = %s\n", path);
	ck_assert_int_eq(config_parse(&c, "x.conf", text, &err), 0);
	free(text);
	chmod(path, 0644);
	char *secret;
	ck_assert_int_eq(config_read_secret(&c, CFG_SMTP_PASSWORD_FILE, &secret, &err), -1);
	ck_assert_msg(strstr(err.msg, "chmod 600"), "%s", err.msg);
	chmod(path, 0600);
	ck_assert_int_eq(config_read_secret(&c, CFG_SMTP_PASSWORD_FILE, &secret, &err), 0);
	ck_assert_str_eq(secret, "pa ss");
	free(secret);
	unlink(path);
	config_free(&c);
}
END_TEST

static long wait_at(const char *window, int wday, int hour, int min)
{
	struct send_window w;
	struct error err = {{0}};
	ck_assert_int_eq(send_window_parse(window, &w, &err), 0);
	struct tm tm = {.tm_wday = wday, .tm_hour = hour, .tm_min = min};
	return send_window_wait(&w, &tm);
}

START_TEST(test_window)
{
	ck_assert_int_eq(wait_at(NULL, 0, 3, 0), 0);
	ck_assert_int_eq(wait_at("Mon-Fri 09:00-17:00", 1, 10, 0), 0);
	ck_assert_int_eq(wait_at("Mon-Fri 09:00-17:00", 1, 8, 30), 30 * 60);
	/* Friday 17:00 to Monday 09:00 */
	ck_assert_int_eq(wait_at("Mon-Fri 09:00-17:00", 5, 17, 0), (2 * 24 + 16) * 3600);
	ck_assert_int_eq(wait_at("saturday,Sun", 3, 12, 0), (2 * 24 + 12) * 3600);
	/* past midnight: Friday's window still open early on Saturday */
	ck_assert_int_eq(wait_at("Fri 22:00-02:00", 6, 1, 0), 0);
	ck_assert_int_gt(wait_at("Fri 22:00-02:00", 6, 3, 0), 0);
	struct send_window w;
	struct error err = {{0}};
	ck_assert_int_eq(send_window_parse("Mon-Fry", &w, &err), -1);
	ck_assert_msg(strstr(err.msg, "'Mon-Fry' is not a day"), "%s", err.msg);
	ck_assert_int_eq(send_window_parse("9-17", &w, &err), -1);
	ck_assert_int_eq(send_window_parse("Mon 09:00-09:00", &w, &err), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_env_and_numbers);
	tcase_add_test(tc, test_secret_mode);
	tcase_add_test(tc, test_window);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
