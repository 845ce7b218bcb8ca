/* clock.h - elapsed time for rates, timeouts and throttling: seconds on the
 * monotonic clock, which no change of the wall clock moves. */
#ifndef OUTREACH_CLOCK_H
#define OUTREACH_CLOCK_H

/* Seconds since an arbitrary fixed point; only differences mean anything. */
double clock_seconds(void);

#endif
