/* tui.c - a first Businesses screen: a keyset-paged list that fetches only
 * what fits on the terminal. Every string shown passes through sanitize. */
#include "ui/tui.h"

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/xalloc.h"
#include "model/business.h"

#define MAX_BACK_PAGES 4096

struct page_key {
	char *name;	/* NULL: the first page */
	int id;
};

struct list_state {
	struct business_page page;
	struct page_key back[MAX_BACK_PAGES];	/* tops of earlier pages */
	int depth;
	struct page_key top;	/* key just before the first shown row */
	int cursor;
	long total;
	bool colour;
};

static int list_rows(void)
{
	return LINES - 3 > 1 ? LINES - 3 : 1;
}

static int load_page(struct db *db, struct list_state *s, struct error *err)
{
	business_page_free(&s->page);
	if (business_page_after(db, s->top.name, s->top.id, list_rows(),
				&s->page, err) < 0)
		return -1;
	if (s->cursor >= (int)s->page.count)
		s->cursor = s->page.count ? (int)s->page.count - 1 : 0;
	return 0;
}

static void draw_line(int y, const char *text, int attr)
{
	struct buf b = {0};
	text_fit(&b, text, COLS);
	attrset(attr);
	mvaddstr(y, 0, b.data);
	attrset(A_NORMAL);
	buf_free(&b);
}

static void draw_row(int y, const struct business_row *r, bool selected)
{
	int name_w = COLS >= 100 ? 40 : COLS / 2 - 2;
	int status_w = 13;
	int site_w = COLS - name_w - status_w - 2;
	struct buf b = {0};
	text_fit(&b, r->name, name_w);
	buf_putc(&b, ' ');
	text_fit(&b, r->status, status_w);
	buf_putc(&b, ' ');
	if (site_w > 0)
		text_fit(&b, r->website ? r->website : "", site_w);
	attrset(selected ? A_REVERSE : A_NORMAL);
	mvaddstr(y, 0, b.data);
	attrset(A_NORMAL);
	buf_free(&b);
}

static void draw(struct list_state *s)
{
	erase();
	char header[256];
	snprintf(header, sizeof header, "outreach: Businesses (%ld)", s->total);
	draw_line(0, header, s->colour ? COLOR_PAIR(1) | A_BOLD : A_BOLD);
	for (size_t i = 0; i < s->page.count; i++)
		draw_row(1 + (int)i, &s->page.rows[i], (int)i == s->cursor);
	if (s->page.count == 0)
		mvaddstr(1, 0, "No businesses yet. Import some with `outreach import`.");
	draw_line(LINES - 1, "j/k move  PgDn/PgUp page  q quit",
		  s->colour ? COLOR_PAIR(1) : A_REVERSE);
	refresh();
}

static void page_down(struct db *db, struct list_state *s, struct error *err)
{
	if (s->page.count < (size_t)list_rows() || s->depth >= MAX_BACK_PAGES)
		return;
	const struct business_row *last = &s->page.rows[s->page.count - 1];
	s->back[s->depth++] = s->top;
	s->top.name = xstrdup(last->name);
	s->top.id = last->id;
	s->cursor = 0;
	load_page(db, s, err);
}

static void page_up(struct db *db, struct list_state *s, struct error *err)
{
	if (s->depth == 0) {
		s->cursor = 0;
		return;
	}
	free(s->top.name);
	s->top = s->back[--s->depth];
	s->cursor = list_rows() - 1;
	load_page(db, s, err);
}

static void state_free(struct list_state *s)
{
	business_page_free(&s->page);
	free(s->top.name);
	for (int i = 0; i < s->depth; i++)
		free(s->back[i].name);
}

/* Returns false when the user asked to quit. */
static bool handle_key(struct db *db, struct list_state *s, int key,
		       struct error *err)
{
	switch (key) {
	case 'q':
		return false;
	case 'j':
	case KEY_DOWN:
		if (s->cursor + 1 < (int)s->page.count)
			s->cursor++;
		else
			page_down(db, s, err);
		break;
	case 'k':
	case KEY_UP:
		if (s->cursor > 0)
			s->cursor--;
		else
			page_up(db, s, err);
		break;
	case KEY_NPAGE:
		page_down(db, s, err);
		break;
	case KEY_PPAGE:
		page_up(db, s, err);
		break;
	case KEY_RESIZE:
		load_page(db, s, err);
		break;
	}
	return true;
}

static void start_curses(struct list_state *s)
{
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	s->colour = has_colors() && !getenv("NO_COLOR");
	if (s->colour) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_BLACK, COLOR_CYAN);
	}
}

int tui_run(struct db *db, struct error *err)
{
	struct list_state *s = xcalloc(1, sizeof *s);
	/* Curses first: the page size depends on the terminal's height. */
	start_curses(s);
	int rc = 0;
	s->total = business_count_estimate(db, err);
	if (s->total < 0 || load_page(db, s, err) < 0)
		rc = -1;
	while (rc == 0) {
		draw(s);
		int key = getch();
		if (!handle_key(db, s, key, err))
			break;
		if (error_is_set(err))
			rc = -1;
	}
	endwin();
	state_free(s);
	free(s);
	return rc;
}
