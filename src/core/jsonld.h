/* jsonld.h - a tolerant reader for the JSON inside <script
 * type="application/ld+json">, reporting the string values of named members. */
#ifndef OUTREACH_JSONLD_H
#define OUTREACH_JSONLD_H

#include <stddef.h>

/* Called for each string that is the value of member key, or an element of
 * an array that is; key and value are NUL-terminated UTF-8 (escapes decoded)
 * and valid only during the call. */
typedef void (*jsonld_found_fn)(void *ctx, const char *key, const char *value);

/* Walks the JSON text s[0..n) at any depth. Returns 0, or -1 when the text
 * is malformed or nested too deeply; strings found before the fault have
 * been reported already, which is what a forgiving scanner wants. */
int jsonld_scan(const char *s, size_t n, jsonld_found_fn found, void *ctx);

#endif
