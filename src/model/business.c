/* business.c - business queries for the screens. Every page is a keyset
 * query over an index matching its sort, so its cost depends on the page
 * size, never on the table size or how far down the list the user is. */
#include "model/business.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vocab.h"
#include "core/xalloc.h"

/* Exact counts stop here; above it a count says "more than". */
#define COUNT_CAP 100000

static const char *const sort_names[BUSINESS_SORT_COUNT] = {
	"name", "status", "updated",
};

const char *business_sort_name(enum business_sort s)
{
	return (unsigned)s < BUSINESS_SORT_COUNT ? sort_names[s] : "?";
}

static const char SELECT_ROW[] =
	"SELECT b.id, b.name, b.status, b.website, b.email, "
	"(SELECT count(*) FROM contacts c WHERE c.business_id = b.id), "
	"b.updated_at::text, to_char(b.updated_at, 'YYYY-MM-DD HH24:MI') "
	"FROM businesses b WHERE true";

/* ILIKE pattern for a substring: the user's % _ and \ match themselves. */
static char *like_pattern(const char *s)
{
	struct buf b = {0};
	buf_putc(&b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	return buf_detach(&b);
}

void business_filter_where(struct query *q, const struct business_filter *f)
{
	if (f->search && *f->search) {
		/* One trigram index covers the three columns together. */
		char *pattern = like_pattern(f->search);
		query_sql(q, " AND (b.name || ' ' || coalesce(b.website, '') || ' ' "
			  "|| coalesce(b.email, '')) ILIKE ");
		query_param(q, pattern, NULL);
		free(pattern);
	}
	if (f->status >= 0) {
		query_sql(q, " AND b.status = ");
		query_param(q, business_status_name(f->status), NULL);
	}
	if (f->has_email)
		query_sql(q, " AND (b.email IS NOT NULL OR EXISTS (SELECT 1 FROM "
			  "contacts c WHERE c.business_id = b.id AND c.type = 'email'))");
	if (f->no_contacts)
		query_sql(q, " AND NOT EXISTS (SELECT 1 FROM contacts c "
			  "WHERE c.business_id = b.id)");
}

/* The row-value comparison that puts a row after (or before) the anchor
 * in display order. "Updated" lists the most recent first, so "after" is
 * an older row there. */
static void add_keyset(struct query *q, enum business_sort sort,
		       enum page_dir dir, const struct business_row *a)
{
	bool forward = dir == PAGE_AFTER || dir == PAGE_FROM;
	bool inclusive = dir == PAGE_FROM;
	bool greater = sort == BUSINESS_SORT_UPDATED ? !forward : forward;
	const char *op = greater ? (inclusive ? " >= " : " > ")
				 : (inclusive ? " <= " : " < ");
	switch (sort) {
	case BUSINESS_SORT_NAME:
		query_sql(q, " AND b.name");
		query_sql(q, op);
		query_param(q, a->name, NULL);
		break;
	case BUSINESS_SORT_STATUS:
		query_sql(q, " AND (b.status, b.name)");
		query_sql(q, op);
		query_sql(q, "(");
		query_param(q, a->status, "::varchar");
		query_sql(q, ", ");
		query_param(q, a->name, "::varchar");
		query_sql(q, ")");
		break;
	default:
		query_sql(q, " AND (b.updated_at, b.id)");
		query_sql(q, op);
		query_sql(q, "(");
		query_param(q, a->updated_at, "::timestamptz");
		query_sql(q, ", ");
		query_param_int(q, a->id);
		query_sql(q, ")");
		break;
	}
}

static void add_order(struct query *q, enum business_sort sort, bool reverse)
{
	static const char *const orders[BUSINESS_SORT_COUNT][2] = {
		{" ORDER BY b.name", " ORDER BY b.name DESC"},
		{" ORDER BY b.status, b.name", " ORDER BY b.status DESC, b.name DESC"},
		{" ORDER BY b.updated_at DESC, b.id DESC",
		 " ORDER BY b.updated_at, b.id"},
	};
	query_sql(q, orders[sort][reverse]);
}

void business_page_query(struct query *q, const struct business_filter *f,
			 enum page_dir dir, const struct business_row *anchor,
			 int limit)
{
	query_sql(q, SELECT_ROW);
	business_filter_where(q, f);
	if (anchor && (dir == PAGE_AFTER || dir == PAGE_BEFORE || dir == PAGE_FROM))
		add_keyset(q, f->sort, dir, anchor);
	add_order(q, f->sort, dir == PAGE_BEFORE || dir == PAGE_LAST);
	query_sql(q, " LIMIT ");
	query_param_int(q, limit);
}

void business_locate_query(struct query *q, const struct business_filter *f,
			   int id)
{
	query_sql(q, SELECT_ROW);
	business_filter_where(q, f);
	query_sql(q, " AND b.id = ");
	query_param_int(q, id);
}

void business_rank_query(struct query *q, const struct business_filter *f,
			 const struct business_row *row)
{
	query_sql(q, "SELECT count(*) FROM (SELECT 1 FROM businesses b WHERE true");
	business_filter_where(q, f);
	add_keyset(q, f->sort, PAGE_BEFORE, row);
	query_sql(q, " LIMIT ");
	query_param_int(q, COUNT_CAP);
	query_sql(q, ") x");
}

long business_rank_parse(PGresult *res)
{
	long n = PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : -1;
	return n >= COUNT_CAP ? -1 : n;
}

static char *dup_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

void business_page_parse(PGresult *res, enum page_dir dir,
			 struct business_page *page)
{
	int n = PQntuples(res);
	bool reversed = dir == PAGE_BEFORE || dir == PAGE_LAST;
	page->rows = xcalloc((size_t)n + 1, sizeof *page->rows);
	page->count = (size_t)n;
	for (int i = 0; i < n; i++) {
		struct business_row *r = &page->rows[reversed ? n - 1 - i : i];
		r->id = atoi(PQgetvalue(res, i, 0));
		r->name = xstrdup(PQgetvalue(res, i, 1));
		r->status = xstrdup(PQgetvalue(res, i, 2));
		r->website = dup_or_null(res, i, 3);
		r->email = dup_or_null(res, i, 4);
		r->contact_count = atoi(PQgetvalue(res, i, 5));
		r->updated_at = xstrdup(PQgetvalue(res, i, 6));
		r->updated_label = xstrdup(PQgetvalue(res, i, 7));
	}
}

void business_row_free(struct business_row *r)
{
	free(r->name);
	free(r->status);
	free(r->website);
	free(r->email);
	free(r->updated_at);
	free(r->updated_label);
	memset(r, 0, sizeof *r);
}

static char *dup_maybe(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void business_row_copy(struct business_row *dst, const struct business_row *src)
{
	dst->id = src->id;
	dst->name = dup_maybe(src->name);
	dst->status = dup_maybe(src->status);
	dst->website = dup_maybe(src->website);
	dst->email = dup_maybe(src->email);
	dst->contact_count = src->contact_count;
	dst->updated_at = dup_maybe(src->updated_at);
	dst->updated_label = dup_maybe(src->updated_label);
}

void business_page_free(struct business_page *page)
{
	if (!page)
		return;
	for (size_t i = 0; i < page->count; i++)
		business_row_free(&page->rows[i]);
	free(page->rows);
	page->rows = NULL;
	page->count = 0;
}

static bool filter_is_empty(const struct business_filter *f)
{
	return !(f->search && *f->search) && f->status < 0 && !f->has_email &&
	       !f->no_contacts;
}

void business_count_query(struct query *q, const struct business_filter *f)
{
	if (filter_is_empty(f)) {
		/* The planner's estimate is free and close on big tables. */
		query_sql(q, "SELECT CASE WHEN c.reltuples > ");
		query_param_int(q, COUNT_CAP);
		query_sql(q, " THEN c.reltuples::bigint ELSE (SELECT count(*) FROM "
			  "businesses) END, c.reltuples > ");
		query_param_int(q, COUNT_CAP);
		query_sql(q, " FROM pg_class c WHERE c.oid = 'businesses'::regclass");
		return;
	}
	query_sql(q, "SELECT count(*), count(*) > ");
	query_param_int(q, COUNT_CAP);
	query_sql(q, " FROM (SELECT 1 FROM businesses b WHERE true");
	business_filter_where(q, f);
	query_sql(q, " LIMIT ");
	query_param_int(q, COUNT_CAP + 1);
	query_sql(q, ") s");
}

long business_count_parse(PGresult *res, bool *estimate)
{
	if (PQntuples(res) < 1)
		return 0;
	*estimate = PQgetvalue(res, 0, 1)[0] == 't';
	return atol(PQgetvalue(res, 0, 0));
}

void business_details_query(struct query *q, int id)
{
	/* One round trip: the business row, then one row per contact. */
	query_sql(q,
		"SELECT 0 AS part, b.id, b.name, b.website, b.email, b.phone_number, "
		"b.address, b.status, to_char(b.created_at, 'YYYY-MM-DD HH24:MI'), "
		"to_char(b.updated_at, 'YYYY-MM-DD HH24:MI'), b.updated_at::text, "
		"NULL::int, NULL, NULL, NULL, NULL::boolean, b.scan_error, "
		"b.scan_attempts, to_char(b.last_scan_at, 'YYYY-MM-DD HH24:MI') "
		"FROM businesses b WHERE b.id = ");
	query_param_int(q, id);
	query_sql(q,
		" UNION ALL SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
		"NULL, NULL, c.id, c.type, c.value, c.source, c.is_primary, "
		"NULL, NULL::int, NULL "
		"FROM contacts c WHERE c.business_id = ");
	query_param_int(q, id);
	query_sql(q, " ORDER BY 1, 13, 16 DESC, 12");
}

bool business_details_parse(PGresult *res, struct business_details *d)
{
	memset(d, 0, sizeof *d);
	int n = PQntuples(res);
	if (n == 0 || strcmp(PQgetvalue(res, 0, 0), "0") != 0)
		return false;
	d->id = atoi(PQgetvalue(res, 0, 1));
	d->name = xstrdup(PQgetvalue(res, 0, 2));
	d->website = dup_or_null(res, 0, 3);
	d->email = dup_or_null(res, 0, 4);
	d->phone_number = dup_or_null(res, 0, 5);
	d->address = dup_or_null(res, 0, 6);
	d->status = xstrdup(PQgetvalue(res, 0, 7));
	d->created_label = dup_or_null(res, 0, 8);
	d->updated_label = dup_or_null(res, 0, 9);
	d->updated_at = xstrdup(PQgetvalue(res, 0, 10));
	d->scan_error = dup_or_null(res, 0, 16);
	d->scan_attempts = atoi(PQgetvalue(res, 0, 17));
	d->last_scan_label = dup_or_null(res, 0, 18);
	d->contacts = xcalloc((size_t)n, sizeof *d->contacts);
	for (int i = 1; i < n; i++) {
		struct contact_row *c = &d->contacts[d->contact_count++];
		c->id = atoi(PQgetvalue(res, i, 11));
		c->type = xstrdup(PQgetvalue(res, i, 12));
		c->value = xstrdup(PQgetvalue(res, i, 13));
		c->source = xstrdup(PQgetvalue(res, i, 14));
		c->is_primary = PQgetvalue(res, i, 15)[0] == 't';
	}
	return true;
}

void business_details_free(struct business_details *d)
{
	if (!d)
		return;
	free(d->name);
	free(d->website);
	free(d->email);
	free(d->phone_number);
	free(d->address);
	free(d->status);
	free(d->created_label);
	free(d->updated_label);
	free(d->updated_at);
	free(d->scan_error);
	free(d->last_scan_label);
	for (size_t i = 0; i < d->contact_count; i++) {
		free(d->contacts[i].type);
		free(d->contacts[i].value);
		free(d->contacts[i].source);
	}
	free(d->contacts);
	memset(d, 0, sizeof *d);
}

int business_page_fetch(struct db *db, const struct business_filter *f,
			enum page_dir dir, const struct business_row *anchor,
			int limit, struct business_page *page, struct error *err)
{
	struct query q = {0};
	business_page_query(&q, f, dir, anchor, limit);
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return -1;
	business_page_parse(res, dir, page);
	PQclear(res);
	return 0;
}
