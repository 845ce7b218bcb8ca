/* error.h - a status plus a message that says what went wrong and where.
 * Deep code fills a struct error and returns; the caller decides how to show it. */
#ifndef OUTREACH_ERROR_H
#define OUTREACH_ERROR_H

#include <stdarg.h>
#include <stdbool.h>

struct error {
	char msg[1024];	/* one line, no trailing newline; empty when no error */
};

/* Sets err->msg from a printf-style format; err may be NULL. Always returns -1
 * so callers can write `return error_set(err, ...);`. */
int error_set(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int error_vset(struct error *err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Prefixes the current message: "prefix: old message". */
int error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void error_clear(struct error *err);
bool error_is_set(const struct error *err);

#endif
