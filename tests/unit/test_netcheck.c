/* test_netcheck.c - which addresses the fetcher may connect to: every
 * internal range refused, in IPv4, IPv6 and the IPv6 forms that wrap IPv4. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "core/netcheck.h"
#include "check_run.h"

static bool forbidden(const char *text)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	if (strchr(text, ':')) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(443);
		ck_assert_int_eq(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		in->sin_port = htons(80);
		ck_assert_int_eq(inet_pton(AF_INET, text, &in->sin_addr), 1);
	}
	return is_forbidden_address((struct sockaddr *)&ss);
}

static const char *const refused[] = {
	"127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255",
	"172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
	"100.127.255.255", "169.254.169.254", "0.0.0.0", "0.1.2.3",
	"224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
	"192.0.2.10", "198.51.100.7", "203.0.113.9", "198.18.0.1",
	"192.0.0.8",
	"::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1",
	"ff02::1", "fec0::1", "2001:db8::1",
	"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
	"::ffff:0.0.0.0", "::127.0.0.1", "::10.0.0.1",
	"64:ff9b::7f00:1", "64:ff9b::192.168.0.1", "2002:7f00:1::1",
	"2002:c0a8:101::",
};

static const char *const allowed[] = {
	"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255",
	"172.32.0.1", "100.63.255.255", "100.128.0.1", "11.0.0.1",
	"192.169.0.1", "169.253.1.1", "223.255.255.255",
	"2606:4700:4700::1111", "2a00:1450:4001:80b::200e",
	"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
	"fe00::1",
};

START_TEST(internal_addresses_refused)
{
	ck_assert_msg(forbidden(refused[_i]), "%s should be refused",
		      refused[_i]);
}
END_TEST

START_TEST(public_addresses_allowed)
{
	ck_assert_msg(!forbidden(allowed[_i]), "%s should be allowed",
		      allowed[_i]);
}
END_TEST

START_TEST(other_families_refused)
{
	struct sockaddr_un un;
	memset(&un, 0, sizeof un);
	un.sun_family = AF_UNIX;
	ck_assert(is_forbidden_address((struct sockaddr *)&un));
	ck_assert(is_forbidden_address(NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netcheck");
	TCase *tc = tcase_create("ranges");
	tcase_add_loop_test(tc, internal_addresses_refused, 0,
			    (int)(sizeof refused / sizeof *refused));
	tcase_add_loop_test(tc, public_addresses_allowed, 0,
			    (int)(sizeof allowed / sizeof *allowed));
	tcase_add_test(tc, other_families_refused);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
