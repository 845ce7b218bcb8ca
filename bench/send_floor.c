/* send_floor.c - how fast e-mail can leave through outreach's own SMTP
 * code (libcurl) when nothing else is done: no database, no queue. Used by
 * bench/send to show how much of the target the transport itself leaves.
 *
 *   send_floor URL N WORKERS          one message built once, sent N times
 *   send_floor URL N WORKERS --mime   each message built first, by a
 *                                     writer per worker as the sender does
 *
 * WORKERS threads each keep one connection, as `outreach send --workers`
 * does. Prints the seconds the sending took. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/xalloc.h"
#include "net/mime.h"
#include "net/smtp.h"

static const char *url;
static long per_worker;
static bool build_each;

#define FROM "team@agency.example"

/* A message like bench/send's: the same template, rendered for business i. */
static void render(long i, struct mail *m, char *to, size_t tolen,
		   char *subject, size_t slen, char *body, size_t blen,
		   char *link, size_t llen)
{
	snprintf(to, tolen, "info@b%ld.example", i);
	snprintf(subject, slen, "A note for Business %ld", i);
	snprintf(link, llen, "https://agency.example/u/%032lx", i);
	snprintf(body, blen,
		 "Hello Business %ld team,\n\nWe came across https://b%ld.example "
		 "and would love to include you in our\nguide to independent "
		 "businesses in your area. We would write to you at\n%s.\n\n"
		 "Best wishes,\nThe Bench Agency\nUnsubscribe: %s\n",
		 i, i, to, link);
	*m = (struct mail){
		.from_name = "The Bench Agency", .from_address = FROM,
		.to_address = to, .subject = subject, .body = body,
		.unsubscribe_url = link, .date = time(NULL),
	};
}

static void *worker(void *arg)
{
	long first = (long)(intptr_t)arg * per_worker;
	struct smtp_options so = {.url = url, .timeout_s = 30,
				  .starttls = STARTTLS_OFF};
	struct smtp_session *s = smtp_open(&so);
	struct mime_writer *w = mime_writer_new();
	struct buf msg = {0};
	char to[64], subject[64], body[512], link[80], reply[600];
	struct mail m;
	struct error err = {{0}};
	for (long i = first; i < first + per_worker; i++) {
		if (build_each || i == first) {
			render(i, &m, to, sizeof to, subject, sizeof subject,
			       body, sizeof body, link, sizeof link);
			char *mid = mime_new_message_id(FROM);
			m.message_id = mid;
			buf_reset(&msg);
			int rc = mime_writer_build(w, &m, &msg, &err);
			free(mid);
			if (rc < 0) {
				fprintf(stderr, "send_floor: %s\n", err.msg);
				exit(1);
			}
		}
		if (smtp_send(s, FROM, to, msg.data, msg.len, reply,
			      sizeof reply) != SMTP_SENT) {
			fprintf(stderr, "send_floor: not sent: %s\n", reply);
			exit(1);
		}
	}
	buf_free(&msg);
	mime_writer_free(w);
	smtp_close(s);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: send_floor URL N WORKERS [--mime]\n");
		return 2;
	}
	url = argv[1];
	long n = atol(argv[2]);
	int workers = atoi(argv[3]);
	build_each = argc > 4 && strcmp(argv[4], "--mime") == 0;
	if (n <= 0 || workers <= 0 || workers > 64) {
		fprintf(stderr, "send_floor: N and WORKERS (1-64) must be positive\n");
		return 2;
	}
	per_worker = n / workers;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	mime_init();
	pthread_t t[64];
	double t0 = clock_seconds();
	for (int i = 0; i < workers; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < workers; i++)
		pthread_join(t[i], NULL);
	printf("%ld %.3f\n", per_worker * workers, clock_seconds() - t0);
	curl_global_cleanup();
	return 0;
}
