/* template.c - compiles templates into a flat list of literal spans and field
 * slots, and renders that list; the language is described in template.h. */
#include "core/template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

static const char *const field_names[TEMPLATE_FIELD_COUNT] = {
	"business.name",
	"business.website",
	"business.email",
	"business.phone_number",
	"business.address",
	"contact.type",
	"contact.value",
	"campaign.name",
	"sender.name",
	"unsubscribe_url",
};

/* A literal has field -1; a field slot keeps its fallback as its text, so
 * the renderer treats "literal" and "missing value" the same way. All text
 * lives in one pool owned by the template. */
struct template_op {
	const char *text;
	size_t len;
	size_t off;		/* where text starts in the pool, while compiling */
	int field;
};

struct template {
	enum template_kind kind;
	unsigned used;		/* one bit per enum template_field */
	size_t nops;
	struct template_op *ops;
	char *pool;
};

/* A position in the template text, kept for error reports. */
struct mark {
	size_t offset;
	unsigned line;
	unsigned column;
};

struct parser {
	const char *s;
	struct mark at;
	enum template_kind kind;
	struct template_errors *errors;	/* may be NULL */
	bool failed;
	struct buf pool;
	struct template_op *ops;
	size_t nops;
	size_t cap;
	unsigned used;
};

/* Placeholder names longer than this are cut when quoted in a message, so a
 * message always fits its fixed-size field. */
#define QUOTE_MAX_CHARS 30

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s, 0 when s does not start one.
 * s is NUL-terminated: the decoder stops at a NUL. */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	return utf8_decode(s, 4, &cp);
}

/* Bytes of a character at s that would break a mail header or its display:
 * C0 controls (tab included), DEL, C1 controls and the Unicode line and
 * paragraph separators. 0 for anything else. */
static size_t header_control_len(const unsigned char *s)
{
	if (s[0] < 0x20 || s[0] == 0x7F)
		return 1;
	if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 2;
	if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
		return 3;
	return 0;
}

/* ---- error list ---- */

/* Keeps the list sorted by offset and holds at most TEMPLATE_MAX_ERRORS,
 * dropping the latest: errors mostly arrive in text order, but one about a
 * whole placeholder is only known after the errors inside it. */
static struct template_error *error_slot(struct template_errors *list,
					 size_t offset)
{
	size_t i = list->count;

	while (i > 0 && list->items[i - 1].offset > offset)
		i--;
	if (list->count == TEMPLATE_MAX_ERRORS) {
		list->truncated = true;
		if (i == list->count)
			return NULL;
		list->count--;
	}
	if (list->count == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 8;
		if (list->cap > TEMPLATE_MAX_ERRORS)
			list->cap = TEMPLATE_MAX_ERRORS;
		list->items = xreallocarray(list->items, list->cap,
					    sizeof *list->items);
	}
	memmove(&list->items[i + 1], &list->items[i],
		(list->count - i) * sizeof *list->items);
	list->count++;
	return &list->items[i];
}

static void add_error(struct parser *p, struct mark at, size_t length,
		      const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_error(struct parser *p, struct mark at, size_t length,
		      const char *hint, const char *fmt, ...)
{
	p->failed = true;
	if (!p->errors)
		return;
	struct template_error *e = error_slot(p->errors, at.offset);
	if (!e)
		return;
	e->line = at.line;
	e->column = at.column;
	e->offset = at.offset;
	e->length = length ? length : 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
}

/* ---- suggestions ---- */

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Edits (insert, delete, substitute, swap neighbours) between a typed name
 * and a field name, ignoring ASCII case: "Busines.Name" is one edit away. */
static size_t edit_distance(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b), rows[3][32];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= blen; j++)
		prev[j] = j;
	for (size_t i = 1; i <= alen; i++) {
		unsigned char ca = ascii_lower((unsigned char)a[i - 1]);
		cur[0] = i;
		for (size_t j = 1; j <= blen; j++) {
			unsigned char cb = (unsigned char)b[j - 1];
			size_t d = min3(prev[j] + 1, cur[j - 1] + 1,
					prev[j - 1] + (ca != cb));
			if (i > 1 && j > 1 && ca == (unsigned char)b[j - 2] &&
			    ascii_lower((unsigned char)a[i - 2]) == cb &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[blen];
}

/* True when name is the part after the dot of field ("email" for
 * business.email), a common shorthand. */
static bool is_last_part(const char *name, size_t len, const char *field)
{
	const char *dot = strchr(field, '.');
	const char *last = dot ? dot + 1 : field;

	if (strlen(last) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (ascii_lower((unsigned char)name[i]) != (unsigned char)last[i])
			return false;
	return true;
}

/* How many edits a guess at field may be away: a guess must be close
 * relative to the field's length, or it only confuses. */
static size_t edits_allowed(const char *field)
{
	size_t n = strlen(field) / 3;
	return n > 2 ? n : 2;
}

/* The field a mistyped name most likely meant, or -1. */
static int closest_field(const char *name, size_t len)
{
	int best = -1;
	size_t best_d = SIZE_MAX;

	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++) {
		size_t flen = strlen(field_names[f]);
		size_t allowed = edits_allowed(field_names[f]);
		/* The length difference alone is a lower bound on the edits;
		 * it keeps long garbage from costing a full comparison. */
		if (len > flen + allowed || flen > len + allowed)
			continue;
		size_t d = edit_distance(name, len, field_names[f]);
		if (d <= allowed && d < best_d) {
			best_d = d;
			best = f;
		}
	}
	if (best >= 0)
		return best;
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		if (is_last_part(name, len, field_names[f]))
			return f;
	return -1;
}

/* Copies a name for quoting in a message: at most QUOTE_MAX_CHARS
 * characters, with invalid bytes and control characters shown as '?'. */
static void quote_name(const char *name, size_t len, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, o = 0, chars = 0;

	while (i < len && chars < QUOTE_MAX_CHARS && o + 8 < size) {
		size_t n = utf8_len(s + i);
		if (n == 0 || i + n > len || header_control_len(s + i)) {
			out[o++] = '?';
			i += n && i + n <= len ? n : 1;
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
		chars++;
	}
	if (i < len)
		o += (size_t)snprintf(out + o, size - o, "...");
	out[o] = '\0';
}

/* ---- scanning ---- */

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Moves over n bytes of ASCII text that holds no line break. */
static void skip_ascii(struct parser *p, size_t n)
{
	p->at.offset += n;
	p->at.column += (unsigned)n;
}

static void append_literal(struct parser *p, const char *text, size_t n)
{
	struct template_op *last = p->nops ? &p->ops[p->nops - 1] : NULL;

	if (!last || last->field >= 0 || last->off + last->len != p->pool.len) {
		if (p->nops == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 16;
			p->ops = xreallocarray(p->ops, p->cap, sizeof *p->ops);
		}
		last = &p->ops[p->nops++];
		*last = (struct template_op){ .off = p->pool.len, .field = -1 };
	}
	buf_append(&p->pool, text, n);
	last->len += n;
}

/* Moves over a run of bytes that are not UTF-8 and reports the run once,
 * so text saved in another encoding gives an error per word, not per byte. */
static void skip_invalid(struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->s;
	struct mark start = p->at;

	while (s[p->at.offset] && utf8_len(s + p->at.offset) == 0) {
		p->at.offset++;
		p->at.column++;
	}
	add_error(p, start, p->at.offset - start.offset,
		  "save the template as UTF-8",
		  "invalid UTF-8 byte 0x%02X", s[start.offset]);
}

static uint32_t control_code_point(const unsigned char *s, size_t n)
{
	uint32_t cp = 0;
	utf8_decode(s, n, &cp);
	return cp;
}

/* A subject is one header line: a line break or control character written
 * into the template is refused rather than silently changed. Returns the
 * bytes it consumed, 0 when the character is fine. */
static size_t check_subject_char(struct parser *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p->s + p->at.offset;
	struct mark start = p->at;

	if (s[0] == '\r' || s[0] == '\n') {
		size_t len = s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		add_error(p, start, len, "remove the line break",
			  "a subject must be a single line");
		p->at.offset += len;
		if (s[len - 1] == '\n') {
			p->at.line++;
			p->at.column = 1;
		} else {
			p->at.column++;
		}
		return len;
	}
	if (s[0] == '\t' || header_control_len(s) != n)
		return 0;
	add_error(p, start, n, "remove it from the subject",
		  "control character U+%04X in a subject",
		  (unsigned)control_code_point(s, n));
	p->at.offset += n;
	p->at.column++;
	return n;
}

/* Moves over one character (or one run of invalid bytes), checking it and,
 * when keep is set, adding it to the literal text. */
static void consume_char(struct parser *p, bool keep)
{
	const unsigned char *s = (const unsigned char *)p->s + p->at.offset;
	size_t n = utf8_len(s);

	if (n == 0) {
		skip_invalid(p);
		return;
	}
	if (p->kind == TEMPLATE_SUBJECT && check_subject_char(p, n))
		return;
	if (keep)
		append_literal(p, (const char *)s, n);
	p->at.offset += n;
	if (s[0] == '\n') {
		p->at.line++;
		p->at.column = 1;
	} else {
		p->at.column++;
	}
}

/* ---- placeholders ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows s[*start..*end) to drop surrounding spaces and tabs. */
static void trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && is_space(s[*start]))
		(*start)++;
	while (*end > *start && is_space(s[*end - 1]))
		(*end)--;
}

/* False when an error at offset would not make it into the list, so the
 * work of wording it can be skipped. */
static bool error_wanted(const struct parser *p, size_t offset)
{
	const struct template_errors *list = p->errors;

	return list && (list->count < TEMPLATE_MAX_ERRORS ||
			list->items[list->count - 1].offset > offset);
}

static void report_unknown(struct parser *p, struct mark open, size_t length,
			   const char *name, size_t len)
{
	char quoted[QUOTE_MAX_CHARS * 4 + 8], hint[256];
	int f;

	if (!error_wanted(p, open.offset)) {
		add_error(p, open, length, NULL, "unknown field");
		return;
	}
	f = closest_field(name, len);
	quote_name(name, len, quoted, sizeof quoted);
	if (f >= 0)
		snprintf(hint, sizeof hint, "did you mean %s?", field_names[f]);
	else
		snprintf(hint, sizeof hint,
			 "known fields: business.name, business.website, "
			 "business.email, business.phone_number, "
			 "business.address, contact.type, contact.value, "
			 "campaign.name, sender.name, unsubscribe_url");
	add_error(p, open, length, hint, "unknown field '%s'", quoted);
}

static void add_field(struct parser *p, int field, const char *fallback,
		      size_t len)
{
	if (p->nops == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->ops = xreallocarray(p->ops, p->cap, sizeof *p->ops);
	}
	p->ops[p->nops++] = (struct template_op){
		.off = p->pool.len, .len = len, .field = field,
	};
	buf_append(&p->pool, fallback, len);
	p->used |= 1u << field;
}

/* Turns the inside of a closed placeholder, s[start..end) with its first
 * '|' at bar (== end when there is none), into a field slot or an error. */
static void finish_placeholder(struct parser *p, struct mark open,
			       size_t start, size_t bar, size_t end)
{
	size_t length = end + 2 - open.offset;
	size_t name_start = start, name_end = bar;
	size_t fb_start = bar < end ? bar + 1 : end, fb_end = end;

	trim(p->s, &name_start, &name_end);
	trim(p->s, &fb_start, &fb_end);
	if (name_start == name_end && bar < end) {
		add_error(p, open, length,
			  "put a field before it, as in {{business.address|your area}}",
			  "'|' without a field name");
		return;
	}
	if (name_start == name_end) {
		add_error(p, open, length,
			  "name a field, as in {{business.name}}; write {{{{ for a literal {{",
			  "empty placeholder");
		return;
	}
	int f = template_field_from_name(p->s + name_start,
					 name_end - name_start);
	if (f < 0) {
		report_unknown(p, open, length, p->s + name_start,
			       name_end - name_start);
		return;
	}
	add_field(p, f, p->s + fb_start, fb_end - fb_start);
}

/* At "{{": reads up to the matching "}}" on the same line. Another "{{",
 * a line break or the end of the text first means this one was never
 * closed; scanning then resumes there, so the next placeholder is still
 * checked on its own. */
static void parse_placeholder(struct parser *p)
{
	struct mark open = p->at;
	size_t start, bar = 0;
	bool has_bar = false;

	skip_ascii(p, 2);
	start = p->at.offset;
	for (;;) {
		const char *c = p->s + p->at.offset;
		if (c[0] == '}' && c[1] == '}')
			break;
		if (!c[0] || c[0] == '\n' || c[0] == '\r' ||
		    (c[0] == '{' && c[1] == '{')) {
			add_error(p, open, 2,
				  "close it with }} on the same line, or write {{{{ for a literal {{",
				  "unclosed '{{'");
			return;
		}
		if (c[0] == '|' && !has_bar) {
			has_bar = true;
			bar = p->at.offset;
		}
		consume_char(p, false);
	}
	finish_placeholder(p, open, start, has_bar ? bar : p->at.offset,
			   p->at.offset);
	skip_ascii(p, 2);
}

/* Moves over a run of printable ASCII without braces, the bulk of any
 * template, in one step: it needs no checks, one column per byte. */
static bool consume_plain_run(struct parser *p)
{
	const unsigned char *c = (const unsigned char *)p->s + p->at.offset;
	size_t n = 0;

	while (c[n] >= 0x20 && c[n] < 0x7F && c[n] != '{' && c[n] != '}')
		n++;
	if (n == 0)
		return false;
	append_literal(p, (const char *)c, n);
	skip_ascii(p, n);
	return true;
}

static void parse(struct parser *p)
{
	/* Without a list only success matters, so the first error ends it. */
	while (p->s[p->at.offset] && !(p->failed && !p->errors)) {
		const char *c = p->s + p->at.offset;
		if (consume_plain_run(p))
			continue;
		if (starts_with(c, "{{{{")) {
			append_literal(p, "{{", 2);
			skip_ascii(p, 4);
		} else if (starts_with(c, "{{")) {
			parse_placeholder(p);
		} else if (starts_with(c, "}}}}")) {
			append_literal(p, "}}", 2);
			skip_ascii(p, 4);
		} else if (starts_with(c, "}}")) {
			add_error(p, p->at, 2, "write }}}} for a literal }}",
				  "stray '}}' with no '{{' before it");
			skip_ascii(p, 2);
		} else {
			consume_char(p, true);
		}
	}
}

/* ---- compiling ---- */

static struct template *finish_template(struct parser *p)
{
	struct template *t = xcalloc(1, sizeof *t);

	t->kind = p->kind;
	t->used = p->used;
	t->nops = p->nops;
	t->ops = p->ops;
	t->pool = buf_detach(&p->pool);
	/* The pool moved while it grew; pointers are only safe now. */
	for (size_t i = 0; i < t->nops; i++)
		t->ops[i].text = t->pool + t->ops[i].off;
	return t;
}

struct template *template_compile(const char *text, enum template_kind kind,
				  struct template_errors *errors)
{
	struct parser p = {
		.s = text,
		.at = { .offset = 0, .line = 1, .column = 1 },
		.kind = kind,
		.errors = errors,
	};
	struct template *t = NULL;

	template_errors_clear(errors);
	parse(&p);
	if (!p.failed) {
		t = finish_template(&p);
	} else {
		free(p.ops);
		buf_free(&p.pool);
	}
	return t;
}

void template_free(struct template *t)
{
	if (!t)
		return;
	free(t->ops);
	free(t->pool);
	free(t);
}

/* ---- rendering ---- */

/* NULL, empty and all-white-space values all take the fallback: a name of
 * "  " in the data would otherwise print as a gap in the message. */
static bool is_blank(const char *v)
{
	if (!v)
		return true;
	while (*v == ' ' || (*v >= '\t' && *v <= '\r'))
		v++;
	return *v == '\0';
}

/* Appends a value for a subject: each run of control characters becomes
 * one space. Safe text is copied in spans, not byte by byte. */
static void append_header_safe(struct buf *out, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t span = 0;
	bool in_run = false;

	while (s[span]) {
		size_t n = header_control_len(s + span);
		if (n == 0) {
			span++;
			in_run = false;
			continue;
		}
		buf_append(out, s, span);
		if (!in_run)
			buf_putc(out, ' ');
		in_run = true;
		s += span + n;
		span = 0;
	}
	buf_append(out, s, span);
}

void template_render(const struct template *t,
		     const struct template_values *values, struct buf *out)
{
	buf_append(out, "", 0);	/* the output is a string even when empty */
	for (size_t i = 0; i < t->nops; i++) {
		const struct template_op *op = &t->ops[i];
		const char *v = op->field >= 0 ? values->v[op->field] : NULL;

		if (is_blank(v))
			buf_append(out, op->text, op->len);
		else if (t->kind == TEMPLATE_SUBJECT)
			append_header_safe(out, v);
		else
			buf_puts(out, v);
	}
}

bool template_uses_field(const struct template *t, enum template_field f)
{
	if ((unsigned)f >= TEMPLATE_FIELD_COUNT)
		return false;
	return (t->used >> f) & 1u;
}

/* ---- names and messages ---- */

const char *template_field_name(enum template_field f)
{
	return (unsigned)f < TEMPLATE_FIELD_COUNT ? field_names[f] : NULL;
}

int template_field_from_name(const char *name, size_t len)
{
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		if (strlen(field_names[f]) == len &&
		    memcmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

void template_error_format(const struct template_error *e, struct buf *out)
{
	buf_printf(out, "line %u, column %u: %s", e->line, e->column,
		   e->message);
	if (e->hint[0])
		buf_printf(out, " (%s)", e->hint);
}

void template_errors_clear(struct template_errors *errors)
{
	if (!errors)
		return;
	errors->count = 0;
	errors->truncated = false;
}

void template_errors_free(struct template_errors *errors)
{
	if (!errors)
		return;
	free(errors->items);
	*errors = (struct template_errors){ 0 };
}
