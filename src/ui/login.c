/* login.c - the screen shown before anything else: a user name and a
 * hidden password, checked by the model's login. The password lives only
 * in a locked buffer that is wiped as soon as it has been checked. */
#include "ui/ui.h"

#include <string.h>
#include <wchar.h>

#include "core/password.h"
#include "core/sanitize.h"
#include "model/login.h"
#include "model/user.h"

#define NAME_MAX_BYTES 256

struct login {
	char name[NAME_MAX_BYTES];
	char *password;		/* locked buffer of PASSWORD_MAX + 2 bytes */
	size_t password_len;
	bool on_password;	/* which field has the cursor */
	bool no_users;		/* nobody can log in yet */
	char message[sizeof ((struct error *)0)->msg];
};

static void append_char(char *s, size_t *len, size_t cap, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, (wchar_t)ch, &st);
	if (n == (size_t)-1 || *len + n + 1 > cap)
		return;
	memcpy(s + *len, mb, n);
	*len += n;
	s[*len] = '\0';
}

static void delete_last_char(char *s, size_t *len)
{
	while (*len > 0 && ((unsigned char)s[--*len] & 0xc0) == 0x80)
		;
	s[*len] = '\0';
}

static void clear_password(struct login *l)
{
	sodium_memzero(l->password, PASSWORD_MAX + 2);
	l->password_len = 0;
}

/* ---------------------------------------------------------------- drawing */

static void draw_field(int y, int x, const char *label, const char *text,
		       bool focused)
{
	draw_text(stdscr, y, x, 12, label, A_NORMAL);
	draw_text(stdscr, y, x + 12, 32, text, theme_attr(focused ? ROLE_SELECTED :
							    ROLE_DIM) | A_UNDERLINE);
}

static void draw_no_users(int top, int x)
{
	static const char *const lines[] = {
		"No outreach users exist yet, so nobody can log in.",
		"",
		"Create the first admin from a shell, as someone who can",
		"connect to this database:",
		"",
		"    outreach user add NAME --admin",
		"",
		"then start outreach again. Press any key to quit.",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		draw_text(stdscr, top + 2 + (int)i, x, COLS - x - 1, lines[i],
			  A_NORMAL);
}

static void draw_login(const struct login *l)
{
	erase();
	int x = COLS > 60 ? (COLS - 56) / 2 : 1;
	int top = LINES > 12 ? (LINES - 10) / 2 : 0;
	draw_text(stdscr, top, x, 40, "outreach: log in", theme_attr(ROLE_TITLE));
	if (l->no_users) {
		draw_no_users(top, x);
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	char stars[33];
	size_t n = l->password_len < 32 ? l->password_len : 32;
	memset(stars, '*', n);	/* its length is all the screen shows */
	stars[n] = '\0';
	draw_field(top + 2, x, "User name:", l->name, !l->on_password);
	draw_field(top + 3, x, "Password:", stars, l->on_password);
	draw_text(stdscr, top + 5, x, COLS - x - 1,
		  "Tab switches fields, Enter logs in, Esc quits", theme_attr(ROLE_DIM));
	if (l->message[0])
		draw_text(stdscr, top + 7, x, COLS - x - 1, l->message,
			  theme_attr(ROLE_ERROR));
	int cx = x + 12 + (l->on_password ? (int)n : text_width(l->name));
	move(top + (l->on_password ? 3 : 2), cx < COLS - 1 ? cx : COLS - 1);
	curs_set(1);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---------------------------------------------------------------- input */

enum login_step { LOGIN_GOING, LOGIN_SUBMIT, LOGIN_QUIT };

static enum login_step login_key(struct login *l, int r, wint_t ch)
{
	if (r == KEY_CODE_YES) {
		if (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_BTAB)
			l->on_password = !l->on_password;
		else if (ch == KEY_BACKSPACE)
			r = OK, ch = 127;
		else if (ch == KEY_ENTER)
			r = OK, ch = '\r';
		if (r == KEY_CODE_YES)
			return LOGIN_GOING;
	}
	switch (ch) {
	case UI_ESC:
		return LOGIN_QUIT;
	case '\t':
		l->on_password = !l->on_password;
		return LOGIN_GOING;
	case '\r': case '\n':
		if (!l->on_password && l->password_len == 0) {
			l->on_password = true;
			return LOGIN_GOING;
		}
		return LOGIN_SUBMIT;
	case 127: case UI_CTRL('h'):
		if (l->on_password) {
			delete_last_char(l->password, &l->password_len);
		} else {
			size_t len = strlen(l->name);
			delete_last_char(l->name, &len);
		}
		return LOGIN_GOING;
	case UI_CTRL('u'):
		if (l->on_password)
			clear_password(l);
		else
			l->name[0] = '\0';
		return LOGIN_GOING;
	}
	if (ch < ' ' || ch == 127)
		return LOGIN_GOING;
	if (l->on_password) {
		append_char(l->password, &l->password_len, PASSWORD_MAX + 1, ch);
	} else {
		size_t len = strlen(l->name);
		append_char(l->name, &len, sizeof l->name, ch);
	}
	return LOGIN_GOING;
}

static int submit(struct login *l, struct db *db, struct actor *out)
{
	struct error err = {{0}};
	snprintf(l->message, sizeof l->message, "checking...");
	draw_login(l);
	int rc = login_verify(db, l->name, l->password, NULL, out, &err);
	clear_password(l);
	if (rc < 0) {
		snprintf(l->message, sizeof l->message, "%s", err.msg);
		l->on_password = l->name[0] != '\0';
	}
	return rc;
}

int login_screen(struct db *db, const char *name, struct actor *out,
		 struct error *err)
{
	struct login l = {0};
	long users;
	if (user_count(db, &users, err) < 0)
		return -1;
	l.no_users = users == 0;
	if (!(l.password = password_buffer_new()))
		return error_set(err, "cannot lock memory for the password");
	snprintf(l.name, sizeof l.name, "%s", name ? name : "");
	l.on_password = l.name[0] != '\0';
	nodelay(stdscr, FALSE);
	int rc = 1;
	for (;;) {
		draw_login(&l);
		wint_t ch;
		int r = wget_wch(stdscr, &ch);
		if (r == ERR || (r == KEY_CODE_YES && ch == KEY_RESIZE))
			continue;
		if (l.no_users)
			break;
		enum login_step step = login_key(&l, r, ch);
		if (step == LOGIN_QUIT)
			break;
		if (step == LOGIN_SUBMIT && submit(&l, db, out) == 0) {
			rc = 0;
			break;
		}
	}
	password_buffer_free(l.password);
	nodelay(stdscr, TRUE);
	curs_set(0);
	erase();
	wnoutrefresh(stdscr);
	return rc;
}
