/* editor.h - a text editor widget: keys to edits of a textedit, drawing its
 * wrapped rows with marked ranges underlined, completion of words after
 * "{{" on Tab, and handing the text to $VISUAL/$EDITOR and back. */
#ifndef OUTREACH_UI_EDITOR_H
#define OUTREACH_UI_EDITOR_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/textedit.h"

/* A byte range to underline, e.g. a template error. */
struct editor_mark {
	size_t offset;
	size_t length;
};

struct editor {
	struct textedit text;
	size_t top;		/* first row shown */
	int width;		/* the wrap width it was last drawn at */
	int height;		/* rows it was last drawn on */
	const struct editor_mark *marks;	/* borrowed; sorted by offset */
	size_t nmarks;
	const char *const *words;	/* completions, borrowed */
	size_t nwords;
	/* The completion Tab last made, so another Tab offers the next word. */
	struct {
		size_t from;		/* where the typed prefix starts */
		char prefix[64];
		size_t index;
		unsigned version;	/* the text's version right after it */
		size_t cursor;
	} completion;
	char note[160];		/* why the last key did nothing, for the status line */
};

enum editor_result {
	EDITOR_IGNORED,		/* not an editing key: let the key table have it */
	EDITOR_MOVED,		/* the cursor moved: redraw */
	EDITOR_CHANGED,		/* the text changed */
	EDITOR_REFUSED,		/* an edit that cannot be made; note says why */
};

void editor_init(struct editor *ed, bool single_line);
void editor_free(struct editor *ed);
/* Handles one key; read_only refuses every change. */
enum editor_result editor_key(struct editor *ed, int key, bool read_only);
/* Draws rows [0, h) of the editor at (y, x) in w, width columns wide; the
 * cursor shows as a reversed cell when focused. Text is sanitised. */
void editor_draw(struct editor *ed, WINDOW *w, int y, int x, int h, int width,
		 bool focused);
/* Completes the word after "{{" at the cursor; again right after, the next
 * match. Returns false (with note set) when there is nothing to complete. */
bool editor_complete(struct editor *ed);

/* Writes text to a temporary file, leaves curses, runs $VISUAL or $EDITOR
 * (else vi) on it and reads it back into *out (caller frees). The caller
 * redraws the screen afterwards. Returns 0, or -1 with err. */
int editor_run_external(const char *text, char **out, struct error *err);

/* While a text editor has the focus (want), Ctrl-S, Ctrl-Q and Ctrl-Z reach
 * it as keys instead of being the terminal's flow control and suspend;
 * otherwise the terminal's own settings are back. Cheap when unchanged. */
void editor_take_control_keys(bool want);

#endif
