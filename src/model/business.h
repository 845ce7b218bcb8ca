/* business.h - reading businesses for the screens: keyset pages in name
 * order, so a screen only ever fetches what it shows. */
#ifndef OUTREACH_MODEL_BUSINESS_H
#define OUTREACH_MODEL_BUSINESS_H

#include <stddef.h>

#include "core/error.h"
#include "db/db.h"

struct business_row {
	int id;
	char *name;
	char *status;
	char *website;		/* NULL when unknown */
	int contact_count;
};

struct business_page {
	struct business_row *rows;
	size_t count;
};

/* Fetches up to limit businesses ordered by (name, id) strictly after the
 * given key (after_name NULL = from the start). Fills page (free with
 * business_page_free). */
int business_page_after(struct db *db, const char *after_name, int after_id,
			int limit, struct business_page *page, struct error *err);
/* An estimate of the number of businesses that is cheap on huge tables. */
long business_count_estimate(struct db *db, struct error *err);
void business_page_free(struct business_page *page);

#endif
