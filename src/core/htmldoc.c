/* htmldoc.c - the HTML reader behind htmldoc.h, on libxml2's forgiving
 * HTML parser: never touches the network, walks the tree without recursion. */
#include "core/htmldoc.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "core/xalloc.h"

struct html_doc {
	htmlDocPtr doc;
};

struct html_doc *html_doc_parse(const char *utf8, size_t len)
{
	static const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				   HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				   HTML_PARSE_COMPACT;

	if (len == 0)
		return NULL;
	/* The fetcher caps pages far below this; the parser takes an int. */
	if (len > INT_MAX)
		len = INT_MAX;
	xmlInitParser();
	htmlDocPtr doc = htmlReadMemory(utf8, (int)len, NULL, "UTF-8", options);
	if (!doc)
		return NULL;
	struct html_doc *d = xmalloc(sizeof *d);
	d->doc = doc;
	return d;
}

void html_doc_free(struct html_doc *doc)
{
	if (!doc)
		return;
	xmlFreeDoc(doc->doc);
	free(doc);
}

const char *html_attr_get(const struct html_element *el, const char *name)
{
	for (size_t i = 0; i < el->nattrs; i++)
		if (strcmp(el->attrs[i].name, name) == 0)
			return el->attrs[i].value;
	return NULL;
}

/* Attribute values are usually one text node we can point at; anything
 * else (entity references kept as nodes) is flattened into a copy that
 * lives in owned[] until the element has been visited. */
static void collect_attrs(xmlNodePtr node, struct html_attr **attrs,
			  size_t *cap, size_t *n, xmlChar ***owned,
			  size_t *nowned)
{
	*n = 0;
	*nowned = 0;
	for (xmlAttrPtr a = node->properties; a; a = a->next) {
		if (!a->name)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			*attrs = xreallocarray(*attrs, *cap, sizeof **attrs);
			*owned = xreallocarray(*owned, *cap, sizeof **owned);
		}
		const char *value = "";
		xmlNodePtr c = a->children;
		if (c && c->type == XML_TEXT_NODE && !c->next && c->content) {
			value = (const char *)c->content;
		} else if (c) {
			xmlChar *v = xmlNodeListGetString(node->doc, c, 1);
			if (v) {
				(*owned)[(*nowned)++] = v;
				value = (const char *)v;
			}
		}
		(*attrs)[*n].name = (const char *)a->name;
		(*attrs)[*n].value = value;
		(*n)++;
	}
}

static void visit_element(xmlNodePtr node, const struct html_visitor *v,
			  struct html_attr **attrs, size_t *cap,
			  xmlChar ***owned)
{
	struct html_element el = {.tag = (const char *)node->name};
	size_t nowned = 0;

	if (!v->enter)
		return;
	collect_attrs(node, attrs, cap, &el.nattrs, owned, &nowned);
	el.attrs = *attrs;
	v->enter(v->ctx, &el);
	for (size_t i = 0; i < nowned; i++)
		xmlFree((*owned)[i]);
}

static void visit_text(xmlNodePtr node, const struct html_visitor *v)
{
	if (v->text && node->content)
		v->text(v->ctx, (const char *)node->content,
			strlen((const char *)node->content));
}

/* Iterative so that a page of a million nested <div>s cannot overflow
 * the stack; parent pointers give us the way back up. */
void html_doc_walk(const struct html_doc *doc, const struct html_visitor *v)
{
	struct html_attr *attrs = NULL;
	xmlChar **owned = NULL;
	size_t cap = 0;
	xmlNodePtr root = (xmlNodePtr)doc->doc;
	xmlNodePtr node = root->children;

	while (node) {
		bool element = node->type == XML_ELEMENT_NODE && node->name;
		if (element)
			visit_element(node, v, &attrs, &cap, &owned);
		else if (node->type == XML_TEXT_NODE ||
			 node->type == XML_CDATA_SECTION_NODE)
			visit_text(node, v);
		if (element && node->children) {
			node = node->children;
			continue;
		}
		if (element && v->leave)
			v->leave(v->ctx, (const char *)node->name);
		while (!node->next) {
			node = node->parent;
			if (!node || node == root)
				goto done;
			if (node->type == XML_ELEMENT_NODE && node->name &&
			    v->leave)
				v->leave(v->ctx, (const char *)node->name);
		}
		node = node->next;
	}
done:
	free(attrs);
	free(owned);
}
