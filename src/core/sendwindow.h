/* sendwindow.h - when e-mail may go out: "Mon-Fri 09:00-17:00", days and
 * hours of the sending machine's local time. */
#ifndef OUTREACH_SENDWINDOW_H
#define OUTREACH_SENDWINDOW_H

#include <stdbool.h>
#include <time.h>

#include "core/error.h"

struct send_window {
	unsigned days;		/* bit 0 = Sunday ... bit 6 = Saturday */
	int start_min;		/* minutes after midnight */
	int end_min;		/* end > start; end < start spans midnight */
};

/* Parses "[DAYS] [HH:MM-HH:MM]" where DAYS is a comma-separated list of
 * days or day ranges ("Mon-Fri", "Mon,Wed,Sat-Sun"). A missing part means
 * every day / all day. NULL or "" means always. */
int send_window_parse(const char *text, struct send_window *w,
		      struct error *err);
/* Seconds from the local time now until the window is open (0 when it is
 * open now); a window that never opens returns -1. */
long send_window_wait(const struct send_window *w, const struct tm *now);

#endif
