/* test_pagework.c - the page workers: every page submitted comes back
 * once with what the extractor finds in it, charsets converted, from any
 * number of threads; a pool stopped with pages still queued frees them. */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "net/pagework.h"
#include "check_run.h"

static atomic_int wakes;

static void count_wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

static struct page_job *job_for(int i, const char *content_type,
				const char *html)
{
	struct page_job *j = xcalloc(1, sizeof *j);
	j->owner = (void *)(intptr_t)(i + 1);
	j->body = xstrdup(html);
	j->len = strlen(html);
	j->content_type = content_type ? xstrdup(content_type) : NULL;
	j->page_url = xasprintf("http://shop%d-bakery.de/contact", i);
	j->site_url = xasprintf("http://shop%d-bakery.de/", i);
	j->contact_like = true;
	return j;
}

START_TEST(every_page_comes_back_once)
{
	enum { PAGES = 300 };
	atomic_store(&wakes, 0);
	struct error err = {{0}};
	struct page_workers *pw = page_workers_new(3, count_wake, NULL, &err);
	ck_assert_ptr_nonnull(pw);
	for (int i = 0; i < PAGES; i++) {
		char *html = xasprintf("<p>Write to info@shop%d-bakery.de</p>"
				       "<a href=\"/kontakt\">Kontakt</a>", i);
		page_workers_submit(pw, job_for(i, "text/html", html));
		free(html);
	}
	int seen[PAGES] = {0};
	int got = 0;
	while (got < PAGES) {
		page_workers_wait(pw, 1000);
		for (struct page_job *j = page_workers_take(pw), *next; j; j = next) {
			next = j->next;
			int i = (int)(intptr_t)j->owner - 1;
			ck_assert_int_ge(i, 0);
			ck_assert_int_lt(i, PAGES);
			seen[i]++;
			ck_assert_ptr_null(j->body);	/* read and dropped */
			ck_assert_uint_eq(j->contacts.len, 1);
			char *want = xasprintf("info@shop%d-bakery.de", i);
			ck_assert_str_eq(j->contacts.items[0].value, want);
			free(want);
			ck_assert_uint_eq(j->links.len, 1);
			char *link = xasprintf("http://shop%d-bakery.de/kontakt", i);
			ck_assert_str_eq(j->links.items[0].url, link);
			free(link);
			page_job_free(j);
			got++;
		}
	}
	for (int i = 0; i < PAGES; i++)
		ck_assert_int_eq(seen[i], 1);
	/* At least one wake-up, and never more than one per page. */
	ck_assert_int_ge(atomic_load(&wakes), 1);
	ck_assert_int_le(atomic_load(&wakes), PAGES);
	page_workers_free(pw);
}
END_TEST

START_TEST(pages_are_converted_to_utf8)
{
	struct error err = {{0}};
	struct page_workers *pw = page_workers_new(1, NULL, NULL, &err);
	ck_assert_ptr_nonnull(pw);
	/* "Über uns" in ISO-8859-1: the link is only worth following once
	 * its text is read in the declared charset. */
	page_workers_submit(pw, job_for(0, "text/html; charset=iso-8859-1",
					"<p>kontakt@mueller-shop.de</p>"
					"<a href=\"/seite2\">\xdc" "ber uns</a>"));
	struct page_job *j = NULL;
	while (!j) {
		page_workers_wait(pw, 1000);
		j = page_workers_take(pw);
	}
	ck_assert_ptr_null(j->next);
	ck_assert_uint_eq(j->contacts.len, 1);
	ck_assert_str_eq(j->contacts.items[0].value, "kontakt@mueller-shop.de");
	ck_assert_uint_eq(j->links.len, 1);
	ck_assert_str_eq(j->links.items[0].url, "http://shop0-bakery.de/seite2");
	page_job_free(j);
	page_workers_free(pw);
}
END_TEST

/* Stopping with work still queued must neither hang nor leak (the
 * sanitizer build checks the second). */
START_TEST(stopping_with_pages_queued)
{
	struct error err = {{0}};
	struct page_workers *pw = page_workers_new(2, NULL, NULL, &err);
	ck_assert_ptr_nonnull(pw);
	for (int i = 0; i < 200; i++)
		page_workers_submit(pw, job_for(i, NULL, "<p>info@shop-bakery.de</p>"));
	page_workers_free(pw);
	ck_assert_int_ge(page_workers_default_threads(), 1);
	ck_assert_int_le(page_workers_default_threads(), 8);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pagework");
	TCase *tc = tcase_create("pagework");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_page_comes_back_once);
	tcase_add_test(tc, pages_are_converted_to_utf8);
	tcase_add_test(tc, stopping_with_pages_queued);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	return failed ? 1 : 0;
}
