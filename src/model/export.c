/* export.c - business_export(): one COPY ... TO STDOUT in CSV, so the
 * server does the quoting and rows stream to the file as they come. */
#include "model/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* COPY takes no parameters, so the status filter travels in a setting
 * made with set_config($1) just before: the value is never part of the
 * SQL text. Contacts are gathered per business through the
 * (business_id) index, which keeps the export streaming. */
#define FIRST_OF(type) \
	"(array_agg(value ORDER BY is_primary IS TRUE DESC, id) " \
	"FILTER (WHERE type = '" type "'))[1]"

static const char export_sql[] =
	"COPY (SELECT b.name, b.website,"
	" COALESCE(NULLIF(b.email, ''), c.email) AS email, c.emails,"
	" COALESCE(NULLIF(b.phone_number, ''), c.phone) AS phone_number,"
	" b.address, c.instagram, c.facebook, c.twitter, c.linkedin,"
	" c.contact_form"
	" FROM businesses b LEFT JOIN LATERAL (SELECT"
	"  " FIRST_OF("email") " AS email,"
	"  string_agg(value, ';' ORDER BY is_primary IS TRUE DESC, id)"
	"   FILTER (WHERE type = 'email') AS emails,"
	"  " FIRST_OF("phone") " AS phone,"
	"  " FIRST_OF("instagram") " AS instagram,"
	"  " FIRST_OF("facebook") " AS facebook,"
	"  " FIRST_OF("twitter") " AS twitter,"
	"  " FIRST_OF("linkedin") " AS linkedin,"
	"  " FIRST_OF("contact_form") " AS contact_form"
	"  FROM contacts WHERE business_id = b.id) c ON true"
	" WHERE NULLIF(current_setting('outreach.export_status', true), '')"
	"  IS NULL OR b.status = current_setting('outreach.export_status', true)"
	" ORDER BY b.name) TO STDOUT WITH (FORMAT csv, HEADER)";

static int start(struct db *db, const char *status, struct error *err)
{
	const char *params[] = { status ? status : "" };

	if (db_command(db, "BEGIN READ ONLY", 0, NULL, err) < 0)
		return -1;
	/* Names are UTF-8 in the file whatever the server's encoding. */
	if (db_command(db, "SET LOCAL client_encoding = 'UTF8'", 0, NULL,
		       err) < 0 ||
	    db_command(db, "SELECT set_config('outreach.export_status', $1, "
		       "true)", 1, params, err) < 0)
		return -1;
	PGresult *res = PQexec(db_conn(db), export_sql);
	if (res && PQresultStatus(res) == PGRES_COPY_OUT) {
		PQclear(res);
		return 0;
	}
	db_result_error(res, err);
	PQclear(res);
	return -1;
}

/* Drains the COPY even after a write error, so the connection stays
 * usable; returns the server's result. */
static int pump(struct db *db, FILE *out, long long *count,
		struct error *err)
{
	PGconn *conn = db_conn(db);
	char *row;
	int n, write_errno = 0;

	while ((n = PQgetCopyData(conn, &row, 0)) > 0) {
		if (!write_errno && fwrite(row, 1, (size_t)n, out) != (size_t)n)
			write_errno = errno ? errno : EIO;
		PQfreemem(row);
	}
	PGresult *res = PQgetResult(conn);
	int rc = 0;
	if (n == -2 || !res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_result_error(res, err);
		rc = -1;
	} else {
		*count = atoll(PQcmdTuples(res));
	}
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	if (rc == 0 && write_errno)
		rc = error_set(err, "cannot write: %s", strerror(write_errno));
	return rc;
}

int business_export(struct db *db, const char *status, FILE *out,
		    long long *count, struct error *err)
{
	*count = 0;
	int rc = start(db, status, err);
	if (rc == 0)
		rc = pump(db, out, count, err);
	if (rc == 0 && fflush(out) != 0)
		rc = error_set(err, "cannot write: %s", strerror(errno));
	if (rc == 0)
		return db_commit(db, err);
	db_rollback(db);
	return -1;
}
