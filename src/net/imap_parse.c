/* imap_parse.c - reading what an IMAP server sends back, byte by byte with
 * every length checked: the server and the mail in it are not trusted. A
 * literal ({N} then N bytes) may contain anything, so responses are
 * measured by their literals, never by looking for line ends in them. */
#include "net/imap.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/xalloc.h"

/* Reads the literal announcement that ends the line buf[start..end), where
 * end is the CR or LF. 1 with *len when there is one, 0 when not, -1
 * when it is malformed or too long. */
static int literal_at_end(const char *buf, size_t start, size_t end,
			  size_t max_literal, size_t *len)
{
	if (end <= start || buf[end - 1] != '}')
		return 0;
	size_t k = end - 1;
	if (k > start && buf[k - 1] == '+')
		k--;
	size_t d = k;
	while (d > start && isdigit((unsigned char)buf[d - 1]))
		d--;
	if (d == k || d == start || buf[d - 1] != '{')
		return 0;	/* a brace in text, not a literal */
	if (k - d > 10)
		return -1;
	unsigned long long n = 0;
	for (size_t i = d; i < k; i++)
		n = n * 10 + (unsigned)(buf[i] - '0');
	if (n > max_literal)
		return -1;
	*len = (size_t)n;
	return 1;
}

long imap_response_length(const char *buf, size_t n, size_t max_literal)
{
	size_t i = 0;
	for (;;) {
		const char *lf = i < n ? memchr(buf + i, '\n', n - i) : NULL;
		if (!lf)
			return 0;
		size_t eol = (size_t)(lf - buf);
		size_t end = eol > i && buf[eol - 1] == '\r' ? eol - 1 : eol;
		size_t len;
		int lit = literal_at_end(buf, i, end, max_literal, &len);
		if (lit < 0)
			return -1;
		if (lit == 0)
			return eol + 1 > (size_t)LONG_MAX ? -1 : (long)(eol + 1);
		size_t body = eol + 1;
		if (n - body < len)
			return 0;
		i = body + len;
	}
}

/* ---------------------------------------------------------------- tokens */

struct cursor {
	const char *p, *end;
};

static bool at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

static bool take_char(struct cursor *c, char ch)
{
	if (at_end(c) || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* Takes word (case-insensitive) when it comes next. */
static bool take_word(struct cursor *c, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(c->end - c->p) < n || strncasecmp(c->p, word, n) != 0)
		return false;
	c->p += n;
	return true;
}

static void skip_spaces(struct cursor *c)
{
	while (!at_end(c) && *c->p == ' ')
		c->p++;
}

/* A number from 0 to 2^32 - 1. */
static bool take_number(struct cursor *c, uint32_t *out)
{
	uint64_t v = 0;
	const char *start = c->p;
	while (!at_end(c) && isdigit((unsigned char)*c->p)) {
		v = v * 10 + (unsigned)(*c->p - '0');
		if (v > UINT32_MAX)
			return false;
		c->p++;
	}
	if (c->p == start)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Takes one value: a quoted string, a literal, NIL, a parenthesised list
 * or an atom. For a string or literal, *s and *len give its raw bytes (NULL
 * for NIL and others). false when it is malformed. */
static bool take_value(struct cursor *c, const char **s, size_t *len,
		       int depth)
{
	*s = NULL;
	*len = 0;
	if (at_end(c) || depth > 16)
		return false;
	if (*c->p == '"') {
		const char *start = ++c->p;
		while (!at_end(c) && *c->p != '"') {
			if (*c->p == '\\')
				c->p++;
			if (!at_end(c) && (*c->p == '\r' || *c->p == '\n'))
				return false;
			if (!at_end(c))
				c->p++;
		}
		if (at_end(c))
			return false;
		*s = start;
		*len = (size_t)(c->p - start);
		c->p++;
		return true;
	}
	if (*c->p == '{') {
		uint32_t n;
		c->p++;
		if (!take_number(c, &n) || n > IMAP_MAX_LITERAL)
			return false;
		take_char(c, '+');
		if (!take_char(c, '}'))
			return false;
		take_char(c, '\r');
		if (!take_char(c, '\n') || (size_t)(c->end - c->p) < n)
			return false;
		*s = c->p;
		*len = n;
		c->p += n;
		return true;
	}
	if (*c->p == '(') {
		c->p++;
		for (;;) {
			skip_spaces(c);
			if (take_char(c, ')'))
				return true;
			const char *ignored;
			size_t ignored_len;
			if (!take_value(c, &ignored, &ignored_len, depth + 1))
				return false;
		}
	}
	const char *start = c->p;
	while (!at_end(c) && *c->p != ' ' && *c->p != ')' && *c->p != '(' &&
	       *c->p != '\r' && *c->p != '\n') {
		if (*c->p == '[') {	/* a section: BODY[HEADER.FIELDS (A B)] */
			const char *close = memchr(c->p, ']', (size_t)(c->end - c->p));
			if (!close)
				return false;
			c->p = close;
		}
		c->p++;
	}
	return c->p > start;
}

/* ---------------------------------------------------------------- FETCH */

int imap_parse_fetch(const char *resp, size_t len, struct imap_fetch *out)
{
	struct cursor c = {resp, resp + len};
	memset(out, 0, sizeof *out);
	if (!take_word(&c, "* ") || !take_number(&c, &out->seq) ||
	    !take_word(&c, " FETCH "))
		return 1;
	if (!take_char(&c, '('))
		return -1;
	for (;;) {
		skip_spaces(&c);
		if (take_char(&c, ')'))
			break;
		const char *name = c.p, *ignored;
		size_t ignored_len;
		if (!take_value(&c, &ignored, &ignored_len, 0) || ignored)
			return -1;	/* an item name is an atom */
		size_t name_len = (size_t)(c.p - name);
		if (!take_char(&c, ' '))
			return -1;
		if (name_len == 3 && strncasecmp(name, "UID", 3) == 0) {
			if (!take_number(&c, &out->uid))
				return -1;
		} else if ((name_len > 5 && strncasecmp(name, "BODY[", 5) == 0) ||
			   (name_len == 13 && strncasecmp(name, "RFC822.HEADER", 13) == 0)) {
			if (!take_value(&c, &out->header, &out->header_len, 0))
				return -1;
		} else if (!take_value(&c, &ignored, &ignored_len, 0)) {
			return -1;
		}
	}
	return out->uid > 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- SEARCH */

int imap_parse_search(const char *resp, size_t len,
		      void (*add)(void *arg, uint32_t uid), void *arg)
{
	struct cursor c = {resp, resp + len};
	if (!take_word(&c, "* SEARCH"))
		return 1;
	if (!at_end(&c) && *c.p != ' ' && *c.p != '\r' && *c.p != '\n')
		return 1;	/* another word that starts the same */
	for (;;) {
		skip_spaces(&c);
		if (at_end(&c) || *c.p == '\r' || *c.p == '\n')
			return 0;
		uint32_t uid;
		if (!take_number(&c, &uid) || uid == 0)
			return -1;
		add(arg, uid);
	}
}

/* ---------------------------------------------------------------- STATUS */

int imap_parse_status(const char *resp, size_t len, uint32_t *uidvalidity,
		      uint32_t *uidnext)
{
	struct cursor c = {resp, resp + len};
	*uidvalidity = *uidnext = 0;
	if (!take_word(&c, "* STATUS "))
		return 1;
	const char *ignored;
	size_t ignored_len;
	if (!take_value(&c, &ignored, &ignored_len, 0))	/* the mailbox */
		return -1;
	skip_spaces(&c);
	if (!take_char(&c, '('))
		return -1;
	for (;;) {
		skip_spaces(&c);
		if (take_char(&c, ')'))
			return 0;
		uint32_t v;
		bool validity = take_word(&c, "UIDVALIDITY ");
		bool next = !validity && take_word(&c, "UIDNEXT ");
		if (validity || next) {
			if (!take_number(&c, validity ? uidvalidity : uidnext))
				return -1;
			continue;
		}
		/* another item: a name, then a number */
		if (!take_value(&c, &ignored, &ignored_len, 0) ||
		    !take_char(&c, ' ') || !take_number(&c, &v))
			return -1;
	}
}

int imap_parse_uidvalidity(const char *resp, size_t len, uint32_t *uidvalidity)
{
	struct cursor c = {resp, resp + len};
	if (!take_word(&c, "* OK [UIDVALIDITY ") || !take_number(&c, uidvalidity) ||
	    !take_char(&c, ']'))
		return 1;
	return 0;
}

/* ---------------------------------------------------------------- headers */

static bool add_id(struct mail_refs *r, const char *s, size_t n)
{
	if (r->count >= IMAP_MAX_REFS)
		return false;
	for (size_t i = 0; i < r->count; i++)
		if (strlen(r->ids[i]) == n && memcmp(r->ids[i], s, n) == 0)
			return true;
	r->ids[r->count++] = xstrndup(s, n);
	return true;
}

/* The <...> ids in value[0..n), in order; ones with blanks, controls or
 * non-ASCII bytes, empty or too long, are skipped. */
static size_t scan_ids(const char *v, size_t n, const char **starts,
		       size_t *lens, size_t max)
{
	size_t found = 0;
	for (size_t i = 0; i < n && found < max; i++) {
		if (v[i] != '<')
			continue;
		size_t j = i + 1;
		/* printable ASCII only: ids are compared with ours, which
		 * are, and other bytes need not even be valid UTF-8 */
		while (j < n && v[j] != '>' && v[j] != '<' &&
		       (unsigned char)v[j] > ' ' && (unsigned char)v[j] < 0x7f)
			j++;
		if (j < n && v[j] == '>' && j > i + 1 && j - i - 1 <= IMAP_MAX_ID) {
			starts[found] = v + i + 1;
			lens[found++] = j - i - 1;
			i = j;
		} else {
			i = j - 1;
		}
	}
	return found;
}

#define SCAN_MAX 1024

static void take_ids(struct mail_refs *r, const char *v, size_t n, bool newest_first)
{
	const char *starts[SCAN_MAX];
	size_t lens[SCAN_MAX];
	size_t found = scan_ids(v, n, starts, lens, SCAN_MAX);
	/* A long References keeps the parent last: with too many ids, the
	 * most recent are the ones worth keeping. */
	for (size_t k = 0; k < found; k++) {
		size_t i = newest_first ? found - 1 - k : k;
		if (!add_id(r, starts[i], lens[i]))
			return;
	}
}

void mail_refs_parse(const char *h, size_t len, struct mail_refs *out)
{
	memset(out, 0, sizeof *out);
	const char *irt[8], *refs[8];
	size_t irt_len[8], refs_len[8], nirt = 0, nrefs = 0;
	size_t i = 0;
	while (i < len) {
		/* one field: its first line and the continuation lines */
		size_t start = i;
		do {
			const char *lf = memchr(h + i, '\n', len - i);
			i = lf ? (size_t)(lf - h) + 1 : len;
		} while (i < len && (h[i] == ' ' || h[i] == '\t'));
		const char *f = h + start;
		size_t flen = i - start;
		const char *colon = memchr(f, ':', flen);
		if (!colon || f[0] == ' ' || f[0] == '\t')
			continue;
		size_t nlen = (size_t)(colon - f);
		while (nlen > 0 && (f[nlen - 1] == ' ' || f[nlen - 1] == '\t'))
			nlen--;
		const char *v = colon + 1;
		size_t vlen = flen - (size_t)(v - f);
		if (nlen == 11 && strncasecmp(f, "In-Reply-To", 11) == 0 && nirt < 8) {
			irt[nirt] = v;
			irt_len[nirt++] = vlen;
		} else if (nlen == 10 && strncasecmp(f, "References", 10) == 0 &&
			   nrefs < 8) {
			refs[nrefs] = v;
			refs_len[nrefs++] = vlen;
		} else if (nlen == 4 && strncasecmp(f, "Date", 4) == 0 &&
			   !out->has_date) {
			out->has_date = mail_date_parse(v, vlen, &out->date);
		}
	}
	for (size_t k = 0; k < nirt; k++)
		take_ids(out, irt[k], irt_len[k], false);
	for (size_t k = 0; k < nrefs; k++)
		take_ids(out, refs[k], refs_len[k], true);
}

void mail_refs_free(struct mail_refs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++)
		free(r->ids[i]);
	r->count = 0;
}

/* ---------------------------------------------------------------- dates */

/* Skips blanks, line ends and (nested) comments. */
static void skip_cfws(struct cursor *c)
{
	int depth = 0;
	while (!at_end(c)) {
		char ch = *c->p;
		if (ch == '(')
			depth++;
		else if (ch == ')' && depth > 0)
			depth--;
		else if (depth == 0 && ch != ' ' && ch != '\t' && ch != '\r' &&
			 ch != '\n')
			return;
		c->p++;
	}
}

static int take_digits(struct cursor *c, int min, int max, int *out)
{
	int n = 0, v = 0;
	while (!at_end(c) && isdigit((unsigned char)*c->p) && n < max) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*out = v;
	return n >= min && (at_end(c) || !isdigit((unsigned char)*c->p)) ? n : 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* The zone's offset east of UTC in minutes. */
static bool take_zone(struct cursor *c, int *minutes)
{
	if (!at_end(c) && (*c->p == '+' || *c->p == '-')) {
		int sign = *c->p == '-' ? -1 : 1, hhmm;
		c->p++;
		if (take_digits(c, 4, 4, &hhmm) != 4 || hhmm % 100 > 59)
			return false;
		*minutes = sign * (hhmm / 100 * 60 + hhmm % 100);
		return true;
	}
	static const struct { const char *name; int hours; } zones[] = {
		{"UT", 0}, {"GMT", 0}, {"EST", -5}, {"EDT", -4}, {"CST", -6},
		{"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7},
	};
	const char *start = c->p;
	while (!at_end(c) && isalpha((unsigned char)*c->p))
		c->p++;
	size_t n = (size_t)(c->p - start);
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strlen(zones[i].name) == n && strncasecmp(start, zones[i].name, n) == 0) {
			*minutes = zones[i].hours * 60;
			return true;
		}
	/* Military letters: RFC 5322 says to read them as -0000. */
	if (n == 1) {
		*minutes = 0;
		return true;
	}
	return false;
}

bool mail_date_parse(const char *s, size_t len, int64_t *out)
{
	static const char *const months[] = {"jan", "feb", "mar", "apr", "may",
		"jun", "jul", "aug", "sep", "oct", "nov", "dec"};
	struct cursor c = {s, s + len};
	skip_cfws(&c);
	if (c.end - c.p >= 4 && isalpha((unsigned char)c.p[0]) && c.p[3] == ',')
		c.p += 4;	/* the day of the week is not checked */
	skip_cfws(&c);
	int day, month = 0, year, hour, minute, second = 0;
	if (!take_digits(&c, 1, 2, &day))
		return false;
	skip_cfws(&c);
	for (int m = 0; m < 12; m++)
		if (c.end - c.p >= 3 && strncasecmp(c.p, months[m], 3) == 0)
			month = m + 1;
	if (!month)
		return false;
	c.p += 3;
	skip_cfws(&c);
	int ydigits = take_digits(&c, 2, 4, &year);
	if (!ydigits)
		return false;
	if (ydigits == 2)
		year += year < 50 ? 2000 : 1900;
	else if (ydigits == 3)
		year += 1900;
	skip_cfws(&c);
	if (!take_digits(&c, 1, 2, &hour) || !take_char(&c, ':') ||
	    !take_digits(&c, 2, 2, &minute))
		return false;
	if (take_char(&c, ':') && !take_digits(&c, 2, 2, &second))
		return false;
	skip_cfws(&c);
	int zone;
	if (!take_zone(&c, &zone))
		return false;
	skip_cfws(&c);
	if (!at_end(&c) || year < 1970 || day < 1 ||
	    day > days_in_month(year, month) || hour > 23 || minute > 59 ||
	    second > 60)
		return false;
	if (second == 60)
		second = 59;	/* a leap second: close enough */
	*out = days_from_civil(year, month, day) * 86400 + hour * 3600 +
	       minute * 60 + second - (int64_t)zone * 60;
	return true;
}
