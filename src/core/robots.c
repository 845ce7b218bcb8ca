/* robots.c - a small RFC 9309 robots.txt parser and matcher.
 * Rules per group; the longest matching pattern decides, allow wins ties. */
#include "core/robots.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

struct robots_rule {
	char *pattern;	/* normalised, see normalize_path() */
	size_t len;
	bool allow;
};

struct robots_group {
	char **agents;	/* lower-case product tokens, "*" for everyone */
	size_t nagents;
	struct robots_rule *rules;
	size_t nrules;
};

struct robots {
	struct robots_group *groups;
	size_t ngroups;
	bool deny_all;
};

static bool is_unreserved(int c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Brings a rule or a request path to one spelling so that "/a%7eb",
 * "/a~b" and "/a%7Eb" compare equal: unreserved characters are decoded,
 * other escapes get upper-case hex, raw non-ASCII bytes are escaped. */
static char *normalize_path(const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = {0};

	buf_reserve(&b, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			int v = hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]);
			i += 2;
			if (is_unreserved(v)) {
				buf_putc(&b, (char)v);
				continue;
			}
			c = (unsigned char)v;
		} else if (c > 0x20 && c < 0x7f) {
			buf_putc(&b, (char)c);
			continue;
		}
		buf_putc(&b, '%');
		buf_putc(&b, hex[c >> 4]);
		buf_putc(&b, hex[c & 15]);
	}
	return buf_detach(&b);
}

/* Matches a pattern with '*' (any run of octets) and a final '$' (end of
 * path) against a path. Greedy with one back-track point per '*', so the
 * cost stays O(pattern * path) however hostile the file. */
static bool pattern_matches(const char *pat, size_t plen, const char *path)
{
	bool anchored = plen > 0 && pat[plen - 1] == '$';
	size_t pend = anchored ? plen - 1 : plen;
	size_t p = 0, s = 0, star = SIZE_MAX, mark = 0;
	size_t slen = strlen(path);

	while (s < slen) {
		if (p == pend && !anchored)
			return true;
		if (p < pend && pat[p] == '*') {
			star = p++;
			mark = s;
		} else if (p < pend && pat[p] == path[s]) {
			p++;
			s++;
		} else if (star != SIZE_MAX) {
			p = star + 1;
			s = ++mark;
		} else {
			return false;
		}
	}
	while (p < pend && pat[p] == '*')
		p++;
	return p == pend;
}

/* The product token of a user-agent line: "Outreach/1.0 (+url)" names
 * the crawler "outreach". Only letters, '_' and '-' belong to a token. */
static char *agent_token(const char *v, size_t n)
{
	if (n >= 1 && v[0] == '*')
		return xstrdup("*");
	size_t k = 0;
	while (k < n && (isalpha((unsigned char)v[k]) || v[k] == '_' ||
			 v[k] == '-'))
		k++;
	if (k == 0)
		return NULL;
	char *t = xstrndup(v, k);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

struct parser {
	struct robots *r;
	struct robots_group *cur;	/* group receiving rules, or NULL */
	bool in_agents;			/* last line was a user-agent line */
};

static void add_agent(struct parser *ps, const char *v, size_t n)
{
	char *tok = agent_token(v, n);
	if (!tok)
		return;
	if (!ps->in_agents || !ps->cur) {
		struct robots *r = ps->r;
		r->groups = xreallocarray(r->groups, r->ngroups + 1,
					  sizeof *r->groups);
		ps->cur = &r->groups[r->ngroups++];
		memset(ps->cur, 0, sizeof *ps->cur);
	}
	struct robots_group *g = ps->cur;
	g->agents = xreallocarray(g->agents, g->nagents + 1, sizeof *g->agents);
	g->agents[g->nagents++] = tok;
	ps->in_agents = true;
}

static void add_rule(struct parser *ps, bool allow, const char *v, size_t n)
{
	ps->in_agents = false;
	/* Rules before any user-agent line belong to no group; an empty
	 * value ("Disallow:") means no restriction and adds nothing. */
	if (!ps->cur || n == 0)
		return;
	struct robots_group *g = ps->cur;
	g->rules = xreallocarray(g->rules, g->nrules + 1, sizeof *g->rules);
	struct robots_rule *rule = &g->rules[g->nrules++];
	rule->pattern = normalize_path(v, n);
	rule->len = strlen(rule->pattern);
	rule->allow = allow;
}

static bool key_is(const char *k, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(k, word, n) == 0;
}

/* One line without its end-of-line: "key: value # comment". */
static void parse_line(struct parser *ps, const char *line, size_t n)
{
	const char *hash = memchr(line, '#', n);
	if (hash)
		n = (size_t)(hash - line);
	const char *colon = memchr(line, ':', n);
	if (!colon)
		return;

	const char *k = line, *ke = colon;
	while (k < ke && isspace((unsigned char)*k))
		k++;
	while (ke > k && isspace((unsigned char)ke[-1]))
		ke--;
	const char *v = colon + 1, *ve = line + n;
	while (v < ve && isspace((unsigned char)*v))
		v++;
	while (ve > v && isspace((unsigned char)ve[-1]))
		ve--;

	size_t kn = (size_t)(ke - k), vn = (size_t)(ve - v);
	if (key_is(k, kn, "user-agent") || key_is(k, kn, "useragent") ||
	    key_is(k, kn, "user agent"))
		add_agent(ps, v, vn);
	else if (key_is(k, kn, "allow"))
		add_rule(ps, true, v, vn);
	else if (key_is(k, kn, "disallow"))
		add_rule(ps, false, v, vn);
	/* Sitemap, crawl-delay and unknown keys neither start nor end a
	 * group, as the RFC asks. */
}

struct robots *robots_parse(const char *bytes, size_t len)
{
	struct parser ps = {.r = xcalloc(1, sizeof *ps.r)};

	if (len > ROBOTS_MAX_BYTES)
		len = ROBOTS_MAX_BYTES;
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0) {
		bytes += 3;
		len -= 3;
	}
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && bytes[i] != '\n' && bytes[i] != '\r' &&
		    bytes[i] != '\0')
			continue;
		if (i > start)
			parse_line(&ps, bytes + start, i - start);
		start = i + 1;
	}
	return ps.r;
}

struct robots *robots_allow_all(void)
{
	return xcalloc(1, sizeof(struct robots));
}

struct robots *robots_deny_all(void)
{
	struct robots *r = xcalloc(1, sizeof *r);
	r->deny_all = true;
	return r;
}

static bool group_names(const struct robots_group *g, const char *token)
{
	for (size_t i = 0; i < g->nagents; i++)
		if (strcasecmp(g->agents[i], token) == 0)
			return true;
	return false;
}

/* Applies the rules of every group naming token (the RFC merges them);
 * returns false when no group names it. */
static bool decide(const struct robots *r, const char *token,
		   const char *path, bool *allowed)
{
	bool any = false;
	size_t best = 0;
	bool best_allow = true;

	for (size_t i = 0; i < r->ngroups; i++) {
		const struct robots_group *g = &r->groups[i];
		if (!group_names(g, token))
			continue;
		any = true;
		for (size_t j = 0; j < g->nrules; j++) {
			const struct robots_rule *rule = &g->rules[j];
			if (rule->len < best ||
			    !pattern_matches(rule->pattern, rule->len, path))
				continue;
			if (rule->len > best)
				best_allow = rule->allow;
			else
				best_allow = best_allow || rule->allow;
			best = rule->len;
		}
	}
	*allowed = best_allow;
	return any;
}

bool robots_allowed(const struct robots *r, const char *user_agent,
		    const char *path)
{
	if (!r)
		return true;
	if (r->deny_all)
		return false;
	if (!path || !*path)
		path = "/";
	/* The RFC makes robots.txt itself always fetchable. */
	if (strcmp(path, "/robots.txt") == 0)
		return true;

	char *token = agent_token(user_agent ? user_agent : "",
				  user_agent ? strlen(user_agent) : 0);
	char *norm = normalize_path(path, strlen(path));
	bool allowed = true;
	if (!token || strcmp(token, "*") == 0 ||
	    !decide(r, token, norm, &allowed))
		decide(r, "*", norm, &allowed);
	free(norm);
	free(token);
	return allowed;
}

void robots_free(struct robots *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ngroups; i++) {
		struct robots_group *g = &r->groups[i];
		for (size_t j = 0; j < g->nagents; j++)
			free(g->agents[j]);
		for (size_t j = 0; j < g->nrules; j++)
			free(g->rules[j].pattern);
		free(g->agents);
		free(g->rules);
	}
	free(r->groups);
	free(r);
}
