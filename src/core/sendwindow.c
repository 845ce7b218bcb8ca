/* sendwindow.c - parses the sending window and says how long until it is
 * open. The wait is found by stepping through the next week a minute at a
 * time: 10,080 checks, trivially cheap, and no calendar arithmetic to get
 * wrong. A window spanning midnight counts as open on the day it starts. */
#include "core/sendwindow.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const day_names[7] = {"Sunday", "Monday", "Tuesday",
					 "Wednesday", "Thursday", "Friday",
					 "Saturday"};

/* "Mon" or "Monday", any case. */
static int day_index(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if ((n == 3 || n == strlen(day_names[i])) &&
		    strncasecmp(s, day_names[i], n) == 0)
			return i;
	return -1;
}

static int parse_days(const char *s, unsigned *days, struct error *err)
{
	*days = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		char item[32];
		if (n == 0 || n >= sizeof item)
			return error_set(err, "sender.window: bad day list");
		memcpy(item, s, n);
		item[n] = '\0';
		char *dash = strchr(item, '-');
		int a, b;
		if (dash) {
			a = day_index(item, (size_t)(dash - item));
			b = day_index(dash + 1, strlen(dash + 1));
		} else {
			a = b = day_index(item, n);
		}
		if (a < 0 || b < 0)
			return error_set(err, "sender.window: '%s' is not a day "
					 "or day range (e.g. Mon-Fri)", item);
		for (int d = a;; d = (d + 1) % 7) {
			*days |= 1u << d;
			if (d == b)
				break;
		}
		s += n + (s[n] == ',' ? 1 : 0);
	}
	return 0;
}

static int parse_hours(const char *s, struct send_window *w, struct error *err)
{
	int h1, m1, h2, m2, used = 0;
	if (sscanf(s, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 ||
	    s[used] != '\0' || h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59 ||
	    h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0)
		return error_set(err, "sender.window: '%s' is not an hour range "
				 "like 09:00-17:00", s);
	w->start_min = h1 * 60 + m1;
	w->end_min = h2 * 60 + m2;
	if (w->start_min == w->end_min || w->start_min > 1440 || w->end_min > 1440)
		return error_set(err, "sender.window: the hour range '%s' is "
				 "empty", s);
	return 0;
}

int send_window_parse(const char *text, struct send_window *w,
		      struct error *err)
{
	w->days = 0x7f;
	w->start_min = 0;
	w->end_min = 1440;
	if (!text)
		return 0;
	char copy[128];
	if (strlen(text) >= sizeof copy)
		return error_set(err, "sender.window is too long");
	strcpy(copy, text);
	char *save = NULL;
	bool have_days = false, have_hours = false;
	for (char *tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (strchr(tok, ':')) {
			if (have_hours || parse_hours(tok, w, err) < 0)
				return have_hours ? error_set(err, "sender.window: "
					"one hour range only") : -1;
			have_hours = true;
		} else {
			if (have_days || parse_days(tok, &w->days, err) < 0)
				return have_days ? error_set(err, "sender.window: "
					"write the days as one list, e.g. "
					"Mon-Fri or Mon,Wed") : -1;
			have_days = true;
		}
	}
	return 0;
}

static bool open_at(const struct send_window *w, int wday, int minute)
{
	if (w->start_min < w->end_min)
		return (w->days >> wday & 1) && minute >= w->start_min &&
		       minute < w->end_min;
	/* Spans midnight: the evening part belongs to today, the morning
	 * part to yesterday. */
	if (minute >= w->start_min)
		return w->days >> wday & 1;
	return minute < w->end_min && (w->days >> ((wday + 6) % 7) & 1);
}

long send_window_wait(const struct send_window *w, const struct tm *now)
{
	int wday = now->tm_wday, minute = now->tm_hour * 60 + now->tm_min;
	if (open_at(w, wday, minute))
		return 0;
	for (long step = 1; step <= 7 * 1440; step++) {
		if (++minute == 1440) {
			minute = 0;
			wday = (wday + 1) % 7;
		}
		if (open_at(w, wday, minute))
			return step * 60 - now->tm_sec;
	}
	return -1;
}
