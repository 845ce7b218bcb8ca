/* business_edit.c - the write side of the Businesses screen. Columns are
 * chosen from a fixed table, never from user text; values travel as
 * parameters. */
#include "model/business_edit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "core/vocab.h"
#include "core/xalloc.h"

static const struct {
	const char *label;
	const char *column;
	int max_len;		/* the seed's VARCHAR sizes; 0: text */
} fields[FIELD_COUNT] = {
	[FIELD_NAME] = {"Name", "name", 255},
	[FIELD_STATUS] = {"Status", "status", 50},
	[FIELD_WEBSITE] = {"Website", "website", 255},
	[FIELD_EMAIL] = {"E-mail", "email", 255},
	[FIELD_PHONE] = {"Phone", "phone_number", 50},
	[FIELD_ADDRESS] = {"Address", "address", 0},
};

const char *business_field_label(enum business_field f)
{
	return (unsigned)f < FIELD_COUNT ? fields[f].label : "?";
}

static bool blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

int business_field_normalize(enum business_field f, const char *in,
			     char **out, struct error *err)
{
	*out = NULL;
	if (!utf8_valid(in, strlen(in)))
		return error_set(err, "%s: not valid UTF-8", fields[f].label);
	if (blank(in) && f != FIELD_NAME && f != FIELD_STATUS)
		return 0;	/* clearing an optional field */
	int rc = 0;
	switch (f) {
	case FIELD_NAME:
		rc = normalize_name(in, out, err);
		break;
	case FIELD_STATUS:
		if (business_status_from_name(in) < 0)
			return error_set(err, "Status: use pending_scan, scanned, "
					 "active or archived");
		*out = xstrdup(in);
		break;
	case FIELD_WEBSITE:
		rc = normalize_website(in, out, err);
		break;
	case FIELD_EMAIL:
		rc = normalize_email(in, out, err);
		break;
	case FIELD_PHONE:
		rc = normalize_phone(in, out, err);
		break;
	default: {
		/* An address is free text, trimmed. */
		const char *s = in;
		while (isspace((unsigned char)*s))
			s++;
		size_t n = strlen(s);
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		*out = xstrndup(s, n);
		break;
	}
	}
	if (rc < 0)
		return error_prefix(err, "%s", fields[f].label);
	/* VARCHAR(n) counts characters, not bytes (the value is valid UTF-8). */
	if (fields[f].max_len && *out &&
	    utf8_char_count(*out) > (size_t)fields[f].max_len) {
		free(*out);
		*out = NULL;
		return error_set(err, "%s: longer than %d characters", fields[f].label,
				 fields[f].max_len);
	}
	return 0;
}

int business_update_query(struct query *q, const struct actor *actor, int id,
			  enum business_field f, const char *value,
			  const char *expected_updated_at, struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	query_sql(q, "UPDATE businesses SET ");
	query_sql(q, fields[f].column);
	query_sql(q, " = ");
	query_param(q, value, NULL);
	query_sql(q, " WHERE id = ");
	query_param_int(q, id);
	query_sql(q, " AND updated_at = ");
	query_param(q, expected_updated_at, "::timestamptz");
	query_sql(q, " RETURNING id");
	return 0;
}

int contact_parse_input(const char *in, int *type, char **value,
			struct error *err)
{
	while (isspace((unsigned char)*in))
		in++;
	size_t n = strcspn(in, " \t");
	char word[32];
	if (n == 0 || n >= sizeof word)
		return error_set(err, "type a contact type and a value, e.g. "
				 "'email info@example.org'");
	memcpy(word, in, n);
	word[n] = '\0';
	*type = contact_type_from_name(word);
	if (*type < 0)
		return error_set(err, "unknown contact type '%s': use email, phone, "
				 "instagram, facebook, twitter, linkedin or "
				 "contact_form", word);
	const char *rest = in + n;
	while (isspace((unsigned char)*rest))
		rest++;
	if (!*rest)
		return error_set(err, "%s: the value is missing", word);
	if (!utf8_valid(rest, strlen(rest)))
		return error_set(err, "%s: not valid UTF-8", word);
	if (normalize_contact(*type, rest, value, err) < 0)
		return error_prefix(err, "%s", word);
	return 0;
}

int contact_add_query(struct query *q, const struct actor *actor,
		      int business_id, int type, const char *value,
		      struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	query_sql(q, "INSERT INTO contacts (business_id, type, value, source) "
		  "VALUES (");
	query_param_int(q, business_id);
	query_sql(q, ", ");
	query_param(q, contact_type_name(type), NULL);
	query_sql(q, ", ");
	query_param(q, value, NULL);
	query_sql(q, ", 'csv') ON CONFLICT (business_id, type, value) DO NOTHING "
		  "RETURNING id");
	return 0;
}

int contact_update_query(struct query *q, const struct actor *actor,
			 int contact_id, int type, const char *value,
			 struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	query_sql(q, "UPDATE contacts SET type = ");
	query_param(q, contact_type_name(type), NULL);
	query_sql(q, ", value = ");
	query_param(q, value, NULL);
	query_sql(q, " WHERE id = ");
	query_param_int(q, contact_id);
	query_sql(q, " RETURNING id");
	return 0;
}

/* DELETE ... RETURNING feeding the audit row in the same statement: the
 * row is logged exactly when it is deleted, whatever the connection. */
static void audited_delete(struct query *q, const char *table,
			   const char *entity, const char *action,
			   const char *detail_sql, int id, const struct actor *actor)
{
	query_sql(q, "WITH gone AS (DELETE FROM ");
	query_sql(q, table);
	query_sql(q, " WHERE id = ");
	query_param_int(q, id);
	query_sql(q, " RETURNING id, ");
	query_sql(q, detail_sql);
	query_sql(q, " AS detail), logged AS (INSERT INTO audit_log (actor, "
		  "action, entity, entity_id, detail) SELECT ");
	query_param(q, actor->name, "::text");
	query_sql(q, ", ");
	query_param(q, action, "::text");
	query_sql(q, ", ");
	query_param(q, entity, "::text");
	query_sql(q, ", id::text, detail FROM gone) SELECT id FROM gone");
}

int contact_delete_query(struct query *q, const struct actor *actor,
			 int contact_id, struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	audited_delete(q, "contacts", "contact", "contact.delete",
		       "type || ' ' || value", contact_id, actor);
	return 0;
}

int contact_toggle_primary_query(struct query *q, const struct actor *actor,
				 int contact_id, struct error *err)
{
	if (permission_require(actor, PERM_EDIT_BUSINESS, err) < 0)
		return -1;
	query_sql(q, "SELECT outreach_toggle_primary(");
	query_param_int(q, contact_id);
	query_sql(q, "::int) WHERE true");
	return 0;
}

int business_delete_query(struct query *q, const struct actor *actor, int id,
			  struct error *err)
{
	if (permission_require(actor, PERM_DELETE_BUSINESS, err) < 0)
		return -1;
	audited_delete(q, "businesses", "business", "business.delete", "name",
		       id, actor);
	return 0;
}

bool edit_result_applied(PGresult *res)
{
	return res && PQntuples(res) > 0 && !PQgetisnull(res, 0, 0);
}
