/* htmldoc.c - the HTML reader behind htmldoc.h, on libxml2's forgiving
 * HTML parser driven through its SAX callbacks: the parser's own element
 * stack (with its implied and auto-closed elements) gives the nesting, so
 * the events are those the parsed tree would give, without building it.
 * Never touches the network. */
#include "core/htmldoc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "core/xalloc.h"

/* A parser context is reused for this many pages, then made anew: its
 * dictionary keeps every element and attribute name it has seen, and a
 * hostile page could otherwise make it grow for the rest of a scan. */
#define PAGES_PER_CONTEXT 200

struct html_reader {
	htmlParserCtxtPtr ctxt;
	int pages;
	const struct html_visitor *v;	/* of the page being read */
	struct html_attr *attrs;
	size_t cap;
};

static struct html_reader *reader_of(void *ctx)
{
	return ((htmlParserCtxtPtr)ctx)->_private;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct html_reader *r = reader_of(ctx);
	if (!r->v->enter || !name)
		return;
	size_t n = 0;
	for (const xmlChar **a = atts; a && a[0]; a += 2) {
		if (n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->attrs = xreallocarray(r->attrs, r->cap, sizeof *r->attrs);
		}
		r->attrs[n].name = (const char *)a[0];
		r->attrs[n].value = a[1] ? (const char *)a[1] : "";
		n++;
	}
	struct html_element el = {
		.tag = (const char *)name, .attrs = r->attrs, .nattrs = n,
	};
	r->v->enter(r->v->ctx, &el);
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct html_reader *r = reader_of(ctx);
	if (r->v->leave && name)
		r->v->leave(r->v->ctx, (const char *)name);
}

static void on_chars(void *ctx, const xmlChar *s, int len)
{
	struct html_reader *r = reader_of(ctx);
	if (r->v->text && len > 0)
		r->v->text(r->v->ctx, (const char *)s, (size_t)len);
}

/* Whitespace the parser calls insignificant (between the head's
 * elements, say) is dropped, as the tree builder drops it. */
static void on_blanks(void *ctx, const xmlChar *s, int len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static htmlParserCtxtPtr new_context(struct html_reader *r)
{
	htmlParserCtxtPtr c = htmlNewParserCtxt();
	if (!c)
		return NULL;
	htmlSAXHandler *sax = c->sax;
	memset(sax, 0, sizeof *sax);
	sax->startElement = on_start;
	sax->endElement = on_end;
	sax->characters = on_chars;
	sax->cdataBlock = on_chars;
	sax->ignorableWhitespace = on_blanks;
	sax->warning = quiet;
	sax->error = quiet;
	sax->fatalError = quiet;
	c->_private = r;
	return c;
}

struct html_reader *html_reader_new(void)
{
	xmlInitParser();
	return xcalloc(1, sizeof(struct html_reader));
}

void html_reader_free(struct html_reader *r)
{
	if (!r)
		return;
	if (r->ctxt)
		htmlFreeParserCtxt(r->ctxt);
	free(r->attrs);
	free(r);
}

bool html_read(struct html_reader *r, const char *utf8, size_t len,
	       const struct html_visitor *v)
{
	static const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				   HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				   HTML_PARSE_COMPACT;

	if (len == 0)
		return false;
	/* The fetcher caps pages far below this; the parser takes an int. */
	if (len > INT_MAX)
		len = INT_MAX;
	if (r->ctxt && r->pages >= PAGES_PER_CONTEXT) {
		htmlFreeParserCtxt(r->ctxt);
		r->ctxt = NULL;
	}
	if (!r->ctxt) {
		r->ctxt = new_context(r);
		r->pages = 0;
		if (!r->ctxt)
			return false;
	}
	r->pages++;
	r->v = v;
	/* No document is built (no startDocument callback), so there is
	 * nothing to free afterwards. */
	htmlDocPtr doc = htmlCtxtReadMemory(r->ctxt, utf8, (int)len, NULL,
					    "UTF-8", options);
	if (doc)
		xmlFreeDoc(doc);
	r->v = NULL;
	return true;
}

const char *html_attr_get(const struct html_element *el, const char *name)
{
	for (size_t i = 0; i < el->nattrs; i++)
		if (strcmp(el->attrs[i].name, name) == 0)
			return el->attrs[i].value;
	return NULL;
}
