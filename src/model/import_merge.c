/* import_merge.c - the database side of an import: a temporary staging
 * table filled by COPY, then a few set-based statements that merge it into
 * businesses and contacts, however many rows there are. */
#include "model/import_internal.h"

#include <stdlib.h>
#include <string.h>

/* One row per business row of the file (ctype NULL) and one per contact
 * (ctype and cvalue set, the business fields NULL). seq keeps file order,
 * so "first non-empty value" and contact ids follow the file. */
static const char stage_sql[] =
	"CREATE TEMPORARY TABLE import_stage ("
	" seq bigint NOT NULL, name text NOT NULL, website text,"
	" address text, email text, phone text, ctype text, cvalue text"
	") ON COMMIT DROP";

int import_stage_begin(struct db *db, struct error *err)
{
	if (db_command(db, stage_sql, 0, NULL, err) < 0)
		return -1;
	return db_copy_begin(db, "COPY import_stage FROM STDIN", err);
}

/* COPY text format: backslash, tab, newline and carriage return are the
 * only bytes with a meaning; everything else, control characters included,
 * is data. NULL is \N. */
static void copy_text(struct buf *out, const char *s)
{
	if (!s) {
		buf_append(out, "\\N", 2);
		return;
	}
	while (*s) {
		size_t run = strcspn(s, "\\\t\n\r");
		buf_append(out, s, run);
		s += run;
		switch (*s) {
		case '\\':
			buf_append(out, "\\\\", 2);
			break;
		case '\t':
			buf_append(out, "\\t", 2);
			break;
		case '\n':
			buf_append(out, "\\n", 2);
			break;
		case '\r':
			buf_append(out, "\\r", 2);
			break;
		default:
			return;
		}
		s++;
	}
}

static void stage_row(struct buf *out, unsigned long long seq,
		      const char *const cols[7])
{
	buf_printf(out, "%llu", seq);
	for (int i = 0; i < 7; i++) {
		buf_putc(out, '\t');
		copy_text(out, cols[i]);
	}
	buf_putc(out, '\n');
}

void import_stage_lead(struct buf *out, unsigned long long *seq,
		       const struct lead *l)
{
	const char *business[7] = {
		l->name, l->website, l->address, l->email, l->phone_number,
		NULL, NULL,
	};
	stage_row(out, (*seq)++, business);
	for (size_t i = 0; i < l->contact_count; i++) {
		const char *contact[7] = {
			l->name, NULL, NULL, NULL, NULL,
			contact_type_name(l->contacts[i].type),
			l->contacts[i].value,
		};
		stage_row(out, (*seq)++, contact);
	}
}

/* Duplicates within the file are folded first (ON CONFLICT DO UPDATE may
 * not touch a row twice in one statement): per name, each field's first
 * non-empty value in file order. The input is sorted by (name, seq) once
 * and the aggregates keep that order, which is far cheaper than an ORDER
 * BY inside each of them (a sort per group and field); rows then reach
 * the name indexes in order too. On conflict only empty fields are
 * filled, and the WHERE skips rows that would not change, so a re-import
 * updates nothing and updated_at stays. xmax = 0 marks inserted rows. */
#define FIRST_NON_NULL(col) \
	"(array_agg(" col ") FILTER (WHERE " col " IS NOT NULL))[1]"
#define FILL(col) \
	col " = COALESCE(NULLIF(b." col ", ''), EXCLUDED." col ")"
#define NEEDS_FILL(col) \
	"(NULLIF(b." col ", '') IS NULL AND EXCLUDED." col " IS NOT NULL)"

static const char merge_businesses_sql[] =
	"WITH folded AS MATERIALIZED ("
	" SELECT name, " FIRST_NON_NULL("website") " AS website,"
	"  " FIRST_NON_NULL("email") " AS email,"
	"  " FIRST_NON_NULL("phone") " AS phone,"
	"  " FIRST_NON_NULL("address") " AS address"
	" FROM (SELECT * FROM import_stage WHERE ctype IS NULL"
	"  ORDER BY name, seq) AS in_file_order"
	" GROUP BY name"
	"), merged AS ("
	" INSERT INTO businesses AS b"
	"  (name, website, email, phone_number, address, status)"
	" SELECT name, website, email, phone, address, 'pending_scan'"
	" FROM folded"
	" ON CONFLICT (name) DO UPDATE SET "
	FILL("website") ", " FILL("email") ", "
	FILL("phone_number") ", " FILL("address")
	" WHERE " NEEDS_FILL("website") " OR " NEEDS_FILL("email")
	" OR " NEEDS_FILL("phone_number") " OR " NEEDS_FILL("address")
	" RETURNING (b.xmax = 0) AS inserted"
	")"
	" SELECT (SELECT count(*) FROM folded),"
	"  count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)"
	" FROM merged";

/* DO NOTHING, unlike DO UPDATE, copes with the same contact twice in one
 * statement, so contacts need no folding. Ordered by business so the
 * (business_id, ...) indexes grow at one end instead of everywhere, and
 * by file order within a business, so ids keep the file's order. */
static const char merge_contacts_sql[] =
	"INSERT INTO contacts (business_id, type, value, source)"
	" SELECT b.id, s.ctype, s.cvalue, 'csv'"
	" FROM import_stage s JOIN businesses b ON b.name = s.name"
	" WHERE s.ctype IS NOT NULL ORDER BY b.id, s.seq"
	" ON CONFLICT (business_id, type, value) DO NOTHING";

static int merge_businesses(struct db *db, struct import_report *r,
			    struct error *err)
{
	PGresult *res = db_exec(db, merge_businesses_sql, 0, NULL, err);
	if (!res)
		return error_prefix(err, "merging businesses");
	r->businesses = atoll(PQgetvalue(res, 0, 0));
	r->businesses_new = atoll(PQgetvalue(res, 0, 1));
	r->businesses_filled = atoll(PQgetvalue(res, 0, 2));
	r->businesses_merged = r->businesses - r->businesses_new;
	PQclear(res);
	return 0;
}

int import_merge(struct db *db, struct import_report *r, struct error *err)
{
	/* Temporary tables are never analysed automatically; without
	 * statistics the planner guesses sizes and may join badly. The
	 * default work_mem would send every sort of a big file to disk;
	 * SET LOCAL ends with the transaction. */
	if (db_command(db, "ANALYZE import_stage", 0, NULL, err) < 0 ||
	    db_command(db, "SET LOCAL work_mem = '64MB'", 0, NULL, err) < 0)
		return -1;
	if (merge_businesses(db, r, err) < 0)
		return -1;
	PGresult *res = db_exec(db, merge_contacts_sql, 0, NULL, err);
	if (!res)
		return error_prefix(err, "merging contacts");
	r->contacts_added = atoll(PQcmdTuples(res));
	PQclear(res);
	return 0;
}
