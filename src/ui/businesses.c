/* businesses.c - the Businesses list: a buffer of rows a few pages around
 * the view, filled by keyset queries on the event-loop connection as the
 * cursor nears either end, so moving is instant and memory stays flat on
 * a million rows. Other sessions' changes refresh it in place. */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "core/vocab.h"
#include "core/xalloc.h"
#include "model/business.h"
#include "model/business_edit.h"

enum fetch_kind { FETCH_RESET, FETCH_AFTER, FETCH_BEFORE, FETCH_REFRESH };

struct list {
	struct business_filter filter;
	int filter_step;
	struct business_row *rows;
	size_t count;
	size_t top, cursor;
	bool at_start, at_end;
	long base;		/* absolute index of rows[0]; -1 unknown */
	long total;
	bool total_estimate;
	unsigned gen;		/* bumps when the buffer is replaced */
	bool loading_after, loading_before, loading_reset;
	bool refresh_in_flight, refresh_again;
	bool count_in_flight, count_again;
	long pending_delta;	/* a move waiting for rows to arrive */
	enum page_dir reset_dir;
	bool reset_pending;	/* a newer reset waits for the one in flight */
	int shown_id;		/* what the details pane was told */
	struct pane *details;
	struct app *app;
};

struct fetch {
	struct pane *pane;
	struct app *app;
	unsigned gen;
	enum fetch_kind kind;
	enum page_dir dir;
	int limit;
};

static int rows_visible(const struct pane *p)
{
	return p->h > 1 ? p->h - 1 : 1;	/* one line of column titles */
}

static int margin(const struct pane *p)
{
	return rows_visible(p) > 8 ? rows_visible(p) : 8;
}

static size_t max_buffer(const struct pane *p)
{
	return (size_t)(rows_visible(p) + 4 * margin(p));
}

static void clear_rows(struct list *l)
{
	for (size_t i = 0; i < l->count; i++)
		business_row_free(&l->rows[i]);
	l->count = 0;
}

static void on_page(void *ctx, PGresult *res, const struct error *err);

static void send_page(struct pane *p, struct app *app, enum fetch_kind kind,
		      enum page_dir dir, const struct business_row *anchor,
		      int limit)
{
	struct list *l = p->state;
	struct fetch *f = xcalloc(1, sizeof *f);
	*f = (struct fetch){p, app, l->gen, kind, dir, limit};
	struct query q = {0};
	business_page_query(&q, &l->filter, dir, anchor, limit);
	if (!app_query(app, &q, on_page, f)) {
		free(f);
		return;
	}
	if (kind == FETCH_AFTER)
		l->loading_after = true;
	else if (kind == FETCH_BEFORE)
		l->loading_before = true;
	else if (kind == FETCH_RESET)
		l->loading_reset = true;
	else
		l->refresh_in_flight = true;
}

static void on_count(void *ctx, PGresult *res, const struct error *err);
static void update_position(struct pane *p, struct app *app);

static void send_count(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->count_in_flight) {
		/* The count running is for a search or filter the user has
		 * moved on from: counting a million rows would hold up the new
		 * rows queued behind it for a second or more. */
		l->count_again = true;
		db_async_cancel(app->db, on_count, p);
		return;
	}
	struct query q = {0};
	business_count_query(&q, &l->filter);
	if (app_query(app, &q, on_count, p))
		l->count_in_flight = true;
}

static void on_count(void *ctx, PGresult *res, const struct error *err)
{
	struct pane *p = ctx;
	struct list *l = p->state;
	l->count_in_flight = false;
	if (res) {
		l->total = business_count_parse(res, &l->total_estimate);
		p->dirty = true;
	}
	(void)err;
	update_position(p, l->app);
	if (l->count_again) {
		l->count_again = false;
		send_count(p, l->app);
	}
}

static void reset(struct pane *p, struct app *app, enum page_dir dir)
{
	struct list *l = p->state;
	l->gen++;
	l->loading_after = l->loading_before = false;
	l->refresh_in_flight = l->refresh_again = false;
	l->pending_delta = 0;
	l->reset_dir = dir;
	p->dirty = true;
	/* Typing a search fires a reset per key: while one is running, only
	 * the latest waits, so stale queries never pile up in the queue. */
	if (l->loading_reset) {
		l->reset_pending = true;
		return;
	}
	send_page(p, app, FETCH_RESET, dir, NULL, rows_visible(p) + margin(p));
}

/* Keeps a margin of rows beyond the view on both sides. */
static void ensure_margin(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->count == 0 || l->loading_reset || l->refresh_in_flight)
		return;
	size_t view_end = l->top + (size_t)rows_visible(p);
	if (!l->at_end && !l->loading_after &&
	    (l->count < view_end || l->count - view_end < (size_t)margin(p)))
		send_page(p, app, FETCH_AFTER, PAGE_AFTER, &l->rows[l->count - 1],
			  2 * margin(p));
	if (!l->at_start && !l->loading_before && l->top < (size_t)margin(p))
		send_page(p, app, FETCH_BEFORE, PAGE_BEFORE, &l->rows[0],
			  2 * margin(p));
}

static void tell_details(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	int id = l->count ? l->rows[l->cursor].id : 0;
	if (id != l->shown_id) {
		l->shown_id = id;
		details_show(l->details, app, id);
	}
}

static void update_position(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	char text[64], total[32], at[32];
	if (l->total < 0)
		snprintf(total, sizeof total, "?");
	else
		format_count(l->total, l->total_estimate, total, sizeof total);
	if (l->count == 0)
		snprintf(text, sizeof text, "0 of %s", total);
	else if (l->base >= 0)
		snprintf(text, sizeof text, "%s of %s",
			 format_count(l->base + (long)l->cursor + 1, false, at,
				      sizeof at), total);
	else
		snprintf(text, sizeof text, "? of %s", total);
	app_set_position(app, text);
}

/* Moves the cursor by delta rows; page moves also scroll the view. */
static void move_cursor(struct pane *p, struct app *app, long delta, bool scroll)
{
	struct list *l = p->state;
	if (l->count == 0)
		return;
	long h = rows_visible(p);
	long want = (long)l->cursor + delta;
	long last = (long)l->count - 1;
	long got = want < 0 ? 0 : want > last ? last : want;
	/* What could not be done waits for the rows to arrive. */
	if ((want > last && !l->at_end) || (want < 0 && !l->at_start))
		l->pending_delta = want - got;
	else
		l->pending_delta = 0;
	long top = (long)l->top;
	if (scroll)
		top += got - (long)l->cursor;
	if (got < top)
		top = got;
	if (got >= top + h)
		top = got - h + 1;
	long max_top = (long)l->count - h;
	if (top > max_top && l->at_end)
		top = max_top;
	if (top < 0)
		top = 0;
	l->cursor = (size_t)got;
	l->top = (size_t)top;
	p->dirty = true;
	ensure_margin(p, app);
	tell_details(p, app);
	update_position(p, app);
}

static void trim(struct pane *p, bool from_front)
{
	struct list *l = p->state;
	size_t max = max_buffer(p);
	if (l->count <= max)
		return;
	size_t drop = l->count - max;
	if (from_front) {
		size_t keep_before = l->top > (size_t)margin(p) ? l->top - (size_t)margin(p) : 0;
		if (drop > keep_before)
			drop = keep_before;
		for (size_t i = 0; i < drop; i++)
			business_row_free(&l->rows[i]);
		memmove(l->rows, l->rows + drop, (l->count - drop) * sizeof *l->rows);
		l->count -= drop;
		l->top -= drop;
		l->cursor -= drop;
		if (l->base >= 0)
			l->base += (long)drop;
		if (drop)
			l->at_start = false;
	} else {
		size_t view_end = l->top + (size_t)rows_visible(p) + (size_t)margin(p);
		if (l->count - drop < view_end)
			drop = l->count > view_end ? l->count - view_end : 0;
		for (size_t i = l->count - drop; i < l->count; i++)
			business_row_free(&l->rows[i]);
		l->count -= drop;
		if (drop)
			l->at_end = false;
	}
}

static void take_rows(struct list *l, struct business_page *page, size_t at)
{
	l->rows = xreallocarray(l->rows, l->count + page->count + 1, sizeof *l->rows);
	memmove(l->rows + at + page->count, l->rows + at,
		(l->count - at) * sizeof *l->rows);
	memcpy(l->rows + at, page->rows, page->count * sizeof *l->rows);
	l->count += page->count;
	free(page->rows);
	page->rows = NULL;
	page->count = 0;
}

static size_t find_row(const struct list *l, int id, size_t fallback)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->rows[i].id == id)
			return i;
	return fallback < l->count ? fallback : (l->count ? l->count - 1 : 0);
}

static void apply_reset(struct pane *p, struct fetch *f, struct business_page *page)
{
	struct list *l = p->state;
	clear_rows(l);
	take_rows(l, page, 0);
	bool full = l->count >= (size_t)f->limit;
	if (f->dir == PAGE_FROM) {	/* following a business: it is first */
		l->at_start = false;
		l->at_end = !full;
		l->cursor = l->top = 0;
		l->base = -1;		/* until its place is counted */
	} else if (f->dir == PAGE_LAST) {
		l->at_end = true;
		l->at_start = !full;
		l->cursor = l->count ? l->count - 1 : 0;
		long h = rows_visible(p);
		l->top = (long)l->count > h ? l->count - (size_t)h : 0;
		l->base = l->at_start ? 0 : (l->total >= 0 ? l->total - (long)l->count : -1);
	} else {
		l->at_start = true;
		l->at_end = !full;
		l->cursor = l->top = 0;
		l->base = 0;
	}
}

/* ---- following the selected business ----
 * A change can move the selected business out of the rows held (renamed
 * to the other end of the list, say). The cursor then goes where the
 * business is now, as a person expects after a rename: its row is looked
 * up, the buffer reloaded from it, and its place in the list counted. A
 * move by the user meanwhile cancels that. */

struct follow {
	struct pane *pane;
	unsigned gen;
	int id;			/* the business followed */
	int landed;		/* the row the cursor fell on meanwhile */
};

static void on_rank(void *ctx, PGresult *res, const struct error *err)
{
	struct follow *fw = ctx;
	struct list *l = fw->pane->state;
	(void)err;	/* the position stays "?" */
	long rank = res && fw->gen == l->gen ? business_rank_parse(res) : -1;
	for (size_t i = 0; rank >= 0 && i < l->count; i++)
		if (l->rows[i].id == fw->id) {
			l->base = rank - (long)i;
			update_position(fw->pane, l->app);
			break;
		}
	free(fw);
}

static void on_locate(void *ctx, PGresult *res, const struct error *err)
{
	struct follow *fw = ctx;
	struct pane *p = fw->pane;
	struct list *l = p->state;
	(void)err;	/* the cursor stays where it fell */
	bool still = fw->gen == l->gen && !l->loading_reset && l->count &&
		     l->rows[l->cursor].id == fw->landed;
	struct business_page page = {0};
	if (res && still)
		business_page_parse(res, PAGE_FROM, &page);
	if (page.count == 1) {	/* else the filter no longer shows it */
		/* A new buffer, as reset() starts one: answers to the old
		 * one's loads and refreshes are dropped, so none is waited for. */
		l->gen++;
		l->loading_after = l->loading_before = false;
		l->refresh_in_flight = l->refresh_again = false;
		l->pending_delta = 0;
		send_page(p, l->app, FETCH_RESET, PAGE_FROM, &page.rows[0],
			  rows_visible(p) + margin(p));
		struct query q = {0};
		business_rank_query(&q, &l->filter, &page.rows[0]);
		fw->gen = l->gen;
		if (app_query(l->app, &q, on_rank, fw))
			fw = NULL;
	}
	business_page_free(&page);
	free(fw);
}

static void follow(struct pane *p, int id)
{
	struct list *l = p->state;
	struct follow *fw = xcalloc(1, sizeof *fw);
	*fw = (struct follow){p, l->gen, id, l->rows[l->cursor].id};
	struct query q = {0};
	business_locate_query(&q, &l->filter, id);
	if (!app_query(l->app, &q, on_locate, fw))
		free(fw);
}

static void apply_refresh(struct pane *p, struct fetch *f, struct business_page *page)
{
	struct list *l = p->state;
	int cursor_id = l->count ? l->rows[l->cursor].id : 0;
	size_t cursor_at = l->cursor;
	size_t h = (size_t)rows_visible(p);
	clear_rows(l);
	take_rows(l, page, 0);
	l->at_end = l->count < (size_t)f->limit;
	if (f->dir == PAGE_FIRST)
		l->base = 0;
	/* The cursor stays on its business; the view stays where it was
	 * unless that would hide the cursor. A business gone from these rows
	 * is followed to where it is now. */
	l->cursor = find_row(l, cursor_id, cursor_at);
	if (cursor_id && l->count && l->rows[l->cursor].id != cursor_id)
		follow(p, cursor_id);
	if (l->cursor < l->top)
		l->top = l->cursor;
	else if (l->cursor >= l->top + h)
		l->top = l->cursor - h + 1;
}

static void apply_page(struct pane *p, struct app *app, struct fetch *f,
		       struct business_page *page)
{
	struct list *l = p->state;
	size_t got = page->count;
	switch (f->kind) {
	case FETCH_RESET:
		l->loading_reset = false;
		apply_reset(p, f, page);
		break;
	case FETCH_REFRESH:
		l->refresh_in_flight = false;
		apply_refresh(p, f, page);
		break;
	case FETCH_AFTER:
		l->loading_after = false;
		take_rows(l, page, l->count);
		l->at_end = got < (size_t)f->limit;
		trim(p, true);
		break;
	case FETCH_BEFORE:
		l->loading_before = false;
		take_rows(l, page, 0);
		l->top += got;
		l->cursor += got;
		if (l->base >= 0)
			l->base -= (long)got;
		if (got < (size_t)f->limit) {
			l->at_start = true;
			l->base = 0;
		}
		trim(p, false);
		break;
	}
	long pending = l->pending_delta;
	l->pending_delta = 0;
	move_cursor(p, app, pending, pending != 0 && (pending > 1 || pending < -1));
}

static void on_page(void *ctx, PGresult *res, const struct error *err)
{
	struct fetch *f = ctx;
	struct pane *p = f->pane;
	struct list *l = p->state;
	if (f->kind == FETCH_RESET && l->reset_pending) {
		/* Superseded while running: load what the user wants now. */
		l->loading_reset = l->reset_pending = false;
		send_page(p, f->app, FETCH_RESET, l->reset_dir, NULL,
			  rows_visible(p) + margin(p));
		free(f);
		return;
	}
	if (f->gen != l->gen) {
		free(f);
		return;	/* the user has moved on (new search, filter, sort) */
	}
	if (!res) {
		l->loading_after = l->loading_before = l->loading_reset = false;
		l->refresh_in_flight = false;
		app_message(f->app, true, "cannot load businesses: %s", err->msg);
		free(f);
		return;
	}
	struct business_page page = {0};
	business_page_parse(res, f->dir, &page);
	apply_page(p, f->app, f, &page);
	business_page_free(&page);
	if (l->refresh_again && !l->refresh_in_flight) {
		l->refresh_again = false;
		p->ops->notify(p, f->app, "businesses", 0);
	}
	if (l->count_again && !l->count_in_flight) {
		l->count_again = false;
		send_count(p, f->app);
	}
	p->dirty = true;
	free(f);
}

static void refresh_rows(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->loading_reset)
		return;		/* a full load is already coming */
	if (l->refresh_in_flight) {
		l->refresh_again = true;
		return;
	}
	l->gen++;	/* drop edge loads that would splice into old rows */
	l->loading_after = l->loading_before = false;
	int limit = (int)l->count;
	if (limit < rows_visible(p) + margin(p))
		limit = rows_visible(p) + margin(p);
	if (l->at_start || l->count == 0)
		send_page(p, app, FETCH_REFRESH, PAGE_FIRST, NULL, limit);
	else
		send_page(p, app, FETCH_REFRESH, PAGE_FROM, &l->rows[0], limit);
}

static void reload(struct pane *p, struct app *app)
{
	reset(p, app, PAGE_FIRST);
	send_count(p, app);
}

void businesses_set_search(struct pane *p, struct app *app, const char *text)
{
	struct list *l = p->state;
	free(l->filter.search);
	l->filter.search = text && *text ? xstrdup(text) : NULL;
	reload(p, app);
}

static void describe_filter(const struct list *l, char *out, size_t len)
{
	if (l->filter.status >= 0)
		snprintf(out, len, "status %s", business_status_name(l->filter.status));
	else if (l->filter.has_email)
		snprintf(out, len, "has e-mail");
	else if (l->filter.no_contacts)
		snprintf(out, len, "no contacts");
	else
		snprintf(out, len, "all");
}

/* f cycles: all, each status, has e-mail, no contacts. */
static void cycle_filter(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	l->filter_step = (l->filter_step + 1) % (BUSINESS_STATUS_COUNT + 3);
	int step = l->filter_step;
	l->filter.status = step >= 1 && step <= BUSINESS_STATUS_COUNT ? step - 1 : -1;
	l->filter.has_email = step == BUSINESS_STATUS_COUNT + 1;
	l->filter.no_contacts = step == BUSINESS_STATUS_COUNT + 2;
	char what[64];
	describe_filter(l, what, sizeof what);
	app_message(app, false, "filter: %s", what);
	reload(p, app);
}

static void set_status_filter(struct pane *p, struct app *app, int status)
{
	struct list *l = p->state;
	l->filter.status = status;
	l->filter.has_email = l->filter.no_contacts = false;
	l->filter_step = status + 1;
	reload(p, app);
}

bool businesses_command(struct pane *p, struct app *app, const char *cmd,
			const char *arg)
{
	struct list *l = p->state;
	if (strcmp(cmd, "status") == 0 || strcmp(cmd, "filter") == 0) {
		int st = arg && strcmp(arg, "all") != 0 ? business_status_from_name(arg) : -1;
		if (arg && strcmp(arg, "all") != 0 && st < 0) {
			app_message(app, true, "unknown status '%s': use pending_scan, "
				    "scanned, active, archived or all", arg);
			return true;
		}
		set_status_filter(p, app, st);
		return true;
	}
	if (strcmp(cmd, "sort") == 0) {
		for (int s = 0; s < BUSINESS_SORT_COUNT; s++)
			if (arg && strcmp(arg, business_sort_name(s)) == 0) {
				l->filter.sort = s;
				reload(p, app);
				return true;
			}
		app_message(app, true, "sort by name, status or updated");
		return true;
	}
	if (strcmp(cmd, "search") == 0) {
		businesses_set_search(p, app, arg);
		return true;
	}
	return false;
}

static void on_deleted(void *ctx, PGresult *res, const struct error *err)
{
	struct list *l = ctx;
	if (!res)
		app_message(l->app, true, "not deleted: %s", err->msg);
	else if (!edit_result_applied(res))
		app_message(l->app, true, "not deleted: it was already removed");
	else
		app_message(l->app, false, "deleted");
}

static bool delete_business(struct app *app, void *ctx, const char *text)
{
	struct list *l = ctx;
	(void)text;
	struct query q = {0};
	struct error err = {{0}};
	if (business_delete_query(&q, &app->actor, l->shown_id, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return true;
	}
	app_query(app, &q, on_deleted, l);
	return true;
}

static void ask_delete(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->count == 0)
		return;
	/* Refused before asking: a staff user learns why at once, and the
	 * model refuses again should the question be answered anyway. */
	struct error err = {{0}};
	if (permission_require(&app->actor, PERM_DELETE_BUSINESS, &err) < 0) {
		app_message(app, true, "%s", err.msg);
		return;
	}
	const struct business_row *r = &l->rows[l->cursor];
	char question[160];
	snprintf(question, sizeof question, "Delete %.60s and its %d contact%s? (y/n) ",
		 r->name, r->contact_count, r->contact_count == 1 ? "" : "s");
	app_confirm(app, question, delete_business, l);
}

static bool list_action(struct pane *p, struct app *app, enum ui_action act)
{
	struct list *l = p->state;
	long h = rows_visible(p);
	switch (act) {
	case ACT_DOWN:
	case ACT_NEXT_MATCH:
		move_cursor(p, app, 1, false);
		return true;
	case ACT_UP:
	case ACT_PREV_MATCH:
		move_cursor(p, app, -1, false);
		return true;
	case ACT_PAGE_DOWN:
		move_cursor(p, app, h, true);
		return true;
	case ACT_PAGE_UP:
		move_cursor(p, app, -h, true);
		return true;
	case ACT_TOP:
		if (l->at_start)
			move_cursor(p, app, -(long)l->cursor, false);
		else
			reset(p, app, PAGE_FIRST);
		return true;
	case ACT_BOTTOM:
		if (l->at_end)
			move_cursor(p, app, (long)l->count - 1 - (long)l->cursor, false);
		else
			reset(p, app, PAGE_LAST);
		return true;
	case ACT_FILTER:
		cycle_filter(p, app);
		return true;
	case ACT_EDIT:
		details_edit_field(l->details, app, FIELD_NAME);
		return true;
	case ACT_ADD:
		details_add_contact(l->details, app);
		return true;
	case ACT_STATUS:
		details_edit_field(l->details, app, FIELD_STATUS);
		return true;
	case ACT_DELETE:
		ask_delete(p, app);
		return true;
	case ACT_SORT:
		l->filter.sort = (l->filter.sort + 1) % BUSINESS_SORT_COUNT;
		app_message(app, false, "sorted by %s", business_sort_name(l->filter.sort));
		reload(p, app);
		return true;
	default:
		return false;
	}
}

struct columns {
	int name, status, website, contacts, updated;
};

static struct columns layout(int width)
{
	struct columns c = {0};
	c.status = 12;
	c.contacts = 3;
	c.updated = width >= 100 ? 16 : 0;
	int rest = width - c.status - c.contacts - c.updated - 4;
	c.name = rest * 11 / 20;
	c.website = rest - c.name;
	return c;
}

static void draw_row(WINDOW *w, int y, int width, const struct business_row *r,
		     bool selected)
{
	struct columns c = layout(width);
	int attr = selected ? theme_attr(ROLE_SELECTED) : (int)A_NORMAL;
	char count[16];
	snprintf(count, sizeof count, "%3d", r->contact_count);
	int x = 0;
	draw_text(w, y, x, c.name + 1, r->name, attr);
	x += c.name + 1;
	draw_text(w, y, x, c.status + 1, r->status, attr);
	x += c.status + 1;
	draw_text(w, y, x, c.website + 1, r->website ? r->website : "", attr);
	x += c.website + 1;
	draw_text(w, y, x, c.contacts + 1, count, attr);
	x += c.contacts + 1;
	if (c.updated)
		draw_text(w, y, x, width - x, r->updated_label, attr);
}

static void draw_titles(WINDOW *w, int width, const struct list *l)
{
	struct columns c = layout(width);
	static const char *const marks[BUSINESS_SORT_COUNT] = {"name", "status", "updated"};
	char name[32], status[32], updated[32];
	snprintf(name, sizeof name, "Name%s", l->filter.sort == BUSINESS_SORT_NAME ? " ▲" : "");
	snprintf(status, sizeof status, "Status%s", l->filter.sort == BUSINESS_SORT_STATUS ? " ▲" : "");
	snprintf(updated, sizeof updated, "Updated%s", l->filter.sort == BUSINESS_SORT_UPDATED ? " ▼" : "");
	(void)marks;
	int attr = theme_attr(ROLE_TITLE);
	int x = 0;
	draw_text(w, 0, x, c.name + 1, name, attr);
	x += c.name + 1;
	draw_text(w, 0, x, c.status + 1, status, attr);
	x += c.status + 1;
	draw_text(w, 0, x, c.website + 1, "Website", attr);
	x += c.website + 1;
	draw_text(w, 0, x, c.contacts + 1, "  #", attr);
	x += c.contacts + 1;
	if (c.updated)
		draw_text(w, 0, x, width - x, updated, attr);
}

static void list_draw(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	(void)app;
	werase(p->win);
	draw_titles(p->win, p->w, l);
	int h = rows_visible(p);
	for (int i = 0; i < h && l->top + (size_t)i < l->count; i++) {
		size_t at = l->top + (size_t)i;
		draw_row(p->win, 1 + i, p->w, &l->rows[at], at == l->cursor && p->focused);
		if (at == l->cursor && !p->focused)
			mvwchgat(p->win, 1 + i, 0, p->w, A_BOLD, 0, NULL);
	}
	if (l->count == 0 && !l->loading_reset)
		draw_text(p->win, 2, 2, p->w - 4, l->filter.search || l->filter.status >= 0 ||
			  l->filter.has_email || l->filter.no_contacts ?
			  "No business matches. Esc clears the search; f changes the filter." :
			  "No businesses yet. Import a lead list with `outreach import FILE.csv`.",
			  theme_attr(ROLE_DIM));
}

static void list_resize(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->count && l->cursor >= l->top + (size_t)rows_visible(p))
		l->top = l->cursor - (size_t)rows_visible(p) + 1;
	ensure_margin(p, app);
	p->dirty = true;
}

static void list_notify(struct pane *p, struct app *app, const char *table, int id)
{
	(void)id;
	if (strcmp(table, "businesses") != 0 && strcmp(table, "contacts") != 0)
		return;
	refresh_rows(p, app);
	if (strcmp(table, "businesses") == 0)
		send_count(p, app);
}

static void list_reconnected(struct pane *p, struct app *app)
{
	struct list *l = p->state;
	if (l->count == 0)
		reload(p, app);
	else {
		refresh_rows(p, app);
		send_count(p, app);
	}
}

static void list_destroy(struct pane *p)
{
	struct list *l = p->state;
	clear_rows(l);
	free(l->rows);
	free(l->filter.search);
	free(l);
}

static const struct pane_ops list_ops = {
	.name = "businesses",
	.draw = list_draw,
	.action = list_action,
	.resize = list_resize,
	.notify = list_notify,
	.reconnected = list_reconnected,
	.destroy = list_destroy,
};

void businesses_pane_init(struct pane *p, struct app *app)
{
	struct list *l = xcalloc(1, sizeof *l);
	l->filter.status = -1;
	l->total = -1;
	l->base = 0;
	l->details = &app->details;
	l->app = app;
	p->ops = &list_ops;
	p->state = l;
	p->dirty = true;
}

void businesses_start(struct pane *p, struct app *app)
{
	reload(p, app);
}

void businesses_shown(struct pane *p, struct app *app)
{
	update_position(p, app);
}

void businesses_click(struct pane *p, struct app *app, int row)
{
	struct list *l = p->state;
	if (row < 1 || l->top + (size_t)(row - 1) >= l->count)
		return;
	move_cursor(p, app, (long)(l->top + (size_t)(row - 1)) - (long)l->cursor, false);
}

const char *businesses_status_filter(struct pane *p)
{
	struct list *l = p->state;
	return l->filter.status >= 0 ? business_status_name(l->filter.status) : NULL;
}

const struct business_filter *businesses_filter(struct pane *p)
{
	struct list *l = p->state;
	return &l->filter;
}

int businesses_selected_id(struct pane *p)
{
	struct list *l = p->state;
	return l->count ? l->rows[l->cursor].id : 0;
}
