/* htmldoc.h - the small interface the extractor uses to read HTML, so the
 * parser underneath can be swapped without touching the extraction rules. */
#ifndef OUTREACH_HTMLDOC_H
#define OUTREACH_HTMLDOC_H

#include <stdbool.h>
#include <stddef.h>

struct html_attr {
	const char *name;	/* lower case */
	const char *value;	/* entities decoded, "" for a bare attribute */
};

struct html_element {
	const char *tag;	/* lower case */
	const struct html_attr *attrs;
	size_t nattrs;
};

/* Callbacks for a depth-first walk. Every enter() is matched by a leave()
 * with the same tag; text() gets character data (entities decoded, also
 * the raw content of <script> and <style>). Pointers are valid only during
 * the call. Any callback may be NULL. */
struct html_visitor {
	void *ctx;
	void (*enter)(void *ctx, const struct html_element *el);
	void (*leave)(void *ctx, const char *tag);
	void (*text)(void *ctx, const char *s, size_t n);
};

/* A reusable HTML reader: its parser's set-up is paid once for many
 * pages. Not shared between threads: give each thread its own. */
struct html_reader;

struct html_reader *html_reader_new(void);
void html_reader_free(struct html_reader *r);

/* Parses UTF-8 HTML, forgiving every error as browsers do, and reports
 * the document to v as it is read, in the order a depth-first walk of its
 * tree would: no tree is built, so a page costs one pass and no nesting
 * depth can exhaust the stack. Returns false when nothing at all could be
 * read (for example empty input). */
bool html_read(struct html_reader *r, const char *utf8, size_t len,
	       const struct html_visitor *v);

/* The value of attribute name (lower case) of el, or NULL when absent. */
const char *html_attr_get(const struct html_element *el, const char *name);

#endif
