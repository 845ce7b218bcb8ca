/* extract_email.c - e-mail addresses in a page: plain, in mailto: links,
 * obfuscated by hand or by Cloudflare, and the filters that keep out noise. */
#include "core/extract_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "core/xalloc.h"

#define LOCAL "[A-Za-z0-9._+\\-]{1,64}"
#define LABEL "[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
#define NOT_BEFORE "(?<![A-Za-z0-9._+\\-\\x80-\\xff])"
#define NOT_AFTER "(?![A-Za-z0-9\\-\\x80-\\xff])"
#define SP "[ \\t]*"
/* "[at]", "(at)", "{at}", "<at>", and the same around a bare "@". */
#define AT_TOKEN "(?:\\[" SP "(?:at|@)" SP "\\]|\\(" SP "(?:at|@)" SP "\\)|" \
	"\\{" SP "(?:at|@)" SP "\\}|<" SP "(?:at|@)" SP ">)"
#define DOT_BRACKET "(?:\\[" SP "(?:dot|\\.)" SP "\\]|\\(" SP "(?:dot|\\.)" \
	SP "\\)|\\{" SP "(?:dot|\\.)" SP "\\})"
#define DOT_TOKEN SP DOT_BRACKET SP "|[ \\t]+dot[ \\t]+"

static const char email_text_re[] =
	NOT_BEFORE "(" LOCAL ")@((?:" LABEL "\\.)+[A-Za-z]{2,24})" NOT_AFTER;
static const char email_full_re[] =
	"^" LOCAL "@(?:" LABEL "\\.)+[A-Za-z]{2,24}$";
/* A bare " at " is English, not an address: only a bracketed "at" counts,
 * and once it has been seen a spelled-out " dot " is believed too. */
static const char obfuscated_re[] =
	NOT_BEFORE "(" LOCAL ")" SP AT_TOKEN SP
	"((?:[A-Za-z0-9\\-]{1,63}(?:" DOT_TOKEN "|\\.))+[A-Za-z]{2,24})"
	NOT_AFTER;
static const char dot_token_re[] = DOT_TOKEN;

/* ---- false positives ---- */

/* File names that look like addresses: retina images (logo@2x.png) and
 * versioned assets (lib@1.2.3.js). No business mails from these. */
static const char *const asset_suffixes[] = {
	"png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tif",
	"tiff", "avif", "heic", "css", "js", "json", "map", "mp4", "mp3",
	"webm", "woff", "woff2", "ttf", "eot", "pdf", "php", "html", "htm",
	"asp", "aspx", "txt", "xml", NULL,
};

/* Domains used in templates and examples; a subdomain counts too. */
static const char *const placeholder_domains[] = {
	"domain.com", "domain.de", "domain.tld", "email.com", "email.tld",
	"yourdomain.com", "your-domain.com", "yourdomain.de", "mydomain.com",
	"yoursite.com", "mysite.com", "website.com", "yourwebsite.com",
	"yourcompany.com", "company.com", "test.com", "test.de", "testing.com",
	"sample.com", "beispiel.de", "musterfirma.de", "mustermann.de",
	"site.com", NULL,
};

/* Error reporting, analytics and site-builder hosts: their addresses
 * appear in a page's scripts and markup, never as the business's own. */
static const char *const service_domains[] = {
	"sentry.io", "getsentry.com", "sentry-next.wixpress.com",
	"wixpress.com", "wix.com", "wixsite.com", "bugsnag.com",
	"rollbar.com", "raygun.io", "trackjs.com", "logrocket.com",
	"newrelic.com", "nr-data.net", "google-analytics.com",
	"googletagmanager.com", "doubleclick.net", "hotjar.com",
	"mixpanel.com", "segment.io", "segment.com", "cloudflare.com",
	"squarespace.com", "sqspcdn.com", "weebly.com", "editmysite.com",
	"jimdo.com", "jimdosite.com", "webflow.io", "webflow.com",
	"wordpress.com", "wpengine.com", "godaddy.com", "secureserver.net",
	"shopify.com", "myshopify.com", "mailchimp.com", "list-manage.com",
	"sendgrid.net", "hubspot.com", "hubspotemail.net", NULL,
};

/* Top-level names reserved for tests and private networks (RFC 2606,
 * RFC 6761 and common practice). */
static const char *const reserved_tlds[] = {
	"test", "example", "invalid", "localhost", "local", "lan",
	"internal", "localdomain", "onion", NULL,
};

/* Registries and hosting platforms under which anyone registers a name:
 * an address directly at one of them (user@co.uk) cannot be real. A
 * short list of the common ones, not the whole public suffix list. */
static const char *const public_suffixes[] = {
	"co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk",
	"gov.uk", "nhs.uk", "sch.uk", "com.au", "net.au", "org.au",
	"edu.au", "gov.au", "id.au", "co.nz", "net.nz", "org.nz", "co.jp",
	"ne.jp", "or.jp", "ac.jp", "co.za", "org.za", "com.br", "net.br",
	"org.br", "com.mx", "org.mx", "com.ar", "com.tr", "com.cn",
	"net.cn", "org.cn", "com.hk", "com.sg", "com.my", "com.ph",
	"com.pk", "com.ng", "com.eg", "com.sa", "com.tw", "co.in", "net.in",
	"org.in", "co.il", "org.il", "co.kr", "or.kr", "co.id", "co.th",
	"gv.at", "co.at", "or.at", "com.es", "org.es", "com.pl", "net.pl",
	"org.pl", "com.ua", "com.ru", "co.ke", "com.co", "com.pe",
	"github.io", "gitlab.io", "blogspot.com", "herokuapp.com",
	"netlify.app", "vercel.app", "pages.dev", "appspot.com",
	"azurewebsites.net", "cloudfront.net", "amazonaws.com", "web.app",
	"firebaseapp.com", NULL,
};

/* Local parts that stand for "put your address here". */
static const char *const placeholder_locals[] = {
	"name", "yourname", "your.name", "your-name", "your_name",
	"youremail", "your.email", "your-email", "you", "user", "username",
	"firstname.lastname", "first.last", "firstname", "lastname",
	"vorname.nachname", "max.mustermann", "maxmustermann", "john.doe",
	"johndoe", "jane.doe", "janedoe", "someone", "somebody", "example",
	NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcasecmp(*list, s) == 0)
			return true;
	return false;
}

/* True when domain is one of list or a subdomain of one. */
static bool under_any(const char *const *list, const char *domain)
{
	size_t n = strlen(domain);
	for (; *list; list++) {
		size_t k = strlen(*list);
		if (n == k && strcasecmp(domain, *list) == 0)
			return true;
		if (n > k && domain[n - k - 1] == '.' &&
		    strcasecmp(domain + n - k, *list) == 0)
			return true;
	}
	return false;
}

static bool has_label(const char *domain, const char *label)
{
	size_t k = strlen(label);
	for (const char *p = domain; p; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (strncasecmp(p, label, k) == 0 && (p[k] == '.' || !p[k]))
			return true;
	}
	return false;
}

/* Long runs of hex digits are hashes and keys (error-reporting DSNs). */
static bool looks_like_hash(const char *local)
{
	size_t n = strlen(local);
	return n >= 16 && strspn(local, "0123456789abcdefABCDEF") == n;
}

static bool email_acceptable(const char *local, const char *domain)
{
	const char *tld = strrchr(domain, '.');
	tld = tld ? tld + 1 : domain;

	if (in_list(asset_suffixes, tld) || in_list(reserved_tlds, tld))
		return false;
	if (has_label(domain, "example") ||
	    under_any(placeholder_domains, domain) ||
	    under_any(service_domains, domain) ||
	    in_list(public_suffixes, domain))
		return false;
	return !in_list(placeholder_locals, local) && !looks_like_hash(local);
}

/* ---- candidates ---- */

static bool full_match(struct extractor *x, const pcre2_code *re,
		       const char *s, size_t n)
{
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, x->md, x->mctx) >= 0;
}

void extract_email_candidate(struct extractor *x, const char *s,
			     struct extract_result *out)
{
	size_t n = strlen(s);
	if (!full_match(x, x->email_full, s, n))
		return;
	char *copy = xstrdup(s);
	char *at = strchr(copy, '@');
	*at = '\0';
	bool ok = email_acceptable(copy, at + 1);
	free(copy);
	char *norm = NULL;
	if (ok && normalize_email(s, &norm, NULL) == 0)
		extract_result_add(out, CONTACT_EMAIL, norm);
	free(norm);
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *extract_percent_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex_digit(s[i + 1]) >= 0 &&
		    hex_digit(s[i + 2]) >= 0) {
			out[k++] = (char)(hex_digit(s[i + 1]) * 16 +
					  hex_digit(s[i + 2]));
			i += 2;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return out;
}

/* mailto:a@b.com,c@d.com?subject=Hi: the query is a message template,
 * not part of any address; several recipients are separated by commas. */
void extract_mailto(struct extractor *x, const char *href,
		    struct extract_result *out)
{
	while (isspace((unsigned char)*href))
		href++;
	if (strncasecmp(href, "mailto:", 7) != 0)
		return;
	href += 7;
	while (*href == '/')
		href++;
	char *addrs = extract_percent_decode(href, strcspn(href, "?#"));
	char *save = NULL;
	for (char *a = strtok_r(addrs, ",;", &save); a;
	     a = strtok_r(NULL, ",;", &save)) {
		while (isspace((unsigned char)*a))
			a++;
		size_t n = strlen(a);
		while (n > 0 && isspace((unsigned char)a[n - 1]))
			a[--n] = '\0';
		extract_email_candidate(x, a, out);
	}
	free(addrs);
}

/* Cloudflare hides addresses as hex: the first byte is a key that is
 * XORed with each following byte. */
void extract_cfemail(struct extractor *x, const char *hex,
		     struct extract_result *out)
{
	size_t n = strlen(hex);
	if (n < 4 || n % 2 || n > 1024)
		return;
	char *plain = xmalloc(n / 2);
	int key = -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
		if (hi < 0 || lo < 0) {
			free(plain);
			return;
		}
		int byte = hi * 16 + lo;
		if (key < 0)
			key = byte;
		else
			plain[k++] = (char)(byte ^ key);
	}
	plain[k] = '\0';
	if (strlen(plain) == k) {
		if (strncasecmp(plain, "mailto:", 7) == 0)
			extract_mailto(x, plain, out);
		else
			extract_email_candidate(x, plain, out);
	}
	free(plain);
}

/* ---- running text ---- */

/* Characters an address can hold after its '@'. */
static bool domain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* The pattern runs only around each '@': tried at every position of a
 * long page it took time quadratic in the page's length (a 12 KB page
 * with one address cost half a second). A match starts at most 64
 * characters (the longest local part) before its '@' and cannot run past
 * the characters a domain may hold; the subject is the whole text, so the
 * look-behind still sees what precedes the window. */
static void scan_plain(struct extractor *x, const char *text, size_t n,
		       struct extract_result *out)
{
	size_t pos = 0;
	const char *at;
	while (pos < n && (at = memchr(text + pos, '@', n - pos))) {
		size_t a = (size_t)(at - text), end = a + 1;
		size_t from = a > 64 ? a - 64 : 0;
		if (from < pos)
			from = pos;
		while (end < n && domain_char(text[end]))
			end++;
		if (end < n)
			end++;	/* one more for the look-ahead */
		size_t next = a + 1;
		int rc = pcre2_match(x->email_text, (PCRE2_SPTR)text, end, from,
				     0, x->md, x->mctx);
		if (rc >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
			char *cand = xstrndup(text + ov[0], ov[1] - ov[0]);
			extract_email_candidate(x, cand, out);
			free(cand);
			if (ov[1] > next)
				next = ov[1];
		}
		pos = next;
	}
}

/* Rebuilds "info [at] acme [dot] co [dot] uk" as info@acme.co.uk. */
static void add_obfuscated(struct extractor *x, const char *local,
			   size_t llen, const char *domain, size_t dlen,
			   struct extract_result *out)
{
	PCRE2_SIZE outlen = dlen + 1;
	PCRE2_UCHAR *plain = xmalloc(outlen);
	int rc = pcre2_substitute(x->dot_token, (PCRE2_SPTR)domain, dlen, 0,
				  PCRE2_SUBSTITUTE_GLOBAL, NULL, x->mctx,
				  (PCRE2_SPTR) ".", 1, plain, &outlen);
	if (rc >= 0) {
		char *cand = xasprintf("%.*s@%s", (int)llen, local,
				       (char *)plain);
		extract_email_candidate(x, cand, out);
		free(cand);
	}
	free(plain);
}

static void scan_obfuscated(struct extractor *x, const char *text, size_t n,
			    struct extract_result *out)
{
	size_t start = 0;
	while (start < n) {
		int rc = pcre2_match(x->obfuscated, (PCRE2_SPTR)text, n, start,
				     0, x->md, x->mctx);
		if (rc < 3)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
		size_t end = ov[1];
		add_obfuscated(x, text + ov[2], ov[3] - ov[2], text + ov[4],
			       ov[5] - ov[4], out);
		start = end > start ? end : start + 1;
	}
}

/* Whether text holds an AT_TOKEN ("[at]", "( @ )", ...): the obfuscated
 * pattern cannot match without one, and trying it at every word of a page
 * that has none was most of the time spent on e-mails. */
static bool has_at_token(const char *text, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char close;
		switch (text[i]) {
		case '[': close = ']'; break;
		case '(': close = ')'; break;
		case '{': close = '}'; break;
		case '<': close = '>'; break;
		default: continue;
		}
		size_t j = i + 1;
		while (j < n && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j < n && text[j] == '@')
			j++;
		else if (j + 1 < n && (text[j] | 0x20) == 'a' &&
			 (text[j + 1] | 0x20) == 't')
			j += 2;
		else
			continue;
		while (j < n && (text[j] == ' ' || text[j] == '\t'))
			j++;
		if (j < n && text[j] == close)
			return true;
	}
	return false;
}

void extract_emails_in_text(struct extractor *x, const char *text, size_t n,
			    struct extract_result *out)
{
	/* Most pages hold no address at all; skip them cheaply. */
	if (memchr(text, '@', n))
		scan_plain(x, text, n, out);
	if (has_at_token(text, n))
		scan_obfuscated(x, text, n, out);
}

/* ---- patterns ---- */

static pcre2_code *compile(const char *pattern, uint32_t flags,
			   struct error *err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern,
				       PCRE2_ZERO_TERMINATED, flags, &code,
				       &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		error_set(err, "internal pattern error at offset %zu: %s",
			  (size_t)off, (char *)msg);
		return NULL;
	}
	code = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	if (code != 0) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		error_set(err, "cannot JIT-compile a pattern: %s", (char *)msg);
		pcre2_code_free(re);
		return NULL;
	}
	return re;
}

int extract_email_init(struct extractor *x, struct error *err)
{
	x->email_text = compile(email_text_re, 0, err);
	x->email_full = compile(email_full_re, 0, err);
	x->obfuscated = compile(obfuscated_re, PCRE2_CASELESS, err);
	x->dot_token = compile(dot_token_re, PCRE2_CASELESS, err);
	x->md = pcre2_match_data_create(16, NULL);
	x->mctx = pcre2_match_context_create(NULL);
	if (!x->email_text || !x->email_full || !x->obfuscated ||
	    !x->dot_token || !x->md || !x->mctx)
		return -1;
	/* A hostile page must not make one match take seconds. */
	pcre2_set_match_limit(x->mctx, 1000000);
	return 0;
}

void extract_email_fini(struct extractor *x)
{
	pcre2_code_free(x->email_text);
	pcre2_code_free(x->email_full);
	pcre2_code_free(x->obfuscated);
	pcre2_code_free(x->dot_token);
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mctx);
}
