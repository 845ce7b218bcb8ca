/* error.c - filling and prefixing struct error messages.
 * Kept tiny and allocation-free so it works when memory is short. */
#include "core/error.h"

#include <stdio.h>
#include <string.h>

int error_vset(struct error *err, const char *fmt, va_list ap)
{
	if (err) {
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		/* A message is one line: fold stray newlines from libraries. */
		for (char *p = err->msg; *p; p++)
			if (*p == '\n' || *p == '\r')
				*p = ' ';
		size_t n = strlen(err->msg);
		while (n > 0 && err->msg[n - 1] == ' ')
			err->msg[--n] = '\0';
	}
	return -1;
}

int error_set(struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, fmt, ap);
	va_end(ap);
	return -1;
}

int error_prefix(struct error *err, const char *fmt, ...)
{
	if (!err)
		return -1;
	char prefix[512], old[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	/* Truncation is acceptable: a long message keeps its start. */
	size_t n = strlen(prefix);
	if (n > sizeof err->msg - 3)
		n = sizeof err->msg - 3;
	memcpy(err->msg, prefix, n);
	memcpy(err->msg + n, ": ", 2);
	size_t rest = sizeof err->msg - n - 3;
	size_t olen = strnlen(old, rest);
	memcpy(err->msg + n + 2, old, olen);
	err->msg[n + 2 + olen] = '\0';
	return -1;
}

void error_clear(struct error *err)
{
	if (err)
		err->msg[0] = '\0';
}

bool error_is_set(const struct error *err)
{
	return err && err->msg[0] != '\0';
}
