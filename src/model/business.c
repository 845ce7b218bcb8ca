/* business.c - business queries for the screens. Keyset pagination over
 * the (name) index: cost depends on the page size, never the table size. */
#include "model/business.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int business_page_after(struct db *db, const char *after_name, int after_id,
			int limit, struct business_page *page, struct error *err)
{
	char id[16], lim[16];
	snprintf(id, sizeof id, "%d", after_id);
	snprintf(lim, sizeof lim, "%d", limit);
	const char *params[] = {after_name, id, lim};
	PGresult *res = db_exec(db,
		"SELECT b.id, b.name, b.status, b.website, "
		"(SELECT count(*) FROM contacts c WHERE c.business_id = b.id) "
		"FROM businesses b "
		"WHERE $1::text IS NULL OR (b.name, b.id) > ($1, $2::int) "
		"ORDER BY b.name, b.id LIMIT $3::int", 3, params, err);
	if (!res)
		return -1;
	int n = PQntuples(res);
	page->rows = xcalloc((size_t)n + 1, sizeof *page->rows);
	page->count = (size_t)n;
	for (int i = 0; i < n; i++) {
		struct business_row *r = &page->rows[i];
		r->id = atoi(PQgetvalue(res, i, 0));
		r->name = xstrdup(PQgetvalue(res, i, 1));
		r->status = xstrdup(PQgetvalue(res, i, 2));
		r->website = dup_or_null(res, i, 3);
		r->contact_count = atoi(PQgetvalue(res, i, 4));
	}
	PQclear(res);
	return 0;
}

long business_count_estimate(struct db *db, struct error *err)
{
	/* Exact below a million rows is cheap enough; above that the
	 * planner's estimate is what a screen should show. */
	PGresult *res = db_exec(db,
		"SELECT CASE WHEN reltuples > 1000000 THEN reltuples::bigint "
		"ELSE (SELECT count(*) FROM businesses) END "
		"FROM pg_class WHERE oid = 'businesses'::regclass", 0, NULL, err);
	if (!res)
		return -1;
	long n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

void business_page_free(struct business_page *page)
{
	if (!page)
		return;
	for (size_t i = 0; i < page->count; i++) {
		free(page->rows[i].name);
		free(page->rows[i].status);
		free(page->rows[i].website);
	}
	free(page->rows);
	page->rows = NULL;
	page->count = 0;
}
