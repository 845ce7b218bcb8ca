/* netcheck.c - classifying IPv4 and IPv6 addresses for the fetcher's
 * connect-time check, so a DNS answer or a redirect cannot reach inside. */
#include "core/netcheck.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

struct v4_range {
	uint32_t net;
	int bits;
};

/* Everything in here is unreachable from, or not meant for, the public
 * internet; a business website resolving to one of them is an attack or a
 * misconfiguration, and either way not something to fetch. */
static const struct v4_range forbidden_v4[] = {
	{0x00000000, 8},	/* "this network", includes 0.0.0.0 */
	{0x0a000000, 8},	/* private */
	{0x64400000, 10},	/* shared address space (carrier-grade NAT) */
	{0x7f000000, 8},	/* loopback */
	{0xa9fe0000, 16},	/* link-local, cloud metadata services live here */
	{0xac100000, 12},	/* private */
	{0xc0000000, 24},	/* protocol assignments */
	{0xc0000200, 24},	/* documentation */
	{0xc0586300, 24},	/* former 6to4 relay anycast */
	{0xc0a80000, 16},	/* private */
	{0xc6120000, 15},	/* benchmarking */
	{0xc6336400, 24},	/* documentation */
	{0xcb007100, 24},	/* documentation */
	{0xe0000000, 4},	/* multicast */
	{0xf0000000, 4},	/* reserved, includes 255.255.255.255 broadcast */
};

static bool in_v4_range(uint32_t addr, const struct v4_range *r)
{
	uint32_t mask = r->bits ? ~(uint32_t)0 << (32 - r->bits) : 0;
	return (addr & mask) == r->net;
}

static bool forbidden_v4_addr(uint32_t addr)
{
	for (size_t i = 0; i < sizeof forbidden_v4 / sizeof forbidden_v4[0]; i++)
		if (in_v4_range(addr, &forbidden_v4[i]))
			return true;
	return false;
}

static uint32_t v4_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* IPv6 addresses that carry an IPv4 address the kernel or a translator
 * would end up talking to; they must be judged by that IPv4 address. */
static bool embedded_v4(const uint8_t *a, uint32_t *v4)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};

	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0 ||
	    all_zero(a, 12)) {
		*v4 = v4_at(a + 12);
		return true;
	}
	if (a[0] == 0x20 && a[1] == 0x02) {	/* 6to4: 2002:V4ADDR::/48 */
		*v4 = v4_at(a + 2);
		return true;
	}
	return false;
}

static bool forbidden_v6_addr(const uint8_t *a)
{
	uint32_t v4;

	if (all_zero(a, 15) && (a[15] == 0 || a[15] == 1))
		return true;	/* unspecified :: and loopback ::1 */
	if (embedded_v4(a, &v4))
		return forbidden_v4_addr(v4);
	if ((a[0] & 0xfe) == 0xfc)
		return true;	/* unique-local fc00::/7 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;	/* link-local fe80::/10 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return true;	/* deprecated site-local fec0::/10 */
	if (a[0] == 0xff)
		return true;	/* multicast */
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return true;	/* documentation 2001:db8::/32 */
	if (a[0] == 0x01 && all_zero(a + 1, 7))
		return true;	/* discard-only 100::/64 */
	return false;
}

bool is_forbidden_address(const struct sockaddr *sa)
{
	if (!sa)
		return true;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return forbidden_v4_addr(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return forbidden_v6_addr(in6->sin6_addr.s6_addr);
	}
	return true;
}
