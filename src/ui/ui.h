/* ui.h - what the interface's parts share: keys and actions, colour roles,
 * panes behind one table of operations, and the application state the
 * event loop owns. All curses calls happen on the one loop thread. */
#ifndef OUTREACH_UI_H
#define OUTREACH_UI_H

#include <curses.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/config.h"
#include "core/error.h"
#include "db/async.h"
#include "db/query.h"
#include "model/permission.h"

/* Keys: Unicode code points as they are; curses function keys with a
 * flag bit so KEY_DOWN never collides with a character. */
#define UI_FKEY(k) ((1 << 24) | (k))
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_ESC 27

enum ui_screen {
	SCREEN_BUSINESSES,
	SCREEN_CAMPAIGNS,
	SCREEN_MESSAGES,
	SCREEN_USERS,
	SCREEN_COUNT,
	SCREEN_ANY = SCREEN_COUNT,	/* a key valid on every screen */
};

enum ui_action {
	ACT_NONE,
	ACT_DOWN, ACT_UP, ACT_TOP, ACT_BOTTOM, ACT_PAGE_DOWN, ACT_PAGE_UP,
	ACT_SEARCH, ACT_NEXT_MATCH, ACT_PREV_MATCH, ACT_FILTER, ACT_SORT,
	ACT_OPEN, ACT_SWITCH_PANE,
	ACT_SCREEN_1, ACT_SCREEN_2, ACT_SCREEN_3, ACT_SCREEN_4,
	ACT_EDIT, ACT_ADD, ACT_DELETE, ACT_PRIMARY, ACT_STATUS, ACT_CLEAR,
	ACT_IMPORT, ACT_EXPORT, ACT_SCAN,
	ACT_COMMAND, ACT_REDRAW, ACT_HELP, ACT_QUIT,
	/* The Messages screen. */
	ACT_PLATFORM, ACT_MARK_OPENED, ACT_MARK_REPLIED, ACT_MARK_FAILED,
	ACT_RETRY, ACT_QUEUE, ACT_COPY, ACT_LINK, ACT_SKIP,
	/* The Campaigns screen. */
	ACT_GENERATE, ACT_SCHEDULE, ACT_START, ACT_PAUSE, ACT_RESUME, ACT_CANCEL,
	ACT_PREV_BUSINESS, ACT_NEXT_BUSINESS,
	ACT_SAVE, ACT_UNDO, ACT_REDO, ACT_EXTERNAL_EDIT, ACT_BACK,
	/* The Users screen. */
	ACT_PASSWORD, ACT_DISABLE, ACT_ADMIN,
};

struct key_binding {
	int key;
	enum ui_screen screen;
	enum ui_action action;
	const char *hint;	/* label in the bottom bar; NULL: not shown */
	const char *help;	/* line in the ? overlay */
};

/* The binding for key on screen (screen-specific first), or NULL. */
const struct key_binding *keys_lookup(enum ui_screen screen, int key);
/* Human-readable key name ("j", "PgDn", "Ctrl-L", "Enter"). */
const char *keys_name(int key, char *out, size_t outlen);
const struct key_binding *keys_table(size_t *count);
/* Whether b's hint belongs in the bottom bar of screen, while a text
 * editor has the focus (editing) or not. */
bool keys_hint_shown(const struct key_binding *b, enum ui_screen screen,
		     bool editing);

/* Colour roles; with NO_COLOR or a monochrome terminal each role maps to
 * an attribute (bold, reverse, underline) instead. */
enum ui_role {
	ROLE_NORMAL, ROLE_HEADER, ROLE_SELECTED, ROLE_STATUS_BAR, ROLE_HINT_KEY,
	ROLE_HINT, ROLE_ERROR, ROLE_DIM, ROLE_TITLE, ROLE_OK, ROLE_COUNT
};
void theme_init(void);
int theme_attr(enum ui_role role);

/* "1,234,567" (with a leading "~" for estimates); returns out. */
const char *format_count(long n, bool estimate, char *out, size_t outlen);
/* Draws s sanitised, cut/padded to width columns at (y, x). */
void draw_text(WINDOW *w, int y, int x, int width, const char *s, int attr);

/* A one-line text input at the bottom of the screen. */
struct prompt {
	bool active;
	char label[160];
	char text[512];		/* UTF-8 */
	size_t len;
	size_t cursor;		/* byte offset, on a character boundary */
	int history_pos;
	bool secret;		/* a password: never drawn, wiped once used */
};
enum prompt_result { PROMPT_EDITING, PROMPT_CHANGED, PROMPT_DONE, PROMPT_CANCEL };
void prompt_open(struct prompt *p, const char *label, const char *initial);
enum prompt_result prompt_key(struct prompt *p, int key);
void prompt_draw(const struct prompt *p, WINDOW *w, int y, int width);

struct app;
struct pane;

struct pane_ops {
	const char *name;
	void (*draw)(struct pane *p, struct app *app);
	/* Returns true when the pane handled the action. */
	bool (*action)(struct pane *p, struct app *app, enum ui_action act);
	/* The terminal size or layout changed. */
	void (*resize)(struct pane *p, struct app *app);
	/* A change notification: table and row id (0 = many rows). */
	void (*notify)(struct pane *p, struct app *app, const char *table, int id);
	/* The database connection came back: refresh everything shown. */
	void (*reconnected)(struct pane *p, struct app *app);
	void (*destroy)(struct pane *p);
	/* Optional: a deadline asked for with app_wake_at may have passed. */
	void (*timer)(struct pane *p, struct app *app, long long now_ms);
	/* Optional: sees every key first while the pane has the focus (a text
	 * editor); returns true when it took the key. */
	bool (*key)(struct pane *p, struct app *app, int key);
};

struct pane {
	const struct pane_ops *ops;
	WINDOW *win;
	int y, x, h, w;
	bool dirty;
	bool focused;
	void *state;
};

struct app {
	struct db_async *db;
	struct actor actor;		/* who is logged in: rights, audit */
	const char *user;		/* shown in the status line */
	const char *conninfo;		/* for short-lived blocking work */
	struct config config;		/* outreach.conf, once app_config read it */
	bool config_read;
	long long config_failed_at;	/* when reading it last failed, 0: never */
	struct error config_error;	/* ... and why */
	enum ui_screen screen;
	struct pane *panes[4];		/* of the current screen */
	int npanes;
	int focus;
	struct pane businesses, details, users, messages;
	struct pane campaigns, templates, preview;
	/* This session's name for claims on social tasks; also the
	 * connection's application_name (see model/social.h). */
	char claim[64];
	long long wake_at;		/* next timer deadline, 0: none */
	struct db *work_db;		/* app_work_db() */
	WINDOW *header, *status, *hints;
	bool too_small;
	bool quit;
	bool redraw_all;
	bool chrome_dirty;		/* header, status or hints */
	bool help_open;
	int help_scroll;
	struct prompt prompt;
	enum { PROMPT_NONE, PROMPT_SEARCH, PROMPT_COMMAND, PROMPT_ASK,
	       PROMPT_CONFIRM } prompt_kind;
	/* PROMPT_ASK/CONFIRM: called with the text (or "y"); returning false
	 * keeps the prompt open with the text, e.g. after a validation error. */
	bool (*prompt_done)(struct app *app, void *ctx, const char *text);
	void (*prompt_cancelled)(struct app *app, void *ctx);	/* or NULL */
	void *prompt_ctx;
	char message[256];		/* last message or error */
	bool message_is_error;
	char db_state[64];
	char position[64];		/* "12 of 300" */
	struct job *job;		/* the background job, NULL: none */
	char job_state[48];		/* "scanning 3/12" while one runs */
	char search[512];		/* the Businesses search text */
	char *history[32];		/* command prompt history */
	int history_count;
	FILE *trace;
};

/* Sets the status line's message (printf-style). */
void app_message(struct app *app, bool is_error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends a query for a pane; failures are reported in the status line. */
bool app_query(struct app *app, struct query *q, db_async_result_fn fn,
	       void *ctx);
void app_set_position(struct app *app, const char *text);
/* Asks for the panes' timer ops to run at (or soon after) at_ms, on the
 * monotonic clock of db_async_now_ms. */
void app_wake_at(struct app *app, long long at_ms);
/* outreach.conf and its OUTREACH_* overrides, read on first use (as the
 * commands read them); NULL with err set when the file has an error, which
 * is read again on a call two seconds or more after the failure. */
const struct config *app_config(struct app *app, struct error *err);
/* The blocking connection for short work the screens do on request (a
 * campaign's status change, an account change), opened on first use and
 * again after it broke; NULL with err when the database cannot be
 * reached. */
struct db *app_work_db(struct app *app, struct error *err);
/* Asks for a line of text at the bottom of the screen. */
void app_ask(struct app *app, const char *label, const char *initial,
	     bool (*done)(struct app *app, void *ctx, const char *text), void *ctx);
/* The same for a password: nothing typed is shown, and the text is wiped
 * once done has seen it (done must copy what it keeps, into a password
 * buffer). A done returning false does not bring the text back. cancelled
 * (may be NULL) runs on Esc, so the caller can wipe what it kept. */
void app_ask_secret(struct app *app, const char *label,
		    bool (*done)(struct app *app, void *ctx, const char *text),
		    void (*cancelled)(struct app *app, void *ctx), void *ctx);
/* Asks a yes/no question; done runs only on "y". */
void app_confirm(struct app *app, const char *question,
		 bool (*done)(struct app *app, void *ctx, const char *text), void *ctx);

/* The Businesses screen's panes (src/ui/businesses.c, details.c). */
void businesses_pane_init(struct pane *p, struct app *app);
/* Selects the row shown on line row of the pane (a mouse click). */
void businesses_click(struct pane *p, struct app *app, int row);
/* Loads the first page and the count. */
void businesses_start(struct pane *p, struct app *app);
/* The screen is shown again: puts its position back in the status line. */
void businesses_shown(struct pane *p, struct app *app);
void details_pane_init(struct pane *p, struct app *app);
/* The list asks the details pane to start an edit of the selected
 * business: a field, adding a contact, or its status. */
void details_edit_field(struct pane *p, struct app *app, int field);
void details_add_contact(struct pane *p, struct app *app);
/* The list tells the details pane what is selected (0: nothing). */
void details_show(struct pane *p, struct app *app, int business_id);
/* Applies a search text or filter change to the list. */
void businesses_set_search(struct pane *p, struct app *app, const char *text);
bool businesses_command(struct pane *p, struct app *app, const char *cmd,
			const char *arg);
/* I and E: import a CSV file, export the businesses with a status (NULL:
 * all). A NULL or empty path asks for one. */
void transfer_import(struct app *app, const char *path);
void transfer_export(struct app *app, const char *status, const char *path);
/* S and :scan (src/ui/scan_job.c) run a scan in the background. S scans
 * one business's website (its id). */
void transfer_scan(struct app *app, int business_id);
/* :scan - every business the Businesses list shows (its filter and
 * search), after a question naming how many have a website. */
void transfer_scan_filter(struct app *app);

/* Background jobs (src/ui/job.c): a scan or an import runs on a thread of
 * its own, with its own connection, while the screen stays in use; the
 * status line shows its progress. One runs at a time. */
struct job;
struct db;
/* What :stop (and quitting) does to a kind of job. */
enum job_stop {
	JOB_RUNS_TO_END,	/* nothing: quitting waits for the end */
	JOB_STOP_FINISHES,	/* it starts nothing new and keeps what it did */
	JOB_STOP_ROLLS_BACK,	/* it is cancelled: its transaction rolls back
				 * and the statement running is cancelled */
};
struct job_kind {
	const char *name;	/* "a scan", "an import": for messages */
	enum job_stop stop;
	/* On the job's thread, with the job's connection: the work. */
	int (*run)(struct job *j, struct db *db, struct error *err);
	/* On the interface's thread once it ended: what it came to. */
	void (*done)(struct app *app, void *data, int rc,
		     const struct error *err);
	void (*free_data)(void *data);
};
/* Starts a job on data (freed by kind->free_data once it ended), its
 * status line saying starting until it reports; false when it cannot
 * (one runs already: says so; data is then the caller's). */
bool job_start(struct app *app, const struct job_kind *kind, void *data,
	       const char *starting);
/* True (and says so, with how to stop it) when a job runs. */
bool job_busy(struct app *app);
bool job_running(const struct app *app);
/* :stop - asks a job to end early as its kind allows; false when none
 * runs or it cannot be stopped. */
bool job_stop(struct app *app);
/* For poll(): readable when the job has news; -1 when none runs. */
int job_fd(const struct app *app);
/* Takes the job's news: progress, a note, its end. */
void job_update(struct app *app);
/* The program ends: asks the job to stop and waits for it. */
void job_finish(struct app *app);
/* What to ask on quitting while a job runs, and what to say while the
 * program waits for it. */
void job_quit_question(const struct app *app, char *out, size_t n);
void job_leaving_message(const struct app *app, char *out, size_t n);
/* On the job's thread: the status line's text (short), a message. */
void *job_data(struct job *j);
void job_progress(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void job_note(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const atomic_int *job_stop_flag(struct job *j);
/* The selected business's id, 0 for none. */
int businesses_selected_id(struct pane *p);
/* The list's status filter as a word, or NULL for none. */
const char *businesses_status_filter(struct pane *p);
/* The list's filter and search, as the list shows them. */
const struct business_filter *businesses_filter(struct pane *p);
/* The login screen (src/ui/login.c), on a running curses screen: returns
 * 0 with out filled once a login succeeded, 1 when the user quit, -1 with
 * err when the database could not be asked. */
struct db;
int login_screen(struct db *db, const char *name, struct actor *out,
		 struct error *err);
/* The Messages screen (src/ui/messages.c, message_list.c, social_queue.c). */
void messages_pane_init(struct pane *p, struct app *app);
/* Before the program ends: a social task still held goes back to the
 * queue now, rather than to the next person after the stale-claim time. */
void messages_quit(struct pane *p);
/* :suppress on any screen: ADDRESS, or (arg NULL) the selected business
 * of the Businesses screen; asks for a reason first (src/ui/suppress.c). */
void suppress_command(struct app *app, const char *arg);
/* Moves the focus to pane index of the current screen. */
void app_focus(struct app *app, int index);

/* The Campaigns screen: the list (src/ui/campaigns.c), the template editor
 * (template_pane.c) and the preview (preview.c). */
void campaigns_pane_init(struct pane *p, struct app *app);
/* The screen is being shown: loads the list the first time or when
 * changes arrived meanwhile, and previews the Businesses selection. */
void campaigns_shown(struct pane *p, struct app *app);
/* The screen is left: audience counts still waiting or running are
 * dropped (they would hold up the other screens' queries) and made again
 * when it is shown next. */
void campaigns_hidden(struct pane *p, struct app *app);
bool campaigns_command(struct pane *p, struct app *app, const char *cmd,
		       const char *arg);
/* Reads the list again (after a change made here). */
void campaigns_reload(struct pane *p, struct app *app);

void template_pane_init(struct pane *p, struct app *app);
/* Opens a campaign in the editor. Refused (false, with a message) while
 * another campaign has unsaved changes. */
bool template_pane_open(struct pane *p, struct app *app, const char *name);
/* The open campaign (NULL for none), and its templates as last compiled
 * without errors (NULL before the first success); *has_errors says the
 * current text has errors. */
struct campaign;
struct template;
const struct campaign *template_pane_campaign(struct pane *p);
void template_pane_templates(struct pane *p, const struct template **subject,
			     const struct template **body, bool *has_errors);
bool template_pane_modified(struct pane *p);
/* Ctrl-E and :edit: the focused template in $VISUAL/$EDITOR. */
void template_pane_external(struct pane *p, struct app *app);
/* :reload: drops unsaved changes and loads the saved campaign. */
void template_pane_reload(struct pane *p, struct app *app);

void preview_pane_init(struct pane *p, struct app *app);
/* Renders for this business (from the Businesses screen). */
void preview_show_business(struct pane *p, struct app *app, int business_id);
/* [ and ]: the previous or next business of the campaign's audience. */
void preview_step(struct pane *p, struct app *app, bool forward);
/* The open campaign changed (its audience picks the contact). */
void preview_campaign_changed(struct pane *p, struct app *app);

/* The Users screen (src/ui/users.c). */
void users_pane_init(struct pane *p, struct app *app);
/* The screen is shown: reads the accounts the first time. */
void users_shown(struct pane *p, struct app *app);

#endif
