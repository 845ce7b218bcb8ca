/* starttls.h - the one STARTTLS setting that mail connections share
 * (smtp.starttls, imap.starttls): how to read it and what it asks of
 * libcurl. */
#ifndef OUTREACH_NET_STARTTLS_H
#define OUTREACH_NET_STARTTLS_H

#include "core/error.h"

enum starttls { STARTTLS_REQUIRED, STARTTLS_OPTIONAL, STARTTLS_OFF };

/* Parses "required" / "optional" / "off" (NULL: required); key names the
 * setting in the error, e.g. "smtp.starttls". */
int starttls_parse(const char *key, const char *s, enum starttls *out,
		   struct error *err);

/* The CURLOPT_USE_SSL value for it. */
long starttls_curl_use_ssl(enum starttls t);

#endif
