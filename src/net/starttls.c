/* starttls.c - see starttls.h. */
#include "net/starttls.h"

#include <string.h>

#include <curl/curl.h>

int starttls_parse(const char *key, const char *s, enum starttls *out,
		   struct error *err)
{
	if (!s || strcmp(s, "required") == 0)
		*out = STARTTLS_REQUIRED;
	else if (strcmp(s, "optional") == 0)
		*out = STARTTLS_OPTIONAL;
	else if (strcmp(s, "off") == 0)
		*out = STARTTLS_OFF;
	else
		return error_set(err, "%s is '%s'; use required, optional or "
				 "off", key, s);
	return 0;
}

long starttls_curl_use_ssl(enum starttls t)
{
	return t == STARTTLS_REQUIRED ? (long)CURLUSESSL_ALL :
	       t == STARTTLS_OPTIONAL ? (long)CURLUSESSL_TRY :
	       (long)CURLUSESSL_NONE;
}
