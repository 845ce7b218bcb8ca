/* htmldoc.h - the small interface the extractor uses to read HTML, so the
 * parser underneath can be swapped without touching the extraction rules. */
#ifndef OUTREACH_HTMLDOC_H
#define OUTREACH_HTMLDOC_H

#include <stddef.h>

struct html_doc;

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

/* Parses UTF-8 HTML, forgiving every error as browsers do. Returns NULL
 * only when nothing at all could be read (for example empty input). The
 * caller frees the document with html_doc_free(). */
struct html_doc *html_doc_parse(const char *utf8, size_t len);
void html_doc_walk(const struct html_doc *doc, const struct html_visitor *v);
void html_doc_free(struct html_doc *doc);

/* The value of attribute name (lower case) of el, or NULL when absent. */
const char *html_attr_get(const struct html_element *el, const char *name);

#endif
