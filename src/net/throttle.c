/* throttle.c - slot reservation under one mutex. Domains are kept in a small
 * open hash table; a campaign reaches few domains compared with its
 * messages, and entries whose slot is long past are reused. */
#include "net/throttle.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/xalloc.h"

#define DOMAIN_SLOTS 4096

struct domain_slot {
	char *domain;
	double next_ok;
};

struct throttle {
	pthread_mutex_t lock;
	double interval;		/* seconds between two sends, or 0 */
	double domain_interval;
	double next_ok;
	struct domain_slot *domains;	/* DOMAIN_SLOTS, when limited */
};

struct throttle *throttle_new(double per_second, double domain_per_minute)
{
	struct throttle *t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->lock, NULL);
	t->interval = per_second > 0 ? 1.0 / per_second : 0;
	t->domain_interval = domain_per_minute > 0 ? 60.0 / domain_per_minute : 0;
	if (t->domain_interval > 0)
		t->domains = xcalloc(DOMAIN_SLOTS, sizeof *t->domains);
	return t;
}

void throttle_free(struct throttle *t)
{
	if (!t)
		return;
	if (t->domains)
		for (size_t i = 0; i < DOMAIN_SLOTS; i++)
			free(t->domains[i].domain);
	free(t->domains);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static unsigned long hash(const char *s)
{
	unsigned long h = 5381;
	for (; *s; s++)
		h = h * 33 + (unsigned char)tolower((unsigned char)*s);
	return h;
}

/* The slot of a domain: its own, a free one, or one long idle. With the
 * table full of busy domains, the least recently due entry is shared,
 * which errs towards sending slower, never faster. */
static struct domain_slot *domain_slot(struct throttle *t, const char *domain,
				       double now)
{
	unsigned long h = hash(domain);
	struct domain_slot *oldest = NULL;
	for (size_t probe = 0; probe < 64; probe++) {
		struct domain_slot *s = &t->domains[(h + probe) % DOMAIN_SLOTS];
		if (s->domain && strcasecmp(s->domain, domain) == 0)
			return s;
		if (!s->domain || s->next_ok < now - t->domain_interval) {
			free(s->domain);
			s->domain = xstrdup(domain);
			s->next_ok = 0;
			return s;
		}
		if (!oldest || s->next_ok < oldest->next_ok)
			oldest = s;
	}
	return oldest;
}

double throttle_reserve(struct throttle *t, const char *address)
{
	if (t->interval <= 0 && t->domain_interval <= 0)
		return 0;
	pthread_mutex_lock(&t->lock);
	double now = clock_seconds(), at = now;
	struct domain_slot *d = NULL;
	if (t->domain_interval > 0 && address) {
		const char *at_sign = strrchr(address, '@');
		d = domain_slot(t, at_sign ? at_sign + 1 : address, now);
		if (d->next_ok > at)
			at = d->next_ok;
	}
	if (t->interval > 0 && t->next_ok > at)
		at = t->next_ok;
	if (t->interval > 0)
		t->next_ok = at + t->interval;
	if (d)
		d->next_ok = at + t->domain_interval;
	pthread_mutex_unlock(&t->lock);
	return at - now;
}

int throttle_sleep(double seconds, atomic_int *stop)
{
	while (seconds > 0 && !(stop && *stop)) {
		double step = seconds < 0.2 ? seconds : 0.2;
		struct timespec ts = {(time_t)step,
				      (long)((step - (double)(time_t)step) * 1e9)};
		nanosleep(&ts, NULL);
		seconds -= step;
	}
	return stop && *stop;
}
