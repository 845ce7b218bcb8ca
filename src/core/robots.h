/* robots.h - reading a site's robots.txt (RFC 9309) and answering whether
 * the scanner may fetch a path. Pure: the fetcher brings the bytes. */
#ifndef OUTREACH_ROBOTS_H
#define OUTREACH_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

/* Largest robots.txt we read; the RFC lets crawlers stop at 500 KiB and
 * anything after that point is ignored. */
#define ROBOTS_MAX_BYTES (500 * 1024)

struct robots;

/* Parses bytes[0..len) (need not be NUL-terminated, may hold any bytes).
 * Never fails: garbage lines are skipped, so the worst input yields rules
 * that allow everything. The caller frees the result with robots_free(). */
struct robots *robots_parse(const char *bytes, size_t len);

/* An empty rule set: what a missing robots.txt (HTTP 4xx) means. */
struct robots *robots_allow_all(void);
/* Everything disallowed: what the RFC asks for when robots.txt could not
 * be fetched because of a server error (HTTP 5xx, network failure). */
struct robots *robots_deny_all(void);

/* True when the crawler whose product token is user_agent (e.g.
 * "outreach", matched case-insensitively) may fetch path, the URL's path
 * and query ("/contact?lang=de"); an empty path means "/". */
bool robots_allowed(const struct robots *r, const char *user_agent,
		    const char *path);

void robots_free(struct robots *r);

#endif
