/* jsonld.c - a minimal recursive-descent JSON reader for structured data
 * on web pages; it keeps no tree, only reports member strings as it goes. */
#include "core/jsonld.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Real structured data nests a handful of levels; the bound keeps a
 * hostile page from exhausting the stack. */
#define JSONLD_MAX_DEPTH 64

struct reader {
	const char *s;
	size_t n, pos;
	jsonld_found_fn found;
	void *ctx;
	struct buf str;		/* the string being decoded */
};

static void skip_space(struct reader *r)
{
	while (r->pos < r->n && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos])
		r->pos++;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;	/* a lone surrogate cannot be encoded */
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

/* \uXXXX, joining a surrogate pair when one follows. */
static int read_unicode_escape(struct reader *r)
{
	uint32_t cp, lo;

	if (r->pos + 4 > r->n || hex4(r->s + r->pos, &cp) < 0)
		return -1;
	r->pos += 4;
	if (cp >= 0xd800 && cp <= 0xdbff && r->pos + 6 <= r->n &&
	    r->s[r->pos] == '\\' && r->s[r->pos + 1] == 'u' &&
	    hex4(r->s + r->pos + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
		r->pos += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(&r->str, cp);
	return 0;
}

static int read_escape(struct reader *r)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

	if (r->pos >= r->n)
		return -1;
	char c = r->s[r->pos++];
	if (c == 'u')
		return read_unicode_escape(r);
	const char *p = c ? strchr(from, c) : NULL;
	if (!p)
		return -1;
	buf_putc(&r->str, to[p - from]);
	return 0;
}

/* Reads a string (opening quote already seen) into r->str. */
static int read_string(struct reader *r)
{
	buf_reset(&r->str);
	while (r->pos < r->n) {
		char c = r->s[r->pos++];
		if (c == '"')
			return 0;
		if (c == '\\') {
			if (read_escape(r) < 0)
				return -1;
		} else {
			buf_putc(&r->str, c);
		}
	}
	return -1;
}

static int read_value(struct reader *r, const char *key, int depth);

static int read_array(struct reader *r, const char *key, int depth)
{
	skip_space(r);
	if (r->pos < r->n && r->s[r->pos] == ']') {
		r->pos++;
		return 0;
	}
	for (;;) {
		if (read_value(r, key, depth + 1) < 0)
			return -1;
		skip_space(r);
		if (r->pos >= r->n)
			return -1;
		char c = r->s[r->pos++];
		if (c == ']')
			return 0;
		if (c != ',')
			return -1;
	}
}

static int read_object(struct reader *r, int depth)
{
	skip_space(r);
	if (r->pos < r->n && r->s[r->pos] == '}') {
		r->pos++;
		return 0;
	}
	for (;;) {
		skip_space(r);
		if (r->pos >= r->n || r->s[r->pos++] != '"' || read_string(r) < 0)
			return -1;
		char *key = xstrdup(r->str.data ? r->str.data : "");
		skip_space(r);
		int rc = -1;
		if (r->pos < r->n && r->s[r->pos++] == ':')
			rc = read_value(r, key, depth + 1);
		free(key);
		if (rc < 0)
			return -1;
		skip_space(r);
		if (r->pos >= r->n)
			return -1;
		char c = r->s[r->pos++];
		if (c == '}')
			return 0;
		if (c != ',')
			return -1;
	}
}

/* Numbers, true, false and null: nothing we report, so skip the word. */
static int skip_scalar(struct reader *r)
{
	size_t start = r->pos;
	while (r->pos < r->n && strchr("+-.0123456789eEtruefalsn", r->s[r->pos]) &&
	       r->s[r->pos])
		r->pos++;
	return r->pos > start ? 0 : -1;
}

/* key is the member name this value belongs to (inherited by array
 * elements), or NULL at the top and inside arrays of objects. */
static int read_value(struct reader *r, const char *key, int depth)
{
	if (depth > JSONLD_MAX_DEPTH)
		return -1;
	skip_space(r);
	if (r->pos >= r->n)
		return -1;
	char c = r->s[r->pos++];
	if (c == '{')
		return read_object(r, depth);
	if (c == '[')
		return read_array(r, key, depth);
	if (c == '"') {
		if (read_string(r) < 0)
			return -1;
		if (key && r->str.data)
			r->found(r->ctx, key, r->str.data);
		return 0;
	}
	r->pos--;
	return skip_scalar(r);
}

int jsonld_scan(const char *s, size_t n, jsonld_found_fn found, void *ctx)
{
	struct reader r = {.s = s, .n = n, .found = found, .ctx = ctx};
	int rc = 0;

	/* Several documents in one script happen in the wild (and so does
	 * an HTML comment around them); read values until the text ends. */
	skip_space(&r);
	while (rc == 0 && r.pos < r.n) {
		rc = read_value(&r, NULL, 0);
		skip_space(&r);
	}
	buf_free(&r.str);
	return rc;
}
