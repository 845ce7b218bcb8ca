/* test_fetch.c - the fetcher against the real test web server
 * (tests/lib/websrv.py, started here): the address guard on redirects,
 * the byte cap, content types, character sets and per-host politeness. */
#include <check.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "core/extract.h"
#include "net/fetch.h"
#include "check_run.h"

static pid_t server;
static char dir[] = "/tmp/outreach-fetch-test.XXXXXX";

static int port_of(const char *name)
{
	char *path = xasprintf("%s/ports", dir);
	FILE *f = fopen(path, "r");
	free(path);
	ck_assert(f != NULL);
	char n[128];
	int port, found = 0;
	while (fscanf(f, "%127s %d", n, &port) == 2)
		if (strcmp(n, name) == 0)
			found = port;
	fclose(f);
	ck_assert_msg(found, "no site %s", name);
	return found;
}

static char *url_of(const char *name, const char *path)
{
	return xasprintf("http://127.0.0.1:%d%s", port_of(name), path);
}

struct got {
	int calls;
	enum fetch_outcome outcome;
	long status;
	bool truncated;
	size_t len;
	char *body, *error, *final_url, *content_type;
};

static void on_done(void *ctx, struct fetch_response *r)
{
	struct got *g = ctx;
	g->calls++;
	g->outcome = r->outcome;
	g->status = r->status;
	g->truncated = r->truncated;
	g->len = r->len;
	g->body = r->body ? xstrdup(r->body) : NULL;
	g->error = r->error ? xstrdup(r->error) : NULL;
	g->final_url = xstrdup(r->final_url);
	g->content_type = r->content_type ? xstrdup(r->content_type) : NULL;
}

static void got_free(struct got *g)
{
	free(g->body);
	free(g->error);
	free(g->final_url);
	free(g->content_type);
}

static struct fetch_options options(void)
{
	return (struct fetch_options){
		.user_agent = "outreach-test", .connect_timeout_ms = 3000,
		.timeout_ms = 5000, .max_bytes = 1 << 20, .host_delay_ms = 0,
		.max_transfers = 4, .allow_private = true,
	};
}

static void run(struct fetcher *f)
{
	while (fetcher_step(f, 100) > 0)
		;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The guard lets exactly one port through, like a public site would be. */
static bool only_port(const struct sockaddr *sa, void *arg)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
	return sa->sa_family == AF_INET && ntohs(in->sin_port) == *(int *)arg;
}

START_TEST(redirect_to_private_address_is_refused_at_connect)
{
	struct fetch_options o = options();
	int allowed = port_of("to-private");
	o.allow_private = false;
	o.address_ok = only_port;
	o.address_ok_arg = &allowed;
	struct fetcher *f = fetcher_new(&o, NULL);
	struct got g = {0};
	char *url = url_of("to-private", "/");
	fetcher_queue(f, url, FETCH_HTML, on_done, &g);
	run(f);
	ck_assert_int_eq(g.calls, 1);
	ck_assert_int_eq(g.outcome, FETCH_BLOCKED);
	ck_assert_msg(strstr(g.error, "refused to connect to 127.0.0.1"), "%s", g.error);
	got_free(&g);
	free(url);
	fetcher_free(f);
}
END_TEST

START_TEST(default_guard_refuses_loopback)
{
	struct fetch_options o = options();
	o.allow_private = false;
	struct fetcher *f = fetcher_new(&o, NULL);
	struct got g = {0};
	char *url = url_of("latin1", "/");
	fetcher_queue(f, url, FETCH_HTML, on_done, &g);
	run(f);
	ck_assert_int_eq(g.outcome, FETCH_BLOCKED);
	got_free(&g);
	free(url);
	fetcher_free(f);
}
END_TEST

START_TEST(byte_cap_cuts_a_chunked_page)
{
	struct fetch_options o = options();
	o.max_bytes = 64 * 1024;
	struct fetcher *f = fetcher_new(&o, NULL);
	struct got g = {0};
	char *url = url_of("big", "/");
	double t0 = now_s();
	fetcher_queue(f, url, FETCH_HTML, on_done, &g);
	run(f);
	ck_assert_int_eq(g.outcome, FETCH_OK);
	ck_assert(g.truncated);
	ck_assert_uint_eq(g.len, 64 * 1024);
	ck_assert(strstr(g.body, "sales@huge-catalogue-shop.com") != NULL);
	ck_assert_msg(now_s() - t0 < 3.0, "the cap must stop the transfer");
	got_free(&g);
	free(url);
	fetcher_free(f);
}
END_TEST

START_TEST(non_html_is_skipped_unless_raw)
{
	struct fetch_options o = options();
	struct fetcher *f = fetcher_new(&o, NULL);
	struct got page = {0}, raw = {0};
	char *url = url_of("non-html", "/kontakt");
	fetcher_queue(f, url, FETCH_HTML, on_done, &page);
	fetcher_queue(f, url, FETCH_RAW, on_done, &raw);
	run(f);
	ck_assert_int_eq(page.outcome, FETCH_SKIPPED);
	ck_assert_ptr_null(page.body);
	ck_assert_int_eq(raw.outcome, FETCH_OK);
	ck_assert(strstr(raw.body, "plain@non-html-shop.com") != NULL);
	got_free(&page);
	got_free(&raw);
	free(url);
	fetcher_free(f);
}
END_TEST

/* Bytes arrive as sent, with the content type that says how to read
 * them: the page workers convert them, off the fetching thread. */
START_TEST(latin1_arrives_as_sent_with_its_charset)
{
	struct fetcher *f = fetcher_new(&(struct fetch_options){
		.user_agent = "t", .connect_timeout_ms = 3000, .timeout_ms = 5000,
		.max_bytes = 1 << 20, .max_transfers = 1, .allow_private = true}, NULL);
	struct got g = {0};
	char *url = url_of("latin1", "/");
	fetcher_queue(f, url, FETCH_HTML, on_done, &g);
	run(f);
	ck_assert_int_eq(g.outcome, FETCH_OK);
	ck_assert(strstr(g.body, "Caf\xe9 Gr\xfcnwald") != NULL);
	char *utf8;
	size_t len;
	struct error err = {{0}};
	ck_assert_int_eq(extract_to_utf8(g.content_type, g.body, g.len, &utf8,
					 &len, &err), 0);
	ck_assert(strstr(utf8, "Caf\xc3\xa9 Gr\xc3\xbcnwald") != NULL);
	free(utf8);
	got_free(&g);
	free(url);
	fetcher_free(f);
}
END_TEST

START_TEST(loops_and_other_schemes_fail)
{
	struct fetcher *f = fetcher_new(&(struct fetch_options){
		.user_agent = "t", .connect_timeout_ms = 3000, .timeout_ms = 5000,
		.max_bytes = 1 << 20, .max_transfers = 4, .allow_private = true}, NULL);
	struct got loop = {0}, file = {0}, direct = {0};
	char *u1 = url_of("loop", "/"), *u2 = url_of("to-file", "/");
	fetcher_queue(f, u1, FETCH_HTML, on_done, &loop);
	fetcher_queue(f, u2, FETCH_HTML, on_done, &file);
	fetcher_queue(f, "file:///etc/passwd", FETCH_RAW, on_done, &direct);
	run(f);
	ck_assert_int_eq(loop.outcome, FETCH_FAILED);
	ck_assert_str_eq(loop.error, "more than 5 redirects");
	ck_assert_int_eq(file.outcome, FETCH_FAILED);
	ck_assert_int_eq(direct.outcome, FETCH_FAILED);
	ck_assert_ptr_null(direct.body);
	got_free(&loop);
	got_free(&file);
	got_free(&direct);
	free(u1);
	free(u2);
	fetcher_free(f);
}
END_TEST

START_TEST(one_host_is_visited_politely)
{
	struct fetch_options o = options();
	o.host_delay_ms = 300;
	struct fetcher *f = fetcher_new(&o, NULL);
	struct got g[3] = {{0}};
	char *url = url_of("latin1", "/");
	double t0 = now_s();
	for (int i = 0; i < 3; i++)
		fetcher_queue(f, url, FETCH_HTML, on_done, &g[i]);
	run(f);
	double took = now_s() - t0;
	ck_assert_msg(took >= 0.6, "3 pages of one host took %.2f s", took);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(g[i].outcome, FETCH_OK);
		got_free(&g[i]);
	}
	free(url);
	fetcher_free(f);
}
END_TEST

START_TEST(user_agent_names_the_product)
{
	char *ua = fetch_user_agent(NULL);
	ck_assert_msg(strncmp(ua, "outreach/" PACKAGE_VERSION " (+", 11) == 0, "%s", ua);
	free(ua);
	ua = fetch_user_agent("https://agency.example/bot");
	ck_assert_str_eq(ua, "outreach/" PACKAGE_VERSION " (+https://agency.example/bot)");
	free(ua);
}
END_TEST

static int start_server(void)
{
	if (!mkdtemp(dir))
		return -1;
	const char *lib = getenv("OUTREACH_TEST_LIB");
	const char *fixtures = getenv("OUTREACH_FIXTURES");
	char *script = xasprintf("%s/websrv.py", lib ? lib : ABS_SRCDIR "/tests/lib");
	char *sites = xasprintf("%s/sites", fixtures ? fixtures : ABS_SRCDIR "/tests/fixtures");
	char *ports = xasprintf("%s/ports", dir);
	server = fork();
	if (server == 0) {
		execlp("python3", "python3", script, sites, ports, (char *)NULL);
		_exit(127);
	}
	int rc = -1;
	for (int i = 0; i < 200 && rc < 0; i++) {
		if (access(ports, R_OK) == 0)
			rc = 0;
		else
			usleep(50000);
	}
	free(script);
	free(sites);
	free(ports);
	return rc;
}

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	char *ports = xasprintf("%s/ports", dir);
	unlink(ports);
	free(ports);
	rmdir(dir);
}

int main(void)
{
	if (start_server() < 0) {
		fprintf(stderr, "test_fetch: the test web server did not start\n");
		stop_server();
		return 1;
	}
	Suite *s = suite_create("fetch");
	TCase *tc = tcase_create("fetch");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, redirect_to_private_address_is_refused_at_connect);
	tcase_add_test(tc, default_guard_refuses_loopback);
	tcase_add_test(tc, byte_cap_cuts_a_chunked_page);
	tcase_add_test(tc, non_html_is_skipped_unless_raw);
	tcase_add_test(tc, latin1_arrives_as_sent_with_its_charset);
	tcase_add_test(tc, loops_and_other_schemes_fail);
	tcase_add_test(tc, one_host_is_visited_politely);
	tcase_add_test(tc, user_agent_names_the_product);
	suite_add_tcase(s, tc);
	int failed = check_run(s);
	stop_server();
	return failed ? 1 : 0;
}
