/* test_mime.c - outgoing messages as they go on the wire: the headers a
 * mail client and a list-unsubscribe button read, CRLF line ends, nothing
 * from the data breaking out of its header, unfit parts refused, and a
 * writer reused for many messages producing exactly what a fresh build
 * does. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "net/mime.h"
#include "check_run.h"

static struct mail sample(void)
{
	return (struct mail){
		.from_name = "Agentur Müller",
		.from_address = "team@agency.example",
		.to_address = "info@bakery.example",
		.subject = "Grüße an die Bäckerei",
		.body = "Hello Bakery team,\nwe would love to hear from you.\n",
		.message_id = "0123abcd@agency.example",
		.unsubscribe_url = "https://agency.example/u/feedc0de",
		.unsubscribe_mailto = "unsubscribe@agency.example",
		.unsubscribe_token = "feedc0de",
		.date = 1764000000,
	};
}

/* The message as a string (it holds no NUL). */
static char *build(const struct mail *m)
{
	struct buf out = {0};
	struct error err = {{0}};
	ck_assert_msg(mime_build(m, &out, &err) == 0, "%s", err.msg);
	char *s = xstrndup(out.data, out.len);
	buf_free(&out);
	return s;
}

/* The header block only: up to the first empty line. */
static char *headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	ck_assert_ptr_nonnull(end);
	return xstrndup(msg, (size_t)(end - msg) + 2);
}

START_TEST(headers_a_client_reads)
{
	struct mail m = sample();
	char *msg = build(&m);
	char *h = headers_of(msg);
	ck_assert_msg(strstr(h, "\r\nTo: info@bakery.example\r\n"), "%s", h);
	ck_assert_msg(strcasestr(h, "From: Agentur =?utf-8?"),
		      "non-ASCII sender name not encoded: %s", h);
	ck_assert_msg(strstr(h, "<team@agency.example>"), "%s", h);
	ck_assert_msg(strcasestr(h, "\r\nSubject: =?utf-8?"),
		      "UTF-8 subject not as encoded words: %s", h);
	ck_assert_msg(strstr(h, "\r\nMessage-Id: <0123abcd@agency.example>\r\n"),
		      "%s", h);
	ck_assert_msg(strncmp(h, "Date: ", 6) == 0 || strstr(h, "\r\nDate: "),
		      "%s", h);
	ck_assert_msg(strstr(h, "List-Unsubscribe: <mailto:unsubscribe@agency"
			     ".example?subject=unsubscribe%20feedc0de>,\r\n "
			     "<https://agency.example/u/feedc0de>\r\n"), "%s", h);
	ck_assert_msg(strstr(h, "\r\nList-Unsubscribe-Post: "
			     "List-Unsubscribe=One-Click\r\n"), "%s", h);
	ck_assert_msg(strstr(msg, "charset=utf-8"), "%s", msg);
	/* Every line ends CRLF, and nothing but 7-bit goes on the wire. */
	for (const char *p = msg; *p; p++) {
		ck_assert_msg(*p != '\n' || (p > msg && p[-1] == '\r'),
			      "bare LF at byte %zu", (size_t)(p - msg));
		ck_assert_msg((unsigned char)*p < 0x80, "8-bit byte at %zu",
			      (size_t)(p - msg));
	}
	free(h);
	free(msg);
}
END_TEST

START_TEST(an_ascii_body_goes_as_written)
{
	struct mail m = sample();
	char *msg = build(&m);
	ck_assert_msg(strstr(msg, "\r\n\r\nHello Bakery team,\r\nwe would love "
			     "to hear from you.\r\n"), "%s", msg);
	free(msg);
}
END_TEST

START_TEST(one_click_only_with_a_url)
{
	struct mail m = sample();
	m.unsubscribe_url = NULL;
	char *msg = build(&m);
	ck_assert_msg(strstr(msg, "List-Unsubscribe: <mailto:"), "%s", msg);
	ck_assert_msg(!strstr(msg, "List-Unsubscribe-Post"), "%s", msg);
	free(msg);
	m.unsubscribe_mailto = NULL;
	msg = build(&m);
	ck_assert_msg(!strstr(msg, "List-Unsubscribe"), "%s", msg);
	free(msg);
}
END_TEST

START_TEST(a_line_break_cannot_add_a_header)
{
	struct mail m = sample();
	m.subject = "Offer\r\nBcc: everyone@victim.example";
	m.from_name = "Team\nX-Injected: yes";
	char *msg = build(&m);
	char *h = headers_of(msg);
	ck_assert_msg(!strstr(h, "\nBcc:") && !strstr(h, "\nX-Injected:"),
		      "%s", h);
	free(h);
	free(msg);
}
END_TEST

static void assert_refused(const struct mail *m, const char *says)
{
	struct buf out = {0};
	struct error err = {{0}};
	ck_assert_int_eq(mime_build(m, &out, &err), -1);
	ck_assert_msg(strstr(err.msg, says), "'%s' does not say '%s'", err.msg,
		      says);
	buf_free(&out);
}

START_TEST(unfit_parts_are_refused)
{
	enum part { TO, MESSAGE_ID, URL, MAILTO, TOKEN };
	static const struct {
		enum part part;
		const char *value;
		const char *says;
	} cases[] = {
		{TO, "a@b.example, c@d.example", "recipient"},
		{TO, "nobody", "not an e-mail address"},
		{MESSAGE_ID, "x@y>\r\nBcc: z@w", "Message-ID"},
		{URL, "https://agency.example/u/<x>", "unsubscribe URL"},
		{URL, "ftp://agency.example/u", "https://"},
		{MAILTO, "unsub@agency.example?bcc=x@y", "not an e-mail address"},
		{TOKEN, "a>b", "unsubscribe token"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct mail m = sample();
		const char **field[] = {
			[TO] = &m.to_address, [MESSAGE_ID] = &m.message_id,
			[URL] = &m.unsubscribe_url,
			[MAILTO] = &m.unsubscribe_mailto,
			[TOKEN] = &m.unsubscribe_token,
		};
		*field[cases[i].part] = cases[i].value;
		assert_refused(&m, cases[i].says);
	}
}
END_TEST

/* A writer keeps its message object between builds; whatever changed from
 * the previous message (recipient, subject, a body needing another
 * transfer encoding, the unsubscribe headers, the sender) must not leave
 * a trace of it. */
START_TEST(a_reused_writer_builds_what_a_fresh_one_does)
{
	static const char *subjects[] = {
		"A note", "Grüße an die Bäckerei Müller, ein Betreff, der so "
		"lang ist, dass er über mehrere Zeilen gefaltet wird", "",
	};
	static const char *bodies[] = {
		"plain\n", "Grüße\nÄÖÜ\n", "", "日本語\n",
	};
	static const char *tos[] = {
		"info@one.example", "sales.team@two.example",
	};
	struct mime_writer *w = mime_writer_new();
	for (int i = 0; i < 48; i++) {
		struct mail m = sample();
		m.subject = subjects[i % 3];
		m.body = bodies[i % 4];
		m.to_address = tos[i % 2];
		m.date += i;
		if (i % 5 == 1)
			m.unsubscribe_url = NULL;
		if (i % 7 == 2)
			m.unsubscribe_mailto = NULL;
		if (i % 11 == 3)
			m.from_name = NULL;
		char *fresh = build(&m);
		struct buf out = {0};
		struct error err = {{0}};
		ck_assert_int_eq(mime_writer_build(w, &m, &out, &err), 0);
		ck_assert_msg(out.len == strlen(fresh) &&
			      memcmp(out.data, fresh, out.len) == 0,
			      "message %d differs:\n%s\n---\n%.*s", i, fresh,
			      (int)out.len, out.data);
		buf_free(&out);
		free(fresh);
	}
	/* A refused message leaves the writer fit for the next one. */
	struct mail bad = sample();
	bad.to_address = "no address";
	struct buf out = {0};
	struct error err = {{0}};
	ck_assert_int_eq(mime_writer_build(w, &bad, &out, &err), -1);
	struct mail m = sample();
	ck_assert_int_eq(mime_writer_build(w, &m, &out, &err), 0);
	char *fresh = build(&m);
	ck_assert(out.len == strlen(fresh) && memcmp(out.data, fresh, out.len) == 0);
	free(fresh);
	buf_free(&out);
	mime_writer_free(w);
}
END_TEST

int main(void)
{
	mime_init();
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("build");
	tcase_add_test(tc, headers_a_client_reads);
	tcase_add_test(tc, an_ascii_body_goes_as_written);
	tcase_add_test(tc, one_click_only_with_a_url);
	tcase_add_test(tc, a_line_break_cannot_add_a_header);
	tcase_add_test(tc, unfit_parts_are_refused);
	tcase_add_test(tc, a_reused_writer_builds_what_a_fresh_one_does);
	suite_add_tcase(s, tc);
	return check_run(s) ? EXIT_FAILURE : EXIT_SUCCESS;
}
