/* suppression.c - adding to, asking and listing the suppression list.
 * Addresses are normalised in SQL, the same way generation compares them. */
#include "model/suppression.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"

int suppression_add(struct db *db, const char *address, int business_id,
		    const char *reason, const char *created_by, bool *added,
		    struct error *err)
{
	char id[16];
	snprintf(id, sizeof id, "%d", business_id);
	const char *params[] = {address, address ? NULL : id, reason, created_by};
	PGresult *res = db_exec(db, "INSERT INTO suppressions (address, "
		"business_id, reason, created_by) VALUES "
		"(lower(btrim($1)), $2::int, $3, $4) "
		"ON CONFLICT DO NOTHING RETURNING id", 4, params, err);
	if (!res)
		return address ?
			error_prefix(err, "cannot suppress \"%s\"", address) :
			error_prefix(err, "cannot suppress business %d", business_id);
	if (added)
		*added = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

int suppression_add_query(struct query *q, const struct actor *actor,
			  const char *address, int business_id,
			  const char *reason, struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	if (address && !*address)
		return error_set(err, "give an address to suppress");
	query_sql(q, "WITH args AS (SELECT lower(btrim(");
	query_param(q, address, "::text");
	query_sql(q, ")) AS address, ");
	if (address)
		query_sql(q, "NULL::int");
	else
		query_param_int(q, business_id);
	query_sql(q, "::int AS business_id, ");
	query_param(q, reason && *reason ? reason : NULL, "::text");
	query_sql(q, " AS reason, ");
	query_param(q, actor->name, "::text");
	query_sql(q, " AS actor), "
		"ins AS (INSERT INTO suppressions (address, business_id, reason, "
		"created_by) SELECT address, business_id, reason, actor FROM args "
		"ON CONFLICT DO NOTHING RETURNING id, "
		"coalesce(address, 'business ' || business_id) AS what), "
		"logged AS (INSERT INTO audit_log (actor, action, entity, entity_id, "
		"detail) SELECT a.actor, 'suppression.add', 'suppression', "
		"i.id::text, i.what FROM ins i, args a) "
		"SELECT count(*) FROM ins");
	return 0;
}

int suppression_is_suppressed(struct db *db, const char *address,
			      int business_id, struct error *err)
{
	char id[16];
	snprintf(id, sizeof id, "%d", business_id);
	const char *params[] = {address, id};
	PGresult *res = db_exec(db, "SELECT EXISTS (SELECT 1 FROM suppressions "
		"WHERE address = lower(btrim($1)) OR business_id = $2::int)",
		2, params, err);
	if (!res)
		return -1;
	int yes = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return yes;
}

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int suppression_list(struct db *db, struct suppression_row **rows,
		     size_t *count, struct error *err)
{
	PGresult *res = db_exec(db, "SELECT s.id, s.address, "
		"coalesce(s.business_id, 0), b.name, s.reason, s.created_at, "
		"s.created_by FROM suppressions s "
		"LEFT JOIN businesses b ON b.id = s.business_id "
		"ORDER BY s.created_at DESC, s.id DESC", 0, NULL, err);
	if (!res)
		return -1;
	size_t n = (size_t)PQntuples(res);
	struct suppression_row *out = xcalloc(n + 1, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		int r = (int)i;
		out[i].id = atoi(PQgetvalue(res, r, 0));
		out[i].address = dup_or_null(res, r, 1);
		out[i].business_id = atoi(PQgetvalue(res, r, 2));
		out[i].business_name = dup_or_null(res, r, 3);
		out[i].reason = dup_or_null(res, r, 4);
		out[i].created_at = dup_or_null(res, r, 5);
		out[i].created_by = dup_or_null(res, r, 6);
	}
	PQclear(res);
	*rows = out;
	*count = n;
	return 0;
}

void suppression_list_free(struct suppression_row *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++) {
		free(rows[i].address);
		free(rows[i].business_name);
		free(rows[i].reason);
		free(rows[i].created_at);
		free(rows[i].created_by);
	}
	free(rows);
}
