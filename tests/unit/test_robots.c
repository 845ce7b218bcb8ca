/* test_robots.c - the robots.txt parser against RFC 9309's rules: groups,
 * longest match, allow on ties, wildcards, encodings and hostile input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/robots.h"
#include "core/xalloc.h"
#include "check_run.h"

static const char *fixtures;

static struct robots *load(const char *name)
{
	char *path = xasprintf("%s/robots/%s", fixtures, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open fixture %s", path);
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	free(path);
	struct robots *r = robots_parse(b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

START_TEST(agent_groups)
{
	struct robots *r = load("groups.txt");
	/* Our own group replaces the catch-all, case-insensitively... */
	ck_assert(!robots_allowed(r, "outreach", "/no-outreach/x"));
	ck_assert(robots_allowed(r, "outreach", "/private/"));
	ck_assert(!robots_allowed(r, "Outreach", "/no-outreach/"));
	/* ...and every group naming us is merged, version suffix or not. */
	ck_assert(!robots_allowed(r, "outreach", "/also-merged/page"));
	ck_assert(robots_allowed(r, "outreach", "/private/ok.html"));
	/* Others fall back to "*". */
	ck_assert(!robots_allowed(r, "somebot", "/private/x"));
	ck_assert(robots_allowed(r, "somebot", "/no-outreach/x"));
	ck_assert(!robots_allowed(r, "googlebot", "/anything"));
	ck_assert(robots_allowed(r, "googlebot", "/robots.txt"));
	robots_free(r);
}
END_TEST

START_TEST(longest_match_wins_allow_breaks_ties)
{
	struct robots *r = load("precedence.txt");
	ck_assert(!robots_allowed(r, "outreach", "/shop/cart"));
	ck_assert(robots_allowed(r, "outreach", "/shop/contact.html"));
	ck_assert(robots_allowed(r, "outreach", "/tie"));
	ck_assert(!robots_allowed(r, "outreach", "/page"));
	ck_assert(robots_allowed(r, "outreach", "/page.html"));
	ck_assert(robots_allowed(r, "outreach", "/"));
	ck_assert(robots_allowed(r, "outreach", ""));
	ck_assert(robots_allowed(r, "outreach", NULL));
	robots_free(r);
}
END_TEST

START_TEST(wildcards_and_encoding)
{
	struct robots *r = load("wildcards.txt");
	ck_assert(!robots_allowed(r, "outreach", "/files/menu.pdf"));
	ck_assert(robots_allowed(r, "outreach", "/files/menu.pdf?x=1"));
	ck_assert(!robots_allowed(r, "outreach", "/search/all/results"));
	ck_assert(!robots_allowed(r, "outreach", "/exact"));
	ck_assert(robots_allowed(r, "outreach", "/exact/more"));
	ck_assert(!robots_allowed(r, "outreach", "/a/b"));
	ck_assert(robots_allowed(r, "outreach", "/a/public/"));
	ck_assert(!robots_allowed(r, "outreach", "/~joe/index.html"));
	ck_assert(!robots_allowed(r, "outreach", "/%7ejoe/"));
	ck_assert(!robots_allowed(r, "outreach", "/caf\xc3\xa9/menu"));
	ck_assert(!robots_allowed(r, "outreach", "/caf%c3%a9"));
	ck_assert(!robots_allowed(r, "outreach", "/q?id=4"));
	ck_assert(robots_allowed(r, "outreach", "/q"));
	robots_free(r);
}
END_TEST

START_TEST(line_endings_and_comments)
{
	struct robots *r = load("crlf.txt");
	ck_assert(!robots_allowed(r, "somebot", "/cr-lf/"));
	ck_assert(!robots_allowed(r, "somebot", "/still-in-group/"));
	ck_assert(robots_allowed(r, "somebot", "/mac/"));
	ck_assert(!robots_allowed(r, "outreach", "/mac/"));
	ck_assert(robots_allowed(r, "outreach", "/cr-lf/"));
	robots_free(r);
}
END_TEST

START_TEST(garbage_is_skipped)
{
	struct robots *r = load("garbage.txt");
	ck_assert(robots_allowed(r, "outreach", "/no-colon"));
	ck_assert(robots_allowed(r, "outreach",
				 "/before-any-agent-is-ignored-if-agent-empty/"));
	ck_assert(!robots_allowed(r, "outreach", "/spaced/"));
	ck_assert(!robots_allowed(r, "outreach", "/after-unknown/"));
	ck_assert(robots_allowed(r, "outreach", "/binary/"));
	robots_free(r);
}
END_TEST

START_TEST(size_cap)
{
	/* A rule past 500 KiB is not read; one before it is. */
	struct buf b = {0};
	buf_puts(&b, "User-agent: *\nDisallow: /early/\n");
	while (b.len < ROBOTS_MAX_BYTES)
		buf_puts(&b, "# padding padding padding padding padding\n");
	buf_puts(&b, "Disallow: /late/\n");
	struct robots *r = robots_parse(b.data, b.len);
	ck_assert(!robots_allowed(r, "outreach", "/early/"));
	ck_assert(robots_allowed(r, "outreach", "/late/"));
	robots_free(r);
	buf_free(&b);
}
END_TEST

START_TEST(pathological_wildcards_are_fast)
{
	struct buf b = {0};
	buf_puts(&b, "User-agent: *\nDisallow: /");
	for (int i = 0; i < 2000; i++)
		buf_puts(&b, "*a");
	buf_puts(&b, "b$\n");
	struct robots *r = robots_parse(b.data, b.len);
	char path[4001];
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	ck_assert(robots_allowed(r, "outreach", path));
	robots_free(r);
	buf_free(&b);
}
END_TEST

START_TEST(special_sets)
{
	struct robots *all = robots_allow_all(), *none = robots_deny_all();
	ck_assert(robots_allowed(all, "outreach", "/x"));
	ck_assert(!robots_allowed(none, "outreach", "/x"));
	ck_assert(robots_allowed(NULL, "outreach", "/x"));
	struct robots *empty = robots_parse("", 0);
	ck_assert(robots_allowed(empty, "outreach", "/x"));
	robots_free(all);
	robots_free(none);
	robots_free(empty);
	robots_free(NULL);
}
END_TEST

int main(void)
{
	fixtures = getenv("OUTREACH_FIXTURES");
	if (!fixtures || !*fixtures) {
		fprintf(stderr, "test_robots: set OUTREACH_FIXTURES to the "
			"fixtures directory (e.g. tests/fixtures)\n");
		return 1;
	}
	Suite *s = suite_create("robots");
	TCase *tc = tcase_create("rules");
	tcase_add_test(tc, agent_groups);
	tcase_add_test(tc, longest_match_wins_allow_breaks_ties);
	tcase_add_test(tc, wildcards_and_encoding);
	tcase_add_test(tc, line_endings_and_comments);
	tcase_add_test(tc, garbage_is_skipped);
	tcase_add_test(tc, size_cap);
	tcase_add_test(tc, pathological_wildcards_are_fast);
	tcase_add_test(tc, special_sets);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
