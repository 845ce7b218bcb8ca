/* utf8.h - the one place that reads UTF-8, strictly: no overlong forms, no
 * surrogates, nothing past U+10FFFF, as PostgreSQL and terminals expect.
 * Validation, sanitising and the template parser all decode through it. */
#ifndef OUTREACH_UTF8_H
#define OUTREACH_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (n bytes available, n >= 1) into *cp; returns
 * its length, or 0 when s does not start a valid one. On NUL-terminated
 * text any n >= 4 is safe: a NUL ends a sequence before it is read past. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* True when s[0..n) is well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);
/* Characters (not bytes) of valid UTF-8 text, as VARCHAR counts them. */
size_t utf8_char_count(const char *s);

#endif
