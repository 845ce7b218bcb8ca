/* leadrow.c - header mapping and row validation for lead lists: decides
 * which column is which field and whether a row is imported or rejected. */
#include "core/leadrow.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "core/xalloc.h"

enum lead_field {
	FIELD_UNKNOWN = -1,
	FIELD_IGNORE,
	FIELD_NAME,
	FIELD_WEBSITE,
	FIELD_ADDRESS,
	FIELD_EMAIL,
	FIELD_PHONE,
	FIELD_INSTAGRAM,
	FIELD_FACEBOOK,
	FIELD_TWITTER,
	FIELD_LINKEDIN,
	FIELD_CONTACT_FORM,
	FIELD_COUNT
};

struct field_alias {
	const char *key;	/* normalised header spelling */
	enum lead_field field;
};

/* Header spellings, already normalised (lower case, no blanks, '_', '-'). */
static const struct field_alias header_aliases[] = {
	{ "name", FIELD_NAME }, { "businessname", FIELD_NAME },
	{ "business", FIELD_NAME }, { "company", FIELD_NAME },
	{ "companyname", FIELD_NAME },
	{ "website", FIELD_WEBSITE }, { "url", FIELD_WEBSITE },
	{ "site", FIELD_WEBSITE }, { "web", FIELD_WEBSITE },
	{ "homepage", FIELD_WEBSITE },
	{ "email", FIELD_EMAIL }, { "mail", FIELD_EMAIL },
	{ "emailaddress", FIELD_EMAIL }, { "emails", FIELD_EMAIL },
	{ "phone", FIELD_PHONE }, { "phonenumber", FIELD_PHONE },
	{ "telephone", FIELD_PHONE }, { "tel", FIELD_PHONE },
	{ "mobile", FIELD_PHONE },
	{ "address", FIELD_ADDRESS }, { "streetaddress", FIELD_ADDRESS },
	{ "location", FIELD_ADDRESS }, { "fulladdress", FIELD_ADDRESS },
	{ "instagram", FIELD_INSTAGRAM }, { "facebook", FIELD_FACEBOOK },
	{ "twitter", FIELD_TWITTER }, { "x", FIELD_TWITTER },
	{ "linkedin", FIELD_LINKEDIN },
	{ "contactform", FIELD_CONTACT_FORM },
	{ "contactpage", FIELD_CONTACT_FORM },
	{ "contacturl", FIELD_CONTACT_FORM },
	/* The column a rejects file adds: a fixed rejects file imports
	 * again without a warning about it. */
	{ "rejectreason", FIELD_IGNORE },
};

/* Longest values the schema can hold, in characters: businesses.name and
 * website are VARCHAR(255), phone_number VARCHAR(50). Other contacts are
 * TEXT but sit in a unique btree index, whose entries cannot pass ~2.7 kB,
 * so a longer one would fail the whole import instead of one row. */
#define NAME_MAX_CHARS 255
#define WEBSITE_MAX_CHARS 255
#define PHONE_MAX_CHARS 50
#define CONTACT_MAX_CHARS 2000

/* Field names accepted on the right of --map, normalised. */
static const struct field_alias override_fields[] = {
	{ "name", FIELD_NAME }, { "website", FIELD_WEBSITE },
	{ "email", FIELD_EMAIL }, { "emails", FIELD_EMAIL },
	{ "phonenumber", FIELD_PHONE }, { "phone", FIELD_PHONE },
	{ "address", FIELD_ADDRESS }, { "instagram", FIELD_INSTAGRAM },
	{ "facebook", FIELD_FACEBOOK }, { "twitter", FIELD_TWITTER },
	{ "linkedin", FIELD_LINKEDIN }, { "contactform", FIELD_CONTACT_FORM },
	{ "ignore", FIELD_IGNORE },
};

static const char *const field_names[FIELD_COUNT] = {
	"ignore", "name", "website", "address", "email", "phone_number",
	"instagram", "facebook", "twitter", "linkedin", "contact_form",
};

static const enum contact_type field_contact_types[FIELD_COUNT] = {
	[FIELD_EMAIL] = CONTACT_EMAIL,
	[FIELD_PHONE] = CONTACT_PHONE,
	[FIELD_INSTAGRAM] = CONTACT_INSTAGRAM,
	[FIELD_FACEBOOK] = CONTACT_FACEBOOK,
	[FIELD_TWITTER] = CONTACT_TWITTER,
	[FIELD_LINKEDIN] = CONTACT_LINKEDIN,
	[FIELD_CONTACT_FORM] = CONTACT_CONTACT_FORM,
};

struct map_override {
	char *key;		/* normalised header */
	char *spec;		/* as the user wrote it, for messages */
	enum lead_field field;
};

struct lead_map {
	struct map_override *overrides;
	size_t override_count;

	enum lead_field *columns;
	bool *explicit;		/* chosen by an override */
	char **labels;		/* header text for messages */
	size_t column_count;
	char **unknown;		/* labels of unmapped columns */
	size_t unknown_count;
};

static bool is_contact(enum lead_field f)
{
	return f >= FIELD_EMAIL && f < FIELD_COUNT;
}

static bool is_blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* Returns the header spelling used for matching; the caller frees it. */
static char *header_key(const char *s, size_t n)
{
	char *key = xmalloc(n + 1);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '_' || c == '-')
			continue;
		key[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	key[k] = '\0';
	return key;
}

static enum lead_field lookup_alias(const struct field_alias *table,
				    size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i].key, key) == 0)
			return table[i].field;
	return FIELD_UNKNOWN;
}

/* ---- the map ---- */

struct lead_map *lead_map_new(void)
{
	return xcalloc(1, sizeof(struct lead_map));
}

static void clear_columns(struct lead_map *m)
{
	for (size_t i = 0; i < m->column_count; i++)
		free(m->labels[i]);
	for (size_t i = 0; i < m->unknown_count; i++)
		free(m->unknown[i]);
	free(m->labels);
	free(m->columns);
	free(m->explicit);
	free(m->unknown);
	m->labels = m->unknown = NULL;
	m->columns = NULL;
	m->explicit = NULL;
	m->column_count = m->unknown_count = 0;
}

void lead_map_free(struct lead_map *m)
{
	if (!m)
		return;
	clear_columns(m);
	for (size_t i = 0; i < m->override_count; i++) {
		free(m->overrides[i].key);
		free(m->overrides[i].spec);
	}
	free(m->overrides);
	free(m);
}

int lead_map_override(struct lead_map *m, const char *spec, struct error *err)
{
	const char *eq = strrchr(spec, '=');
	if (!eq || eq == spec)
		return error_set(err, "--map '%s': expected HEADER=FIELD, "
				 "e.g. --map 'Firm=name'", spec);

	char *field_key = header_key(eq + 1, strlen(eq + 1));
	enum lead_field f = lookup_alias(override_fields,
		sizeof override_fields / sizeof *override_fields, field_key);
	free(field_key);
	if (f == FIELD_UNKNOWN)
		return error_set(err, "--map '%s': unknown field '%s' (expected "
				 "name, website, email, phone_number, address, "
				 "instagram, facebook, twitter, linkedin, "
				 "contact_form or ignore)", spec, eq + 1);

	char *key = header_key(spec, (size_t)(eq - spec));
	/* A later --map for the same header replaces the earlier one. */
	for (size_t i = 0; i < m->override_count; i++) {
		if (strcmp(m->overrides[i].key, key) == 0) {
			free(key);
			free(m->overrides[i].spec);
			m->overrides[i].spec = xstrdup(spec);
			m->overrides[i].field = f;
			return 0;
		}
	}
	m->overrides = xreallocarray(m->overrides, m->override_count + 1,
				     sizeof *m->overrides);
	m->overrides[m->override_count++] = (struct map_override){
		.key = key, .spec = xstrdup(spec), .field = f,
	};
	return 0;
}

/* Header text for messages; a header we cannot show gets its position. */
static char *column_label(const struct csv_field *f, size_t index)
{
	const char *s = f->data;
	size_t n = f->len;

	while (n > 0 && is_blank_text(s + n - 1, 1))
		n--;
	while (n > 0 && is_blank_text(s, 1)) {
		s++;
		n--;
	}
	if (n == 0 || memchr(s, '\0', n) || !utf8_valid(s, n))
		return xasprintf("column %zu", index + 1);
	return xstrndup(s, n);
}

static const struct map_override *find_override(const struct lead_map *m,
						const char *key)
{
	for (size_t i = 0; i < m->override_count; i++)
		if (strcmp(m->overrides[i].key, key) == 0)
			return &m->overrides[i];
	return NULL;
}

static void map_columns(struct lead_map *m, const struct csv_record *header)
{
	m->column_count = header->count;
	m->columns = xcalloc(header->count, sizeof *m->columns);
	m->explicit = xcalloc(header->count, sizeof *m->explicit);
	m->labels = xcalloc(header->count, sizeof *m->labels);
	for (size_t i = 0; i < header->count; i++) {
		const struct csv_field *f = &header->fields[i];
		char *key = header_key(f->data, f->len);
		const struct map_override *o = find_override(m, key);
		m->labels[i] = column_label(f, i);
		m->explicit[i] = o != NULL;
		m->columns[i] = o ? o->field : lookup_alias(header_aliases,
			sizeof header_aliases / sizeof *header_aliases, key);
		free(key);
	}
}

static int check_overrides_used(const struct lead_map *m,
				const struct csv_record *header,
				struct error *err)
{
	for (size_t o = 0; o < m->override_count; o++) {
		bool used = false;
		for (size_t i = 0; i < header->count && !used; i++) {
			char *key = header_key(header->fields[i].data,
					       header->fields[i].len);
			used = strcmp(key, m->overrides[o].key) == 0;
			free(key);
		}
		if (!used)
			return error_set(err, "--map '%s': the file has no such "
					 "column", m->overrides[o].spec);
	}
	return 0;
}

/* For name, website and address: an explicit choice silences automatic
 * matches; two of the same kind are ambiguous and need the user. */
static int resolve_single_field(struct lead_map *m, enum lead_field f,
				struct error *err)
{
	bool any_explicit = false;
	size_t first = SIZE_MAX;

	for (size_t i = 0; i < m->column_count; i++)
		if (m->columns[i] == f && m->explicit[i])
			any_explicit = true;
	for (size_t i = 0; i < m->column_count; i++) {
		if (m->columns[i] != f)
			continue;
		if (any_explicit && !m->explicit[i]) {
			m->columns[i] = FIELD_UNKNOWN;
			continue;
		}
		if (first == SIZE_MAX) {
			first = i;
			continue;
		}
		if (any_explicit)
			return error_set(err, "--map gives %s to both '%s' and "
					 "'%s'; keep one", field_names[f],
					 m->labels[first], m->labels[i]);
		return error_set(err, "columns '%s' and '%s' both look like %s; "
				 "choose one with --map '%s=%s' or --map "
				 "'%s=ignore'", m->labels[first], m->labels[i],
				 field_names[f], m->labels[i], field_names[f],
				 m->labels[i]);
	}
	return 0;
}

static void collect_unknown(struct lead_map *m)
{
	for (size_t i = 0; i < m->column_count; i++) {
		if (m->columns[i] != FIELD_UNKNOWN)
			continue;
		m->unknown = xreallocarray(m->unknown, m->unknown_count + 1,
					   sizeof *m->unknown);
		m->unknown[m->unknown_count++] = xstrdup(m->labels[i]);
	}
}

static bool has_field(const struct lead_map *m, enum lead_field f)
{
	for (size_t i = 0; i < m->column_count; i++)
		if (m->columns[i] == f)
			return true;
	return false;
}

int lead_map_header(struct lead_map *m, const struct csv_record *header,
		    struct error *err)
{
	clear_columns(m);
	if (check_overrides_used(m, header, err) < 0)
		return -1;
	map_columns(m, header);
	if (resolve_single_field(m, FIELD_NAME, err) < 0 ||
	    resolve_single_field(m, FIELD_WEBSITE, err) < 0 ||
	    resolve_single_field(m, FIELD_ADDRESS, err) < 0)
		return -1;
	collect_unknown(m);
	if (!has_field(m, FIELD_NAME))
		return error_set(err, "no column holds the business name "
				 "(name a column 'name' or 'company', or use "
				 "--map 'HEADER=name')");
	return 0;
}

size_t lead_map_unknown_count(const struct lead_map *m)
{
	return m->unknown_count;
}

const char *lead_map_unknown(const struct lead_map *m, size_t i)
{
	return i < m->unknown_count ? m->unknown[i] : NULL;
}

char *lead_map_unknown_list(const struct lead_map *m)
{
	struct buf b = {0};

	if (m->unknown_count == 0)
		return NULL;
	for (size_t i = 0; i < m->unknown_count; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		buf_printf(&b, "'%s'", m->unknown[i]);
	}
	return buf_detach(&b);
}

/* ---- rows ---- */

void lead_clear(struct lead *l)
{
	free(l->name);
	free(l->website);
	free(l->address);
	free(l->email);
	free(l->phone_number);
	for (size_t i = 0; i < l->contact_count; i++)
		free(l->contacts[i].value);
	free(l->contacts);
	memset(l, 0, sizeof *l);
}

/* Width first, then encoding of every cell, mapped or not: nothing that
 * is not text may reach the database or the rejects file's reason. */
static int check_cells(const struct lead_map *m, const struct csv_record *rec,
		       struct error *reason)
{
	for (size_t i = m->column_count; i < rec->count; i++)
		if (!is_blank_text(rec->fields[i].data, rec->fields[i].len))
			return error_set(reason, "row has %zu fields, header has "
					 "%zu (is a delimiter or quote out of "
					 "place?)", rec->count, m->column_count);
	for (size_t i = 0; i < rec->count; i++) {
		const struct csv_field *f = &rec->fields[i];
		const char *label = i < m->column_count ? m->labels[i] : NULL;
		char extra[32];
		if (!label) {
			snprintf(extra, sizeof extra, "column %zu", i + 1);
			label = extra;
		}
		if (memchr(f->data, '\0', f->len))
			return error_set(reason, "%s: contains a NUL byte (not "
					 "text; fix or remove it)", label);
		if (!utf8_valid(f->data, f->len))
			return error_set(reason, "%s: not valid UTF-8 (save the "
					 "file as UTF-8 and import it again)",
					 label);
	}
	return 0;
}

static void add_contact(struct lead *l, enum contact_type type, char *value)
{
	for (size_t i = 0; i < l->contact_count; i++) {
		if (l->contacts[i].type == type &&
		    strcmp(l->contacts[i].value, value) == 0) {
			free(value);
			return;
		}
	}
	l->contacts = xreallocarray(l->contacts, l->contact_count + 1,
				    sizeof *l->contacts);
	l->contacts[l->contact_count++] = (struct lead_contact){ type, value };
	if (type == CONTACT_EMAIL && !l->email)
		l->email = xstrdup(value);
	if (type == CONTACT_PHONE && !l->phone_number)
		l->phone_number = xstrdup(value);
}

/* An e-mail cell may list several addresses (the export joins them with
 * ';'); neither ';' nor ',' can occur in a plain address. */
static int add_emails(struct lead *l, const char *cell, const char *label,
		      struct error *reason)
{
	char *copy = xstrdup(cell);
	char *save = NULL;
	int rc = 0;

	for (char *part = strtok_r(copy, ";,", &save); part && rc == 0;
	     part = strtok_r(NULL, ";,", &save)) {
		if (is_blank_text(part, strlen(part)))
			continue;
		char *value;
		if (normalize_email(part, &value, reason) < 0)
			rc = error_prefix(reason, "%s", label);
		else
			add_contact(l, CONTACT_EMAIL, value);
	}
	free(copy);
	return rc;
}

static int check_width(const char *value, size_t max, const char *label,
		       struct error *reason)
{
	size_t n = utf8_char_count(value);

	if (n <= max)
		return 0;
	return error_set(reason, "%s: too long (%zu characters, at most %zu "
			 "fit; shorten it)", label, n, max);
}

static size_t max_chars(enum lead_field f)
{
	switch (f) {
	case FIELD_NAME:
		return NAME_MAX_CHARS;
	case FIELD_WEBSITE:
		return WEBSITE_MAX_CHARS;
	case FIELD_PHONE:
		return PHONE_MAX_CHARS;
	default:
		return CONTACT_MAX_CHARS;
	}
}

static int set_single(char **slot, enum lead_field f, const char *cell,
		      const char *label, struct error *reason)
{
	size_t n = strlen(cell);

	if (f == FIELD_ADDRESS) {
		/* Trimmed only: line breaks inside an address are the user's. */
		while (n > 0 && is_blank_text(cell + n - 1, 1))
			n--;
		while (n > 0 && is_blank_text(cell, 1)) {
			cell++;
			n--;
		}
		*slot = xstrndup(cell, n);
		return 0;
	}
	int rc = f == FIELD_NAME ? normalize_name(cell, slot, reason)
				 : normalize_website(cell, slot, reason);
	if (rc < 0)
		return error_prefix(reason, "%s", label);
	return check_width(*slot, max_chars(f), label, reason);
}

static int apply_cell(struct lead *l, enum lead_field f, const char *cell,
		      const char *label, struct error *reason)
{
	if (f == FIELD_NAME)
		return set_single(&l->name, f, cell, label, reason);
	if (is_blank_text(cell, strlen(cell)))
		return 0;
	if (f == FIELD_WEBSITE)
		return set_single(&l->website, f, cell, label, reason);
	if (f == FIELD_ADDRESS)
		return set_single(&l->address, f, cell, label, reason);
	if (f == FIELD_EMAIL)
		return add_emails(l, cell, label, reason);
	if (is_contact(f)) {
		char *value;
		if (normalize_contact(field_contact_types[f], cell, &value,
				      reason) < 0)
			return error_prefix(reason, "%s", label);
		if (check_width(value, max_chars(f), label, reason) < 0) {
			free(value);
			return -1;
		}
		add_contact(l, field_contact_types[f], value);
	}
	return 0;
}

int lead_row_parse(const struct lead_map *m, const struct csv_record *rec,
		   struct lead *out, struct error *reason)
{
	memset(out, 0, sizeof *out);
	out->line = rec->line;
	if (check_cells(m, rec, reason) < 0)
		return -1;
	for (size_t i = 0; i < m->column_count; i++) {
		enum lead_field f = m->columns[i];
		if (f == FIELD_UNKNOWN || f == FIELD_IGNORE)
			continue;
		const char *cell = i < rec->count ? rec->fields[i].data : "";
		if (apply_cell(out, f, cell, m->labels[i], reason) < 0) {
			lead_clear(out);
			out->line = rec->line;
			return -1;
		}
	}
	return 0;
}
