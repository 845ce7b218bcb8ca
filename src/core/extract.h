/* extract.h - finding ways to reach a business in its web pages: e-mail
 * addresses, social profiles, phones and contact forms, and the links worth
 * crawling next. Pure: the fetcher brings the bytes, the model stores. */
#ifndef OUTREACH_EXTRACT_H
#define OUTREACH_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/vocab.h"

/* Compiled patterns, created once and used for many pages. Not shared
 * between threads: give each thread its own. */
struct extractor;

struct extract_contact {
	enum contact_type type;
	char *value;	/* normalised as the importer does (validate.h) */
};

/* A set of contacts: adding one that is already there (e-mails and
 * profiles compared without regard to case, phones by their digits) is a
 * no-op, so the pages of one site can be collected into one result.
 * Zero-initialise to use. */
struct extract_result {
	struct extract_contact *items;
	size_t len, cap;
};

/* A page worth visiting, absolute, without fragment. */
struct extract_link {
	char *url;
	int score;	/* higher is more likely to list contacts */
};

/* Sorted by falling score, page order among equals. Zero-initialise. */
struct extract_links {
	struct extract_link *items;
	size_t len, cap;
};

/* Returns NULL with err set when the patterns cannot be compiled. */
struct extractor *extractor_new(struct error *err);
void extractor_free(struct extractor *x);

/* Adds the contacts found in one UTF-8 HTML page to out. page_url is the
 * page's final URL (after redirects) and becomes the value of a
 * contact_form contact. contact_like says the crawler reached the page
 * through a link that promised contact details; a page whose URL or
 * <title> says "contact" counts as contact-like anyway, and a form inside
 * an element marked as a contact section counts on any page. Returns 0;
 * -1 with err set only for unusable arguments. */
int extract_contacts(struct extractor *x, const char *html, size_t len,
		     const char *page_url, bool contact_like,
		     struct extract_result *out, struct error *err);

/* Adds to out the links of the page that a contact search should visit:
 * http(s), same host and port as page_url, under the directory of
 * site_url (the business's website as recorded) and whose URL or link
 * text suggests contact, about, team, imprint or legal pages. The page
 * itself and site_url are left out. Returns 0, or -1 with err set. */
int extract_links(struct extractor *x, const char *html, size_t len,
		  const char *page_url, const char *site_url,
		  struct extract_links *out, struct error *err);

/* extract_contacts() and extract_links() from one parse of the page:
 * what a crawler wants of every page, for half the work. contacts or
 * links may be NULL. Returns 0, or -1 with err set. */
int extract_page(struct extractor *x, const char *html, size_t len,
		 const char *page_url, const char *site_url, bool contact_like,
		 struct extract_result *contacts, struct extract_links *links,
		 struct error *err);

/* Adds a contact to r unless an equal one is there; value is copied.
 * Returns true when it was added. */
bool extract_result_add(struct extract_result *r, enum contact_type type,
			const char *value);
void extract_result_free(struct extract_result *r);
void extract_links_free(struct extract_links *l);

/* True when the URL's path looks like a contact page ("/kontakt",
 * "/contact-us.html"); the crawler uses it to set contact_like. */
bool extract_url_is_contact_like(const char *url);

/* The character set a page declares: the charset parameter of the HTTP
 * Content-Type value (may be NULL), else a byte-order mark, else a <meta
 * charset> or <meta http-equiv="Content-Type"> near the top of the page.
 * Returns a newly allocated lower-case label the caller frees, or NULL
 * when nothing is declared. */
char *extract_detect_charset(const char *content_type, const char *bytes,
			     size_t len);

/* Converts a page to UTF-8 using extract_detect_charset(); undeclared
 * pages are taken as UTF-8, ISO-8859-1 and ASCII as windows-1252 (as
 * browsers do), unknown labels as UTF-8. Bytes that do not decode become
 * U+FFFD. Stores a newly allocated NUL-terminated copy in *out and its
 * length in *out_len; the caller frees it. Returns 0, or -1 with err set
 * when the converter fails outright. */
int extract_to_utf8(const char *content_type, const char *bytes, size_t len,
		    char **out, size_t *out_len, struct error *err);

#endif
