/* db.h - the one way outreach talks to PostgreSQL: connecting with clear
 * errors, parameterised queries, transactions, COPY and LISTEN/NOTIFY. */
#ifndef OUTREACH_DB_H
#define OUTREACH_DB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "db/query.h"

/* The channel every table's triggers notify with '<table>:<id>' payloads
 * (or '<table>:*' when a statement touched many rows). */
#define DB_CHANGES_CHANNEL "outreach_changes"

struct db;

/* Connects using conninfo (a libpq keyword string or URI); NULL means the
 * OUTREACH_DB environment variable, else libpq's own defaults (PGHOST,
 * PGSERVICE, ~/.pgpass, ...). Returns NULL with a one-line err naming the
 * server and what to do. The caller frees with db_close(). */
struct db *db_connect(const char *conninfo, struct error *err);
void db_close(struct db *db);	/* accepts NULL */
PGconn *db_conn(struct db *db);
/* "database NAME on HOST:PORT" (or socket directory) for messages. */
const char *db_describe(struct db *db);
/* True when the connection is still good. */
bool db_ok(struct db *db);

/* Long work a person may stop: once *flag is non-zero, every further
 * statement, COPY and COMMIT on this connection fails with DB_STOPPED, so
 * the work's own error path rolls its transaction back; a statement that
 * a PQcancel from another thread cut short reports DB_STOPPED too. NULL
 * turns it off. */
#define DB_STOPPED "stopped at your request; nothing of it was kept"
void db_set_stop(struct db *db, const atomic_int *flag);

/* Runs one parameterised statement (text parameters, NULL = SQL NULL).
 * Returns the result (caller PQclear()s it) or NULL with err set from the
 * server's primary message and detail. */
PGresult *db_exec(struct db *db, const char *sql, int nparams,
		  const char *const *params, struct error *err);
/* db_exec for a statement built as a struct query; frees q's contents
 * whatever the outcome. */
PGresult *db_exec_query(struct db *db, struct query *q, struct error *err);
/* Like db_exec for statements whose result is not needed. */
int db_command(struct db *db, const char *sql, int nparams,
	       const char *const *params, struct error *err);
/* Runs a script of several statements with no parameters: only for SQL
 * that ships with outreach (migrations, demo data), never for user data. */
int db_run_script(struct db *db, const char *sql, struct error *err);

/* Prepared statements: prepared once per connection by name. */
int db_prepare(struct db *db, const char *name, const char *sql,
	       int nparams, struct error *err);
PGresult *db_exec_prepared(struct db *db, const char *name, int nparams,
			   const char *const *params, struct error *err);

int db_begin(struct db *db, struct error *err);
int db_commit(struct db *db, struct error *err);
void db_rollback(struct db *db);
/* Runs fn inside BEGIN/COMMIT; rolls back when fn returns nonzero or the
 * commit fails. Returns fn's status (or -1 when BEGIN/COMMIT failed). */
int db_transaction(struct db *db,
		   int (*fn)(struct db *db, void *arg, struct error *err),
		   void *arg, struct error *err);

/* COPY ... FROM STDIN: begin, put any number of chunks, end. On any error
 * the COPY is aborted and the connection is ready for a ROLLBACK. */
int db_copy_begin(struct db *db, const char *copy_sql, struct error *err);
int db_copy_put(struct db *db, const char *data, size_t n, struct error *err);
int db_copy_end(struct db *db, struct error *err);
/* Abandons a COPY in progress with a reason the server logs. */
void db_copy_abort(struct db *db, const char *why);

/* LISTEN on a channel (quoted as an identifier). */
int db_listen(struct db *db, const char *channel, struct error *err);
/* The socket to poll() for readability; -1 when disconnected. */
int db_socket(struct db *db);
/* Reads what the server sent; call when db_socket() is readable. */
int db_consume(struct db *db, struct error *err);

struct db_notify {
	char channel[64];
	char payload[256];
	int backend_pid;
};
/* Pops one pending notification; false when there is none. */
bool db_next_notify(struct db *db, struct db_notify *out);

/* Appends one element of a text array literal ("{...}") to b: quoted
 * with " and \ escaped, or NULL when s is NULL. The literal is passed as
 * a parameter, so this is the array syntax, never SQL. */
struct buf;
void db_array_text(struct buf *b, const char *s);

/* Builds the message for a failed result: "primary message (detail)". */
void db_result_error(PGresult *res, struct error *err);

#endif
