/* suppression.h - the list of addresses and businesses that asked not to
 * be contacted, honoured by generation and (with the delivery work) at
 * send time. */
#ifndef OUTREACH_MODEL_SUPPRESSION_H
#define OUTREACH_MODEL_SUPPRESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "db/db.h"
#include "db/query.h"
#include "model/permission.h"

/* Suppresses an address (e-mail, handle or profile URL; stored trimmed and
 * lower-cased) or, with address NULL, the business business_id. *added is
 * false when it was already suppressed. reason and created_by may be NULL. */
int suppression_add(struct db *db, const char *address, int business_id,
		    const char *reason, const char *created_by, bool *added,
		    struct error *err);

/* The same as one statement for the event-loop connection, checking the
 * actor's right to edit businesses and writing the audit log: the result
 * has one row, 1 when added, 0 when it was already suppressed. */
int suppression_add_query(struct query *q, const struct actor *actor,
			  const char *address, int business_id,
			  const char *reason, struct error *err);

/* 1 when the address or the business is suppressed, 0 when not, -1 on
 * error. address may be NULL, business_id 0. */
int suppression_is_suppressed(struct db *db, const char *address,
			      int business_id, struct error *err);

struct suppression_row {
	int id;
	char *address;		/* NULL for a business */
	int business_id;	/* 0 for an address */
	char *business_name;	/* NULL for an address */
	char *reason;
	char *created_at;
	char *created_by;
};

/* Every suppression, newest first. */
int suppression_list(struct db *db, struct suppression_row **rows,
		     size_t *count, struct error *err);
void suppression_list_free(struct suppression_row *rows, size_t count);

#endif
