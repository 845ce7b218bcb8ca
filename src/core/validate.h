/* validate.h - checking and normalising the values a person or a web page
 * gives us: names, websites, e-mail addresses, phones, social profiles.
 * The importer, the TUI's editor and the scanner all use these, so a value
 * accepted in one place is accepted everywhere. Pure functions, no I/O. */
#ifndef OUTREACH_VALIDATE_H
#define OUTREACH_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/utf8.h"
#include "core/vocab.h"


/* Each function below returns 0 and stores a newly allocated normalised
 * value in *out (the caller frees it), or returns -1 with err saying what is
 * wrong in words a user can act on (no field name prefix: the caller adds
 * it). Input must be valid UTF-8. */

/* Trims and collapses inner runs of white space; empty is an error. */
int normalize_name(const char *in, char **out, struct error *err);
/* Adds https:// when there is no scheme; requires http(s) and a host with a
 * dot; lower-cases the host. */
int normalize_website(const char *in, char **out, struct error *err);
/* local@domain, a dot in the domain, no spaces; domain lower-cased. */
int normalize_email(const char *in, char **out, struct error *err);
/* Digits and + ( ) - . / and spaces, at least 7 digits; trimmed. */
int normalize_phone(const char *in, char **out, struct error *err);
/* A profile URL on the right site or an @handle, normalised to
 * https://www.<site>/<handle> (LinkedIn: /company/<handle> unless the URL
 * already names /in/ or /company/). type is one of CONTACT_INSTAGRAM,
 * CONTACT_FACEBOOK, CONTACT_TWITTER (twitter.com or x.com ->
 * https://www.twitter.com/...), CONTACT_LINKEDIN. */
int normalize_social(enum contact_type type, const char *in, char **out,
		     struct error *err);
/* An http(s) URL of a contact page (same rules as a website). */
int normalize_contact_form(const char *in, char **out, struct error *err);
/* Dispatches on type to the functions above. */
int normalize_contact(enum contact_type type, const char *in, char **out,
		      struct error *err);

#endif
