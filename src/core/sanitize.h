/* sanitize.h - making text from the database or the web safe to show on a
 * terminal: control characters and escape sequences become visible
 * (ESC as ^[, C1 controls as \x9b, bidi overrides as <U+202E>, invalid
 * UTF-8 as U+FFFD), and display widths are measured in terminal columns. */
#ifndef OUTREACH_SANITIZE_H
#define OUTREACH_SANITIZE_H

#include <stddef.h>

#include "core/xalloc.h"

/* Appends the visible rendering of s[0..n) to out; the result is valid
 * UTF-8 containing no control characters at all. */
void sanitize_append(struct buf *out, const char *s, size_t n);
/* Returns a newly allocated sanitised copy of a NUL-terminated string
 * (NULL gives ""); the caller frees it. */
char *sanitize_dup(const char *s);
/* Terminal columns taken by valid, sanitised UTF-8 text (wide characters
 * count 2, combining marks 0). Needs an UTF-8 LC_CTYPE. */
int text_width(const char *s);
/* Appends sanitised s cut to at most cols columns (ending in "…" when
 * cut) and padded with spaces to exactly cols columns. */
void text_fit(struct buf *out, const char *s, int cols);

#endif
