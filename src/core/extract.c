/* extract.c - walking a page once and handing each part to the rule that
 * reads it; the result set of contacts; contact forms; the extractor itself. */
#include "core/extract_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/htmldoc.h"
#include "core/jsonld.h"
#include "core/validate.h"
#include "core/xalloc.h"

enum {
	FLAG_HIDDEN = 1,	/* nothing inside is shown to a visitor */
	FLAG_NO_TEXT = 2,	/* script, style: not running text */
	FLAG_LDJSON = 4,
	FLAG_TITLE = 8,
	FLAG_CONTACT = 16,	/* marked as a contact section */
	FLAG_FORM = 32,
	FLAG_ANCHOR = 64,
	FLAG_BLOCK = 128,	/* breaks the running text */
};

struct form_state {
	bool textarea, message, password, search, excluded, contact;
};

struct walk {
	struct extractor *x;
	struct extract_result *out;	/* NULL when only links are wanted */
	bool contact_like;
	struct buf text, title, script;
	unsigned char *flags;		/* one entry per open element */
	size_t depth, cap;
	int hidden, no_text, contact_sections, forms;
	bool in_ldjson, in_title;
	struct form_state form;
	bool form_found;
	bool want_anchors;
	struct extract_anchor *anchors;
	size_t nanchors, capanchors;
	struct buf anchor_text;
	bool in_anchor;
};

/* What a tag alone says about an element, looked up once per element
 * (pages have thousands). Sorted by name for bsearch(). Tags not listed
 * are blocks. Inline elements flow inside a line: no word break around
 * them, so that "info<span>@</span>acme.de" reads as one address, as it
 * does on screen. */
enum {
	TAG_INLINE = 1,		/* no word break around it */
	TAG_NO_TEXT = 2,	/* its text is not page text */
	TAG_SCRIPT = 4,
	TAG_TITLE = 8,
	TAG_FORM = 16,
	TAG_LINK = 32,		/* a or area */
};

struct tag_kind {
	const char *name;
	unsigned char kind;
};

static const struct tag_kind tag_kinds[] = {
	{"a", TAG_INLINE | TAG_LINK}, {"abbr", TAG_INLINE},
	{"area", TAG_LINK}, {"b", TAG_INLINE}, {"bdi", TAG_INLINE},
	{"bdo", TAG_INLINE}, {"big", TAG_INLINE}, {"cite", TAG_INLINE},
	{"code", TAG_INLINE}, {"data", TAG_INLINE}, {"dfn", TAG_INLINE},
	{"em", TAG_INLINE}, {"font", TAG_INLINE}, {"form", TAG_FORM},
	{"head", TAG_NO_TEXT}, {"i", TAG_INLINE}, {"kbd", TAG_INLINE},
	{"label", TAG_INLINE}, {"mark", TAG_INLINE}, {"q", TAG_INLINE},
	{"s", TAG_INLINE}, {"samp", TAG_INLINE},
	{"script", TAG_NO_TEXT | TAG_SCRIPT}, {"small", TAG_INLINE},
	{"span", TAG_INLINE}, {"strong", TAG_INLINE}, {"style", TAG_NO_TEXT},
	{"sub", TAG_INLINE}, {"sup", TAG_INLINE}, {"template", TAG_NO_TEXT},
	{"textarea", TAG_NO_TEXT}, {"time", TAG_INLINE}, {"title", TAG_TITLE},
	{"tt", TAG_INLINE}, {"u", TAG_INLINE}, {"var", TAG_INLINE},
	{"wbr", TAG_INLINE},
};

static int tag_kind_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct tag_kind *)entry)->name);
}

static unsigned char tag_kind(const char *tag)
{
	const struct tag_kind *k = bsearch(tag, tag_kinds,
					   sizeof tag_kinds / sizeof *tag_kinds,
					   sizeof *tag_kinds, tag_kind_cmp);
	return k ? k->kind : 0;
}

static const char *const contact_words[] = {
	"contact", "kontakt", "wpcf7", "enquir", "inquir", "anfrage", NULL,
};

/* Forms that hold a text box but are not a way to write to the business. */
static const char *const excluded_form_words[] = {
	"comment", "search", "login", "signin", "sign-in", "register",
	"newsletter", "subscribe", "checkout", "cart", "review", NULL,
};

static const char *const message_words[] = {
	"message", "nachricht", "comment", "kommentar", "anfrage", "enquiry",
	"inquiry", "your-message", "msg", "mitteilung", "bericht", NULL,
};

static bool in_words(const char *const *list, const char *s)
{
	if (!s)
		return false;
	for (; *list; list++)
		if (strcasestr(s, *list))
			return true;
	return false;
}

/* ---- the result set ---- */

static void digits_of(const char *s, char *d, size_t cap)
{
	size_t k = 0;
	for (; *s && k + 1 < cap; s++)
		if (isdigit((unsigned char)*s))
			d[k++] = *s;
	d[k] = '\0';
}

static bool same_contact(enum contact_type t, const char *a, const char *b)
{
	if (t == CONTACT_PHONE) {
		char da[64], db[64];
		digits_of(a, da, sizeof da);
		digits_of(b, db, sizeof db);
		return strcmp(da, db) == 0;
	}
	if (t == CONTACT_CONTACT_FORM)
		return strcmp(a, b) == 0;
	return strcasecmp(a, b) == 0;
}

bool extract_result_add(struct extract_result *r, enum contact_type type,
			const char *value)
{
	for (size_t i = 0; i < r->len; i++)
		if (r->items[i].type == type &&
		    same_contact(type, r->items[i].value, value))
			return false;
	if (r->len == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->items = xreallocarray(r->items, r->cap, sizeof *r->items);
	}
	r->items[r->len].type = type;
	r->items[r->len].value = xstrdup(value);
	r->len++;
	return true;
}

void extract_result_free(struct extract_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->len; i++)
		free(r->items[i].value);
	free(r->items);
	memset(r, 0, sizeof *r);
}

void extract_links_free(struct extract_links *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i].url);
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* ---- single rules ---- */

static void add_phone(const char *raw, struct extract_result *out)
{
	char *norm = NULL;
	if (normalize_phone(raw, &norm, NULL) == 0)
		extract_result_add(out, CONTACT_PHONE, norm);
	free(norm);
}

/* tel:+49-30-1234567;ext=2 - parameters after ';' are not the number. */
static void add_tel(const char *href, struct extract_result *out)
{
	const char *p = strchr(href, ':') + 1;
	while (*p == '/')
		p++;
	char *num = extract_percent_decode(p, strcspn(p, ";?#"));
	if (utf8_valid(num, strlen(num)))
		add_phone(num, out);
	free(num);
}

static void on_href(struct walk *w, const char *href)
{
	while (isspace((unsigned char)*href))
		href++;
	const char *cf = strstr(href, "/cdn-cgi/l/email-protection#");
	if (strncasecmp(href, "mailto:", 7) == 0)
		extract_mailto(w->x, href, w->out);
	else if (strncasecmp(href, "tel:", 4) == 0 ||
		 strncasecmp(href, "callto:", 7) == 0)
		add_tel(href, w->out);
	else if (cf)
		extract_cfemail(w->x, cf + strlen("/cdn-cgi/l/email-protection#"),
				w->out);
	else
		extract_social_url(href, w->out);
}

static void on_jsonld_value(void *ctx, const char *key, const char *value)
{
	struct walk *w = ctx;
	if (!utf8_valid(value, strlen(value)))
		return;
	if (strcasecmp(key, "email") == 0) {
		if (strncasecmp(value, "mailto:", 7) == 0)
			extract_mailto(w->x, value, w->out);
		else
			extract_email_candidate(w->x, value, w->out);
	} else if (strcasecmp(key, "telephone") == 0) {
		add_phone(value, w->out);
	} else if (strcasecmp(key, "sameAs") == 0) {
		extract_social_url(value, w->out);
	}
}

/* ---- forms ---- */

static void form_start(struct walk *w, const struct html_element *el)
{
	const char *attrs[] = {"id", "class", "name", "action", "aria-label"};
	memset(&w->form, 0, sizeof w->form);
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
		const char *v = html_attr_get(el, attrs[i]);
		w->form.contact |= in_words(contact_words, v);
		w->form.excluded |= in_words(excluded_form_words, v);
	}
	w->form.contact |= w->contact_sections > 0;
}

static void form_field(struct walk *w, const struct html_element *el)
{
	const char *type = html_attr_get(el, "type");
	const char *name = html_attr_get(el, "name");
	const char *id = html_attr_get(el, "id");

	if (strcmp(el->tag, "textarea") == 0)
		w->form.textarea = true;
	if (strcmp(el->tag, "input") != 0 && strcmp(el->tag, "textarea") != 0)
		return;
	if (type && strcasecmp(type, "password") == 0)
		w->form.password = true;
	if ((type && strcasecmp(type, "search") == 0) ||
	    (name && (strcmp(name, "q") == 0 || strcmp(name, "s") == 0)))
		w->form.search = true;
	if (type && strcasecmp(type, "hidden") == 0)
		return;
	if (in_words(message_words, name) || in_words(message_words, id))
		w->form.message = true;
}

/* A form is a way to write to the business when it has room for a
 * message, asks for no password, is not a search, comment or newsletter
 * form, and sits on a contact-like page (the caller says so, or the URL
 * or <title> says "contact") or in an element marked as a contact section.
 * A blog's comment form has a text box too; this is what tells them apart. */
static void form_end(struct walk *w)
{
	struct form_state *f = &w->form;
	bool contact_page = w->contact_like || f->contact ||
			    extract_text_is_contact_like(w->title.data);
	if ((f->textarea || f->message) && !f->password && !f->search &&
	    !f->excluded && contact_page)
		w->form_found = true;
}

/* ---- the walk ---- */

static bool inline_hidden(const struct html_element *el)
{
	const char *style = html_attr_get(el, "style");
	if (html_attr_get(el, "hidden"))
		return true;
	if (!style)
		return false;
	char *s = xstrdup(style);
	char *d = s;
	for (const char *p = style; *p; p++)
		if (!isspace((unsigned char)*p))
			*d++ = (char)tolower((unsigned char)*p);
	*d = '\0';
	bool hidden = strstr(s, "display:none") || strstr(s, "visibility:hidden");
	free(s);
	return hidden;
}

static unsigned char element_flags(struct walk *w,
				   const struct html_element *el)
{
	unsigned char f = 0;
	unsigned char kind = tag_kind(el->tag);

	if (inline_hidden(el))
		f |= FLAG_HIDDEN;
	if (kind & TAG_NO_TEXT)
		f |= FLAG_NO_TEXT;
	if (kind & TAG_SCRIPT) {
		const char *type = html_attr_get(el, "type");
		if (type && strcasestr(type, "ld+json"))
			f |= FLAG_LDJSON;
	}
	if (kind & TAG_TITLE)
		f |= FLAG_TITLE;
	if (in_words(contact_words, html_attr_get(el, "id")) ||
	    in_words(contact_words, html_attr_get(el, "class")))
		f |= FLAG_CONTACT;
	if ((kind & TAG_FORM) && w->forms == 0)
		f |= FLAG_FORM;
	if ((kind & TAG_LINK) && !w->in_anchor && html_attr_get(el, "href"))
		f |= FLAG_ANCHOR;
	if (!(kind & TAG_INLINE))
		f |= FLAG_BLOCK;
	return f;
}

static void push_flags(struct walk *w, unsigned char f)
{
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->flags = xrealloc(w->flags, w->cap);
	}
	w->flags[w->depth++] = f;
}

static void anchor_start(struct walk *w, const struct html_element *el)
{
	if (w->nanchors == w->capanchors) {
		w->capanchors = w->capanchors ? w->capanchors * 2 : 32;
		w->anchors = xreallocarray(w->anchors, w->capanchors,
					   sizeof *w->anchors);
	}
	w->anchors[w->nanchors].href = xstrdup(html_attr_get(el, "href"));
	w->anchors[w->nanchors].text = NULL;
	w->nanchors++;
	w->in_anchor = true;
	buf_reset(&w->anchor_text);
	const char *label = html_attr_get(el, "title");
	if (label)
		buf_printf(&w->anchor_text, "%s ", label);
	label = html_attr_get(el, "aria-label");
	if (label)
		buf_printf(&w->anchor_text, "%s ", label);
}

static void visible_element(struct walk *w, const struct html_element *el)
{
	const char *cf = html_attr_get(el, "data-cfemail");
	if (cf)
		extract_cfemail(w->x, cf, w->out);
	if (!strcmp(el->tag, "a") || !strcmp(el->tag, "area")) {
		const char *href = html_attr_get(el, "href");
		if (href)
			on_href(w, href);
	}
	if (w->forms > 0)
		form_field(w, el);
	if (w->in_anchor && !strcmp(el->tag, "img")) {
		const char *alt = html_attr_get(el, "alt");
		if (alt)
			buf_printf(&w->anchor_text, " %s ", alt);
	}
}

static void on_enter(void *ctx, const struct html_element *el)
{
	struct walk *w = ctx;
	unsigned char f = element_flags(w, el);

	push_flags(w, f);
	if (f & FLAG_BLOCK)
		buf_putc(&w->text, '\n');
	w->hidden += !!(f & FLAG_HIDDEN);
	w->no_text += !!(f & FLAG_NO_TEXT);
	w->in_ldjson |= !!(f & FLAG_LDJSON);
	w->in_title |= !!(f & FLAG_TITLE);
	w->contact_sections += !!(f & FLAG_CONTACT);
	if (f & FLAG_ANCHOR && w->want_anchors)
		anchor_start(w, el);
	if (f & FLAG_FORM)
		form_start(w, el);
	w->forms += !!(f & FLAG_FORM);
	if (w->out && !w->hidden)
		visible_element(w, el);
}

static void on_leave(void *ctx, const char *tag)
{
	struct walk *w = ctx;
	(void)tag;
	if (w->depth == 0)
		return;
	unsigned char f = w->flags[--w->depth];

	if (f & FLAG_BLOCK)
		buf_putc(&w->text, '\n');
	if (f & FLAG_LDJSON) {
		if (w->out && !w->hidden)
			jsonld_scan(w->script.data, w->script.len,
				    on_jsonld_value, w);
		buf_reset(&w->script);
		w->in_ldjson = false;
	}
	if (f & FLAG_TITLE)
		w->in_title = false;
	if (f & FLAG_FORM) {
		form_end(w);
		w->forms--;
	}
	if (f & FLAG_ANCHOR && w->want_anchors) {
		w->anchors[w->nanchors - 1].text = buf_detach(&w->anchor_text);
		w->in_anchor = false;
	}
	w->hidden -= !!(f & FLAG_HIDDEN);
	w->no_text -= !!(f & FLAG_NO_TEXT);
	w->contact_sections -= !!(f & FLAG_CONTACT);
}

/* Appends page text, folding the characters pages use to break up an
 * address (no-break and zero-width spaces, soft hyphens, BOMs). Runs of
 * other bytes are copied whole: those all start with 0xc2, 0xe2 or 0xef. */
static void append_text(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0;		/* start of the bytes not yet copied */
	for (size_t i = 0; i < n; i++) {
		/* Eight ASCII bytes at a time: none can start a fold. */
		while (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, u + i, 8);
			if (v & 0x8080808080808080ull)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (u[i] != 0xc2 && u[i] != 0xe2 && u[i] != 0xef)
			continue;
		size_t skip = 0;
		bool space = false;
		if (i + 1 < n && u[i] == 0xc2 && u[i + 1] == 0xa0)
			skip = 2, space = true;
		else if (i + 1 < n && u[i] == 0xc2 && u[i + 1] == 0xad)
			skip = 2;
		else if (i + 2 < n && u[i] == 0xe2 && u[i + 1] == 0x80 &&
			 u[i + 2] >= 0x8b && u[i + 2] <= 0x8d)
			skip = 3;
		else if (i + 2 < n && u[i] == 0xef && u[i + 1] == 0xbb &&
			 u[i + 2] == 0xbf)
			skip = 3;
		if (!skip)
			continue;
		buf_append(b, s + run, i - run);
		if (space)
			buf_putc(b, ' ');
		i += skip - 1;
		run = i + 1;
	}
	buf_append(b, s + run, n - run);
}

static void on_text(void *ctx, const char *s, size_t n)
{
	struct walk *w = ctx;
	if (w->in_ldjson) {
		buf_append(&w->script, s, n);
		return;
	}
	if (w->in_title) {
		buf_append(&w->title, s, n);
		return;
	}
	if (w->in_anchor && w->want_anchors)
		append_text(&w->anchor_text, s, n);
	if (!w->hidden && !w->no_text)
		append_text(&w->text, s, n);
}

static void walk_free(struct walk *w)
{
	buf_free(&w->text);
	buf_free(&w->title);
	buf_free(&w->script);
	buf_free(&w->anchor_text);
	free(w->flags);
	for (size_t i = 0; i < w->nanchors; i++) {
		free(w->anchors[i].href);
		free(w->anchors[i].text);
	}
	free(w->anchors);
}

static void run_walk(struct walk *w, const char *html, size_t len)
{
	struct html_visitor v = {w, on_enter, on_leave, on_text};

	if (!html_read(w->x->html, html, len, &v))
		return;
	/* An anchor left open by a truncated page still gets its text. */
	if (w->in_anchor && w->nanchors)
		w->anchors[w->nanchors - 1].text = buf_detach(&w->anchor_text);
}

/* What both public entry points share: one parse of the page, contacts
 * into out (when not NULL), links into links (when not NULL). */
static void extract_once(struct extractor *x, const char *html, size_t len,
			 const char *page_url, const char *site_url,
			 bool contact_like, struct extract_result *out,
			 struct extract_links *links)
{
	struct walk w = {.x = x, .out = out, .want_anchors = links != NULL};
	if (out)
		w.contact_like = contact_like || extract_url_is_contact_like(page_url);
	run_walk(&w, html, len);
	if (out && w.text.len)
		extract_emails_in_text(x, w.text.data, w.text.len, out);
	char *form = NULL;
	if (out && w.form_found && (form = extract_page_address(page_url)))
		extract_result_add(out, CONTACT_CONTACT_FORM, form);
	free(form);
	if (links)
		extract_select_links(w.anchors, w.nanchors, page_url, site_url,
				     links);
	walk_free(&w);
}

int extract_contacts(struct extractor *x, const char *html, size_t len,
		     const char *page_url, bool contact_like,
		     struct extract_result *out, struct error *err)
{
	if (!x || !out || (!html && len))
		return error_set(err, "extract_contacts: missing argument");
	extract_once(x, html, len, page_url, NULL, contact_like, out, NULL);
	return 0;
}

int extract_links(struct extractor *x, const char *html, size_t len,
		  const char *page_url, const char *site_url,
		  struct extract_links *out, struct error *err)
{
	if (!x || !out || !page_url || (!html && len))
		return error_set(err, "extract_links: missing argument");
	extract_once(x, html, len, page_url, site_url, false, NULL, out);
	return 0;
}

int extract_page(struct extractor *x, const char *html, size_t len,
		 const char *page_url, const char *site_url, bool contact_like,
		 struct extract_result *contacts, struct extract_links *links,
		 struct error *err)
{
	if (!x || !page_url || (!html && len))
		return error_set(err, "extract_page: missing argument");
	extract_once(x, html, len, page_url, site_url, contact_like, contacts,
		     links);
	return 0;
}

struct extractor *extractor_new(struct error *err)
{
	struct extractor *x = xcalloc(1, sizeof *x);
	x->html = html_reader_new();
	if (extract_email_init(x, err) < 0) {
		extractor_free(x);
		return NULL;
	}
	return x;
}

void extractor_free(struct extractor *x)
{
	if (!x)
		return;
	extract_email_fini(x);
	html_reader_free(x->html);
	free(x);
}
