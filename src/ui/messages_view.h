/* messages_view.h - the state the Messages screen's files share: the
 * monitor (messages.c), the message list and one message (message_list.c)
 * and the manual social queue (social_queue.c). One pane shows one view. */
#ifndef OUTREACH_UI_MESSAGES_VIEW_H
#define OUTREACH_UI_MESSAGES_VIEW_H

#include "model/message.h"
#include "model/social.h"
#include "ui/ui.h"

enum messages_mode { VIEW_MONITOR, VIEW_LIST, VIEW_DETAIL, VIEW_QUEUE };

/* Changes arriving in bursts refresh at most this often. */
#define REFRESH_MIN_MS 400
/* While messages went out in the last minute, the rate and ETA are
 * refreshed this often even without changes, so they decay truthfully. */
#define RATE_REFRESH_MS 5000

enum queue_state { QUEUE_IDLE, QUEUE_LOADING, QUEUE_TASK, QUEUE_EMPTY };

struct messages_view {
	struct app *app;
	struct pane *pane;
	enum messages_mode mode;

	/* Refresh throttling, shared by every view. */
	int in_flight;		/* queries sent and not answered */
	bool stale;		/* a change arrived meanwhile */
	bool hidden_stale;	/* a change arrived while another screen showed */
	long long last_refresh;
	long long refresh_due;	/* 0: none scheduled */
	bool loaded;		/* the first refresh was sent */

	/* The monitor. */
	struct monitor_campaign *campaigns;
	size_t ncampaigns, sel, top;
	int stats_for;		/* campaign id the stats are of, 0: none */
	struct message_stats stats;

	/* The list of one campaign's messages, a keyset page at a time. */
	int list_campaign;
	char list_campaign_name[256];
	struct message_filter filter;
	struct message_row *rows;
	size_t nrows, cursor;
	bool at_end, list_loading;

	/* One message. */
	int detail_id;
	struct message_detail detail;
	bool detail_loaded;
	size_t detail_scroll;

	/* The social queue. */
	enum queue_state queue;
	int queue_campaign;	/* 0: every campaign */
	struct social_task task;
	int *skipped;
	size_t nskipped;
	long suppressed_seen;
	char *link;		/* the task's profile URL, cleaned */
	int link_y, link_x;	/* where it is drawn, on the screen */
	int ask_id;		/* the message a reason prompt is for */
	bool ask_in_queue;
};

/* messages.c */
void messages_request_refresh(struct messages_view *v);
/* Sends q for the view, counting it in flight; fn gets ctx. */
bool messages_send(struct messages_view *v, struct query *q,
		   db_async_result_fn fn, void *ctx);
/* Call at the end of each result callback. */
void messages_result_done(struct messages_view *v);
void messages_set_mode(struct messages_view *v, enum messages_mode mode);
/* Draws text wrapped to width from line y, at most max lines; returns
 * the lines used. Each line of text is sanitised. */
int messages_draw_wrapped(WINDOW *w, int y, int x, int width, int max,
			  const char *text, int attr);

/* message_list.c */
void message_list_open(struct messages_view *v, int campaign_id,
		       const char *campaign_name);
void message_list_refresh(struct messages_view *v);
void message_list_draw(struct messages_view *v, WINDOW *w, int h, int width);
bool message_list_action(struct messages_view *v, enum ui_action act);
void message_detail_refresh(struct messages_view *v);
void message_detail_draw(struct messages_view *v, WINDOW *w, int h, int width);
bool message_detail_action(struct messages_view *v, enum ui_action act);
/* o, r, x, R on a message id (list or detail). */
void message_mark_selected(struct messages_view *v, int id, enum ui_action act);
void message_list_free(struct messages_view *v);

/* social_queue.c */
void social_open(struct messages_view *v, int campaign_id);
void social_refresh(struct messages_view *v);
void social_draw(struct messages_view *v, WINDOW *w, int h, int width);
bool social_action(struct messages_view *v, enum ui_action act);
/* Leaving the queue releases the task so others can take it. */
void social_close(struct messages_view *v);
void social_free(struct messages_view *v);

#endif
