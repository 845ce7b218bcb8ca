/* keys.c - the one key table: bindings, the bottom hint bar and the ?
 * help overlay all come from here, so they can never disagree. */
#include "ui/ui.h"

#include <stdio.h>
#include <string.h>

#define B SCREEN_BUSINESSES
#define M SCREEN_MESSAGES
#define C SCREEN_CAMPAIGNS
#define U SCREEN_USERS
#define ANY SCREEN_ANY

static const struct key_binding bindings[] = {
	{'j', ANY, ACT_DOWN, NULL, "move down"},
	{UI_FKEY(KEY_DOWN), ANY, ACT_DOWN, NULL, "move down"},
	{'k', ANY, ACT_UP, NULL, "move up"},
	{UI_FKEY(KEY_UP), ANY, ACT_UP, NULL, "move up"},
	{'g', ANY, ACT_TOP, NULL, "go to the first row"},
	{UI_FKEY(KEY_HOME), ANY, ACT_TOP, NULL, "go to the first row"},
	{'G', ANY, ACT_BOTTOM, NULL, "go to the last row"},
	{UI_FKEY(KEY_END), ANY, ACT_BOTTOM, NULL, "go to the last row"},
	{UI_FKEY(KEY_NPAGE), ANY, ACT_PAGE_DOWN, NULL, "next page"},
	{UI_CTRL('f'), ANY, ACT_PAGE_DOWN, NULL, "next page"},
	{UI_FKEY(KEY_PPAGE), ANY, ACT_PAGE_UP, NULL, "previous page"},
	{UI_CTRL('b'), ANY, ACT_PAGE_UP, NULL, "previous page"},
	{'/', B, ACT_SEARCH, "search", "search names, websites and e-mails as you type"},
	{'n', B, ACT_NEXT_MATCH, NULL, "next match"},
	{'N', B, ACT_PREV_MATCH, NULL, "previous match"},
	{'f', B, ACT_FILTER, "filter", "filter: cycle status, has e-mail, no contacts, all"},
	{'s', B, ACT_SORT, "sort", "sort by name, status or last update"},
	{'\n', B, ACT_OPEN, "open", "open the selected business's details"},
	{'\r', B, ACT_OPEN, NULL, "open the selected business's details"},
	{UI_FKEY(KEY_ENTER), B, ACT_OPEN, NULL, "open the selected business's details"},
	{'e', B, ACT_EDIT, "edit", "edit the selected field or contact (from the list: the name)"},
	{'a', B, ACT_ADD, "add", "add a contact: type and value, e.g. email info@example.org"},
	{'d', B, ACT_DELETE, NULL, "delete the selected contact, or from the list the business (asks first)"},
	{'p', B, ACT_PRIMARY, NULL, "make the selected contact the primary one of its type (again: unset)"},
	{'t', B, ACT_STATUS, NULL, "change the business's status (pending_scan, scanned, active, archived)"},
	{'I', B, ACT_IMPORT, "import", "import a CSV lead list (same rules as outreach import)"},
	{'S', B, ACT_SCAN, "scan", "scan the selected business's website for contacts"},
	{'E', B, ACT_EXPORT, NULL, "export the businesses of the current status filter to CSV"},
	{UI_ESC, B, ACT_CLEAR, NULL, "clear the search"},
	{'\n', M, ACT_OPEN, "open", "open messages / a message; queue: mark task sent"},
	{UI_ESC, M, ACT_BACK, NULL, "back, as q: from a message to the list, from the list or the queue to the monitor"},
	{'\r', M, ACT_OPEN, NULL, "open messages / a message; queue: mark task sent"},
	{UI_FKEY(KEY_ENTER), M, ACT_OPEN, NULL, "open messages / a message; queue: mark task sent"},
	{'w', M, ACT_QUEUE, "queue", "work the manual social queue, one task at a time"},
	{'f', M, ACT_FILTER, "status", "messages: cycle the status filter"},
	{'p', M, ACT_PLATFORM, NULL, "messages: cycle the platform filter"},
	{'o', M, ACT_MARK_OPENED, "opened", "mark the selected message opened"},
	{'r', M, ACT_MARK_REPLIED, "replied", "mark the selected message replied (and opened)"},
	{'x', M, ACT_MARK_FAILED, "failed", "mark the message or task failed (asks why)"},
	{'R', M, ACT_RETRY, NULL, "retry a failed message (admins)"},
	{'c', M, ACT_COPY, NULL, "queue: copy the text to your clipboard (OSC 52)"},
	{'u', M, ACT_LINK, NULL, "queue: make the profile URL a link (OSC 8)"},
	{'n', M, ACT_SKIP, NULL, "queue: skip the task (back when nothing is left)"},
	{'\n', C, ACT_OPEN, "edit", "edit the selected campaign's template (the editor takes every key; Esc leaves it)"},
	{'\r', C, ACT_OPEN, NULL, "edit the selected campaign's template (the editor takes every key; Esc leaves it)"},
	{UI_FKEY(KEY_ENTER), C, ACT_OPEN, NULL, "edit the selected campaign's template (the editor takes every key; Esc leaves it)"},
	{'e', C, ACT_OPEN, NULL, "edit the selected campaign's template (the editor takes every key; Esc leaves it)"},
	{'g', C, ACT_GENERATE, "generate", "generate the campaign's messages for its audience (asks first)"},
	{'n', C, ACT_ADD, "new", "new draft campaign (asks for its name)"},
	{'a', C, ACT_ADD, NULL, "new draft campaign (asks for its name)"},
	{'S', C, ACT_SCHEDULE, "schedule", "schedule: ready to send, from a time you give (empty: the next send run)"},
	{'R', C, ACT_START, "start", "start sending now"},
	{'p', C, ACT_PAUSE, NULL, "pause sending"},
	{'u', C, ACT_RESUME, NULL, "resume a paused campaign"},
	{'x', C, ACT_CANCEL, NULL, "cancel the campaign for good (asks first)"},
	{'[', C, ACT_PREV_BUSINESS, NULL, "preview the previous business of the audience"},
	{']', C, ACT_NEXT_BUSINESS, NULL, "preview the next business of the audience"},
	{UI_CTRL('s'), C, ACT_SAVE, "save", "save the template (refused if someone else saved it since you opened it)"},
	{UI_CTRL('z'), C, ACT_UNDO, "undo", "undo in the editor"},
	{UI_CTRL('y'), C, ACT_REDO, "redo", "redo in the editor"},
	{UI_CTRL('e'), C, ACT_EXTERNAL_EDIT, "$EDITOR", "edit the template in $VISUAL or $EDITOR (also :edit)"},
	{'\t', C, ACT_SWITCH_PANE, "complete {{", "in the editor after {{: complete a field name (again: the next); else switch panes"},
	{UI_ESC, C, ACT_BACK, "list", "leave the editor for the list"},
	{'a', U, ACT_ADD, "add", "add an account: name, e-mail, password (admins)"},
	{'p', U, ACT_PASSWORD, "password", "set the selected account's password (staff: their own)"},
	{'d', U, ACT_DISABLE, "disable", "disable the selected account (asks first), or enable it again (admins)"},
	{'A', U, ACT_ADMIN, "admin", "make the selected account an admin, or staff again (asks first; admins)"},
	{'\t', ANY, ACT_SWITCH_PANE, NULL, "switch between panes"},
	{'1', ANY, ACT_SCREEN_1, NULL, "Businesses screen"},
	{'2', ANY, ACT_SCREEN_2, NULL, "Campaigns screen"},
	{'3', ANY, ACT_SCREEN_3, NULL, "Messages screen"},
	{'4', ANY, ACT_SCREEN_4, NULL, "Users screen"},
	{':', ANY, ACT_COMMAND, "cmd", "command prompt (:status S, :sort K, :search T, :import F, :export F, :scan, :stop, :suppress [ADDRESS], :q; on Campaigns :new N, :generate, :schedule [T], :start, :pause, :resume, :cancel, :delete, :edit, :reload)"},
	{UI_CTRL('l'), ANY, ACT_REDRAW, NULL, "redraw the screen"},
	{'?', ANY, ACT_HELP, "help", "show this help"},
	{'q', ANY, ACT_QUIT, "quit", "back, or quit from the main screen"},
};

#define N_BINDINGS (sizeof bindings / sizeof bindings[0])

const struct key_binding *keys_table(size_t *count)
{
	*count = N_BINDINGS;
	return bindings;
}

/* Keys that only mean something inside a text editor. */
static bool editor_only(const struct key_binding *b)
{
	return b->action == ACT_UNDO || b->action == ACT_REDO ||
	       b->action == ACT_EXTERNAL_EDIT || b->action == ACT_BACK ||
	       (b->action == ACT_SWITCH_PANE && b->screen == C);
}

bool keys_hint_shown(const struct key_binding *b, enum ui_screen screen,
		     bool editing)
{
	if (!b->hint || (b->screen != screen && b->screen != SCREEN_ANY))
		return false;
	/* An editor takes the letters: only its own keys are worth showing. */
	if (editing)
		return editor_only(b) || b->action == ACT_SAVE;
	return !editor_only(b);
}

const struct key_binding *keys_lookup(enum ui_screen screen, int key)
{
	const struct key_binding *any = NULL;
	for (size_t i = 0; i < N_BINDINGS; i++) {
		if (bindings[i].key != key)
			continue;
		if (bindings[i].screen == screen)
			return &bindings[i];
		if (bindings[i].screen == SCREEN_ANY && !any)
			any = &bindings[i];
	}
	return any;
}

const char *keys_name(int key, char *out, size_t outlen)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{UI_FKEY(KEY_DOWN), "Down"}, {UI_FKEY(KEY_UP), "Up"},
		{UI_FKEY(KEY_HOME), "Home"}, {UI_FKEY(KEY_END), "End"},
		{UI_FKEY(KEY_NPAGE), "PgDn"}, {UI_FKEY(KEY_PPAGE), "PgUp"},
		{UI_FKEY(KEY_ENTER), "Enter"}, {'\n', "Enter"}, {'\r', "Enter"},
		{'\t', "Tab"}, {UI_ESC, "Esc"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(out, outlen, "%s", names[i].name);
			return out;
		}
	if (key > 0 && key < 0x20)
		snprintf(out, outlen, "Ctrl-%c", key + 'A' - 1);
	else if (key < 0x80)
		snprintf(out, outlen, "%c", key);
	else
		snprintf(out, outlen, "U+%04X", (unsigned)key);
	return out;
}
