/* netcheck.h - the scanner's guard against server-side request forgery:
 * decides whether an address a fetch is about to connect to is off limits. */
#ifndef OUTREACH_NETCHECK_H
#define OUTREACH_NETCHECK_H

#include <stdbool.h>
#include <sys/socket.h>

/* True when sa is an address a public website must never resolve to:
 * loopback, private, shared (CGNAT), link-local, multicast, unspecified,
 * broadcast, reserved, documentation and benchmarking ranges, IPv6
 * unique-local and site-local. IPv6 forms that embed an IPv4 address
 * (v4-mapped, v4-compatible, NAT64, 6to4) are judged by that address.
 * Any family other than AF_INET and AF_INET6, and NULL, are forbidden too:
 * when in doubt, do not connect. Pure: looks at the bytes only. */
bool is_forbidden_address(const struct sockaddr *sa);

#endif
