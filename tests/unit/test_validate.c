/* test_validate.c - unit tests for src/core/validate.c: what is accepted,
 * how it is normalised, and what each rejection tells the user. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "check_run.h"

typedef int (*normalizer)(const char *, char **, struct error *);

static void check_ok(normalizer fn, const char *in, const char *want)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_msg(fn(in, &out, &err) == 0, "rejected \"%s\": %s", in,
		      err.msg);
	ck_assert_str_eq(out, want);
	free(out);
}

static void check_bad(normalizer fn, const char *in, const char *msg_part)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_msg(fn(in, &out, &err) == -1, "accepted \"%s\" as \"%s\"",
		      in, out ? out : "");
	ck_assert_ptr_null(out);
	ck_assert_msg(strstr(err.msg, msg_part) != NULL,
		      "error for \"%s\" is \"%s\", expected it to mention \"%s\"",
		      in, err.msg, msg_part);
}

static void check_social_ok(enum contact_type t, const char *in,
			    const char *want)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_msg(normalize_social(t, in, &out, &err) == 0,
		      "rejected \"%s\": %s", in, err.msg);
	ck_assert_str_eq(out, want);
	free(out);
}

static void check_social_bad(enum contact_type t, const char *in)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_msg(normalize_social(t, in, &out, &err) == -1,
		      "accepted \"%s\" as \"%s\"", in, out ? out : "");
	ck_assert_msg(strstr(err.msg, "profile") != NULL,
		      "error for \"%s\" is \"%s\"", in, err.msg);
}

#define U8_OK(lit) ck_assert(utf8_valid(lit, sizeof(lit) - 1))
#define U8_BAD(lit) ck_assert(!utf8_valid(lit, sizeof(lit) - 1))

START_TEST(utf8_accepts_well_formed)
{
	U8_OK("");
	U8_OK("plain ascii");
	U8_OK("caf\xc3\xa9");			/* U+00E9 */
	U8_OK("\xe2\x82\xac");			/* U+20AC */
	U8_OK("\xef\xbf\xbd");			/* U+FFFD */
	U8_OK("\xf0\x9f\x8d\x95");		/* U+1F355 */
	U8_OK("\xf4\x8f\xbf\xbf");		/* U+10FFFF, the last one */
	U8_OK("\xed\x9f\xbf");			/* U+D7FF, just below surrogates */
	U8_OK("esc\x1b[31m");			/* control bytes are valid text */
}
END_TEST

START_TEST(utf8_rejects_malformed)
{
	U8_BAD("\xc0\xaf");			/* overlong '/' */
	U8_BAD("\xc1\xbf");			/* overlong */
	U8_BAD("\xe0\x80\xaf");			/* overlong 3-byte */
	U8_BAD("\xf0\x80\x80\xaf");		/* overlong 4-byte */
	U8_BAD("\xed\xa0\x80");			/* U+D800 surrogate */
	U8_BAD("\xed\xbf\xbf");			/* U+DFFF surrogate */
	U8_BAD("\xf4\x90\x80\x80");		/* U+110000 */
	U8_BAD("\xf5\x80\x80\x80");
	U8_BAD("\xff");
	U8_BAD("\x80");				/* lone continuation */
	U8_BAD("caf\xc3");			/* truncated at the end */
	U8_BAD("\xe2\x82x");			/* bad continuation */
	U8_BAD("latin1 caf\xe9!");
}
END_TEST

START_TEST(name_is_trimmed_and_collapsed)
{
	check_ok(normalize_name, "  Acme   Bakery\t ", "Acme Bakery");
	check_ok(normalize_name, "Acme\r\nBakery", "Acme Bakery");
	check_ok(normalize_name, "Caf\xc3\xa9 Z\xc3\xbcrich", "Caf\xc3\xa9 Z\xc3\xbcrich");
	/* Escape sequences are data: kept, never interpreted here. */
	check_ok(normalize_name, "\x1b[31mRed\x1b[0m Shop", "\x1b[31mRed\x1b[0m Shop");
}
END_TEST

START_TEST(name_is_required)
{
	check_bad(normalize_name, "", "name is empty");
	check_bad(normalize_name, " \t\r\n ", "name is empty");
}
END_TEST

START_TEST(website_gets_scheme_and_lower_case_host)
{
	check_ok(normalize_website, "example.com", "https://example.com");
	check_ok(normalize_website, "  WWW.Example.COM/Menu?x=1  ",
		 "https://www.example.com/Menu?x=1");
	check_ok(normalize_website, "http://example.com/", "http://example.com");
	check_ok(normalize_website, "HTTPS://shop.example.co.uk:8443/a/",
		 "https://shop.example.co.uk:8443/a/");
	check_ok(normalize_website, "//example.org", "https://example.org");
	check_ok(normalize_website, "b\xc3\xa4""ckerei.de", "https://b\xc3\xa4""ckerei.de");
}
END_TEST

START_TEST(website_rejections)
{
	check_bad(normalize_website, "", "empty");
	check_bad(normalize_website, "localhost", "host name with a dot");
	check_bad(normalize_website, "https://", "host name with a dot");
	check_bad(normalize_website, "ftp://example.com", "only http:// and https://");
	check_bad(normalize_website, "javascript://example.com", "only http://");
	check_bad(normalize_website, "example .com", "contains spaces");
	check_bad(normalize_website, "https://user:pw@example.com", "user name");
	check_bad(normalize_website, "mailto:joe@example.com", "user name");
	check_bad(normalize_website, "example..com", "host name with a dot");
	check_bad(normalize_website, "-bad.example.com", "host name with a dot");
	check_bad(normalize_website, "example.com.", "host name with a dot");
	check_bad(normalize_website, "exa$mple.com", "host name with a dot");
	check_bad(normalize_website, "example.com:http", "port");
	check_bad(normalize_website, "n/a", "host name with a dot");
}
END_TEST

START_TEST(contact_form_follows_website_rules)
{
	check_ok(normalize_contact_form, "example.com/contact",
		 "https://example.com/contact");
	check_bad(normalize_contact_form, "contact", "contact page address");
}
END_TEST

START_TEST(email_domain_lower_cased)
{
	check_ok(normalize_email, " Info@Example.COM ", "Info@example.com");
	check_ok(normalize_email, "first.last+tag@mail.example.co.uk",
		 "first.last+tag@mail.example.co.uk");
	check_ok(normalize_email, "mailto:hello@example.com?subject=Hi",
		 "hello@example.com");
}
END_TEST

START_TEST(email_rejections)
{
	const char *bad[] = {
		"", "info", "info@", "@example.com", "info@example",
		"info@@example.com", "in fo@example.com", "info@exa mple.com",
		"a@b@example.com", ".info@example.com", "info.@example.com",
		"in..fo@example.com", "<info@example.com>", "info@example..com",
		"info@example.com.", "info@example.com; x@example.com",
		"info@-example.com", "tab\t@example.com",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		check_bad(normalize_email, bad[i],
			  "not an e-mail address (expected name@domain.tld)");
}
END_TEST

START_TEST(phone_accepts_common_formats)
{
	check_ok(normalize_phone, "  +44 (0)20 7946-0000 ", "+44 (0)20 7946-0000");
	check_ok(normalize_phone, "555.123.4567", "555.123.4567");
	check_ok(normalize_phone, "030/1234567", "030/1234567");
	check_ok(normalize_phone, "1234567", "1234567");
}
END_TEST

START_TEST(phone_rejections)
{
	check_bad(normalize_phone, "123456", "found 6");
	check_bad(normalize_phone, "", "found 0");
	check_bad(normalize_phone, "123456789012345678901", "found 21");
	check_bad(normalize_phone, "555-CALL-NOW", "only digits");
	check_bad(normalize_phone, "+1 555 123 4567 ext 2", "only digits");
	check_bad(normalize_phone, "555 123 4567 +1", "'+' may only start");
	check_bad(normalize_phone, "555\t123\t4567", "only digits");
}
END_TEST

START_TEST(instagram_profiles)
{
	const char *want = "https://www.instagram.com/acme.bakery";
	check_social_ok(CONTACT_INSTAGRAM, "@acme.bakery", want);
	check_social_ok(CONTACT_INSTAGRAM, "https://www.instagram.com/acme.bakery/", want);
	check_social_ok(CONTACT_INSTAGRAM, "http://instagram.com/acme.bakery?hl=en", want);
	check_social_ok(CONTACT_INSTAGRAM, "instagram.com/acme.bakery#top", want);
	check_social_ok(CONTACT_INSTAGRAM, "HTTPS://M.Instagram.com/acme.bakery", want);
	check_social_ok(CONTACT_INSTAGRAM, " mobile.instagram.com/acme.bakery ", want);
}
END_TEST

START_TEST(instagram_rejections)
{
	check_social_bad(CONTACT_INSTAGRAM, "https://www.instagram.com/p/XYZ123/");
	check_social_bad(CONTACT_INSTAGRAM, "https://www.instagram.com/reel/XYZ/");
	check_social_bad(CONTACT_INSTAGRAM, "https://www.instagram.com/explore/tags/cake/");
	check_social_bad(CONTACT_INSTAGRAM, "https://www.instagram.com/");
	check_social_bad(CONTACT_INSTAGRAM, "https://www.instagram.com/acme/extra");
	check_social_bad(CONTACT_INSTAGRAM, "https://www.facebook.com/acme");
	check_social_bad(CONTACT_INSTAGRAM, "https://instagram.com.evil.example/acme");
	check_social_bad(CONTACT_INSTAGRAM, "https://notinstagram.com/acme");
	check_social_bad(CONTACT_INSTAGRAM, "ftp://instagram.com/acme");
	check_social_bad(CONTACT_INSTAGRAM, "acme");	/* a bare word is not a handle */
	check_social_bad(CONTACT_INSTAGRAM, "@");
	check_social_bad(CONTACT_INSTAGRAM, "@acme bakery");
	check_social_bad(CONTACT_INSTAGRAM, "@way_too_long_for_an_instagram_name");
}
END_TEST

START_TEST(hashtags_are_not_profiles)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_int_eq(normalize_social(CONTACT_INSTAGRAM, "#cake", &out, &err), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err.msg, "hashtag"));
	check_social_bad(CONTACT_TWITTER, "https://twitter.com/hashtag/cake");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/hashtag/cake");
}
END_TEST

START_TEST(facebook_profiles)
{
	check_social_ok(CONTACT_FACEBOOK, "https://www.facebook.com/AcmeBakery/",
			"https://www.facebook.com/AcmeBakery");
	check_social_ok(CONTACT_FACEBOOK, "m.facebook.com/acme-bakery?ref=page",
			"https://www.facebook.com/acme-bakery");
	check_social_ok(CONTACT_FACEBOOK, "@acme.bakery",
			"https://www.facebook.com/acme.bakery");
	check_social_ok(CONTACT_FACEBOOK, "https://fb.com/acme",
			"https://www.facebook.com/acme");
	check_social_ok(CONTACT_FACEBOOK,
			"https://www.facebook.com/profile.php?id=100012345&ref=x",
			"https://www.facebook.com/profile.php?id=100012345");
}
END_TEST

START_TEST(facebook_rejections)
{
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/sharer.php?u=x");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/sharer/sharer.php?u=x");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/share.php");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/groups/bakers/");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/events/123/");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/acme/posts/123");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/profile.php");
	check_social_bad(CONTACT_FACEBOOK, "https://www.facebook.com/login.php");
	check_social_bad(CONTACT_FACEBOOK, "https://www.instagram.com/acme");
	check_social_bad(CONTACT_FACEBOOK, "@sharer.php");
	check_social_bad(CONTACT_TWITTER, "@home");
}
END_TEST

START_TEST(twitter_and_x_profiles)
{
	const char *want = "https://www.twitter.com/acme_bakes";
	check_social_ok(CONTACT_TWITTER, "@acme_bakes", want);
	check_social_ok(CONTACT_TWITTER, "https://x.com/acme_bakes", want);
	check_social_ok(CONTACT_TWITTER, "https://www.x.com/acme_bakes/", want);
	check_social_ok(CONTACT_TWITTER, "http://mobile.twitter.com/acme_bakes?lang=en", want);
}
END_TEST

START_TEST(twitter_rejections)
{
	check_social_bad(CONTACT_TWITTER, "https://twitter.com/intent/tweet?text=hi");
	check_social_bad(CONTACT_TWITTER, "https://twitter.com/share?url=x");
	check_social_bad(CONTACT_TWITTER, "https://twitter.com/home");
	check_social_bad(CONTACT_TWITTER, "https://x.com/i/flow/login");
	check_social_bad(CONTACT_TWITTER, "https://twitter.com/acme_bakes/status/1234");
	check_social_bad(CONTACT_TWITTER, "@acme.bakes");	/* '.' not allowed */
	check_social_bad(CONTACT_TWITTER, "@sixteen_chars_xx");
	check_social_bad(CONTACT_TWITTER, "https://www.linkedin.com/in/acme");
}
END_TEST

START_TEST(linkedin_profiles)
{
	check_social_ok(CONTACT_LINKEDIN, "@acme-bakery",
			"https://www.linkedin.com/company/acme-bakery");
	check_social_ok(CONTACT_LINKEDIN, "https://www.linkedin.com/company/acme-bakery/",
			"https://www.linkedin.com/company/acme-bakery");
	check_social_ok(CONTACT_LINKEDIN, "linkedin.com/in/jane-doe-1a2b3c?trk=x",
			"https://www.linkedin.com/in/jane-doe-1a2b3c");
	check_social_ok(CONTACT_LINKEDIN, "https://www.linkedin.com/in/j%C3%BCrgen",
			"https://www.linkedin.com/in/j%C3%BCrgen");
}
END_TEST

START_TEST(linkedin_rejections)
{
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/feed/");
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/shareArticle?url=x");
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/posts/acme_123");
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/in/");
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/acme");
	check_social_bad(CONTACT_LINKEDIN, "https://www.linkedin.com/company/acme/jobs");
	check_social_bad(CONTACT_LINKEDIN, "https://twitter.com/acme");
}
END_TEST

START_TEST(contact_dispatches_on_type)
{
	struct error err = {{0}};
	char *out = NULL;

	ck_assert_int_eq(normalize_contact(CONTACT_EMAIL, "A@B.CO", &out, &err), 0);
	ck_assert_str_eq(out, "A@b.co");
	free(out);
	ck_assert_int_eq(normalize_contact(CONTACT_PHONE, "555 1234567", &out, &err), 0);
	ck_assert_str_eq(out, "555 1234567");
	free(out);
	ck_assert_int_eq(normalize_contact(CONTACT_TWITTER, "@acme", &out, &err), 0);
	ck_assert_str_eq(out, "https://www.twitter.com/acme");
	free(out);
	ck_assert_int_eq(normalize_contact(CONTACT_CONTACT_FORM, "a.io/c", &out, &err), 0);
	ck_assert_str_eq(out, "https://a.io/c");
	free(out);
	out = NULL;
	ck_assert_int_eq(normalize_contact(CONTACT_TYPE_COUNT, "x", &out, &err), -1);
	ck_assert_ptr_null(out);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, utf8_accepts_well_formed);
	tcase_add_test(tc, utf8_rejects_malformed);
	tcase_add_test(tc, name_is_trimmed_and_collapsed);
	tcase_add_test(tc, name_is_required);
	tcase_add_test(tc, website_gets_scheme_and_lower_case_host);
	tcase_add_test(tc, website_rejections);
	tcase_add_test(tc, contact_form_follows_website_rules);
	tcase_add_test(tc, email_domain_lower_cased);
	tcase_add_test(tc, email_rejections);
	tcase_add_test(tc, phone_accepts_common_formats);
	tcase_add_test(tc, phone_rejections);
	tcase_add_test(tc, instagram_profiles);
	tcase_add_test(tc, instagram_rejections);
	tcase_add_test(tc, hashtags_are_not_profiles);
	tcase_add_test(tc, facebook_profiles);
	tcase_add_test(tc, facebook_rejections);
	tcase_add_test(tc, twitter_and_x_profiles);
	tcase_add_test(tc, twitter_rejections);
	tcase_add_test(tc, linkedin_profiles);
	tcase_add_test(tc, linkedin_rejections);
	tcase_add_test(tc, contact_dispatches_on_type);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int failed = check_run(validate_suite());
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
