/* termseq.h - escape sequences outreach writes on purpose: OSC 52 (set
 * the clipboard of the user's own terminal, even over SSH) and OSC 8
 * (a clickable link). Built here, pure, so what reaches the terminal is
 * exactly what the tests check. */
#ifndef OUTREACH_TERMSEQ_H
#define OUTREACH_TERMSEQ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* Standard base64 of data[0..n) appended to out. */
void base64_append(struct buf *out, const void *data, size_t n);

enum term_mux {
	TERM_MUX_NONE,
	TERM_MUX_TMUX,		/* $TMUX: also wrapped for passthrough */
	TERM_MUX_SCREEN,	/* $STY: wrapped in a DCS for screen */
};

/* Appends the sequence that puts text on the clipboard. Inside tmux both
 * the plain sequence (taken by tmux when set-clipboard is on) and the
 * passthrough-wrapped one (for the outer terminal when allow-passthrough
 * is on) are written. */
void osc52_append(struct buf *out, const char *text, size_t n, enum term_mux mux);

/* A URL safe inside an escape sequence and on screen: printable ASCII
 * only; other bytes are percent-encoded, control characters dropped.
 * Returns a new string (caller frees). */
char *link_url_clean(const char *url);

/* Appends text shown as a link to url (both already cleaned). */
void osc8_append(struct buf *out, const char *url, const char *text);

#endif
