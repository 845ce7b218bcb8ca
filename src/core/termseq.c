/* termseq.c - OSC 52 and OSC 8 sequences, built without any I/O. */
#include "core/termseq.h"

#include <string.h>

void base64_append(struct buf *out, const void *data, size_t n)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		char q[4] = {digits[v >> 18], digits[(v >> 12) & 63],
			     digits[(v >> 6) & 63], digits[v & 63]};
		buf_append(out, q, 4);
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		char q[4] = {digits[v >> 18], digits[(v >> 12) & 63],
			     i + 1 < n ? digits[(v >> 6) & 63] : '=', '='};
		buf_append(out, q, 4);
	}
}

void osc52_append(struct buf *out, const char *text, size_t n, enum term_mux mux)
{
	struct buf seq = {0};
	buf_puts(&seq, "\033]52;c;");
	base64_append(&seq, text, n);
	buf_puts(&seq, "\a");
	if (mux != TERM_MUX_SCREEN)
		buf_append(out, seq.data, seq.len);
	if (mux == TERM_MUX_TMUX) {
		/* DCS passthrough: every ESC inside is doubled. */
		buf_puts(out, "\033Ptmux;");
		for (size_t i = 0; i < seq.len; i++) {
			if (seq.data[i] == '\033')
				buf_putc(out, '\033');
			buf_putc(out, seq.data[i]);
		}
		buf_puts(out, "\033\\");
	} else if (mux == TERM_MUX_SCREEN) {
		buf_puts(out, "\033P");
		buf_append(out, seq.data, seq.len);
		buf_puts(out, "\033\\");
	}
	buf_free(&seq);
}

char *link_url_clean(const char *url)
{
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)(url ? url : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (*p == ' ' || *p >= 0x80 || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|' ||
		    *p == '}')
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, (char)*p);
	}
	buf_append(&b, "", 0);
	return buf_detach(&b);
}

void osc8_append(struct buf *out, const char *url, const char *text)
{
	buf_puts(out, "\033]8;;");
	buf_puts(out, url);
	buf_puts(out, "\033\\");
	buf_puts(out, text);
	buf_puts(out, "\033]8;;\033\\");
}
