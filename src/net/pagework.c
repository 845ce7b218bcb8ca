/* pagework.c - a fixed pool of threads that run the extractor over pages.
 * One mutex guards both queues; jobs are whole pages, so it is taken a few
 * times per page and never held while a page is read. */
#include "net/pagework.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

#define MAX_THREADS 8

struct page_workers {
	pthread_mutex_t lock;
	pthread_cond_t work;		/* todo gained a job, or stopping */
	pthread_cond_t finished;	/* done gained a job */
	struct page_job *todo, *todo_tail;
	struct page_job *done, *done_tail;
	bool stopping;
	void (*wake)(void *);
	void *wake_arg;
	int nthreads;
	pthread_t threads[MAX_THREADS];
	struct extractor *x[MAX_THREADS];
};

struct worker_arg {
	struct page_workers *pw;
	struct extractor *x;
};

static void push(struct page_job **head, struct page_job **tail,
		 struct page_job *job)
{
	job->next = NULL;
	if (*tail)
		(*tail)->next = job;
	else
		*head = job;
	*tail = job;
}

static void free_list(struct page_job *j)
{
	while (j) {
		struct page_job *next = j->next;
		page_job_free(j);
		j = next;
	}
}

static void read_job(struct extractor *x, struct page_job *job)
{
	struct error err = {{0}};
	char *utf8;
	size_t len;
	if (extract_to_utf8(job->content_type, job->body, job->len, &utf8,
			    &len, &err) == 0) {
		free(job->body);
		job->body = utf8;
		job->len = len;
	}	/* else keep the bytes; the parser replaces bad ones */
	/* Fails only for missing arguments, which a job never has; a page
	 * that cannot be parsed simply yields nothing. */
	(void)extract_page(x, job->body, job->len, job->page_url, job->site_url,
			   job->contact_like, &job->contacts, &job->links, &err);
	free(job->body);	/* read: only the findings go back */
	job->body = NULL;
}

static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct page_workers *pw = wa->pw;
	struct extractor *x = wa->x;
	free(wa);
	pthread_mutex_lock(&pw->lock);
	for (;;) {
		while (!pw->todo && !pw->stopping)
			pthread_cond_wait(&pw->work, &pw->lock);
		if (pw->stopping)
			break;
		struct page_job *job = pw->todo;
		pw->todo = job->next;
		if (!pw->todo)
			pw->todo_tail = NULL;
		pthread_mutex_unlock(&pw->lock);

		read_job(x, job);

		pthread_mutex_lock(&pw->lock);
		/* One wake-up per batch of findings: while earlier ones wait
		 * to be taken, the waiting thread is already on its way. */
		bool first = !pw->done;
		push(&pw->done, &pw->done_tail, job);
		pthread_cond_signal(&pw->finished);
		pthread_mutex_unlock(&pw->lock);
		if (first && pw->wake)
			pw->wake(pw->wake_arg);
		pthread_mutex_lock(&pw->lock);
	}
	pthread_mutex_unlock(&pw->lock);
	return NULL;
}

int page_workers_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

struct page_workers *page_workers_new(int threads, void (*wake)(void *),
				      void *wake_arg, struct error *err)
{
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	struct page_workers *pw = xcalloc(1, sizeof *pw);
	pthread_mutex_init(&pw->lock, NULL);
	pthread_cond_init(&pw->work, NULL);
	pthread_cond_init(&pw->finished, NULL);
	pw->wake = wake;
	pw->wake_arg = wake_arg;
	for (int i = 0; i < threads; i++) {
		pw->x[i] = extractor_new(err);
		if (!pw->x[i]) {
			page_workers_free(pw);
			return NULL;
		}
		struct worker_arg *wa = xmalloc(sizeof *wa);
		wa->pw = pw;
		wa->x = pw->x[i];
		if (pthread_create(&pw->threads[i], NULL, worker_main, wa) != 0) {
			free(wa);
			extractor_free(pw->x[i]);
			pw->x[i] = NULL;
			if (i == 0) {
				error_set(err, "cannot start a thread to read pages");
				page_workers_free(pw);
				return NULL;
			}
			break;	/* fewer threads still do the work */
		}
		pw->nthreads++;
	}
	return pw;
}

void page_workers_free(struct page_workers *pw)
{
	if (!pw)
		return;
	pthread_mutex_lock(&pw->lock);
	pw->stopping = true;
	pthread_cond_broadcast(&pw->work);
	pthread_mutex_unlock(&pw->lock);
	for (int i = 0; i < pw->nthreads; i++)
		pthread_join(pw->threads[i], NULL);
	for (int i = 0; i < MAX_THREADS; i++)
		extractor_free(pw->x[i]);
	free_list(pw->todo);
	free_list(pw->done);
	pthread_cond_destroy(&pw->work);
	pthread_cond_destroy(&pw->finished);
	pthread_mutex_destroy(&pw->lock);
	free(pw);
}

void page_workers_submit(struct page_workers *pw, struct page_job *job)
{
	pthread_mutex_lock(&pw->lock);
	push(&pw->todo, &pw->todo_tail, job);
	pthread_cond_signal(&pw->work);
	pthread_mutex_unlock(&pw->lock);
}

struct page_job *page_workers_take(struct page_workers *pw)
{
	pthread_mutex_lock(&pw->lock);
	struct page_job *list = pw->done;
	pw->done = pw->done_tail = NULL;
	pthread_mutex_unlock(&pw->lock);
	return list;
}

void page_workers_wait(struct page_workers *pw, int timeout_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&pw->lock);
	while (!pw->done && !pw->stopping &&
	       pthread_cond_timedwait(&pw->finished, &pw->lock, &until) == 0)
		;
	pthread_mutex_unlock(&pw->lock);
}

void page_job_free(struct page_job *job)
{
	if (!job)
		return;
	free(job->body);
	free(job->content_type);
	free(job->page_url);
	free(job->site_url);
	extract_result_free(&job->contacts);
	extract_links_free(&job->links);
	free(job);
}
