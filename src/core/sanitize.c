/* sanitize.c - the one gate every foreign string passes before ncurses.
 * A business name holding "ESC [2J" or an OSC 52 clipboard write must show
 * as text, never act on the terminal of the person reading it. */
#include "core/sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "core/utf8.h"

/* Characters that reorder or hide text: shown by name, never obeyed. */
static bool is_format_control(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) ||	/* zero width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||	/* separators, embeddings */
	       (cp >= 0x2060 && cp <= 0x206f) ||	/* isolates, invisibles */
	       cp == 0x061c || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb);		/* interlinear annotation */
}

void sanitize_append(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	buf_reserve(out, n);
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			buf_puts(out, "\xef\xbf\xbd");	/* U+FFFD */
			i++;
			continue;
		}
		if (cp < 0x20) {
			buf_putc(out, '^');
			buf_putc(out, (char)(cp + 0x40));
		} else if (cp == 0x7f) {
			buf_puts(out, "^?");
		} else if (cp >= 0x80 && cp < 0xa0) {
			buf_printf(out, "\\x%02x", (unsigned)cp);
		} else if (is_format_control(cp)) {
			buf_printf(out, "<U+%04X>", (unsigned)cp);
		} else {
			buf_append(out, s + i, len);
		}
		i += len;
	}
}

char *sanitize_dup(const char *s)
{
	struct buf b = {0};
	if (s)
		sanitize_append(&b, s, strlen(s));
	return buf_detach(&b);
}

/* Width of one code point; unknown or unprintable counts as 1 so that
 * layout errs on the side of too much space, never overlap. */
static int codepoint_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	int width = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			width++;
			i++;
			continue;
		}
		width += codepoint_width(cp);
		i += len;
	}
	return width;
}

void text_fit(struct buf *out, const char *s, int cols)
{
	struct buf clean = {0};
	if (s)
		sanitize_append(&clean, s, strlen(s));
	const unsigned char *p = (const unsigned char *)(clean.data ? clean.data : "");
	int total = clean.data ? text_width(clean.data) : 0;
	int budget = total > cols ? cols - 1 : cols;	/* room for "…" */
	int used = 0;
	size_t i = 0;
	while (i < clean.len) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, clean.len - i, &cp);
		int w = codepoint_width(cp);
		if (used + w > budget)
			break;
		buf_append(out, p + i, len);
		used += w;
		i += len;
	}
	if (total > cols && cols > 0) {
		buf_puts(out, "\xe2\x80\xa6");
		used++;
	}
	for (; used < cols; used++)
		buf_putc(out, ' ');
	buf_free(&clean);
}
