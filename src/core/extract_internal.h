/* extract_internal.h - what the extractor's source files share with each
 * other and with no one else: the pattern context and the per-rule helpers. */
#ifndef OUTREACH_EXTRACT_INTERNAL_H
#define OUTREACH_EXTRACT_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/extract.h"
#include "core/htmldoc.h"

struct extractor {
	pcre2_code *email_text;		/* plain addresses in running text */
	pcre2_code *email_full;		/* one whole address, nothing else */
	pcre2_code *obfuscated;		/* name [at] domain [dot] com */
	pcre2_code *dot_token;		/* the " [dot] " inside the above */
	pcre2_match_data *md;
	pcre2_match_context *mctx;	/* bounds the work per match */
	struct html_reader *html;
};

/* A link on the page: where it points and what it says. */
struct extract_anchor {
	char *href;
	char *text;
};

/* extract_email.c */
int extract_email_init(struct extractor *x, struct error *err);
void extract_email_fini(struct extractor *x);
void extract_emails_in_text(struct extractor *x, const char *text, size_t n,
			    struct extract_result *out);
void extract_email_candidate(struct extractor *x, const char *s,
			     struct extract_result *out);
void extract_mailto(struct extractor *x, const char *href,
		    struct extract_result *out);
void extract_cfemail(struct extractor *x, const char *hex,
		     struct extract_result *out);
/* Decodes %XX escapes (a '+' stays a '+'); the caller frees the result. */
char *extract_percent_decode(const char *s, size_t n);

/* extract_social.c */
void extract_social_url(const char *url, struct extract_result *out);

/* extract_links.c */
void extract_select_links(const struct extract_anchor *anchors, size_t n,
			  const char *page_url, const char *site_url,
			  struct extract_links *out);
/* page_url without its fragment, normalised as a contact page; the caller
 * frees it. NULL when it is not an http(s) URL. */
char *extract_page_address(const char *page_url);
/* True when text (any case) contains a word that promises contact details. */
bool extract_text_is_contact_like(const char *text);

#endif
