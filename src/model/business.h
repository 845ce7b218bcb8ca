/* business.h - businesses and their contacts as the screens see them:
 * filtered, sorted keyset pages that cost the same on a hundred rows or a
 * million, the details of one business, and counts that stay cheap.
 * Each query is built here as a struct query (SQL + parameters) and its
 * result parsed here, so screens can run them on the event-loop
 * connection without ever writing SQL. */
#ifndef OUTREACH_MODEL_BUSINESS_H
#define OUTREACH_MODEL_BUSINESS_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "db/db.h"
#include "db/query.h"

enum business_sort {
	BUSINESS_SORT_NAME,
	BUSINESS_SORT_STATUS,	/* then name */
	BUSINESS_SORT_UPDATED,	/* most recent first */
	BUSINESS_SORT_COUNT
};

struct business_filter {
	char *search;		/* substring of name, website or e-mail */
	int status;		/* enum business_status, or -1 for any */
	bool has_email;
	bool no_contacts;
	enum business_sort sort;
};

struct business_row {
	int id;
	char *name;
	char *status;
	char *website;		/* NULL when unknown */
	char *email;		/* NULL when unknown */
	int contact_count;
	char *updated_at;	/* exact, for keysets and edit conflicts */
	char *updated_label;	/* "2026-11-29 14:03" */
};

struct business_page {
	struct business_row *rows;
	size_t count;
};

enum page_dir {
	PAGE_FIRST,		/* from the start */
	PAGE_LAST,		/* the final rows */
	PAGE_AFTER,		/* strictly after the anchor row */
	PAGE_BEFORE,		/* strictly before the anchor row */
	PAGE_FROM,		/* the anchor row (or what took its place) on */
};

/* Builds the page query. anchor is needed for AFTER/BEFORE/FROM. */
void business_page_query(struct query *q, const struct business_filter *f,
			 enum page_dir dir, const struct business_row *anchor,
			 int limit);
/* Parses its result into page (rows always in display order). */
void business_page_parse(PGresult *res, enum page_dir dir,
			 struct business_page *page);
void business_page_free(struct business_page *page);
void business_row_copy(struct business_row *dst, const struct business_row *src);
void business_row_free(struct business_row *r);

/* The row of business id if the filter shows it (a page of one row, or
 * none), for following a business that moved out of the buffer. */
void business_locate_query(struct query *q, const struct business_filter *f,
			   int id);
/* How many rows the filter shows before row in its order: its index in
 * the whole list. Counted up to 100,000; beyond that parse gives -1. */
void business_rank_query(struct query *q, const struct business_filter *f,
			 const struct business_row *row);
long business_rank_parse(PGresult *res);

/* Appends the filter's conditions to q, each as " AND ...", on the
 * businesses table under the alias b. */
void business_filter_where(struct query *q, const struct business_filter *f);

/* Counts the rows a filter matches, exactly up to 100,000; beyond that
 * (and for the whole table when large) an estimate. The result has one
 * row: count, is_estimate. */
void business_count_query(struct query *q, const struct business_filter *f);
long business_count_parse(PGresult *res, bool *estimate);

struct contact_row {
	int id;
	char *type;
	char *value;
	char *source;
	bool is_primary;
};

struct business_details {
	int id;
	char *name, *website, *email, *phone_number, *address, *status;
	char *created_label, *updated_label;
	char *updated_at;
	char *scan_error;	/* the last scan's failure, NULL when it read */
	int scan_attempts;
	char *last_scan_label;	/* NULL: never scanned */
	struct contact_row *contacts;
	size_t contact_count;
};

/* One statement returning the business's fields and, in later rows, its
 * contacts (the first row carries the business). */
void business_details_query(struct query *q, int id);
/* Returns false when the business no longer exists. */
bool business_details_parse(PGresult *res, struct business_details *d);
void business_details_free(struct business_details *d);

/* Blocking convenience for commands and tests. */
int business_page_fetch(struct db *db, const struct business_filter *f,
			enum page_dir dir, const struct business_row *anchor,
			int limit, struct business_page *page, struct error *err);

const char *business_sort_name(enum business_sort s);

#endif
