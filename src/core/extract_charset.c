/* extract_charset.c - finding the character set a page is written in and
 * converting it to UTF-8 before parsing, as a browser would. */
#include "core/extract_internal.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "core/xalloc.h"

/* Browsers look for <meta charset> in the first 1024 bytes; pages in the
 * wild sometimes put it later in a long <head>, so look a little further. */
#define META_SCAN_BYTES 4096
#define LABEL_MAX 40

/* Copies a charset label at s (optionally quoted) in lower case. */
static char *read_label(const char *s, const char *end)
{
	while (s < end && (isspace((unsigned char)*s) || *s == '"' || *s == '\''))
		s++;
	size_t n = 0;
	while (s + n < end && n < LABEL_MAX &&
	       (isalnum((unsigned char)s[n]) || strchr("-_.:", s[n])) && s[n])
		n++;
	if (n == 0)
		return NULL;
	char *label = xstrndup(s, n);
	for (char *p = label; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return label;
}

/* "charset" followed by optional space and '=' inside [s, end). */
static char *charset_param(const char *s, const char *end)
{
	for (const char *p = s; p + 7 <= end; p++) {
		if (strncasecmp(p, "charset", 7) != 0)
			continue;
		const char *q = p + 7;
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q < end && *q == '=')
			return read_label(q + 1, end);
	}
	return NULL;
}

static const char *find_nocase(const char *s, const char *end, const char *w)
{
	size_t k = strlen(w);
	for (const char *p = s; p + k <= end; p++)
		if (strncasecmp(p, w, k) == 0)
			return p;
	return NULL;
}

/* Both <meta charset="x"> and <meta http-equiv="Content-Type"
 * content="text/html; charset=x"> carry the word charset inside the tag. */
static char *meta_charset(const char *bytes, size_t len)
{
	const char *end = bytes + (len < META_SCAN_BYTES ? len : META_SCAN_BYTES);
	for (const char *p = find_nocase(bytes, end, "<meta"); p;
	     p = find_nocase(p + 5, end, "<meta")) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		char *label = charset_param(p + 5, close ? close : end);
		/* A page that could read its own <meta> is not UTF-16,
		 * whatever it claims; browsers read it as UTF-8. */
		if (label && !strncmp(label, "utf-16", 6)) {
			free(label);
			return xstrdup("utf-8");
		}
		if (label)
			return label;
	}
	return NULL;
}

char *extract_detect_charset(const char *content_type, const char *bytes,
			     size_t len)
{
	if (content_type) {
		char *label = charset_param(content_type,
					    content_type + strlen(content_type));
		if (label)
			return label;
	}
	if (!bytes)
		return NULL;
	if (len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0)
		return xstrdup("utf-8");
	if (len >= 2 && memcmp(bytes, "\xff\xfe", 2) == 0)
		return xstrdup("utf-16le");
	if (len >= 2 && memcmp(bytes, "\xfe\xff", 2) == 0)
		return xstrdup("utf-16be");
	return meta_charset(bytes, len);
}

/* The labels browsers treat as windows-1252, which fills the C1 range of
 * ISO-8859-1 with printable characters pages actually use (quotes, euro). */
static const char *iconv_name(const char *label)
{
	static const char *const latin1[] = {
		"iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii",
		"ascii", "iso_8859-1", "cp819", "windows-1252", "cp1252",
		"x-cp1252", "ibm819", NULL,
	};
	if (!label || !strcmp(label, "utf-8") || !strcmp(label, "utf8") ||
	    !strcmp(label, "unicode-1-1-utf-8"))
		return "UTF-8";
	for (const char *const *l = latin1; *l; l++)
		if (!strcmp(label, *l))
			return "WINDOWS-1252";
	return label;
}

static void put_replacement(struct buf *b)
{
	buf_append(b, "\xef\xbf\xbd", 3);
}

/* Converts with cd, replacing each byte that does not decode, so one bad
 * byte never loses the rest of the page. */
static int convert(iconv_t cd, const char *bytes, size_t len, struct buf *b,
		   struct error *err)
{
	char *in = (char *)bytes;
	size_t left = len;
	char chunk[4096];

	while (left > 0) {
		char *o = chunk;
		size_t room = sizeof chunk;
		size_t rc = iconv(cd, &in, &left, &o, &room);
		buf_append(b, chunk, (size_t)(o - chunk));
		if (rc != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno != EILSEQ && errno != EINVAL)
			return error_set(err, "cannot convert the page to UTF-8");
		put_replacement(b);
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	char *o = chunk;
	size_t room = sizeof chunk;
	iconv(cd, NULL, NULL, &o, &room);
	buf_append(b, chunk, (size_t)(o - chunk));
	return 0;
}

int extract_to_utf8(const char *content_type, const char *bytes, size_t len,
		    char **out, size_t *out_len, struct error *err)
{
	char *label = extract_detect_charset(content_type, bytes, len);
	const char *from = iconv_name(label);
	/* Most pages already are valid UTF-8: converting them to themselves
	 * would only copy them the slow way. */
	if (strcmp(from, "UTF-8") == 0 && utf8_valid(bytes ? bytes : "", len)) {
		free(label);
		char *copy = xmalloc(len + 1);
		if (len)
			memcpy(copy, bytes, len);
		copy[len] = '\0';
		*out = copy;
		*out_len = len;
		return 0;
	}
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)	/* a label we do not know: assume UTF-8 */
		cd = iconv_open("UTF-8", "UTF-8");
	free(label);
	if (cd == (iconv_t)-1)
		return error_set(err, "cannot convert pages to UTF-8 on this "
				 "system");
	struct buf b = {0};
	buf_reserve(&b, len);
	int rc = convert(cd, bytes ? bytes : "", len, &b, err);
	iconv_close(cd);
	if (rc < 0) {
		buf_free(&b);
		return -1;
	}
	*out_len = b.len;
	*out = buf_detach(&b);
	return 0;
}
