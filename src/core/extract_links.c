/* extract_links.c - choosing which links of a page the crawler follows:
 * same site, under the website's directory, promising contact details. */
#include "core/extract_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "core/validate.h"
#include "core/xalloc.h"

struct url {
	bool https;
	char *host;	/* lower case */
	int port;	/* explicit or the scheme's default */
	char *path;	/* path and query, no fragment, starts with '/' */
};

struct keyword {
	const char *word;
	int score;
};

/* Words in a URL or a link's text and how strongly they promise contact
 * details. Contact pages first; imprints next, because the law in many
 * countries puts an address and an e-mail there; then about/team pages. */
static const struct keyword keywords[] = {
	{"contact", 100}, {"kontakt", 100}, {"contatt", 100},
	{"contacto", 100}, {"contato", 100}, {"get-in-touch", 100},
	{"get in touch", 100}, {"getintouch", 100}, {"reach-us", 100},
	{"reach us", 100}, {"impressum", 90}, {"imprint", 90},
	{"legal-notice", 90}, {"legal notice", 90}, {"mentions-legales", 90},
	{"aviso-legal", 90}, {"aviso legal", 90}, {"about", 70},
	{"ueber-uns", 70}, {"uber-uns", 70}, {"\xc3\xbc" "ber uns", 70},
	{"\xc3\x9c" "ber uns", 70}, {"%c3%bcber-uns", 70}, {"team", 70},
	{"staff", 70}, {"people", 70}, {"who-we-are", 70},
	{"who we are", 70}, {"chi-siamo", 70}, {"chi siamo", 70},
	{"quienes-somos", 70}, {"qui-sommes-nous", 70}, {"a-propos", 70},
	{"unternehmen", 70}, {"our-story", 70}, {"legal", 50},
};

#define CONTACT_SCORE 100

/* Pages that never hold contact details in HTML. */
static const char *const skipped_suffixes[] = {
	".pdf", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".zip",
	".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".mp3", ".mp4",
	".mov", ".avi", ".css", ".js", ".xml", ".json", ".rss", ".ico",
	".woff", ".woff2", ".ttf", ".exe", ".dmg", ".gz", ".tar", ".vcf",
	".ics", NULL,
};

/* A keyword counts when it starts a word: "contactus" and "kontaktformular"
 * do, "steam" does not contain "team". One pass over the word starts of
 * a lower-cased copy (ASCII only, as the keywords are written) instead of
 * a case-blind search for every keyword. */
static int score_text(const char *s)
{
	char small[256];
	size_t n = strlen(s);
	char *low = n < sizeof small ? small : xmalloc(n + 1);
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	int best = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && isalpha((unsigned char)s[i - 1]))
			continue;
		for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++) {
			const char *w = keywords[k].word;
			if (low[i] == w[0] && keywords[k].score > best &&
			    strncmp(low + i, w, strlen(w)) == 0)
				best = keywords[k].score;
		}
	}
	if (low != small)
		free(low);
	return best;
}

bool extract_text_is_contact_like(const char *text)
{
	return text && score_text(text) >= CONTACT_SCORE;
}

static void url_free(struct url *u)
{
	free(u->host);
	free(u->path);
}

/* Splits an absolute http(s) URL; fails on other schemes, user names and
 * bad ports. */
static int url_parse(const char *s, struct url *u)
{
	const char *auth;
	memset(u, 0, sizeof *u);
	if (strncasecmp(s, "https://", 8) == 0) {
		u->https = true;
		auth = s + 8;
	} else if (strncasecmp(s, "http://", 7) == 0) {
		auth = s + 7;
	} else {
		return -1;
	}
	size_t an = strcspn(auth, "/?#");
	if (an == 0 || memchr(auth, '@', an))
		return -1;
	const char *colon = NULL;
	for (size_t i = 0; i < an; i++)
		if (auth[i] == ':')
			colon = auth + i;
	if (auth[0] == '[' && colon && colon < (const char *)memchr(auth, ']', an))
		colon = NULL;
	size_t hn = colon ? (size_t)(colon - auth) : an;
	u->port = u->https ? 443 : 80;
	if (colon) {
		size_t pn = an - hn - 1;
		if (pn == 0 || pn > 5 || strspn(colon + 1, "0123456789") < pn)
			return -1;
		u->port = atoi(colon + 1);
	}
	if (hn == 0)
		return -1;
	u->host = xstrndup(auth, hn);
	for (char *p = u->host; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *rest = auth + an;
	size_t rn = strcspn(rest, "#");
	u->path = *rest == '/' ? xstrndup(rest, rn)
			       : xasprintf("/%.*s", (int)rn, rest);
	return 0;
}

static char *url_string(const struct url *u)
{
	bool dflt = u->port == (u->https ? 443 : 80);
	if (dflt)
		return xasprintf("%s://%s%s", u->https ? "https" : "http",
				 u->host, u->path);
	return xasprintf("%s://%s:%d%s", u->https ? "https" : "http", u->host,
			 u->port, u->path);
}

static bool default_port(const struct url *u)
{
	return u->port == (u->https ? 443 : 80);
}

/* Same host; same scheme and port, or both on default ports so that a
 * site half on http and half on https is still one site. */
static bool same_site(const struct url *a, const struct url *b)
{
	if (strcmp(a->host, b->host) != 0)
		return false;
	if (a->https == b->https && a->port == b->port)
		return true;
	return default_port(a) && default_port(b);
}

/* The website's directory: "/shop/" for https://acme.com/shop/index.html. */
static char *dir_prefix(const char *site_url)
{
	struct url s;
	if (!site_url || url_parse(site_url, &s) < 0)
		return xstrdup("/");
	size_t n = strcspn(s.path, "?");
	while (n > 0 && s.path[n - 1] != '/')
		n--;
	char *prefix = n ? xstrndup(s.path, n) : xstrdup("/");
	url_free(&s);
	return prefix;
}

static bool skipped_file(const char *path)
{
	size_t n = strcspn(path, "?");
	for (const char *const *s = skipped_suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n >= k && strncasecmp(path + n - k, *s, k) == 0)
			return true;
	}
	return false;
}

/* href as written in the page, resolved against the page's URL. The
 * HTML standard strips surrounding white space and drops tabs and line
 * breaks inside. Returns NULL for anything that is not http(s). */
static char *resolve(const char *href, const char *base)
{
	struct buf b = {0};
	for (const char *p = href; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			buf_putc(&b, *p);
	char *clean = buf_detach(&b);
	char *s = clean;
	while (*s == ' ' || *s == '\f')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\f'))
		s[--n] = '\0';
	xmlChar *abs = NULL;
	if (*s && *s != '#')
		abs = xmlBuildURI((const xmlChar *)s, (const xmlChar *)base);
	free(clean);
	if (!abs)
		return NULL;
	char *r = xstrdup((const char *)abs);
	xmlFree(abs);
	return r;
}

static void links_add(struct extract_links *l, char *url, int score)
{
	for (size_t i = 0; i < l->len; i++) {
		if (strcmp(l->items[i].url, url) == 0) {
			if (score > l->items[i].score)
				l->items[i].score = score;
			free(url);
			return;
		}
	}
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xreallocarray(l->items, l->cap, sizeof *l->items);
	}
	l->items[l->len].url = url;
	l->items[l->len].score = score;
	l->len++;
}

struct selection {
	struct url page;
	char *page_str, *site_str, *prefix;
};

static void consider(const struct selection *sel,
		     const struct extract_anchor *a, struct extract_links *out)
{
	char *abs = resolve(a->href, sel->page_str);
	struct url u;
	if (!abs || url_parse(abs, &u) < 0) {
		free(abs);
		return;
	}
	free(abs);
	char *path = extract_percent_decode(u.path, strlen(u.path));
	int ps = score_text(path);
	int ts = a->text ? score_text(a->text) : 0;
	int score = (ps > ts ? ps : ts) + (ps && ts ? 5 : 0);
	char *s = url_string(&u);
	if (score > 0 && same_site(&u, &sel->page) &&
	    strncmp(u.path, sel->prefix, strlen(sel->prefix)) == 0 &&
	    !skipped_file(u.path) && strcmp(s, sel->page_str) != 0 &&
	    (!sel->site_str || strcmp(s, sel->site_str) != 0)) {
		links_add(out, s, score);
		s = NULL;
	}
	free(s);
	free(path);
	url_free(&u);
}

/* Insertion sort: stable, so equal scores keep page order, and the list
 * is short because only promising links get this far. */
static void sort_by_score(struct extract_link *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct extract_link t = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1].score < t.score) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

void extract_select_links(const struct extract_anchor *anchors, size_t n,
			  const char *page_url, const char *site_url,
			  struct extract_links *out)
{
	struct selection sel = {0};
	struct url site;

	if (url_parse(page_url, &sel.page) < 0)
		return;
	sel.page_str = url_string(&sel.page);
	if (site_url && url_parse(site_url, &site) == 0) {
		sel.site_str = url_string(&site);
		url_free(&site);
	}
	sel.prefix = dir_prefix(site_url);
	size_t first = out->len;
	for (size_t i = 0; i < n; i++)
		consider(&sel, &anchors[i], out);
	if (out->len > first)
		sort_by_score(out->items + first, out->len - first);
	free(sel.page_str);
	free(sel.site_str);
	free(sel.prefix);
	url_free(&sel.page);
}

char *extract_page_address(const char *page_url)
{
	struct url u;
	char *norm = NULL;
	if (!page_url || url_parse(page_url, &u) < 0)
		return NULL;
	char *s = url_string(&u);
	if (normalize_contact_form(s, &norm, NULL) < 0)
		norm = NULL;
	free(s);
	url_free(&u);
	return norm;
}

bool extract_url_is_contact_like(const char *url)
{
	struct url u;
	if (!url || url_parse(url, &u) < 0)
		return false;
	char *path = extract_percent_decode(u.path, strlen(u.path));
	bool like = score_text(path) >= CONTACT_SCORE;
	free(path);
	url_free(&u);
	return like;
}
