/* widgets.c - small drawing helpers and the one-line prompt used for
 * search and commands. Text is UTF-8 throughout; the prompt edits by
 * whole characters so a cursor never lands inside one. */
#include "ui/ui.h"

#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "core/sanitize.h"

void draw_text(WINDOW *w, int y, int x, int width, const char *s, int attr)
{
	if (width <= 0)
		return;
	struct buf b = {0};
	text_fit(&b, s ? s : "", width);
	wattrset(w, attr);
	mvwaddstr(w, y, x, b.data);
	wattrset(w, A_NORMAL);
	buf_free(&b);
}

const char *format_count(long n, bool estimate, char *out, size_t outlen)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%ld", n < 0 ? -n : n);
	size_t len = strlen(digits), o = 0;
	char grouped[48];
	if (estimate)
		grouped[o++] = '~';
	if (n < 0)
		grouped[o++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[o++] = ',';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	snprintf(out, outlen, "%s", grouped);
	return out;
}

void prompt_open(struct prompt *p, const char *label, const char *initial)
{
	memset(p, 0, sizeof *p);
	p->active = true;
	p->history_pos = -1;
	snprintf(p->label, sizeof p->label, "%s", label);
	if (initial) {
		snprintf(p->text, sizeof p->text, "%s", initial);
		p->len = p->cursor = strlen(p->text);
	}
}

static size_t prev_char(const struct prompt *p, size_t at)
{
	while (at > 0 && ((unsigned char)p->text[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t next_char(const struct prompt *p, size_t at)
{
	if (at >= p->len)
		return p->len;
	at++;
	while (at < p->len && ((unsigned char)p->text[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void delete_range(struct prompt *p, size_t from, size_t to)
{
	memmove(p->text + from, p->text + to, p->len - to + 1);
	p->len -= to - from;
	p->cursor = from;
}

static bool insert_char(struct prompt *p, int key)
{
	char bytes[MB_LEN_MAX];
	mbstate_t st = {0};
	size_t n = wcrtomb(bytes, (wchar_t)key, &st);
	if (n == (size_t)-1 || p->len + n >= sizeof p->text)
		return false;
	memmove(p->text + p->cursor + n, p->text + p->cursor,
		p->len - p->cursor + 1);
	memcpy(p->text + p->cursor, bytes, n);
	p->len += n;
	p->cursor += n;
	return true;
}

enum prompt_result prompt_key(struct prompt *p, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case UI_FKEY(KEY_ENTER):
		p->active = false;
		return PROMPT_DONE;
	case UI_ESC:
	case UI_CTRL('c'):
	case UI_CTRL('g'):
		p->active = false;
		return PROMPT_CANCEL;
	case UI_FKEY(KEY_BACKSPACE):
	case 127:
	case UI_CTRL('h'):
		if (p->cursor == 0)
			return PROMPT_EDITING;
		delete_range(p, prev_char(p, p->cursor), p->cursor);
		return PROMPT_CHANGED;
	case UI_FKEY(KEY_DC):
	case UI_CTRL('d'):
		if (p->cursor == p->len)
			return PROMPT_EDITING;
		delete_range(p, p->cursor, next_char(p, p->cursor));
		return PROMPT_CHANGED;
	case UI_CTRL('u'):
		delete_range(p, 0, p->cursor);
		return PROMPT_CHANGED;
	case UI_CTRL('w'): {
		size_t to = p->cursor, from = to;
		while (from > 0 && p->text[from - 1] == ' ')
			from--;
		while (from > 0 && p->text[from - 1] != ' ')
			from--;
		delete_range(p, from, to);
		return PROMPT_CHANGED;
	}
	case UI_FKEY(KEY_LEFT):
	case UI_CTRL('b'):
		p->cursor = prev_char(p, p->cursor);
		return PROMPT_EDITING;
	case UI_FKEY(KEY_RIGHT):
	case UI_CTRL('f'):
		p->cursor = next_char(p, p->cursor);
		return PROMPT_EDITING;
	case UI_FKEY(KEY_HOME):
	case UI_CTRL('a'):
		p->cursor = 0;
		return PROMPT_EDITING;
	case UI_FKEY(KEY_END):
	case UI_CTRL('e'):
		p->cursor = p->len;
		return PROMPT_EDITING;
	}
	if (key >= 0x20 && key != 127 && key < (1 << 24))
		return insert_char(p, key) ? PROMPT_CHANGED : PROMPT_EDITING;
	return PROMPT_EDITING;
}

void prompt_draw(const struct prompt *p, WINDOW *w, int y, int width)
{
	int label_w = (int)strlen(p->label);
	wmove(w, y, 0);
	wclrtoeol(w);
	draw_text(w, y, 0, label_w, p->label, theme_attr(ROLE_TITLE));
	if (p->secret) {
		/* Not even its length shows. */
		wmove(w, y, label_w < width ? label_w : width - 1);
		return;
	}
	/* Show the tail when the text is wider than the line. */
	char before[sizeof p->text];
	memcpy(before, p->text, p->cursor);
	before[p->cursor] = '\0';
	int room = width - label_w - 1;
	const char *shown = p->text;
	struct buf clean = {0};
	sanitize_append(&clean, before, p->cursor);
	int cursor_col = text_width(clean.data ? clean.data : "");
	while (cursor_col > room && *shown) {
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
		buf_reset(&clean);
		size_t off = (size_t)(shown - p->text);
		sanitize_append(&clean, shown, p->cursor > off ? p->cursor - off : 0);
		cursor_col = text_width(clean.data ? clean.data : "");
	}
	buf_free(&clean);
	draw_text(w, y, label_w, width - label_w, shown, A_NORMAL);
	wmove(w, y, label_w + cursor_col);
}
