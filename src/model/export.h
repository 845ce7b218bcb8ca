/* export.h - businesses and their contacts as CSV, in the columns the
 * importer reads, so that an export imports back into an empty database
 * as the same businesses and contacts. */
#ifndef OUTREACH_MODEL_EXPORT_H
#define OUTREACH_MODEL_EXPORT_H

#include <stdio.h>

#include "core/error.h"
#include "db/db.h"

/* The header line the export writes (without its line break). */
#define EXPORT_HEADER "name,website,email,emails,phone_number,address," \
	"instagram,facebook,twitter,linkedin,contact_form"

/* Streams one CSV row per business (status NULL: all, else only that
 * status), ordered by name, to out: the business's own fields, the first
 * contact of each type (primary first, then oldest), and every e-mail
 * address joined with ';' in `emails`. Memory stays flat whatever the
 * table size. Stores the number of businesses in *count. */
int business_export(struct db *db, const char *status, FILE *out,
		    long long *count, struct error *err);

#endif
