/* editor.c - the text editor widget: maps keys to textedit edits and moves,
 * draws the wrapped rows (sanitised, marked ranges underlined, the cursor
 * as a reversed cell), completes "{{" words on Tab and runs an external
 * editor on the text. The text logic itself lives in core/textedit.c. */
#include "ui/editor.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "core/file.h"
#include "core/sanitize.h"
#include "ui/ui.h"

void editor_init(struct editor *ed, bool single_line)
{
	memset(ed, 0, sizeof *ed);
	textedit_init(&ed->text, single_line);
	ed->width = 40;
	ed->height = 1;
}

void editor_free(struct editor *ed)
{
	textedit_free(&ed->text);
}

/* ---------------------------------------------------------------- keys */

static bool is_edit_key(int key)
{
	switch (key) {
	case '\n': case '\r': case UI_FKEY(KEY_ENTER):
	case UI_FKEY(KEY_BACKSPACE): case 127: case UI_CTRL('h'):
	case UI_FKEY(KEY_DC):
		return true;
	}
	return key >= 0x20 && key != 127 && key < (1 << 24);
}

static enum editor_result insert_key(struct editor *ed, int key)
{
	char bytes[MB_LEN_MAX];
	size_t n;
	if (key == '\n' || key == '\r' || key == UI_FKEY(KEY_ENTER)) {
		bytes[0] = '\n';
		n = 1;
	} else {
		mbstate_t st = {0};
		n = wcrtomb(bytes, (wchar_t)key, &st);
		if (n == (size_t)-1)
			return EDITOR_IGNORED;
	}
	return textedit_insert(&ed->text, bytes, n) ? EDITOR_CHANGED : EDITOR_IGNORED;
}

enum editor_result editor_key(struct editor *ed, int key, bool read_only)
{
	struct textedit *t = &ed->text;
	int page = ed->height > 1 ? ed->height - 1 : 1;
	ed->note[0] = '\0';
	if (is_edit_key(key) && read_only)
		return EDITOR_REFUSED;
	switch (key) {
	case UI_FKEY(KEY_LEFT): textedit_left(t); break;
	case UI_FKEY(KEY_RIGHT): textedit_right(t); break;
	case UI_FKEY(KEY_UP): textedit_vertical(t, ed->width, -1); break;
	case UI_FKEY(KEY_DOWN): textedit_vertical(t, ed->width, 1); break;
	case UI_FKEY(KEY_PPAGE): textedit_vertical(t, ed->width, -page); break;
	case UI_FKEY(KEY_NPAGE): textedit_vertical(t, ed->width, page); break;
	case UI_FKEY(KEY_HOME): textedit_row_start(t, ed->width); break;
	case UI_FKEY(KEY_END): textedit_row_end(t, ed->width); break;
	case UI_FKEY(KEY_BACKSPACE): case 127: case UI_CTRL('h'):
		return textedit_backspace(t) ? EDITOR_CHANGED : EDITOR_MOVED;
	case UI_FKEY(KEY_DC):
		return textedit_delete(t) ? EDITOR_CHANGED : EDITOR_MOVED;
	default:
		if (is_edit_key(key))
			return insert_key(ed, key);
		return EDITOR_IGNORED;
	}
	return EDITOR_MOVED;
}

/* ---------------------------------------------------------------- completion */

/* Finds "{{" before the cursor on its line, not closed since, followed only
 * by name characters: the start of the typed prefix, or false. */
static bool completion_start(const struct textedit *t, size_t *from)
{
	const char *s = textedit_text(t);
	size_t at = t->cursor;
	while (at > 0 && (s[at - 1] == '.' || s[at - 1] == '_' ||
			  (s[at - 1] >= 'a' && s[at - 1] <= 'z')))
		at--;
	size_t name = at;
	while (at > 0 && (s[at - 1] == ' ' || s[at - 1] == '\t'))
		at--;
	if (at < 2 || s[at - 1] != '{' || s[at - 2] != '{')
		return false;
	*from = name;
	return true;
}

static bool is_repeat(const struct editor *ed)
{
	return ed->completion.version == ed->text.version &&
	       ed->completion.cursor == ed->text.cursor && ed->completion.version;
}

bool editor_complete(struct editor *ed)
{
	struct textedit *t = &ed->text;
	size_t from;
	bool again = is_repeat(ed);
	if (again) {
		from = ed->completion.from;
		ed->completion.index++;
	} else {
		if (!completion_start(t, &from)) {
			snprintf(ed->note, sizeof ed->note, "Tab completes a field "
				 "name after {{");
			return false;
		}
		size_t n = t->cursor - from;
		if (n >= sizeof ed->completion.prefix)
			n = sizeof ed->completion.prefix - 1;
		memcpy(ed->completion.prefix, textedit_text(t) + from, n);
		ed->completion.prefix[n] = '\0';
		ed->completion.from = from;
		ed->completion.index = 0;
	}
	const char *prefix = ed->completion.prefix;
	size_t matches = 0;
	for (size_t i = 0; i < ed->nwords; i++)
		matches += strncmp(ed->words[i], prefix, strlen(prefix)) == 0;
	if (matches == 0) {
		snprintf(ed->note, sizeof ed->note, "no field starts with '%.60s'",
			 prefix);
		return false;
	}
	size_t want = ed->completion.index % matches, seen = 0;
	const char *word = NULL;
	for (size_t i = 0; i < ed->nwords && !word; i++)
		if (strncmp(ed->words[i], prefix, strlen(prefix)) == 0 && seen++ == want)
			word = ed->words[i];
	/* The closing braces come with the first completion; cycling keeps
	 * them and swaps only the word. */
	const char *s = textedit_text(t);
	bool closed = strncmp(s + t->cursor, "}}", 2) == 0;
	char text[128];
	snprintf(text, sizeof text, "%s%s", word, closed ? "" : "}}");
	textedit_replace(t, from, t->cursor, text, strlen(text));
	if (closed)
		t->cursor += 2;
	ed->completion.version = t->version;
	ed->completion.cursor = t->cursor;
	snprintf(ed->note, sizeof ed->note, "%s (%zu of %zu: Tab again for the "
		 "next)", word, want + 1, matches);
	return true;
}

/* ---------------------------------------------------------------- drawing */

static bool marked(const struct editor *ed, size_t at)
{
	for (size_t i = 0; i < ed->nmarks; i++)
		if (at >= ed->marks[i].offset &&
		    at < ed->marks[i].offset + ed->marks[i].length)
			return true;
	return false;
}

static void draw_row(struct editor *ed, WINDOW *w, int y, int x, int width,
		     const struct textedit_row *r, bool cursor_here, int cursor_col)
{
	const char *s = textedit_text(&ed->text);
	struct buf cell = {0};
	int col = 0;
	wmove(w, y, x);
	for (size_t at = r->start; at < r->end;) {
		size_t n = textedit_char_len(s + at, r->end - at);
		int cw = textedit_char_width(s + at, n);
		if (col + cw > width)
			break;
		buf_reset(&cell);
		sanitize_append(&cell, s + at, n);
		int attr = marked(ed, at) ? (int)(A_UNDERLINE | theme_attr(ROLE_ERROR)) :
			   (int)A_NORMAL;
		if (cursor_here && col == cursor_col)
			attr |= A_REVERSE;
		wattrset(w, attr);
		mvwaddstr(w, y, x + col, cell.data ? cell.data : "");
		col += cw;
		at += n;
	}
	wattrset(w, A_NORMAL);
	for (int c = col; c < width; c++)
		mvwaddch(w, y, x + c, ' ');
	/* At the end of a line the cursor is a reversed blank. */
	if (cursor_here && cursor_col >= col && cursor_col < width)
		mvwaddch(w, y, x + cursor_col, ' ' | A_REVERSE);
	buf_free(&cell);
}

void editor_draw(struct editor *ed, WINDOW *w, int y, int x, int h, int width,
		 bool focused)
{
	if (h < 1 || width < 1)
		return;
	ed->width = width;
	ed->height = h;
	struct textedit_row *rows = NULL;
	size_t cap = 0;
	const char *s = textedit_text(&ed->text);
	size_t count = textedit_wrap(s, ed->text.text.len, width, &rows, &cap);
	size_t row;
	int col;
	textedit_locate(s, rows, count, ed->text.cursor, &row, &col);
	if (row < ed->top)
		ed->top = row;
	if (row >= ed->top + (size_t)h)
		ed->top = row - (size_t)h + 1;
	if (ed->top >= count)
		ed->top = count ? count - 1 : 0;
	for (int i = 0; i < h; i++) {
		size_t r = ed->top + (size_t)i;
		if (r >= count) {
			wmove(w, y + i, x);
			for (int c = 0; c < width; c++)
				mvwaddch(w, y + i, x + c, ' ');
			continue;
		}
		draw_row(ed, w, y + i, x, width, &rows[r], focused && r == row, col);
	}
	free(rows);
}

/* ---------------------------------------------------------------- external */

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Runs the editor as a shell would, so "code --wait" works, while this
 * process ignores the Ctrl-C meant for the editor. */
static int run_editor(const char *editor, const char *path, struct error *err)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
	sigemptyset(&ignore.sa_mask);
	sigaction(SIGINT, &ignore, &old_int);
	sigaction(SIGQUIT, &ignore, &old_quit);
	char *cmd = xasprintf("%s \"$@\"", editor);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, editor, path, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	int status = 0, rc = 0;
	if (pid < 0)
		rc = error_set(err, "cannot start the editor: %s", strerror(errno));
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = error_set(err, "%s exited with status %d; the text is unchanged",
			       editor, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return rc;
}

int editor_run_external(const char *text, char **out, struct error *err)
{
	*out = NULL;
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/outreach-template-XXXXXX.txt",
		 dir && *dir ? dir : "/tmp");
	int fd = mkstemps(path, 4);
	if (fd < 0)
		return error_set(err, "cannot create a temporary file: %s",
				 strerror(errno));
	/* Editors end a file with a line break: give them one and take it
	 * back, so a line appended lands on a line of its own. */
	size_t len = strlen(text);
	bool add_newline = len > 0 && text[len - 1] != '\n';
	int rc = write_all(fd, text, len);
	if (rc == 0 && add_newline)
		rc = write_all(fd, "\n", 1);
	close(fd);
	if (rc < 0) {
		unlink(path);
		return error_set(err, "cannot write %s: %s", path, strerror(errno));
	}
	def_prog_mode();
	endwin();
	rc = run_editor(editor, path, err);
	reset_prog_mode();
	if (rc == 0 && !(*out = file_read_all(path, NULL, err)))
		rc = -1;
	unlink(path);
	size_t got = *out ? strlen(*out) : 0;
	if (rc == 0 && (add_newline || len == 0) && got && (*out)[got - 1] == '\n')
		(*out)[got - 1] = '\0';
	return rc;
}

void editor_take_control_keys(bool want)
{
	static bool taken;
	static struct termios saved;
	if (want == taken || !isatty(STDIN_FILENO))
		return;
	struct termios t;
	if (want) {
		if (tcgetattr(STDIN_FILENO, &saved) < 0)
			return;
		t = saved;
		t.c_iflag &= ~(tcflag_t)IXON;
		t.c_cc[VSUSP] = _POSIX_VDISABLE;
	} else {
		t = saved;
	}
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0) {
		taken = want;
		def_prog_mode();	/* kept across the external editor */
	}
}
