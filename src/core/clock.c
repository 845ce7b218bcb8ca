/* clock.c - one reading of CLOCK_MONOTONIC as a double, shared by every
 * place that measures a duration. */
#include "core/clock.h"

#include <time.h>

double clock_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
