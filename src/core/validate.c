/* validate.c - checks and normalises names, websites, e-mail addresses,
 * phones and social profiles so every entry point agrees on what is valid. */
#include "core/validate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

#define EMAIL_HINT "expected name@domain.tld"
#define PHONE_MIN_DIGITS 7
/* E.164 allows 15 digits; the slack covers extensions and trunk prefixes
 * while still catching a column of account numbers mapped by mistake. */
#define PHONE_MAX_DIGITS 20
#define EMAIL_MAX_LEN 254
#define EMAIL_LOCAL_MAX_LEN 64
#define HOST_MAX_LEN 253

/* ---- small string helpers ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_ascii_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Returns a newly allocated copy of in without leading and trailing white
 * space; the caller frees it. */
static char *trimmed_copy(const char *in)
{
	size_t len = strlen(in);

	while (len > 0 && is_blank(in[len - 1]))
		len--;
	while (len > 0 && is_blank(*in)) {
		in++;
		len--;
	}
	return xstrndup(in, len);
}

static bool has_blank_or_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7F)
			return true;
	return false;
}

static bool starts_with_nocase(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- names ---- */

int normalize_name(const char *in, char **out, struct error *err)
{
	struct buf b = {0};
	bool pending_space = false;

	/* Control characters other than white space are kept: they are data
	 * the user gave, and the TUI shows them escaped. */
	for (const char *p = in; *p; p++) {
		if (is_blank(*p)) {
			pending_space = b.len > 0;
			continue;
		}
		if (pending_space)
			buf_putc(&b, ' ');
		pending_space = false;
		buf_putc(&b, *p);
	}
	if (b.len == 0) {
		buf_free(&b);
		return error_set(err, "name is empty (every business needs one)");
	}
	*out = buf_detach(&b);
	return 0;
}

/* ---- hosts and URLs ---- */

/* A DNS-style host: labels of letters, digits, '-' and '_' (or non-ASCII
 * bytes, for internationalised names), separated by single dots, at least
 * one dot. A trailing dot (the DNS root) is not accepted: nobody types it
 * and it would make two spellings of the same site. */
static bool host_valid(const char *h, size_t n)
{
	size_t label = 0;
	bool dot = false;

	if (n == 0 || n > HOST_MAX_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (c == '.') {
			if (label == 0 || h[i - 1] == '-')
				return false;
			dot = true;
			label = 0;
			continue;
		}
		if (c == '-' && label == 0)
			return false;
		if (!is_ascii_alnum(c) && c != '-' && c != '_' &&
		    (unsigned char)c < 0x80)
			return false;
		label++;
	}
	return dot && label > 0 && h[n - 1] != '-';
}

struct url_parts {
	char scheme[8];		/* "http" or "https", lower case */
	const char *host;	/* not NUL-terminated */
	size_t host_len;
	const char *port;	/* digits after ':', or NULL */
	size_t port_len;
	const char *rest;	/* path, query and fragment, may be "" */
};

/* Splits a URL; a missing scheme means https. Fails on other schemes, user
 * names in the authority and malformed ports. The strings point into s. */
static int url_split(const char *s, struct url_parts *u, struct error *err)
{
	const char *sep = strstr(s, "://");
	const char *auth = s;

	strcpy(u->scheme, "https");
	if (sep) {
		size_t n = (size_t)(sep - s);
		if (n == 4 && strncasecmp(s, "http", 4) == 0)
			strcpy(u->scheme, "http");
		else if (!(n == 5 && strncasecmp(s, "https", 5) == 0))
			return error_set(err, "only http:// and https:// "
					 "addresses are accepted");
		auth = sep + 3;
	} else if (strncmp(s, "//", 2) == 0) {
		auth = s + 2;
	}
	size_t alen = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', alen);
	if (at)
		return error_set(err, "a web address must not contain a user "
				 "name (remove the part before '@')");
	const char *colon = memchr(auth, ':', alen);
	u->host = auth;
	u->host_len = colon ? (size_t)(colon - auth) : alen;
	u->port = NULL;
	u->port_len = 0;
	if (colon) {
		u->port = colon + 1;
		u->port_len = alen - u->host_len - 1;
		if (u->port_len == 0 || u->port_len > 5 ||
		    strspn(u->port, "0123456789") < u->port_len)
			return error_set(err, "the port after ':' must be a "
					 "number");
	}
	u->rest = auth + alen;
	return 0;
}

static void buf_put_lower(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, ascii_lower(s[i]));
}

/* Shared by websites and contact forms: scheme://host[:port][rest], with
 * a bare "/" dropped so example.com and example.com/ are the same site. */
static int normalize_http_url(const char *in, char **out, struct error *err,
			      const char *what)
{
	char *s = trimmed_copy(in);
	struct url_parts u;

	if (*s == '\0') {
		free(s);
		return error_set(err, "%s is empty", what);
	}
	if (has_blank_or_control(s)) {
		free(s);
		return error_set(err, "%s contains spaces (expected one "
				 "address such as https://example.com)", what);
	}
	if (url_split(s, &u, err) < 0) {
		free(s);
		return -1;
	}
	if (!host_valid(u.host, u.host_len)) {
		free(s);
		return error_set(err, "not a %s (expected a host name with a "
				 "dot, such as https://example.com)", what);
	}
	struct buf b = {0};
	buf_printf(&b, "%s://", u.scheme);
	buf_put_lower(&b, u.host, u.host_len);
	if (u.port) {
		buf_putc(&b, ':');
		buf_append(&b, u.port, u.port_len);
	}
	if (strcmp(u.rest, "/") != 0)
		buf_puts(&b, u.rest);
	free(s);
	*out = buf_detach(&b);
	return 0;
}

int normalize_website(const char *in, char **out, struct error *err)
{
	return normalize_http_url(in, out, err, "website address");
}

int normalize_contact_form(const char *in, char **out, struct error *err)
{
	return normalize_http_url(in, out, err, "contact page address");
}

/* ---- e-mail ---- */

/* Characters that cannot appear unquoted in the local part; quoted local
 * parts exist in the standard but not in lead lists. */
static bool email_local_valid(const char *s, size_t n)
{
	if (n == 0 || n > EMAIL_LOCAL_MAX_LEN || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (strchr("()<>[]\\,;:\"@", s[i]) != NULL)
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

int normalize_email(const char *in, char **out, struct error *err)
{
	char *s = trimmed_copy(in);
	char *addr = s;

	/* Pages and spreadsheets often carry the link form. */
	if (starts_with_nocase(addr, "mailto:")) {
		addr += strlen("mailto:");
		addr[strcspn(addr, "?")] = '\0';
	}
	if (*addr == '\0' || has_blank_or_control(addr) ||
	    strlen(addr) > EMAIL_MAX_LEN) {
		free(s);
		return error_set(err, "not an e-mail address (" EMAIL_HINT ")");
	}
	char *at = strchr(addr, '@');
	if (!at || strchr(at + 1, '@') ||
	    !email_local_valid(addr, (size_t)(at - addr)) ||
	    !host_valid(at + 1, strlen(at + 1))) {
		free(s);
		return error_set(err, "not an e-mail address (" EMAIL_HINT ")");
	}
	for (char *p = at + 1; *p; p++)
		*p = ascii_lower(*p);
	*out = xstrdup(addr);
	free(s);
	return 0;
}

/* ---- phone ---- */

int normalize_phone(const char *in, char **out, struct error *err)
{
	char *s = trimmed_copy(in);
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			digits++;
		} else if (*p == '+' && p != s) {
			free(s);
			return error_set(err, "'+' may only start a phone "
					 "number (as in +44 20 7946 0000)");
		} else if (!strchr("+()-./ ", *p)) {
			free(s);
			return error_set(err, "not a phone number (only digits, "
					 "spaces and + ( ) - . / are allowed)");
		}
	}
	if (digits < PHONE_MIN_DIGITS || digits > PHONE_MAX_DIGITS) {
		free(s);
		return error_set(err, "not a phone number (expected %d to %d "
				 "digits, found %d)", PHONE_MIN_DIGITS,
				 PHONE_MAX_DIGITS, digits);
	}
	*out = s;
	return 0;
}

/* ---- social profiles ---- */

struct social_site {
	enum contact_type type;
	const char *label;		/* for messages, with its article */
	const char *domains[3];		/* accepted registrable domains */
	const char *canonical;		/* normalised prefix */
	const char *handle_chars;	/* allowed besides ASCII alnum */
	size_t handle_max;
	/* First path segments that are the site's own pages, not profiles. */
	const char *const *reserved;
};

static const char *const instagram_reserved[] = {
	"p", "reel", "reels", "tv", "explore", "stories", "accounts",
	"direct", "about", "developer", "legal", "web", "tags", NULL,
};

static const char *const facebook_reserved[] = {
	"sharer", "sharer.php", "share", "share.php", "dialog", "plugins",
	"groups", "events", "watch", "marketplace", "gaming", "login",
	"login.php", "home.php", "hashtag", "photo", "photo.php", "photos",
	"story.php", "permalink.php", "help", "policies", "privacy",
	"settings", "pages", "people", "profile.php", "search", "reel",
	"posts", "video.php", "l.php", NULL,
};

static const char *const twitter_reserved[] = {
	"intent", "share", "home", "search", "hashtag", "i", "explore",
	"settings", "login", "signup", "messages", "notifications", "tos",
	"privacy", "compose", "share.php", NULL,
};

static const char *const no_reserved[] = { NULL };

static const struct social_site social_sites[] = {
	{ CONTACT_INSTAGRAM, "an Instagram", { "instagram.com", NULL, NULL },
	  "https://www.instagram.com/", "._", 30, instagram_reserved },
	{ CONTACT_FACEBOOK, "a Facebook", { "facebook.com", "fb.com", NULL },
	  "https://www.facebook.com/", ".-_", 50, facebook_reserved },
	{ CONTACT_TWITTER, "a Twitter/X", { "twitter.com", "x.com", NULL },
	  "https://www.twitter.com/", "_", 15, twitter_reserved },
	{ CONTACT_LINKEDIN, "a LinkedIn", { "linkedin.com", NULL, NULL },
	  "https://www.linkedin.com/", "-_.%", 100, no_reserved },
};

static const struct social_site *social_site_for(enum contact_type type)
{
	for (size_t i = 0; i < sizeof social_sites / sizeof *social_sites; i++)
		if (social_sites[i].type == type)
			return &social_sites[i];
	return NULL;
}

static int social_error(const struct social_site *site, struct error *err)
{
	const char *d = site->domains[0];
	return error_set(err, "not %s profile (expected https://www.%s/NAME "
			 "or @NAME)", site->label, d);
}

/* LinkedIn slugs may carry percent-encoded non-ASCII letters; other
 * sites' handles are plain ASCII. */
static bool handle_valid(const struct social_site *site, const char *h,
			 size_t n)
{
	if (n == 0 || n > site->handle_max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_ascii_alnum(h[i]) && !strchr(site->handle_chars, h[i]))
			return false;
	/* A handle of dots alone would name the site's root. */
	return strspn(h, ".") < n;
}

static bool host_matches_site(const struct social_site *site, const char *h,
			      size_t n)
{
	static const char *const prefixes[] = { "www.", "m.", "mobile.", "" };

	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t plen = strlen(prefixes[i]);
		if (n < plen || strncasecmp(h, prefixes[i], plen) != 0)
			continue;
		for (int d = 0; d < 3 && site->domains[d]; d++) {
			size_t dlen = strlen(site->domains[d]);
			if (n - plen == dlen &&
			    strncasecmp(h + plen, site->domains[d], dlen) == 0)
				return true;
		}
	}
	return false;
}

static bool is_reserved(const struct social_site *site, const char *seg,
			size_t n)
{
	for (const char *const *r = site->reserved; *r; r++)
		if (strlen(*r) == n && strncasecmp(seg, *r, n) == 0)
			return true;
	return false;
}

/* Returns the canonical URL for a handle (caller frees), or NULL. */
static char *social_from_handle(const struct social_site *site,
				const char *kind, const char *h, size_t n)
{
	/* "@sharer.php" must not slip past the checks its URL would face. */
	if (!handle_valid(site, h, n) || is_reserved(site, h, n))
		return NULL;
	return xasprintf("%s%s%.*s", site->canonical, kind, (int)n, h);
}

/* Facebook's numeric profiles are the one place where the query string is
 * the identity: profile.php?id=NNN. */
static char *facebook_numeric_profile(const char *path)
{
	const char *q = "profile.php?id=";
	if (strncasecmp(path, q, strlen(q)) != 0)
		return NULL;
	const char *id = path + strlen(q);
	size_t n = strspn(id, "0123456789");
	if (n == 0 || n > 20 || (id[n] != '\0' && id[n] != '&' && id[n] != '#'))
		return NULL;
	return xasprintf("https://www.facebook.com/profile.php?id=%.*s",
			 (int)n, id);
}

/* path is everything after the host's '/', query and fragment included. */
static char *social_from_path(const struct social_site *site, const char *path)
{
	if (site->type == CONTACT_FACEBOOK) {
		char *numeric = facebook_numeric_profile(path);
		if (numeric)
			return numeric;
	}
	size_t n = strcspn(path, "?#");
	while (n > 0 && path[n - 1] == '/')
		n--;
	const char *kind = "";
	if (site->type == CONTACT_LINKEDIN) {
		/* Only people and companies are reachable profiles. */
		if (n > 3 && strncasecmp(path, "in/", 3) == 0)
			kind = "in/";
		else if (n > 8 && strncasecmp(path, "company/", 8) == 0)
			kind = "company/";
		else
			return NULL;
		path += strlen(kind);
		n -= strlen(kind);
	}
	if (memchr(path, '/', n))
		return NULL;
	return social_from_handle(site, kind, path, n);
}

static char *social_from_url(const struct social_site *site, const char *s)
{
	struct url_parts u;

	if (url_split(s, &u, NULL) < 0 || u.port ||
	    !host_matches_site(site, u.host, u.host_len) || u.rest[0] != '/')
		return NULL;
	return social_from_path(site, u.rest + 1);
}

int normalize_social(enum contact_type type, const char *in, char **out,
		     struct error *err)
{
	const struct social_site *site = social_site_for(type);
	if (!site)
		return error_set(err, "not a social network");

	char *s = trimmed_copy(in);
	char *url = NULL;
	if (*s == '#') {
		free(s);
		return error_set(err, "a hashtag is not a profile (expected "
				 "https://www.%s/NAME or @NAME)",
				 site->domains[0]);
	}
	if (*s == '@') {
		const char *kind = type == CONTACT_LINKEDIN ? "company/" : "";
		url = social_from_handle(site, kind, s + 1, strlen(s + 1));
	} else if (!has_blank_or_control(s)) {
		url = social_from_url(site, s);
	}
	free(s);
	if (!url)
		return social_error(site, err);
	*out = url;
	return 0;
}

int normalize_contact(enum contact_type type, const char *in, char **out,
		      struct error *err)
{
	switch (type) {
	case CONTACT_EMAIL:
		return normalize_email(in, out, err);
	case CONTACT_PHONE:
		return normalize_phone(in, out, err);
	case CONTACT_CONTACT_FORM:
		return normalize_contact_form(in, out, err);
	case CONTACT_INSTAGRAM:
	case CONTACT_FACEBOOK:
	case CONTACT_TWITTER:
	case CONTACT_LINKEDIN:
		return normalize_social(type, in, out, err);
	default:
		return error_set(err, "unknown contact type");
	}
}
