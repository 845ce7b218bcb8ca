/* business_edit.h - changing businesses and contacts from the screens:
 * each change is one statement (atomic on its own), values are checked by
 * the same rules as the importer, and an edit made against a row that
 * changed since it was shown is refused instead of overwriting. */
#ifndef OUTREACH_MODEL_BUSINESS_EDIT_H
#define OUTREACH_MODEL_BUSINESS_EDIT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "db/query.h"
#include "model/permission.h"

enum business_field {
	FIELD_NAME, FIELD_STATUS, FIELD_WEBSITE, FIELD_EMAIL, FIELD_PHONE,
	FIELD_ADDRESS, FIELD_COUNT
};

const char *business_field_label(enum business_field f);

/* Checks and normalises a value for a field ("" clears an optional one).
 * Returns the value to store (caller frees; NULL means SQL NULL) or -1
 * with err saying what is wrong. */
int business_field_normalize(enum business_field f, const char *in,
			     char **out, struct error *err);
/* The statements below are built only when actor may make the change;
 * otherwise they return -1 with err saying why, and q stays empty. */

/* UPDATE of one field guarded by updated_at; the result has one row when
 * it was saved, none when the business changed or vanished meanwhile. */
int business_update_query(struct query *q, const struct actor *actor, int id,
			  enum business_field f, const char *value,
			  const char *expected_updated_at, struct error *err);
/* "type value" typed by a user: checks both; returns the normalised value
 * (caller frees) and the type, or -1 with err. */
int contact_parse_input(const char *in, int *type, char **value,
			struct error *err);
/* INSERT of a contact entered by hand (recorded with source 'csv', the
 * seed's word for data people supplied); no row when it already exists. */
int contact_add_query(struct query *q, const struct actor *actor,
		      int business_id, int type, const char *value,
		      struct error *err);
int contact_update_query(struct query *q, const struct actor *actor,
			 int contact_id, int type, const char *value,
			 struct error *err);
/* Deletions are audited by the same statement. */
int contact_delete_query(struct query *q, const struct actor *actor,
			 int contact_id, struct error *err);
int contact_toggle_primary_query(struct query *q, const struct actor *actor,
				 int contact_id, struct error *err);
int business_delete_query(struct query *q, const struct actor *actor, int id,
			  struct error *err);
/* True when a write's result says a row was affected. */
bool edit_result_applied(PGresult *res);

#endif
