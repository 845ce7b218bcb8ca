/* textedit.h - the text of a multi-line editor without a screen: UTF-8
 * editing by whole characters, undo and redo, and the wrapping of lines to
 * a width in terminal columns, so the interface only draws and maps keys. */
#ifndef OUTREACH_TEXTEDIT_H
#define OUTREACH_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

/* One edit as undo sees it: at byte `at`, removed was replaced by inserted. */
struct textedit_change {
	size_t at;
	char *removed;
	size_t removed_len;
	char *inserted;
	size_t inserted_len;
	size_t cursor_before;
	size_t cursor_after;
	bool open;		/* typing may still extend it */
};

/* The most changes undo remembers; older ones are forgotten. */
#define TEXTEDIT_UNDO_MAX 1000

struct textedit {
	struct buf text;	/* UTF-8, always NUL-terminated */
	size_t cursor;		/* byte offset on a character boundary */
	bool single_line;	/* refuses line breaks (a subject) */
	int goal_col;		/* column kept by Up/Down; -1 for none */
	unsigned version;	/* bumps on every change of the text */
	unsigned saved_version;	/* the version last loaded or saved */
	struct textedit_change *undo;
	size_t undo_count;
	struct textedit_change *redo;
	size_t redo_count;
};

/* A screen row of wrapped text: bytes [start, end) without the line break. */
struct textedit_row {
	size_t start;
	size_t end;
};

void textedit_init(struct textedit *e, bool single_line);
void textedit_free(struct textedit *e);	/* accepts a zeroed one */
/* Replaces the whole text, forgets undo, puts the cursor at the start and
 * counts the text as saved. */
void textedit_set(struct textedit *e, const char *text);
const char *textedit_text(const struct textedit *e);
bool textedit_modified(const struct textedit *e);
void textedit_mark_saved(struct textedit *e);

/* Edits at the cursor. Each returns false when nothing changed (at an end,
 * or a line break offered to a single-line editor). Typing coalesces into
 * one undo step per word. */
bool textedit_insert(struct textedit *e, const char *s, size_t n);
bool textedit_backspace(struct textedit *e);
bool textedit_delete(struct textedit *e);
/* Replaces bytes [from, to) with s[0..n) as one undo step; the cursor ends
 * after the new text. */
bool textedit_replace(struct textedit *e, size_t from, size_t to,
		      const char *s, size_t n);
bool textedit_undo(struct textedit *e);
bool textedit_redo(struct textedit *e);

/* Cursor moves; those by screen rows need the wrap width. */
void textedit_left(struct textedit *e);
void textedit_right(struct textedit *e);
void textedit_row_start(struct textedit *e, int width);
void textedit_row_end(struct textedit *e, int width);
void textedit_vertical(struct textedit *e, int width, long rows);
void textedit_text_start(struct textedit *e);
void textedit_text_end(struct textedit *e);

/* Columns the character at s[0..n) takes once sanitised for the terminal
 * (wide characters 2, an escaped control character as many as it shows). */
int textedit_char_width(const char *s, size_t n);
/* Bytes of the character at s[0..n): 1 for an invalid byte. */
size_t textedit_char_len(const char *s, size_t n);

/* Wraps the text to width columns, breaking after a space where it can.
 * Every line, even an empty one, has at least one row. *rows is grown as
 * needed (free it with free()); returns the number of rows. */
size_t textedit_wrap(const char *text, size_t len, int width,
		     struct textedit_row **rows, size_t *cap);
/* The row and column of byte offset at within wrapped rows. */
void textedit_locate(const char *text, const struct textedit_row *rows,
		     size_t count, size_t at, size_t *row, int *col);

#endif
