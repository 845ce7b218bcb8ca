/* test_imap.c - reading what an IMAP server sends: responses measured by
 * their literals (whatever the literal holds), FETCH and STATUS data, and
 * malformed input (truncated or oversized literals, bad numbers, garbage)
 * refused rather than misread; then the header fields of a reply and
 * RFC 5322 dates. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "net/imap.h"
#include "check_run.h"

static long measure(const char *s)
{
	return imap_response_length(s, strlen(s), IMAP_MAX_LITERAL);
}

START_TEST(test_response_length)
{
	ck_assert_int_eq(measure("* 3 EXISTS\r\n* 4 EXISTS\r\n"), 12);
	ck_assert_int_eq(measure("* 3 EXISTS"), 0);
	ck_assert_int_eq(measure(""), 0);
	ck_assert_int_eq(measure("* 3 EXISTS\n"), 11);	/* a bare LF too */
	/* The literal holds what looks like line ends and responses. */
	const char *lit = "* 1 FETCH (BODY[] {14}\r\nA\r\n* 2 FETCH\r\n)\r\nR1 OK\r\n";
	ck_assert_int_eq(measure(lit), (long)strlen(lit) - 7);
	ck_assert_int_eq(measure("* 1 FETCH (BODY[] {5+}\r\nabcde)\r\n"), 32);
	/* Two literals in one response. */
	ck_assert_int_eq(measure("* 1 X {1}\r\na {2}\r\nbc)\r\n"), 23);
	/* A literal's bytes not all here yet. */
	ck_assert_int_eq(measure("* 1 FETCH (BODY[] {20}\r\nshort"), 0);
	ck_assert_int_eq(measure("* 1 FETCH (BODY[] {5}\r\nabcde"), 0);
	/* Lengths: too large, absurd, not literals at all. */
	ck_assert_int_eq(measure("* 1 FETCH (BODY[] {99999999999}\r\n"), -1);
	ck_assert_int_eq(measure("* 1 FETCH (BODY[] {18446744073709551617}\r\n"), -1);
	ck_assert_int_eq(imap_response_length("* 1 X {11}\r\nhello world\r\n",
					      25, 10), -1);
	ck_assert_int_eq(measure("* OK {abc}\r\n"), 12);
	ck_assert_int_eq(measure("* OK {}\r\n"), 9);
	ck_assert_int_eq(measure("* OK }\r\n"), 8);
	ck_assert_int_eq(measure("{3}\r\nabc\r\n"), 10);
}
END_TEST

static int fetch(const char *s, struct imap_fetch *f)
{
	return imap_parse_fetch(s, strlen(s), f);
}

START_TEST(test_fetch)
{
	struct imap_fetch f;
	const char *ok = "* 7 FETCH (UID 42 BODY[HEADER.FIELDS (MESSAGE-ID "
			 "IN-REPLY-TO)] {22}\r\nIn-Reply-To: <a@b>\r\n\r\n)\r\n";
	ck_assert_int_eq(fetch(ok, &f), 0);
	ck_assert_uint_eq(f.seq, 7);
	ck_assert_uint_eq(f.uid, 42);
	ck_assert_uint_eq(f.header_len, 22);
	ck_assert(memcmp(f.header, "In-Reply-To: <a@b>\r\n\r\n", 22) == 0);
	/* Items in another order, flags, a quoted body, NIL. */
	ck_assert_int_eq(fetch("* 1 FETCH (FLAGS (\\Seen $Junk) BODY[HEADER] "
			       "\"Date: x\" UID 9)\r\n", &f), 0);
	ck_assert_uint_eq(f.uid, 9);
	ck_assert_uint_eq(f.header_len, 7);
	ck_assert_int_eq(fetch("* 1 fetch (uid 3 body[header.fields (date)] NIL)\r\n",
			       &f), 0);
	ck_assert_uint_eq(f.uid, 3);
	ck_assert_ptr_null(f.header);
	/* Not FETCH responses. */
	ck_assert_int_eq(fetch("* 3 EXISTS\r\n", &f), 1);
	ck_assert_int_eq(fetch("* OK [UIDVALIDITY 5] x\r\n", &f), 1);
	ck_assert_int_eq(fetch("R1 OK done\r\n", &f), 1);
	/* Malformed FETCH responses. */
	ck_assert_int_eq(fetch("* 1 FETCH (BODY[] {4}\r\nab)\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (BODY[] {40}\r\nab)\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID 4294967296)\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID x)\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (BODY[] NIL)\r\n", &f), -1);	/* no UID */
	ck_assert_int_eq(fetch("* 1 FETCH garbage\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 BODY[HEADER \"x)\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 BODY[HEADER", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 FLAGS (((((((((((((((((((("
			       "((((((((((a)))))))))))))))))))))))))))))))\r\n", &f), -1);
	ck_assert_int_eq(fetch("* 1 FETCH (UID 5 BODY[] {99999999}\r\nx)\r\n", &f), -1);
}
END_TEST

struct found {
	uint32_t uids[8];
	int n;
};

static void add_uid(void *arg, uint32_t uid)
{
	struct found *f = arg;
	if (f->n < 8)
		f->uids[f->n++] = uid;
}

START_TEST(test_search)
{
	struct found f = {{0}, 0};
	const char *r = "* SEARCH 3 17 4294967295\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), 0);
	ck_assert_int_eq(f.n, 3);
	ck_assert_uint_eq(f.uids[0], 3);
	ck_assert_uint_eq(f.uids[1], 17);
	ck_assert_uint_eq(f.uids[2], 4294967295u);
	/* None found: the word alone. */
	f.n = 0;
	r = "* SEARCH\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), 0);
	ck_assert_int_eq(f.n, 0);
	/* Other responses, and a word that only starts the same. */
	r = "* 3 EXISTS\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), 1);
	r = "* SEARCHRES 1\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), 1);
	/* Garbage, zero and numbers past 32 bits are refused. */
	r = "* SEARCH 3 x\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), -1);
	r = "* SEARCH 0\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), -1);
	r = "* SEARCH 4294967296\r\n";
	ck_assert_int_eq(imap_parse_search(r, strlen(r), add_uid, &f), -1);
}
END_TEST

START_TEST(test_status)
{
	uint32_t v, n, u;
	const char *s = "* STATUS INBOX (UIDNEXT 3 UIDVALIDITY 1795948112)\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), 0);
	ck_assert_uint_eq(v, 1795948112u);
	ck_assert_uint_eq(n, 3);
	s = "* STATUS \"Sent Items\" (MESSAGES 4 UIDVALIDITY 7 UIDNEXT 9)\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_uint_eq(n, 9);
	s = "* STATUS {5}\r\nIN BX (UIDVALIDITY 2 UIDNEXT 1)\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), 0);
	ck_assert_uint_eq(v, 2);
	s = "* 3 EXISTS\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), 1);
	s = "* STATUS INBOX (UIDVALIDITY 99999999999)\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), -1);
	s = "* STATUS INBOX (UIDVALIDITY";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), -1);
	s = "* STATUS INBOX garbage\r\n";
	ck_assert_int_eq(imap_parse_status(s, strlen(s), &v, &n), -1);
	s = "* OK [UIDVALIDITY 1795948112] UIDs valid\r\n";
	ck_assert_int_eq(imap_parse_uidvalidity(s, strlen(s), &u), 0);
	ck_assert_uint_eq(u, 1795948112u);
	s = "* OK [UIDNEXT 4] next\r\n";
	ck_assert_int_eq(imap_parse_uidvalidity(s, strlen(s), &u), 1);
}
END_TEST

START_TEST(test_refs)
{
	const char *h =
		"From: Birch <birch@books.example>\r\n"
		"in-reply-to: <parent@agency.example> (the one you sent)\r\n"
		"References: <old@books.example>\r\n"
		"\t<parent@agency.example>\r\n"
		"  <caf\xc3\xa9@x.example> <has space@x> <> <last@x.example>\r\n"
		"Date: Tue, 1 Dec 2026 10:00:00 +0100\r\n"
		"\r\n";
	struct mail_refs r;
	mail_refs_parse(h, strlen(h), &r);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_str_eq(r.ids[0], "parent@agency.example");
	ck_assert_str_eq(r.ids[1], "last@x.example");	/* newest first */
	ck_assert_str_eq(r.ids[2], "old@books.example");
	ck_assert(r.has_date);
	ck_assert_int_eq(r.date, 1796115600);	/* 09:00 UTC */
	mail_refs_free(&r);

	/* No fields, a broken Date, a field name only. */
	h = "Subject: hi\r\nDate: yesterday\r\nReferences\r\n\r\n";
	mail_refs_parse(h, strlen(h), &r);
	ck_assert_uint_eq(r.count, 0);
	ck_assert(!r.has_date);
	mail_refs_free(&r);
	mail_refs_parse("", 0, &r);
	ck_assert_uint_eq(r.count, 0);

	/* Thousands of ids: only IMAP_MAX_REFS kept, the most recent. */
	struct buf b = {0};
	buf_puts(&b, "References:");
	for (int i = 0; i < 3000; i++)
		buf_printf(&b, " <id%d@x>", i);
	buf_puts(&b, "\r\n");
	mail_refs_parse(b.data, b.len, &r);
	ck_assert_uint_eq(r.count, IMAP_MAX_REFS);
	ck_assert_str_eq(r.ids[0], "id1023@x");
	mail_refs_free(&r);
	buf_free(&b);
}
END_TEST

static int64_t date(const char *s)
{
	int64_t t;
	return mail_date_parse(s, strlen(s), &t) ? t : -1;
}

START_TEST(test_dates)
{
	ck_assert_int_eq(date("Tue, 01 Dec 2026 10:00:00 +0000"), 1796119200);
	ck_assert_int_eq(date("1 Dec 2026 10:00 +0000"), 1796119200);
	ck_assert_int_eq(date("Tue, 1 Dec 2026 12:00:00 +0200 (CEST)"), 1796119200);
	ck_assert_int_eq(date("  Tue,  1 Dec 2026 05:00:00 EST"), 1796119200);
	ck_assert_int_eq(date("Tue, 1 Dec 2026 10:00:00 GMT"), 1796119200);
	ck_assert_int_eq(date("1 dec 26 10:00:00 Z"), 1796119200);
	ck_assert_int_eq(date("Thu, 01 Jan 1970 00:00:00 +0000"), 0);
	ck_assert_int_eq(date("29 Feb 2028 00:00:00 +0000"), 1835395200);
	/* Not dates. */
	ck_assert_int_eq(date(""), -1);
	ck_assert_int_eq(date("yesterday"), -1);
	ck_assert_int_eq(date("Tue, 1 Dec 2026 10:00:00"), -1);	/* no zone */
	ck_assert_int_eq(date("30 Feb 2026 10:00:00 +0000"), -1);
	ck_assert_int_eq(date("1 Dec 2026 24:00:00 +0000"), -1);
	ck_assert_int_eq(date("1 Dec 2026 10:00:00 +0099"), -1);
	ck_assert_int_eq(date("1 Foo 2026 10:00:00 +0000"), -1);
	ck_assert_int_eq(date("1 Dec 2026 10:00:00 +0000 trailing"), -1);
	ck_assert_int_eq(date("1 Dec 1969 10:00:00 +0000"), -1);
	ck_assert_int_eq(date("123 Dec 2026 10:00:00 +0000"), -1);
}
END_TEST

START_TEST(test_names)
{
	char *name;
	struct error err = {{0}};
	ck_assert_int_eq(imap_server_name("imaps://mail.example.com", &name, &err), 0);
	ck_assert_str_eq(name, "imaps://mail.example.com");
	free(name);
	ck_assert_int_eq(imap_server_name("IMAP://127.0.0.1:1143/", &name, &err), 0);
	ck_assert_str_eq(name, "imap://127.0.0.1:1143");
	free(name);
	ck_assert_int_eq(imap_server_name("imap://u:p@h/", &name, &err), -1);
	ck_assert_ptr_null(strstr(err.msg, "p@h"));
	ck_assert_int_eq(imap_server_name("imap://h/INBOX", &name, &err), -1);
	ck_assert_int_eq(imap_server_name("smtp://h", &name, &err), -1);
	ck_assert_int_eq(imap_server_name("imap://h\r\n/", &name, &err), -1);
	ck_assert_int_eq(imap_server_name(NULL, &name, &err), -1);
	ck_assert_int_eq(imap_check_mailbox("Sent \"Items\"", &err), 0);
	ck_assert_int_eq(imap_check_mailbox("INBOX\r\nR9 LOGOUT", &err), -1);
	ck_assert_int_eq(imap_check_mailbox("Entw\xc3\xbcrfe", &err), -1);
	ck_assert_int_eq(imap_check_mailbox("", &err), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("imap");
	TCase *tc = tcase_create("imap");
	tcase_add_test(tc, test_response_length);
	tcase_add_test(tc, test_fetch);
	tcase_add_test(tc, test_search);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_refs);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
