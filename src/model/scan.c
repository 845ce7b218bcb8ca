/* scan.c - the scanner's SQL: choosing businesses by keyset pages, and
 * storing many sites' findings with array parameters, not row by row. */
#include "model/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"
#include "core/vocab.h"
#include "core/xalloc.h"

/* The WHERE clause for a selection; $1 is always the selection's value
 * (status or id array) so every query shares the same parameters. */
static const char *selection_sql(const struct scan_selection *sel)
{
	switch (sel->scope) {
	case SCAN_BY_ID:
		return "id = ANY($1::int[])";
	case SCAN_EVERYTHING:
		return sel->retry_failed ? "($1::text IS NULL AND scan_error IS NOT NULL)"
					 : "($1::text IS NULL)";
	case SCAN_BY_STATUS:
	default:
		return sel->retry_failed ? "(status = $1 AND scan_error IS NOT NULL)"
					 : "(status = $1 AND scan_error IS NULL)";
	}
}

/* PostgreSQL array literal of ints: "{1,2,3}". */
static char *int_array(const int *v, size_t n)
{
	struct buf b = {0};
	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%d", i ? "," : "", v[i]);
	buf_putc(&b, '}');
	return buf_detach(&b);
}

static const char *selection_param(const struct scan_selection *sel,
				   char **owned)
{
	*owned = NULL;
	if (sel->scope == SCAN_BY_ID)
		return *owned = int_array(sel->ids, sel->nids);
	if (sel->scope == SCAN_BY_STATUS)
		return sel->status;
	return NULL;
}

/* SCAN_BY_FILTER: the list's own conditions, then ours. */
static PGresult *filter_exec(struct db *db, const struct scan_selection *sel,
			     const char *select, int after_id, int limit,
			     struct error *err)
{
	struct query q = {0};
	query_sql(&q, select);
	query_sql(&q, " FROM businesses b WHERE true");
	business_filter_where(&q, sel->filter);
	if (limit > 0) {
		query_sql(&q, " AND b.id > ");
		query_param_int(&q, after_id);
		query_sql(&q, " ORDER BY b.id LIMIT ");
		query_param_int(&q, limit);
	}
	PGresult *res = db_exec_query(db, &q, err);
	return res;
}

static void count_result(PGresult *res, long *with_website,
			 long *without_website)
{
	*with_website = atol(PQgetvalue(res, 0, 0));
	*without_website = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
}

#define COUNT_SELECT "SELECT count(*) FILTER (WHERE nullif(btrim(website), '') " \
	"IS NOT NULL), count(*) FILTER (WHERE nullif(btrim(website), '') IS NULL)"
#define TARGET_SELECT "SELECT id, nullif(btrim(website), '')"

int scan_count_targets(struct db *db, const struct scan_selection *sel,
		       long *with_website, long *without_website,
		       struct error *err)
{
	if (sel->scope == SCAN_BY_FILTER) {
		PGresult *res = filter_exec(db, sel, COUNT_SELECT, 0, 0, err);
		if (!res)
			return -1;
		count_result(res, with_website, without_website);
		return 0;
	}
	char *owned;
	const char *params[] = {selection_param(sel, &owned)};
	char *sql = xasprintf(COUNT_SELECT " FROM businesses WHERE %s",
			      selection_sql(sel));
	PGresult *res = db_exec(db, sql, 1, params, err);
	free(sql);
	free(owned);
	if (!res)
		return -1;
	count_result(res, with_website, without_website);
	return 0;
}

int scan_next_targets(struct db *db, const struct scan_selection *sel,
		      int after_id, int limit, struct scan_batch *out,
		      struct error *err)
{
	PGresult *res;
	if (sel->scope == SCAN_BY_FILTER) {
		res = filter_exec(db, sel, TARGET_SELECT, after_id,
				  limit > 0 ? limit : 1, err);
	} else {
		char *owned, after[16], lim[16];
		snprintf(after, sizeof after, "%d", after_id);
		snprintf(lim, sizeof lim, "%d", limit);
		const char *params[] = {selection_param(sel, &owned), after, lim};
		char *sql = xasprintf(TARGET_SELECT " FROM businesses WHERE %s "
				      "AND id > $2::int ORDER BY id LIMIT $3::int",
				      selection_sql(sel));
		res = db_exec(db, sql, 3, params, err);
		free(sql);
		free(owned);
	}
	if (!res)
		return -1;
	int n = PQntuples(res);
	out->items = xcalloc((size_t)n + 1, sizeof *out->items);
	out->len = (size_t)n;
	for (int i = 0; i < n; i++) {
		out->items[i].id = atoi(PQgetvalue(res, i, 0));
		out->items[i].website = PQgetisnull(res, i, 1) ? NULL :
			xstrdup(PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return 0;
}

void scan_batch_free(struct scan_batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->len; i++)
		free(b->items[i].website);
	free(b->items);
	b->items = NULL;
	b->len = 0;
}

int scan_missing_ids(struct db *db, const int *ids, size_t nids,
		     int **missing, size_t *nmissing, struct error *err)
{
	char *arr = int_array(ids, nids);
	const char *params[] = {arr};
	PGresult *res = db_exec(db,
		"SELECT DISTINCT u.id FROM unnest($1::int[]) AS u(id) "
		"WHERE NOT EXISTS (SELECT 1 FROM businesses b WHERE b.id = u.id) "
		"ORDER BY u.id", 1, params, err);
	free(arr);
	if (!res)
		return -1;
	int n = PQntuples(res);
	*missing = xcalloc((size_t)n + 1, sizeof **missing);
	*nmissing = (size_t)n;
	for (int i = 0; i < n; i++)
		(*missing)[i] = atoi(PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

/* Arrays for the statements of one store, built once. */
struct store_arrays {
	struct buf c_ids, c_types, c_values;	/* contacts found */
	struct buf ok_ids, ok_pages;		/* sites read */
	struct buf bad_ids, bad_errors;		/* sites not reached */
};

static void array_add_int(struct buf *b, int v)
{
	buf_printf(b, "%s%d", b->len ? "," : "{", v);
}

static void array_add_text(struct buf *b, const char *s)
{
	buf_puts(b, b->len ? "," : "{");
	db_array_text(b, s);
}

static const char *array_end(struct buf *b)
{
	if (!b->len)
		buf_putc(b, '{');
	buf_putc(b, '}');
	return b->data;
}

static void collect(struct store_arrays *a, const struct scan_result *r)
{
	if (r->error) {
		/* Errors quote what servers said; keep them printable. */
		char *clean = sanitize_dup(r->error);
		array_add_int(&a->bad_ids, r->business_id);
		array_add_text(&a->bad_errors, clean);
		free(clean);
		return;
	}
	array_add_int(&a->ok_ids, r->business_id);
	array_add_int(&a->ok_pages, r->pages);
	for (size_t i = 0; r->contacts && i < r->contacts->len; i++) {
		const struct extract_contact *c = &r->contacts->items[i];
		array_add_int(&a->c_ids, r->business_id);
		array_add_text(&a->c_types, contact_type_name(c->type));
		array_add_text(&a->c_values, c->value);
	}
}

static void store_arrays_free(struct store_arrays *a)
{
	buf_free(&a->c_ids);
	buf_free(&a->c_types);
	buf_free(&a->c_values);
	buf_free(&a->ok_ids);
	buf_free(&a->ok_pages);
	buf_free(&a->bad_ids);
	buf_free(&a->bad_errors);
}

struct store_job {
	struct store_arrays a;
	long added;
};

static int store_in_transaction(struct db *db, void *arg, struct error *err)
{
	struct store_job *job = arg;
	struct store_arrays *a = &job->a;
	const char *contacts[] = {array_end(&a->c_ids), array_end(&a->c_types),
				  array_end(&a->c_values)};
	/* A business deleted while its site was fetched is skipped rather
	 * than failing everyone else's results. */
	PGresult *res = db_exec(db,
		"INSERT INTO contacts (business_id, type, value, source) "
		"SELECT u.b, u.t, u.v, 'scanned_website' "
		"FROM unnest($1::int[], $2::text[], $3::text[]) AS u(b, t, v) "
		"WHERE EXISTS (SELECT 1 FROM businesses x WHERE x.id = u.b) "
		"ON CONFLICT (business_id, type, value) DO NOTHING",
		3, contacts, err);
	if (!res)
		return -1;
	job->added = atol(PQcmdTuples(res));
	PQclear(res);

	const char *ok[] = {array_end(&a->ok_ids), array_end(&a->ok_pages)};
	if (db_command(db,
		"UPDATE businesses b SET "
		"status = CASE WHEN b.status = 'pending_scan' THEN 'scanned' "
		"ELSE b.status END, last_scan_at = now(), "
		"scan_attempts = b.scan_attempts + 1, scan_error = NULL, "
		"scan_pages = u.pages "
		"FROM unnest($1::int[], $2::int[]) AS u(id, pages) "
		"WHERE b.id = u.id", 2, ok, err) < 0)
		return -1;

	const char *bad[] = {array_end(&a->bad_ids), array_end(&a->bad_errors)};
	return db_command(db,
		"UPDATE businesses b SET last_scan_at = now(), "
		"scan_attempts = b.scan_attempts + 1, scan_error = u.error "
		"FROM unnest($1::int[], $2::text[]) AS u(id, error) "
		"WHERE b.id = u.id", 2, bad, err);
}

int scan_store(struct db *db, const struct scan_result *results, size_t n,
	       long *new_contacts, struct error *err)
{
	struct store_job job = {0};
	for (size_t i = 0; i < n; i++)
		collect(&job.a, &results[i]);
	int rc = db_transaction(db, store_in_transaction, &job, err);
	if (rc == 0 && new_contacts)
		*new_contacts = job.added;
	store_arrays_free(&job.a);
	return rc < 0 ? -1 : rc;
}
