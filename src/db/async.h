/* async.h - a PostgreSQL connection for an event loop: queries are queued
 * and sent without blocking, results come back through callbacks, change
 * notifications are delivered as they arrive, and a lost connection is
 * re-established in the background with backoff. */
#ifndef OUTREACH_DB_ASYNC_H
#define OUTREACH_DB_ASYNC_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/error.h"

enum db_async_state {
	DB_ASYNC_CONNECTING,
	DB_ASYNC_READY,
	DB_ASYNC_DISCONNECTED,	/* waiting to retry */
};

struct db_async;

/* Called with the result of a query (NULL with err set when it failed or
 * the connection was lost). The result is freed after the call. */
typedef void (*db_async_result_fn)(void *ctx, PGresult *res,
				   const struct error *err);

struct db_async_hooks {
	void *ctx;
	/* A NOTIFY on the channel given to db_async_new. */
	void (*on_notify)(void *ctx, const char *payload);
	/* The state changed (connected, lost, retrying). */
	void (*on_state)(void *ctx, enum db_async_state state,
			 const char *message);
};

/* Starts connecting to conninfo; LISTENs on channel after every
 * (re)connection. The caller frees with db_async_free(). */
struct db_async *db_async_new(const char *conninfo, const char *channel,
			      const struct db_async_hooks *hooks);
/* Like db_async_new, with the connection's application_name set to
 * app_name (NULL: libpq's default) on every (re)connection, so other
 * sessions can tell this one is alive by that name. */
struct db_async *db_async_new_named(const char *conninfo, const char *app_name,
				    const char *channel,
				    const struct db_async_hooks *hooks);
/* Closes the connection; each query still queued gets its callback with
 * an error first (nothing can be sent from it any more). Accepts NULL. */
void db_async_free(struct db_async *a);
enum db_async_state db_async_state(const struct db_async *a);

/* Queues a parameterised statement; parameters are copied. Fails (and
 * calls nothing) only while disconnected. */
int db_async_send(struct db_async *a, const char *sql, int nparams,
		  const char *const *params, db_async_result_fn fn, void *ctx,
		  struct error *err);
/* Abandons the queries sent with fn and ctx that no longer matter (a
 * newer one replaces them): each still waiting is dropped, the one running
 * is cancelled on the server (PQcancel: a short blocking round trip). fn
 * is called for each with an error, as for a failed query. */
void db_async_cancel(struct db_async *a, db_async_result_fn fn, void *ctx);

/* Queries queued or in flight. */
int db_async_pending(const struct db_async *a);

/* For poll(): the socket (-1 when none) and the events wanted. */
int db_async_fd(const struct db_async *a);
short db_async_events(const struct db_async *a);
/* Milliseconds until db_async_tick() must run (-1: no deadline). */
int db_async_timeout(const struct db_async *a, long long now_ms);
/* Handles socket readiness (revents may be 0) and due timers. */
void db_async_tick(struct db_async *a, short revents, long long now_ms);

/* Runs the connection until every queued query has been answered, the
 * connection is lost or timeout_ms has passed: for work that must reach
 * the server before the program exits. Returns the queries left. */
int db_async_drain(struct db_async *a, int timeout_ms);

/* Milliseconds on a monotonic clock. */
long long db_async_now_ms(void);

#endif
