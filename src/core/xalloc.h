/* xalloc.h - allocation wrappers that never return NULL (they abort with a
 * message instead), and a growable byte buffer used across the program. */
#ifndef OUTREACH_XALLOC_H
#define OUTREACH_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable, always NUL-terminated byte buffer. Zero-initialise to use. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);	/* length 0, memory kept */
void buf_free(struct buf *b);	/* memory released; accepts a zeroed buf */
/* Hands the string to the caller (who frees it) and resets the buffer. */
char *buf_detach(struct buf *b);

#endif
