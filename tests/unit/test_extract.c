/* test_extract.c - the contact extractor against the fixture sites (exact
 * contact sets from expected.txt) and its link, charset and set rules. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "core/extract.h"
#include "core/robots.h"
#include "core/xalloc.h"
#include "check_run.h"

/* Where the end-to-end tests' server would put a site; only contact form
 * values (page addresses) show it. */
#define BASE "http://127.0.0.1:8123"

static const char *fixtures;
static char **sites;
static size_t nsites;
static struct extractor *x;

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open fixture %s", path);
	struct buf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

static char *fixture_path(const char *rel)
{
	return xasprintf("%s/%s", fixtures, rel);
}

/* Pages of a site, relative to its root, sorted, home page first: the
 * order a crawler visits them, which decides the spelling kept when two
 * pages write the same phone number differently. */
static void list_pages(const char *root, const char *rel, char ***pages,
		       size_t *n)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot read %s", dir);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name)
				   : xstrdup(e->d_name);
		char *full = xasprintf("%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_pages(root, sub, pages, n);
			free(sub);
		} else if (strlen(sub) > 5 &&
			   strcmp(sub + strlen(sub) - 5, ".html") == 0) {
			*pages = xreallocarray(*pages, *n + 1, sizeof **pages);
			(*pages)[(*n)++] = sub;
		} else {
			free(sub);
		}
		free(full);
	}
	closedir(d);
	free(dir);
}

static int page_order(const void *a, const void *b)
{
	const char *x1 = *(const char *const *)a, *y1 = *(const char *const *)b;
	int hx = strcmp(x1, "index.html") == 0, hy = strcmp(y1, "index.html") == 0;
	if (hx != hy)
		return hy - hx;
	return strcmp(x1, y1);
}

/* "contact-us/index.html" is served as BASE/contact-us/. */
static char *page_url(const char *rel)
{
	size_t n = strlen(rel);
	if (n >= 10 && strcmp(rel + n - 10, "index.html") == 0)
		return xasprintf(BASE "/%.*s", (int)(n - 10), rel);
	return xasprintf(BASE "/%s", rel);
}

static int line_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *result_text(const struct extract_result *r)
{
	char **lines = xcalloc(r->len + 1, sizeof *lines);
	for (size_t i = 0; i < r->len; i++)
		lines[i] = xasprintf("%s\t%s\n",
				     contact_type_name(r->items[i].type),
				     r->items[i].value);
	qsort(lines, r->len, sizeof *lines, line_order);
	struct buf b = {0};
	buf_puts(&b, "");
	for (size_t i = 0; i < r->len; i++) {
		buf_puts(&b, lines[i]);
		free(lines[i]);
	}
	free(lines);
	return buf_detach(&b);
}

static char *expected_text(const char *site)
{
	char *path = xasprintf("%s/sites/%s/expected.txt", fixtures, site);
	size_t len;
	char *raw = read_file(path, &len);
	struct buf b = {0};
	buf_puts(&b, "");
	for (const char *p = raw; *p; p++) {
		if (strncmp(p, "{base}", 6) == 0) {
			buf_puts(&b, BASE);
			p += 5;
		} else {
			buf_putc(&b, *p);
		}
	}
	free(raw);
	free(path);
	return buf_detach(&b);
}

static struct robots *site_robots(const char *root)
{
	char *path = xasprintf("%s/robots.txt", root);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return robots_allow_all();
	fclose(f);
	size_t len;
	path = xasprintf("%s/robots.txt", root);
	char *bytes = read_file(path, &len);
	struct robots *r = robots_parse(bytes, len);
	free(bytes);
	free(path);
	return r;
}

static void extract_fixture_page(const char *root, const char *rel,
			 struct extract_result *out)
{
	char *path = xasprintf("%s/%s", root, rel);
	char *url = page_url(rel);
	size_t len, ulen;
	char *raw = read_file(path, &len), *html;
	struct error err = {0};
	ck_assert_int_eq(extract_to_utf8(NULL, raw, len, &html, &ulen, &err), 0);
	ck_assert_msg(extract_contacts(x, html, ulen, url, false, out, &err) == 0,
		      "%s: %s", rel, err.msg);
	free(html);
	free(raw);
	free(url);
	free(path);
}

START_TEST(site_matches_expected)
{
	const char *site = sites[_i];
	char *root = xasprintf("%s/sites/%s", fixtures, site);
	char **pages = NULL;
	size_t npages = 0;
	list_pages(root, "", &pages, &npages);
	qsort(pages, npages, sizeof *pages, page_order);
	struct robots *robots = site_robots(root);
	struct extract_result r = {0};

	for (size_t i = 0; i < npages; i++) {
		char *path = xasprintf("/%s", pages[i]);
		if (robots_allowed(robots, "outreach", path))
			extract_fixture_page(root, pages[i], &r);
		free(path);
		free(pages[i]);
	}
	char *got = result_text(&r), *want = expected_text(site);
	ck_assert_msg(strcmp(got, want) == 0,
		      "site %s:\n--- expected\n%s--- found\n%s", site, want, got);
	free(got);
	free(want);
	extract_result_free(&r);
	robots_free(robots);
	free(pages);
	free(root);
}
END_TEST

static char *site_page(const char *site, const char *rel, size_t *len)
{
	char *path = xasprintf("%s/sites/%s/%s", fixtures, site, rel);
	size_t rlen;
	char *raw = read_file(path, &rlen), *html;
	struct error err = {0};
	ck_assert_int_eq(extract_to_utf8(NULL, raw, rlen, &html, len, &err), 0);
	free(raw);
	free(path);
	return html;
}

START_TEST(links_ranked_contact_first)
{
	size_t len;
	char *html = site_page("bakery-mailto", "index.html", &len);
	struct extract_links l = {0};
	struct error err = {0};
	ck_assert_int_eq(extract_links(x, html, len, BASE "/", BASE, &l, &err), 0);
	ck_assert_uint_eq(l.len, 3);
	ck_assert_str_eq(l.items[0].url, BASE "/kontakt.html");
	ck_assert_str_eq(l.items[1].url, BASE "/impressum.html");
	ck_assert_str_eq(l.items[2].url, BASE "/intern/team.html");
	ck_assert_int_gt(l.items[0].score, l.items[1].score);
	extract_links_free(&l);
	free(html);
}
END_TEST

START_TEST(links_stay_on_site_and_under_prefix)
{
	size_t len;
	char *html = site_page("dental-obfuscated", "index.html", &len);
	struct extract_links l = {0};
	struct error err = {0};
	/* The sister practice on another host is not followed. */
	ck_assert_int_eq(extract_links(x, html, len, BASE "/", BASE "/", &l,
				       &err), 0);
	ck_assert_uint_eq(l.len, 3);
	ck_assert_str_eq(l.items[0].url, BASE "/contact-us/");
	extract_links_free(&l);
	/* A website recorded as a subdirectory bounds the crawl to it. */
	ck_assert_int_eq(extract_links(x, html, len, BASE "/news/",
				       BASE "/news/", &l, &err), 0);
	ck_assert_uint_eq(l.len, 1);
	ck_assert_str_eq(l.items[0].url, BASE "/news/new-chair.html");
	extract_links_free(&l);
	free(html);
}
END_TEST

START_TEST(links_drop_fragment_keep_query)
{
	size_t len;
	char *html = site_page("florist-social", "index.html", &len);
	struct extract_links l = {0};
	struct error err = {0};
	ck_assert_int_eq(extract_links(x, html, len, BASE "/index.html", BASE,
				       &l, &err), 0);
	ck_assert_uint_eq(l.len, 2);
	ck_assert_str_eq(l.items[0].url, BASE "/contact.html");
	ck_assert_str_eq(l.items[1].url, BASE "/about-us.html?ref=nav");
	extract_links_free(&l);
	free(html);
}
END_TEST

static bool has_contact(const struct extract_result *r, enum contact_type t)
{
	for (size_t i = 0; i < r->len; i++)
		if (r->items[i].type == t)
			return true;
	return false;
}

START_TEST(caller_decides_contact_like)
{
	char *path = fixture_path("extract/message-form.html");
	size_t len;
	char *html = read_file(path, &len);
	struct extract_result r = {0};
	struct error err = {0};
	const char *url = BASE "/workshop.html#top";

	ck_assert_int_eq(extract_contacts(x, html, len, url, false, &r, &err), 0);
	ck_assert(!has_contact(&r, CONTACT_CONTACT_FORM));
	ck_assert_int_eq(extract_contacts(x, html, len, url, true, &r, &err), 0);
	ck_assert_uint_eq(r.len, 1);
	ck_assert_str_eq(r.items[0].value, BASE "/workshop.html");
	extract_result_free(&r);
	free(html);
	free(path);
}
END_TEST

START_TEST(comment_form_never_counts)
{
	size_t len;
	char *html = site_page("dental-obfuscated", "news/new-chair.html", &len);
	struct extract_result r = {0};
	ck_assert_int_eq(extract_contacts(x, html, len, BASE "/news/new-chair.html",
					  true, &r, NULL), 0);
	ck_assert_uint_eq(r.len, 0);
	free(html);
}
END_TEST

START_TEST(charset_detection)
{
	size_t len;
	char *path = fixture_path("sites/cafe-latin1/index.html");
	char *raw = read_file(path, &len);
	char *cs = extract_detect_charset(NULL, raw, len);
	ck_assert_str_eq(cs, "iso-8859-1");
	free(cs);
	/* The HTTP header wins over the page's own claim. */
	cs = extract_detect_charset("text/html; Charset=\"UTF-8\"", raw, len);
	ck_assert_str_eq(cs, "utf-8");
	free(cs);
	ck_assert_ptr_null(extract_detect_charset("text/html", "<p>hi", 5));
	cs = extract_detect_charset(NULL, "\xef\xbb\xbf<p>", 6);
	ck_assert_str_eq(cs, "utf-8");
	free(cs);
	free(raw);
	free(path);
}
END_TEST

START_TEST(latin1_converted_like_a_browser)
{
	size_t len;
	char *html = site_page("cafe-latin1", "index.html", &len);
	ck_assert_uint_eq(strlen(html), len);
	ck_assert_ptr_nonnull(strstr(html, "Caf\xc3\xa9 M\xc3\xbcller"));
	/* 0x80 and 0x96 are the euro sign and a dash in windows-1252. */
	ck_assert_ptr_nonnull(strstr(html, "Preise in \xe2\x82\xac"));
	ck_assert_ptr_nonnull(strstr(html, "4,50 \xe2\x80\x93 Sacher"));
	free(html);
	/* Undecodable bytes become U+FFFD instead of ending the page. */
	char *out;
	ck_assert_int_eq(extract_to_utf8("text/html; charset=utf-8", "a\xff" "b",
					 3, &out, &len, NULL), 0);
	ck_assert_str_eq(out, "a\xef\xbf\xbd" "b");
	free(out);
}
END_TEST

START_TEST(contact_like_urls)
{
	ck_assert(extract_url_is_contact_like("https://acme.de/kontakt"));
	ck_assert(extract_url_is_contact_like("https://acme.com/contact-us.html"));
	ck_assert(extract_url_is_contact_like("http://acme.com/en/Contact/?x=1"));
	ck_assert(!extract_url_is_contact_like("https://acme.com/about"));
	ck_assert(!extract_url_is_contact_like("https://contact.acme.com/"));
	ck_assert(!extract_url_is_contact_like("mailto:contact@acme.com"));
	ck_assert(!extract_url_is_contact_like(NULL));
}
END_TEST

START_TEST(result_set_deduplicates)
{
	struct extract_result r = {0};
	ck_assert(extract_result_add(&r, CONTACT_EMAIL, "Info@acme.de"));
	ck_assert(!extract_result_add(&r, CONTACT_EMAIL, "info@acme.de"));
	ck_assert(extract_result_add(&r, CONTACT_PHONE, "+49 30 123456"));
	ck_assert(!extract_result_add(&r, CONTACT_PHONE, "+49-30-123456"));
	ck_assert(extract_result_add(&r, CONTACT_INSTAGRAM, "info@acme.de"));
	ck_assert_uint_eq(r.len, 3);
	ck_assert_str_eq(r.items[0].value, "Info@acme.de");
	extract_result_free(&r);
	extract_result_free(NULL);
}
END_TEST

START_TEST(bad_arguments_and_empty_pages)
{
	struct extract_result r = {0};
	struct error err = {0};
	ck_assert_int_eq(extract_contacts(NULL, "", 0, BASE, false, &r, &err), -1);
	ck_assert(error_is_set(&err));
	ck_assert_int_eq(extract_contacts(x, "", 0, BASE, false, &r, NULL), 0);
	ck_assert_int_eq(extract_contacts(x, "\0\0\0", 3, NULL, true, &r, NULL), 0);
	ck_assert_uint_eq(r.len, 0);
	struct extract_links l = {0};
	ck_assert_int_eq(extract_links(x, "<a href=/kontakt>k</a>", 22,
				       "ftp://acme.de/", NULL, &l, NULL), 0);
	ck_assert_uint_eq(l.len, 0);
}
END_TEST

/* Every bracket form of the at-token, spaced with blanks or tabs and in
 * any case, and nothing for brackets that hold no complete token. */
START_TEST(obfuscated_at_token_forms)
{
	static const char page[] =
		"<p>one: a [ @ ] acme.de</p><p>two: b&lt;at&gt;acme.de</p>"
		"<p>three: c\t[\tAT\t]\tacme [dot] de</p>"
		"<p>four: d {at} acme.de</p>"
		"<p>none: e (a t) acme.de, f [ at acme.de, g at acme dot de</p>";
	struct extract_result r = {0};
	ck_assert_int_eq(extract_contacts(x, page, sizeof page - 1, BASE "/",
					  false, &r, NULL), 0);
	char *t = result_text(&r);
	ck_assert_str_eq(t, "email\ta@acme.de\nemail\tb@acme.de\n"
			    "email\tc@acme.de\nemail\td@acme.de\n");
	free(t);
	extract_result_free(&r);
}
END_TEST

/* The HTML reader's parser context is renewed every few hundred pages;
 * the pages read before and after must give the same findings. */
START_TEST(reader_reuse_keeps_results)
{
	size_t len;
	char *html = site_page("florist-social", "index.html", &len);
	struct extract_result first = {0};
	ck_assert_int_eq(extract_contacts(x, html, len, BASE "/", true, &first,
					  NULL), 0);
	char *want = result_text(&first);
	ck_assert_uint_gt(first.len, 0);
	for (int i = 0; i < 450; i++) {
		struct extract_result r = {0};
		ck_assert_int_eq(extract_contacts(x, html, len, BASE "/", true,
						  &r, NULL), 0);
		char *got = result_text(&r);
		ck_assert_str_eq(got, want);
		free(got);
		extract_result_free(&r);
	}
	free(want);
	extract_result_free(&first);
	free(html);
}
END_TEST

/* One parse must find what the two separate calls find. */
START_TEST(one_parse_equals_two)
{
	static const char *const pages[][2] = {
		{"florist-social", "index.html"}, {"bakery-mailto", "index.html"},
		{"cafe-latin1", "index.html"}, {"studio-jsonld", "index.html"},
	};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		size_t len;
		char *html = site_page(pages[i][0], pages[i][1], &len);
		struct extract_result a = {0}, b = {0};
		struct extract_links la = {0}, lb = {0};
		ck_assert_int_eq(extract_contacts(x, html, len, BASE "/", true, &a, NULL), 0);
		ck_assert_int_eq(extract_links(x, html, len, BASE "/", BASE "/", &la, NULL), 0);
		ck_assert_int_eq(extract_page(x, html, len, BASE "/", BASE "/", true,
					      &b, &lb, NULL), 0);
		char *ta = result_text(&a), *tb = result_text(&b);
		ck_assert_str_eq(ta, tb);
		ck_assert_uint_eq(la.len, lb.len);
		for (size_t k = 0; k < la.len; k++) {
			ck_assert_str_eq(la.items[k].url, lb.items[k].url);
			ck_assert_int_eq(la.items[k].score, lb.items[k].score);
		}
		free(ta);
		free(tb);
		extract_result_free(&a);
		extract_result_free(&b);
		extract_links_free(&la);
		extract_links_free(&lb);
		free(html);
	}
}
END_TEST

/* Found in time linear in the page: the address pattern once ran from
 * every position, which made a long page with one '@' take minutes. */
START_TEST(long_page_with_one_address_is_quick)
{
	struct buf b = {0};
	buf_puts(&b, "<html><body>");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "<p>Fresh bread, cakes and coffee. We bake every "
			 "morning.</p>\n");
	/* A local part longer than 64 characters is no address. */
	for (int i = 0; i < 70; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "@too-long-local.com <p>Mail: hello@long-page-bakery.com,"
		 "orders@long-page-bakery.com</p></body></html>");
	struct extract_result r = {0};
	clock_t t0 = clock();
	ck_assert_int_eq(extract_contacts(x, b.data, b.len, BASE, false, &r, NULL), 0);
	double took = (double)(clock() - t0) / CLOCKS_PER_SEC;
	ck_assert_msg(took < 2.0, "%zu bytes took %.2f s", b.len, took);
	char *got = result_text(&r);
	ck_assert_str_eq(got, "email\thello@long-page-bakery.com\n"
			 "email\torders@long-page-bakery.com\n");
	free(got);
	extract_result_free(&r);
	buf_free(&b);
}
END_TEST

static void find_sites(void)
{
	char *dir = fixture_path("sites");
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "test_extract: cannot read %s\n", dir);
		exit(1);
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		char *exp = xasprintf("%s/%s/expected.txt", dir, e->d_name);
		struct stat st;
		if (e->d_name[0] != '.' && stat(exp, &st) == 0) {
			sites = xreallocarray(sites, nsites + 1, sizeof *sites);
			sites[nsites++] = xstrdup(e->d_name);
		}
		free(exp);
	}
	closedir(d);
	free(dir);
	qsort(sites, nsites, sizeof *sites, line_order);
}

static Suite *extract_suite(void)
{
	Suite *s = suite_create("extract");
	TCase *tc = tcase_create("sites");
	tcase_add_loop_test(tc, site_matches_expected, 0, (int)nsites);
	suite_add_tcase(s, tc);
	tc = tcase_create("rules");
	tcase_add_test(tc, links_ranked_contact_first);
	tcase_add_test(tc, links_stay_on_site_and_under_prefix);
	tcase_add_test(tc, links_drop_fragment_keep_query);
	tcase_add_test(tc, caller_decides_contact_like);
	tcase_add_test(tc, comment_form_never_counts);
	tcase_add_test(tc, charset_detection);
	tcase_add_test(tc, latin1_converted_like_a_browser);
	tcase_add_test(tc, contact_like_urls);
	tcase_add_test(tc, result_set_deduplicates);
	tcase_add_test(tc, bad_arguments_and_empty_pages);
	tcase_add_test(tc, long_page_with_one_address_is_quick);
	tcase_add_test(tc, one_parse_equals_two);
	tcase_add_test(tc, obfuscated_at_token_forms);
	tcase_add_test(tc, reader_reuse_keeps_results);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	fixtures = getenv("OUTREACH_FIXTURES");
	if (!fixtures || !*fixtures) {
		fprintf(stderr, "test_extract: set OUTREACH_FIXTURES to the "
			"fixtures directory (e.g. tests/fixtures)\n");
		return 1;
	}
	find_sites();
	if (nsites == 0) {
		fprintf(stderr, "test_extract: no sites with expected.txt "
			"under %s/sites\n", fixtures);
		return 1;
	}
	struct error err = {0};
	x = extractor_new(&err);
	if (!x) {
		fprintf(stderr, "test_extract: %s\n", err.msg);
		return 1;
	}
	int failed = check_run(extract_suite());
	extractor_free(x);
	for (size_t i = 0; i < nsites; i++)
		free(sites[i]);
	free(sites);
	return failed ? 1 : 0;
}
