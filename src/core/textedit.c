/* textedit.c - an editor's text with no screen attached: edits by whole
 * UTF-8 characters, an undo list whose typing steps are words, and line
 * wrapping measured in the columns the sanitised text takes. */
#include "core/textedit.h"

#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/utf8.h"

void textedit_init(struct textedit *e, bool single_line)
{
	memset(e, 0, sizeof *e);
	e->single_line = single_line;
	e->goal_col = -1;
	buf_append(&e->text, "", 0);
}

static void change_free(struct textedit_change *c)
{
	free(c->removed);
	free(c->inserted);
}

static void forget(struct textedit_change *list, size_t *count)
{
	for (size_t i = 0; i < *count; i++)
		change_free(&list[i]);
	*count = 0;
}

void textedit_free(struct textedit *e)
{
	forget(e->undo, &e->undo_count);
	forget(e->redo, &e->redo_count);
	free(e->undo);
	free(e->redo);
	buf_free(&e->text);
	memset(e, 0, sizeof *e);
}

void textedit_set(struct textedit *e, const char *text)
{
	forget(e->undo, &e->undo_count);
	forget(e->redo, &e->redo_count);
	buf_reset(&e->text);
	buf_append(&e->text, text ? text : "", text ? strlen(text) : 0);
	e->cursor = 0;
	e->goal_col = -1;
	e->version++;
	e->saved_version = e->version;
}

const char *textedit_text(const struct textedit *e)
{
	return e->text.data ? e->text.data : "";
}

bool textedit_modified(const struct textedit *e)
{
	return e->version != e->saved_version;
}

void textedit_mark_saved(struct textedit *e)
{
	e->saved_version = e->version;
}

/* ---------------------------------------------------------------- chars */

size_t textedit_char_len(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	/* A byte that starts no valid sequence is a character of its own,
	 * as the screen shows it (escaped). */
	uint32_t cp;
	size_t len = utf8_decode((const unsigned char *)s, n, &cp);
	return len ? len : 1;
}

int textedit_char_width(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];
	if (n == 1 && c >= 0x20 && c < 0x7f)
		return 1;	/* the common case, without a buffer */
	struct buf b = {0};
	sanitize_append(&b, s, n);
	int w = b.data ? text_width(b.data) : 0;
	buf_free(&b);
	return w;
}

static size_t prev_char(const struct textedit *e, size_t at)
{
	/* Back over continuation bytes, then check the character really
	 * spans to at; an invalid byte is a character of its own. */
	size_t start = at;
	for (int i = 0; i < 4 && start > 0; i++) {
		start--;
		if (((unsigned char)e->text.data[start] & 0xc0) != 0x80)
			break;
	}
	if (start < at && start + textedit_char_len(e->text.data + start,
						    e->text.len - start) == at)
		return start;
	return at > 0 ? at - 1 : 0;
}

static size_t next_char(const struct textedit *e, size_t at)
{
	if (at >= e->text.len)
		return e->text.len;
	return at + textedit_char_len(e->text.data + at, e->text.len - at);
}

/* ---------------------------------------------------------------- edits */

static void splice(struct textedit *e, size_t from, size_t to,
		   const char *s, size_t n)
{
	size_t tail = e->text.len - to;
	if (n > to - from)
		buf_reserve(&e->text, n - (to - from));
	memmove(e->text.data + from + n, e->text.data + to, tail + 1);
	memcpy(e->text.data + from, s, n);
	e->text.len = from + n + tail;
	e->version++;
	e->goal_col = -1;
}

static char *copy_bytes(const char *s, size_t n)
{
	char *c = xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static void push(struct textedit_change **list, size_t *count,
		 const struct textedit_change *c)
{
	if (*count == TEXTEDIT_UNDO_MAX) {
		change_free(&(*list)[0]);
		memmove(*list, *list + 1, (*count - 1) * sizeof **list);
		(*count)--;
	}
	*list = xreallocarray(*list, *count + 1, sizeof **list);
	(*list)[(*count)++] = *c;
}

static void close_group(struct textedit *e)
{
	if (e->undo_count)
		e->undo[e->undo_count - 1].open = false;
}

static void record(struct textedit *e, size_t from, size_t to, const char *s,
		   size_t n, bool open)
{
	struct textedit_change c = {
		.at = from,
		.removed = copy_bytes(e->text.data + from, to - from),
		.removed_len = to - from,
		.inserted = copy_bytes(s, n),
		.inserted_len = n,
		.cursor_before = e->cursor,
		.cursor_after = from + n,
		.open = open,
	};
	close_group(e);
	push(&e->undo, &e->undo_count, &c);
	forget(e->redo, &e->redo_count);
}

bool textedit_replace(struct textedit *e, size_t from, size_t to,
		      const char *s, size_t n)
{
	if (to > e->text.len || from > to || (from == to && n == 0))
		return false;
	record(e, from, to, s, n, false);
	splice(e, from, to, s, n);
	e->cursor = from + n;
	return true;
}

static bool is_space(const char *s, size_t n)
{
	return n == 1 && (*s == ' ' || *s == '\t' || *s == '\n');
}

/* Typing continues the last step while it runs on from it, up to the end
 * of a word: undo then takes back a word at a time. */
static bool extends_typing(const struct textedit *e, const char *s, size_t n)
{
	if (!e->undo_count)
		return false;
	const struct textedit_change *c = &e->undo[e->undo_count - 1];
	if (!c->open || c->removed_len != 0 || c->at + c->inserted_len != e->cursor)
		return false;
	bool last_space = c->inserted_len &&
			  is_space(c->inserted + c->inserted_len - 1, 1);
	return !(is_space(s, n) && !last_space) && !(n == 1 && *s == '\n');
}

bool textedit_insert(struct textedit *e, const char *s, size_t n)
{
	if (n == 0 || (e->single_line && memchr(s, '\n', n)))
		return false;
	if (extends_typing(e, s, n)) {
		struct textedit_change *c = &e->undo[e->undo_count - 1];
		c->inserted = xrealloc(c->inserted, c->inserted_len + n + 1);
		memcpy(c->inserted + c->inserted_len, s, n);
		c->inserted_len += n;
		c->inserted[c->inserted_len] = '\0';
		c->cursor_after += n;
		forget(e->redo, &e->redo_count);
	} else {
		record(e, e->cursor, e->cursor, s, n, true);
	}
	splice(e, e->cursor, e->cursor, s, n);
	e->cursor += n;
	return true;
}

/* Deleting characters one after another is one undo step, too. */
static bool delete_range(struct textedit *e, size_t from, size_t to,
			 bool backwards)
{
	struct textedit_change *c = e->undo_count ? &e->undo[e->undo_count - 1] : NULL;
	bool extend = c && c->open && c->inserted_len == 0 && c->removed_len > 0 &&
		      (backwards ? c->at == to : c->at == from);
	if (extend) {
		size_t n = to - from;
		char *r = xmalloc(c->removed_len + n + 1);
		if (backwards) {
			memcpy(r, e->text.data + from, n);
			memcpy(r + n, c->removed, c->removed_len);
			c->at = from;
		} else {
			memcpy(r, c->removed, c->removed_len);
			memcpy(r + c->removed_len, e->text.data + from, n);
		}
		c->removed_len += n;
		r[c->removed_len] = '\0';
		free(c->removed);
		c->removed = r;
		c->cursor_after = from;
		forget(e->redo, &e->redo_count);
	} else {
		record(e, from, to, "", 0, true);
	}
	splice(e, from, to, "", 0);
	e->cursor = from;
	return true;
}

bool textedit_backspace(struct textedit *e)
{
	if (e->cursor == 0)
		return false;
	return delete_range(e, prev_char(e, e->cursor), e->cursor, true);
}

bool textedit_delete(struct textedit *e)
{
	if (e->cursor >= e->text.len)
		return false;
	return delete_range(e, e->cursor, next_char(e, e->cursor), false);
}

bool textedit_undo(struct textedit *e)
{
	if (!e->undo_count)
		return false;
	struct textedit_change c = e->undo[--e->undo_count];
	c.open = false;
	splice(e, c.at, c.at + c.inserted_len, c.removed, c.removed_len);
	e->cursor = c.cursor_before;
	push(&e->redo, &e->redo_count, &c);
	return true;
}

bool textedit_redo(struct textedit *e)
{
	if (!e->redo_count)
		return false;
	struct textedit_change c = e->redo[--e->redo_count];
	splice(e, c.at, c.at + c.removed_len, c.inserted, c.inserted_len);
	e->cursor = c.cursor_after;
	push(&e->undo, &e->undo_count, &c);
	return true;
}

/* ---------------------------------------------------------------- moves */

void textedit_left(struct textedit *e)
{
	close_group(e);
	e->cursor = prev_char(e, e->cursor);
	e->goal_col = -1;
}

void textedit_right(struct textedit *e)
{
	close_group(e);
	e->cursor = next_char(e, e->cursor);
	e->goal_col = -1;
}

void textedit_text_start(struct textedit *e)
{
	close_group(e);
	e->cursor = 0;
	e->goal_col = -1;
}

void textedit_text_end(struct textedit *e)
{
	close_group(e);
	e->cursor = e->text.len;
	e->goal_col = -1;
}

/* Wraps the text and finds the cursor's row and column in it. */
struct layout {
	struct textedit_row *rows;
	size_t count, cap, row;
	int col;
};

static void lay_out(const struct textedit *e, int width, struct layout *l)
{
	*l = (struct layout){0};
	l->count = textedit_wrap(e->text.data, e->text.len, width, &l->rows, &l->cap);
	textedit_locate(e->text.data, l->rows, l->count, e->cursor, &l->row, &l->col);
}

/* Whether a row ends a line (rather than being wrapped onto the next). */
static bool ends_line(const char *text, size_t len, const struct textedit_row *r)
{
	return r->end >= len || text[r->end] == '\n';
}

void textedit_row_start(struct textedit *e, int width)
{
	struct layout l;
	lay_out(e, width, &l);
	close_group(e);
	e->cursor = l.rows[l.row].start;
	e->goal_col = -1;
	free(l.rows);
}

void textedit_row_end(struct textedit *e, int width)
{
	struct layout l;
	lay_out(e, width, &l);
	close_group(e);
	const struct textedit_row *r = &l.rows[l.row];
	/* A wrapped row's end is the next row's start: stop before it. */
	e->cursor = ends_line(e->text.data, e->text.len, r) || r->end == r->start ?
		    r->end : prev_char(e, r->end);
	e->goal_col = -1;
	free(l.rows);
}

/* The offset in row r closest to column col without passing it. */
static size_t offset_at_col(const struct textedit *e, const struct textedit_row *r,
			    int col)
{
	size_t at = r->start;
	int used = 0;
	bool wrapped = !ends_line(e->text.data, e->text.len, r);
	while (at < r->end) {
		size_t n = textedit_char_len(e->text.data + at, r->end - at);
		int w = textedit_char_width(e->text.data + at, n);
		if (used + w > col || (wrapped && at + n >= r->end))
			break;
		used += w;
		at += n;
	}
	return at;
}

void textedit_vertical(struct textedit *e, int width, long rows)
{
	struct layout l;
	lay_out(e, width, &l);
	close_group(e);
	int goal = e->goal_col >= 0 ? e->goal_col : l.col;
	long target = (long)l.row + rows;
	if (target < 0)
		target = 0;
	if (target >= (long)l.count)
		target = (long)l.count - 1;
	e->cursor = offset_at_col(e, &l.rows[target], goal);
	e->goal_col = goal;
	free(l.rows);
}

/* ---------------------------------------------------------------- wrap */

static void add_row(struct textedit_row **rows, size_t *count, size_t *cap,
		    size_t start, size_t end)
{
	if (*count == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*rows = xreallocarray(*rows, *cap, sizeof **rows);
	}
	(*rows)[(*count)++] = (struct textedit_row){start, end};
}

/* Wraps one line text[start, end) into rows. */
static void wrap_line(const char *text, size_t start, size_t end, int width,
		      struct textedit_row **rows, size_t *count, size_t *cap)
{
	size_t row = start, at = start, brk = 0;
	int used = 0, used_at_brk = 0;
	while (at < end) {
		size_t n = textedit_char_len(text + at, end - at);
		int w = textedit_char_width(text + at, n);
		if (used + w > width && at > row) {
			/* Break after the last space when there is one. */
			size_t cut = brk > row ? brk : at;
			add_row(rows, count, cap, row, cut);
			used = cut == brk ? used - used_at_brk : 0;
			row = cut;
			brk = 0;
			continue;
		}
		used += w;
		at += n;
		if (n == 1 && (text[at - 1] == ' ' || text[at - 1] == '\t')) {
			brk = at;
			used_at_brk = used;
		}
	}
	add_row(rows, count, cap, row, end);
}

size_t textedit_wrap(const char *text, size_t len, int width,
		     struct textedit_row **rows, size_t *cap)
{
	size_t count = 0, start = 0;
	if (width < 1)
		width = 1;
	for (;;) {
		const char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		wrap_line(text, start, end, width, rows, &count, cap);
		if (!nl)
			break;
		start = end + 1;
	}
	return count;
}

void textedit_locate(const char *text, const struct textedit_row *rows,
		     size_t count, size_t at, size_t *row, int *col)
{
	size_t r = 0;
	/* The first row holding at; a wrapped row's end belongs to the next. */
	while (r + 1 < count && (at > rows[r].end ||
	       (at == rows[r].end && rows[r + 1].start == rows[r].end)))
		r++;
	int c = 0;
	for (size_t i = rows[r].start; i < at && i < rows[r].end;) {
		size_t n = textedit_char_len(text + i, rows[r].end - i);
		c += textedit_char_width(text + i, n);
		i += n;
	}
	*row = r;
	*col = c;
}
