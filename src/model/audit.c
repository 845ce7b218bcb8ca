/* audit.c - writing and reading audit_log. Rows are only ever inserted;
 * reading the log is an admin's right. */
#include "model/audit.h"

#include <stdio.h>

int audit_write_as(struct db *db, const char *actor_name, const char *action,
		   const char *entity, const char *entity_id, const char *detail,
		   struct error *err)
{
	const char *params[] = {actor_name, action, entity, entity_id, detail};
	return db_command(db, "INSERT INTO audit_log (actor, action, entity, "
			  "entity_id, detail) VALUES ($1, $2, $3, $4, $5)",
			  5, params, err);
}

int audit_write(struct db *db, const struct actor *actor, const char *action,
		const char *entity, const char *entity_id, const char *detail,
		struct error *err)
{
	return audit_write_as(db, actor->name, action, entity, entity_id, detail,
			      err);
}

int audit_resolve_since(struct db *db, const char *since, char *out,
			size_t outlen, struct error *err)
{
	static const char *const attempts[] = {
		"SELECT $1::timestamptz",
		"SELECT now() - $1::interval",
	};
	const char *params[] = {since};
	for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
		PGresult *res = db_exec(db, attempts[i], 1, params, NULL);
		if (res) {
			snprintf(out, outlen, "%s", PQgetvalue(res, 0, 0));
			PQclear(res);
			return 0;
		}
	}
	return error_set(err, "--since: '%s' is neither a time (2024-05-01, "
			 "'2024-05-01 13:00') nor a duration ('2 hours', "
			 "'7 days')", since);
}

static const char *text_of(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

int audit_list(struct db *db, const struct actor *actor, const char *since,
	       long limit, void (*fn)(const struct audit_entry *e, void *ctx),
	       void *ctx, struct error *err)
{
	if (permission_require(actor, PERM_READ_AUDIT, err) < 0)
		return -1;
	char limit_text[32];
	snprintf(limit_text, sizeof limit_text, "%ld", limit);
	const char *params[] = {since, limit > 0 ? limit_text : NULL};
	/* The newest `limit` rows, shown oldest first like a log. */
	PGresult *res = db_exec(db,
		"SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS TZH'), actor, action, "
		"entity, entity_id, detail FROM (SELECT * FROM audit_log "
		"WHERE $1::timestamptz IS NULL OR at >= $1::timestamptz "
		"ORDER BY at DESC, id DESC LIMIT $2::bigint) recent "
		"ORDER BY at, id", 2, params, err);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct audit_entry e = {
			text_of(res, i, 0), text_of(res, i, 1), text_of(res, i, 2),
			text_of(res, i, 3), text_of(res, i, 4), text_of(res, i, 5),
		};
		fn(&e, ctx);
	}
	PQclear(res);
	return 0;
}
