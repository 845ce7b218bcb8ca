/* extract_social.c - telling a link to a business's social profile apart
 * from share buttons, posts, hashtags and the platforms' own pages. */
#include "core/extract_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "core/xalloc.h"

struct platform {
	enum contact_type type;
	const char *domain;
	bool locale_hosts;	/* de.linkedin.com, de-de.facebook.com */
	/* First path segments that are never a business's profile. The
	 * shared validator rejects the obvious ones as well; this list adds
	 * the platforms' own accounts and pages a site links to when it
	 * shows a "follow us" widget or a policy link. */
	const char *const *not_profiles;
};

static const char *const instagram_pages[] = {
	"instagram", "p", "reel", "reels", "tv", "explore", "stories",
	"accounts", "about", "legal", "developer", "web", "direct", "tags",
	"privacy", "terms", "help", "emails", "challenge", "oauth", "press",
	"session", "ar", NULL,
};

static const char *const facebook_pages[] = {
	"facebook", "meta", "fb", "tr", "business", "ads", "media", "notes",
	"stories", "terms", "terms.php", "legal", "about", "messages",
	"privacy", "careers", "fundraisers", "reel", "reels", "video",
	"videos", "watch", "hashtag", "sharer", "sharer.php", "share",
	"share.php", "dialog", "plugins", "policy.php", "ajax", "connect",
	"recover", "r.php", "help", "permalink.php", "photo.php", "photo",
	"photos", "events", "groups", "pages", "marketplace", "login",
	"login.php", "home.php", "story.php", "l.php", "policies", NULL,
};

static const char *const twitter_pages[] = {
	"twitter", "x", "twittersupport", "xcorp", "support", "about",
	"download", "web", "widgets", "jobs", "account", "oauth", "intent",
	"share", "home", "hashtag", "search", "i", "explore", "settings",
	"login", "signup", "tos", "privacy", "compose", "messages",
	"notifications", "rules", "help", NULL,
};

static const char *const linkedin_pages[] = {
	"company/linkedin", "in/linkedin", "showcase", "school", "groups",
	"feed", "posts", "pulse", "jobs", "sharearticle", "sharing",
	"shareArticle", "cws", "legal", "help", "learning", NULL,
};

static const struct platform platforms[] = {
	{CONTACT_INSTAGRAM, "instagram.com", false, instagram_pages},
	{CONTACT_FACEBOOK, "facebook.com", true, facebook_pages},
	{CONTACT_TWITTER, "twitter.com", false, twitter_pages},
	{CONTACT_TWITTER, "x.com", false, twitter_pages},
	{CONTACT_LINKEDIN, "linkedin.com", true, linkedin_pages},
};

/* "de" or "de-de": the country and language hosts two platforms use. */
static bool is_locale_label(const char *s, size_t n)
{
	if (n != 2 && n != 5)
		return false;
	if (n == 5 && s[2] != '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 2 && !isalpha((unsigned char)s[i]))
			return false;
	return true;
}

static bool host_is(const struct platform *p, const char *h, size_t n)
{
	static const char *const prefixes[] = {"www", "m", "mobile", "web"};
	size_t d = strlen(p->domain);

	if (n == d)
		return strncasecmp(h, p->domain, n) == 0;
	if (n <= d + 1 || h[n - d - 1] != '.' ||
	    strncasecmp(h + n - d, p->domain, d) != 0)
		return false;
	size_t label = n - d - 1;
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (strlen(prefixes[i]) == label &&
		    strncasecmp(h, prefixes[i], label) == 0)
			return true;
	return p->locale_hosts && is_locale_label(h, label);
}

/* True when the path (after the host's '/') starts with one of the
 * platform's own pages, compared as whole segments. */
static bool names_own_page(const struct platform *p, const char *path)
{
	size_t n = strcspn(path, "?#");
	for (const char *const *w = p->not_profiles; *w; w++) {
		size_t k = strlen(*w);
		if (k <= n && strncasecmp(path, *w, k) == 0 &&
		    (k == n || path[k] == '/'))
			return true;
	}
	return false;
}

void extract_social_url(const char *url, struct extract_result *out)
{
	while (isspace((unsigned char)*url))
		url++;
	const char *host;
	if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "//", 2) == 0)
		host = url + 2;
	else
		return;
	size_t hn = strcspn(host, "/?#");
	const char *path = host + hn;
	if (*path != '/')
		return;
	path++;
	for (size_t i = 0; i < sizeof platforms / sizeof *platforms; i++) {
		const struct platform *p = &platforms[i];
		if (!host_is(p, host, hn) || names_own_page(p, path))
			continue;
		/* Hand the validator one spelling of the host so that
		 * locale and mobile hosts normalise like the importer's. */
		char *canon = xasprintf("https://www.%s/%s", p->domain, path);
		char *norm = NULL;
		if (normalize_social(p->type, canon, &norm, NULL) == 0)
			extract_result_add(out, p->type, norm);
		free(norm);
		free(canon);
		return;
	}
}
