/* db.c - connection handling and the query, transaction, COPY and
 * LISTEN/NOTIFY helpers. All SQL carrying data goes through PQexecParams. */
#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct db {
	PGconn *conn;
	char describe[512];
	const atomic_int *stop;		/* db_set_stop(); NULL: never */
};

/* libpq's messages are multi-line ("connection to server ... failed: ...\n
 * Is the server running ..."): keep the first meaningful line. */
static void first_line(const char *msg, char *out, size_t outlen)
{
	const char *p = msg ? msg : "";
	/* Skip the "connection to server on socket ... failed: " preamble,
	 * since db_describe() already names the server. */
	const char *failed = strstr(p, " failed: ");
	if (failed && strncmp(p, "connection to server", 20) == 0)
		p = failed + 9;
	size_t n = strcspn(p, "\n");
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void describe_target(PGconn *conn, char *out, size_t outlen)
{
	const char *host = PQhost(conn);
	const char *port = PQport(conn);
	const char *name = PQdb(conn);
	if (!host || !*host)
		host = "the default socket";
	if (host[0] == '/')
		snprintf(out, outlen, "database \"%s\" at socket %s/.s.PGSQL.%s",
			 name ? name : "?", host, port ? port : "5432");
	else
		snprintf(out, outlen, "database \"%s\" at %s:%s",
			 name ? name : "?", host, port ? port : "5432");
}

static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

struct db *db_connect(const char *conninfo, struct error *err)
{
	if (!conninfo || !*conninfo)
		conninfo = getenv("OUTREACH_DB");
	if (!conninfo)
		conninfo = "";
	/* Validate the string first: PQconnectdb would report a parse error
	 * as a connection failure to an empty target. */
	char *perr = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo, &perr);
	if (!opts) {
		char line[512];
		first_line(perr ? perr : "out of memory", line, sizeof line);
		PQfreemem(perr);
		error_set(err, "invalid database connection string: %s; "
			  "check --db or OUTREACH_DB", line);
		return NULL;
	}
	PQconninfoFree(opts);

	PGconn *conn = PQconnectdb(conninfo);
	if (!conn) {
		error_set(err, "cannot connect to PostgreSQL: out of memory");
		return NULL;
	}
	struct db *db = xcalloc(1, sizeof *db);
	db->conn = conn;
	describe_target(conn, db->describe, sizeof db->describe);
	if (PQstatus(conn) != CONNECTION_OK) {
		char line[512];
		first_line(PQerrorMessage(conn), line, sizeof line);
		error_set(err, "cannot connect to PostgreSQL, %s: %s; set "
			  "--db or OUTREACH_DB (or PGHOST/PGDATABASE) to a "
			  "reachable server", db->describe, line);
		db_close(db);
		return NULL;
	}
	/* Server notices (e.g. "relation already exists, skipping") are not
	 * for end users; errors still come back through results. */
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db);
}

PGconn *db_conn(struct db *db)
{
	return db->conn;
}

const char *db_describe(struct db *db)
{
	return db->describe;
}

bool db_ok(struct db *db)
{
	return db && db->conn && PQstatus(db->conn) == CONNECTION_OK;
}

void db_result_error(PGresult *res, struct error *err)
{
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
	if (!primary)
		primary = res ? PQresultErrorMessage(res) : "no result from server";
	char line[512];
	first_line(primary, line, sizeof line);
	if (detail) {
		char dline[400];
		first_line(detail, dline, sizeof dline);
		error_set(err, "%s (%s)", line, dline);
	} else {
		error_set(err, "%s", line);
	}
}

void db_set_stop(struct db *db, const atomic_int *flag)
{
	db->stop = flag;
}

static bool stopped(const struct db *db)
{
	return db->stop && atomic_load(db->stop);
}

/* Refuses the next statement of work that was asked to stop. */
static bool refuse_if_stopped(struct db *db, struct error *err)
{
	if (!stopped(db))
		return false;
	error_set(err, "%s", DB_STOPPED);
	return true;
}

static PGresult *check_result(struct db *db, PGresult *res, struct error *err)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	    st == PGRES_COPY_IN)
		return res;
	if (stopped(db)) {
		/* Cancelled at the request: say so rather than "canceling
		 * statement due to user request". */
		error_set(err, "%s", DB_STOPPED);
	} else if (!res) {
		char line[512];
		first_line(PQerrorMessage(db->conn), line, sizeof line);
		error_set(err, "%s", line);
	} else {
		db_result_error(res, err);
	}
	PQclear(res);
	return NULL;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams,
		  const char *const *params, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return NULL;
	PGresult *res = PQexecParams(db->conn, sql, nparams, NULL, params,
				     NULL, NULL, 0);
	return check_result(db, res, err);
}

PGresult *db_exec_query(struct db *db, struct query *q, struct error *err)
{
	PGresult *res = db_exec(db, q->sql.data, q->nparams,
				(const char *const *)q->params, err);
	query_free(q);
	return res;
}

int db_command(struct db *db, const char *sql, int nparams,
	       const char *const *params, struct error *err)
{
	PGresult *res = db_exec(db, sql, nparams, params, err);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

int db_run_script(struct db *db, const char *sql, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return -1;
	PGresult *res = check_result(db, PQexec(db->conn, sql), err);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

int db_prepare(struct db *db, const char *name, const char *sql,
	       int nparams, struct error *err)
{
	PGresult *res = PQprepare(db->conn, name, sql, nparams, NULL);
	res = check_result(db, res, err);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

PGresult *db_exec_prepared(struct db *db, const char *name, int nparams,
			   const char *const *params, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return NULL;
	PGresult *res = PQexecPrepared(db->conn, name, nparams, params, NULL,
				       NULL, 0);
	return check_result(db, res, err);
}

int db_begin(struct db *db, struct error *err)
{
	return db_command(db, "BEGIN", 0, NULL, err);
}

int db_commit(struct db *db, struct error *err)
{
	return db_command(db, "COMMIT", 0, NULL, err);
}

void db_rollback(struct db *db)
{
	PGresult *res = PQexec(db->conn, "ROLLBACK");
	PQclear(res);
}

int db_transaction(struct db *db,
		   int (*fn)(struct db *db, void *arg, struct error *err),
		   void *arg, struct error *err)
{
	if (db_begin(db, err) < 0)
		return -1;
	int rc = fn(db, arg, err);
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	if (db_commit(db, err) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int db_copy_begin(struct db *db, const char *copy_sql, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return -1;
	PGresult *res = PQexec(db->conn, copy_sql);
	if (res && PQresultStatus(res) == PGRES_COPY_IN) {
		PQclear(res);
		return 0;
	}
	check_result(db, res, err);
	return -1;
}

int db_copy_put(struct db *db, const char *data, size_t n, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return -1;
	while (n > 0) {
		int chunk = n > (1u << 30) ? (1 << 30) : (int)n;
		if (PQputCopyData(db->conn, data, chunk) != 1) {
			char line[512];
			first_line(PQerrorMessage(db->conn), line, sizeof line);
			return error_set(err, "COPY failed: %s", line);
		}
		data += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

/* After PQputCopyEnd the server answers with the COPY's own result and
 * then NULL; collect the first error. */
static int finish_copy(struct db *db, struct error *err)
{
	int rc = 0;
	PGresult *res;
	while ((res = PQgetResult(db->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			db_result_error(res, err);
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

int db_copy_end(struct db *db, struct error *err)
{
	if (refuse_if_stopped(db, err))
		return -1;
	if (PQputCopyEnd(db->conn, NULL) != 1) {
		char line[512];
		first_line(PQerrorMessage(db->conn), line, sizeof line);
		return error_set(err, "COPY failed: %s", line);
	}
	return finish_copy(db, err);
}

void db_copy_abort(struct db *db, const char *why)
{
	PQputCopyEnd(db->conn, why);
	struct error ignored;
	finish_copy(db, &ignored);
}

int db_listen(struct db *db, const char *channel, struct error *err)
{
	char *ident = PQescapeIdentifier(db->conn, channel, strlen(channel));
	if (!ident)
		return error_set(err, "cannot quote channel name %s", channel);
	char *sql = xasprintf("LISTEN %s", ident);
	PQfreemem(ident);
	int rc = db_command(db, sql, 0, NULL, err);
	free(sql);
	return rc;
}

int db_socket(struct db *db)
{
	return db && db->conn ? PQsocket(db->conn) : -1;
}

int db_consume(struct db *db, struct error *err)
{
	if (PQconsumeInput(db->conn) != 1) {
		char line[512];
		first_line(PQerrorMessage(db->conn), line, sizeof line);
		return error_set(err, "lost the database connection: %s", line);
	}
	return 0;
}

bool db_next_notify(struct db *db, struct db_notify *out)
{
	PGnotify *n = PQnotifies(db->conn);
	if (!n)
		return false;
	snprintf(out->channel, sizeof out->channel, "%s", n->relname);
	snprintf(out->payload, sizeof out->payload, "%s", n->extra ? n->extra : "");
	out->backend_pid = n->be_pid;
	PQfreemem(n);
	return true;
}

void db_array_text(struct buf *b, const char *s)
{
	if (!s) {
		buf_puts(b, "NULL");
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}
