/* async.c - the event-loop side of libpq: one query in flight at a time
 * from a FIFO queue, non-blocking sends, notification dispatch, and
 * reconnection with exponential backoff via PQconnectStart/PQconnectPoll. */
#include "db/async.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"

#define BACKOFF_FIRST_MS 250
#define BACKOFF_MAX_MS 8000

struct query_item {
	char *sql;
	int nparams;
	char **params;
	db_async_result_fn fn;	/* NULL: internal (LISTEN) */
	void *ctx;
	struct query_item *next;
};

struct db_async {
	char *conninfo;
	char *app_name;		/* NULL: libpq's default */
	char *channel;
	struct db_async_hooks hooks;
	PGconn *conn;
	enum db_async_state state;
	PostgresPollingStatusType connect_poll;
	struct query_item *head, *tail;
	bool in_flight;		/* head has been sent */
	PGresult *result;	/* the in-flight query's result so far */
	bool want_write;	/* output still buffered */
	long long retry_at;
	int backoff_ms;
	int queued;
};

long long db_async_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void item_free(struct query_item *q)
{
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	free(q);
}

static struct query_item *item_new(const char *sql, int nparams,
				   const char *const *params,
				   db_async_result_fn fn, void *ctx)
{
	struct query_item *q = xcalloc(1, sizeof *q);
	q->sql = xstrdup(sql);
	q->nparams = nparams;
	q->params = xcalloc((size_t)nparams + 1, sizeof *q->params);
	for (int i = 0; i < nparams; i++)
		q->params[i] = params[i] ? xstrdup(params[i]) : NULL;
	q->fn = fn;
	q->ctx = ctx;
	return q;
}

static void enqueue(struct db_async *a, struct query_item *q, bool front)
{
	if (front) {
		q->next = a->head;
		a->head = q;
		if (!a->tail)
			a->tail = q;
	} else {
		if (a->tail)
			a->tail->next = q;
		else
			a->head = q;
		a->tail = q;
	}
	a->queued++;
}

static struct query_item *dequeue(struct db_async *a)
{
	struct query_item *q = a->head;
	if (!q)
		return NULL;
	a->head = q->next;
	if (!a->head)
		a->tail = NULL;
	a->queued--;
	return q;
}

static void set_state(struct db_async *a, enum db_async_state st,
		      const char *message)
{
	a->state = st;
	if (a->hooks.on_state)
		a->hooks.on_state(a->hooks.ctx, st, message);
}

static void first_line(const char *msg, char *out, size_t len)
{
	snprintf(out, len, "%s", msg ? msg : "");
	out[strcspn(out, "\n")] = '\0';
}

/* Every waiting query learns the connection is gone; screens keep their
 * unsaved state and ask again after reconnecting. */
static void fail_all(struct db_async *a, const char *why)
{
	struct error err;
	error_set(&err, "%s", why);
	PQclear(a->result);
	a->result = NULL;
	a->in_flight = false;
	struct query_item *q;
	while ((q = dequeue(a)) != NULL) {
		if (q->fn)
			q->fn(q->ctx, NULL, &err);
		item_free(q);
	}
}

static void lose_connection(struct db_async *a, long long now)
{
	char why[256];
	first_line(a->conn ? PQerrorMessage(a->conn) : "cannot connect", why,
		   sizeof why);
	if (a->conn)
		PQfinish(a->conn);
	a->conn = NULL;
	a->want_write = false;
	char lost[300];
	snprintf(lost, sizeof lost, "database connection lost: %s", why);
	fail_all(a, lost);
	a->retry_at = now + a->backoff_ms;
	a->backoff_ms = a->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							   : a->backoff_ms * 2;
	set_state(a, DB_ASYNC_DISCONNECTED, why);
}

static void start_connect(struct db_async *a, long long now)
{
	/* The conninfo is expanded as dbname; a later application_name
	 * overrides one it may carry. An empty conninfo means defaults. */
	const char *const keys[] = {"dbname", "application_name", NULL};
	const char *const values[] = {a->conninfo, a->app_name, NULL};
	a->conn = PQconnectStartParams(keys, values, 1);
	if (!a->conn || PQstatus(a->conn) == CONNECTION_BAD) {
		lose_connection(a, now);
		return;
	}
	a->connect_poll = PGRES_POLLING_WRITING;
	set_state(a, DB_ASYNC_CONNECTING, "connecting");
}

struct db_async *db_async_new(const char *conninfo, const char *channel,
			      const struct db_async_hooks *hooks)
{
	return db_async_new_named(conninfo, NULL, channel, hooks);
}

struct db_async *db_async_new_named(const char *conninfo, const char *app_name,
				    const char *channel,
				    const struct db_async_hooks *hooks)
{
	struct db_async *a = xcalloc(1, sizeof *a);
	a->conninfo = xstrdup(conninfo ? conninfo : "");
	a->app_name = app_name ? xstrdup(app_name) : NULL;
	a->channel = channel ? xstrdup(channel) : NULL;
	if (hooks)
		a->hooks = *hooks;
	a->backoff_ms = BACKOFF_FIRST_MS;
	start_connect(a, db_async_now_ms());
	return a;
}

void db_async_free(struct db_async *a)
{
	if (!a)
		return;
	a->hooks.on_state = NULL;
	a->hooks.on_notify = NULL;
	if (a->conn)
		PQfinish(a->conn);
	a->conn = NULL;
	/* Every query still waiting is answered, so its caller can free what
	 * it holds for it; none can be sent any more. */
	a->state = DB_ASYNC_DISCONNECTED;
	fail_all(a, "the connection is closing");
	PQclear(a->result);
	free(a->conninfo);
	free(a->app_name);
	free(a->channel);
	free(a);
}

enum db_async_state db_async_state(const struct db_async *a)
{
	return a->state;
}

int db_async_pending(const struct db_async *a)
{
	return a->queued;
}

static void queue_listen(struct db_async *a)
{
	if (!a->channel)
		return;
	char *ident = PQescapeIdentifier(a->conn, a->channel, strlen(a->channel));
	if (!ident)
		return;
	char *sql = xasprintf("LISTEN %s", ident);
	PQfreemem(ident);
	enqueue(a, item_new(sql, 0, NULL, NULL, NULL), true);
	free(sql);
}

static void connected(struct db_async *a)
{
	PQsetnonblocking(a->conn, 1);
	a->backoff_ms = BACKOFF_FIRST_MS;
	queue_listen(a);
	set_state(a, DB_ASYNC_READY, "connected");
}

static void flush_output(struct db_async *a, long long now)
{
	int rc = PQflush(a->conn);
	if (rc < 0)
		lose_connection(a, now);
	else
		a->want_write = rc == 1;
}

static void send_next(struct db_async *a, long long now)
{
	if (a->in_flight || !a->head || a->state != DB_ASYNC_READY)
		return;
	struct query_item *q = a->head;
	if (!PQsendQueryParams(a->conn, q->sql, q->nparams, NULL,
			       (const char *const *)q->params, NULL, NULL, 0)) {
		lose_connection(a, now);
		return;
	}
	a->in_flight = true;
	flush_output(a, now);
}

static void finish_query(struct db_async *a)
{
	struct query_item *q = dequeue(a);
	PGresult *res = a->result;
	a->result = NULL;
	a->in_flight = false;
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (q && q->fn) {
		if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
			q->fn(q->ctx, res, NULL);
		} else {
			struct error err;
			const char *primary = res ?
				PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
			char line[512];
			first_line(primary ? primary : PQerrorMessage(a->conn),
				   line, sizeof line);
			error_set(&err, "%s", line);
			q->fn(q->ctx, NULL, &err);
		}
	}
	PQclear(res);
	if (q)
		item_free(q);
}

static void read_results(struct db_async *a, long long now)
{
	if (!PQconsumeInput(a->conn)) {
		lose_connection(a, now);
		return;
	}
	while (a->in_flight && !PQisBusy(a->conn)) {
		PGresult *res = PQgetResult(a->conn);
		if (!res) {
			finish_query(a);
			break;
		}
		/* Keep the last result of the statement. */
		PQclear(a->result);
		a->result = res;
	}
	PGnotify *n;
	while ((n = PQnotifies(a->conn)) != NULL) {
		if (a->hooks.on_notify)
			a->hooks.on_notify(a->hooks.ctx, n->extra ? n->extra : "");
		PQfreemem(n);
	}
	if (PQstatus(a->conn) == CONNECTION_BAD)
		lose_connection(a, now);
}

static void poll_connect(struct db_async *a, long long now)
{
	a->connect_poll = PQconnectPoll(a->conn);
	if (a->connect_poll == PGRES_POLLING_OK)
		connected(a);
	else if (a->connect_poll == PGRES_POLLING_FAILED)
		lose_connection(a, now);
}

void db_async_tick(struct db_async *a, short revents, long long now)
{
	switch (a->state) {
	case DB_ASYNC_DISCONNECTED:
		if (now >= a->retry_at)
			start_connect(a, now);
		break;
	case DB_ASYNC_CONNECTING:
		if (revents)
			poll_connect(a, now);
		break;
	case DB_ASYNC_READY:
		if (revents & (POLLIN | POLLHUP | POLLERR))
			read_results(a, now);
		if (a->state == DB_ASYNC_READY && a->want_write)
			flush_output(a, now);
		break;
	}
	if (a->state == DB_ASYNC_READY)
		send_next(a, now);
}

int db_async_send(struct db_async *a, const char *sql, int nparams,
		  const char *const *params, db_async_result_fn fn, void *ctx,
		  struct error *err)
{
	if (a->state != DB_ASYNC_READY && a->state != DB_ASYNC_CONNECTING)
		return error_set(err, "not connected to the database");
	enqueue(a, item_new(sql, nparams, params, fn, ctx), false);
	send_next(a, db_async_now_ms());
	return 0;
}

int db_async_fd(const struct db_async *a)
{
	return a->conn ? PQsocket(a->conn) : -1;
}

short db_async_events(const struct db_async *a)
{
	if (!a->conn)
		return 0;
	if (a->state == DB_ASYNC_CONNECTING)
		return a->connect_poll == PGRES_POLLING_READING ? POLLIN : POLLOUT;
	return POLLIN | (a->want_write ? POLLOUT : 0);
}

int db_async_timeout(const struct db_async *a, long long now)
{
	if (a->state != DB_ASYNC_DISCONNECTED)
		return -1;
	return a->retry_at > now ? (int)(a->retry_at - now) : 0;
}

int db_async_drain(struct db_async *a, int timeout_ms)
{
	long long end = db_async_now_ms() + timeout_ms;
	while (a->queued > 0 && a->state == DB_ASYNC_READY) {
		long long now = db_async_now_ms();
		if (now >= end)
			break;
		int wait = db_async_timeout(a, now);
		if (wait < 0 || wait > end - now)
			wait = (int)(end - now);
		struct pollfd pfd = {db_async_fd(a), db_async_events(a), 0};
		int rc = poll(&pfd, pfd.fd >= 0 ? 1 : 0, wait);
		if (rc < 0 && errno != EINTR)
			break;
		db_async_tick(a, rc > 0 ? pfd.revents : 0, db_async_now_ms());
	}
	return a->queued;
}

void db_async_cancel(struct db_async *a, db_async_result_fn fn, void *ctx)
{
	/* Those still waiting leave the queue first; their callbacks run
	 * after, since a callback may queue a query of its own. */
	struct query_item *dropped = NULL, **link = &a->head, *prev = NULL;
	while (*link) {
		struct query_item *q = *link;
		bool running = a->in_flight && q == a->head;
		if (!running && q->fn == fn && q->ctx == ctx) {
			*link = q->next;
			if (a->tail == q)
				a->tail = prev;
			a->queued--;
			q->next = dropped;
			dropped = q;
			continue;
		}
		prev = q;
		link = &q->next;
	}
	/* The one running is stopped by the server, and answers with an
	 * error. PQcancel returns once the server has the request; a query
	 * that ended meanwhile is not affected, nor is the next one, which is
	 * sent only after this one's answer has been read. */
	if (a->in_flight && a->head && a->head->fn == fn && a->head->ctx == ctx) {
		PGcancel *c = PQgetCancel(a->conn);
		char why[256];
		if (c) {
			PQcancel(c, why, sizeof why);
			PQfreeCancel(c);
		}
	}
	while (dropped) {
		struct query_item *q = dropped;
		dropped = q->next;
		struct error err;
		error_set(&err, "cancelled");
		q->fn(q->ctx, NULL, &err);
		item_free(q);
	}
}
