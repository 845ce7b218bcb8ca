/* throttle.h - the sending speed limits shared by all worker threads of one
 * process: a global rate (messages per second) and a rate per recipient
 * domain (messages per minute). Each send reserves the next free slot and
 * sleeps until it comes. */
#ifndef OUTREACH_NET_THROTTLE_H
#define OUTREACH_NET_THROTTLE_H

#include <stdatomic.h>

struct throttle;

/* per_second and domain_per_minute: 0 means no limit. Caller frees. */
struct throttle *throttle_new(double per_second, double domain_per_minute);
void throttle_free(struct throttle *t);	/* accepts NULL */

/* Seconds the caller must wait before sending to address; the slot is
 * reserved, so callers that each wait their answer stay within both
 * limits. */
double throttle_reserve(struct throttle *t, const char *address);

/* Sleeps for seconds (from throttle_reserve), waking early, with true,
 * when *stop becomes nonzero. */
int throttle_sleep(double seconds, atomic_int *stop);

#endif
