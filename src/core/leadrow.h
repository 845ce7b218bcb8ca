/* leadrow.h - turns CSV records into leads: maps a header's columns to
 * business fields and validates each row into names, websites and contacts.
 *
 * Use: lead_map_new(), lead_map_override() for each --map, then
 * lead_map_header() with the file's first record, then lead_row_parse() for
 * every following record. A map can be reused for another file by calling
 * lead_map_header() again; the overrides stay.
 *
 * Header names match case-insensitively, ignoring white space, '_' and '-':
 *   name         name, business name, business, company, company name
 *   website      website, url, site, web, homepage
 *   email        email, e-mail, mail, email address, emails
 *   phone_number phone, phone number, telephone, tel, mobile
 *   address      address, street address, location, full address
 *   instagram, facebook, linkedin; twitter <- twitter, x
 *   contact_form contact form, contact page, contact url
 *   (ignored)    reject_reason, the column a rejects file adds
 * Several columns may feed the contact fields (email, phone_number, the
 * social ones, contact_form): all their values become contacts. name,
 * website and address take one column each: two columns matching the same
 * one is an error unless --map picks one. */
#ifndef OUTREACH_LEADROW_H
#define OUTREACH_LEADROW_H

#include <stddef.h>

#include "core/csvread.h"
#include "core/error.h"
#include "core/vocab.h"

struct lead_contact {
	enum contact_type type;
	char *value;		/* normalised */
};

/* One valid row. Strings are owned by the lead; NULL means empty. */
struct lead {
	unsigned long line;	/* physical line the row starts on */
	char *name;		/* trimmed, inner white space collapsed */
	char *website;		/* normalised URL */
	char *address;		/* trimmed, otherwise as given */
	char *email;		/* the first e-mail contact */
	char *phone_number;	/* the first phone contact */
	struct lead_contact *contacts;	/* in column order, no duplicates */
	size_t contact_count;
};

struct lead_map;

/* Returns an empty map the caller frees with lead_map_free(). */
struct lead_map *lead_map_new(void);
void lead_map_free(struct lead_map *m);	/* accepts NULL */

/* Adds a user override "Header=field" (split at the last '='). field is
 * name, website, email, emails, phone_number, phone, address, instagram,
 * facebook, twitter, linkedin, contact_form, or ignore (drop the column
 * without a warning). An unknown field is an error. */
int lead_map_override(struct lead_map *m, const char *spec, struct error *err);

/* Maps the columns of a header record. Errors: no column maps to name; two
 * columns claim name, website or address; an override names a column the
 * header does not have. Messages say which --map would fix it. */
int lead_map_header(struct lead_map *m, const struct csv_record *header,
		    struct error *err);

/* The columns that map to nothing, by their header text, in order, for one
 * warning ("column 4" for a nameless or unreadable header). Valid until
 * the next lead_map_header(). */
size_t lead_map_unknown_count(const struct lead_map *m);
const char *lead_map_unknown(const struct lead_map *m, size_t i);
/* The same as one string, "A", "B", ... joined by ", "; the caller frees
 * it. NULL when every column is mapped. */
char *lead_map_unknown_list(const struct lead_map *m);

/* Validates a data record into *out (cleared first; free it with
 * lead_clear()). Returns -1 with a reason naming the column and what to do,
 * e.g. "Email: not an e-mail address (expected name@domain.tld)", when any
 * cell is not valid UTF-8 or holds a NUL byte, the name is missing, any
 * non-empty mapped value is invalid or longer than the database column
 * holds, or the row has non-empty cells past the header's width. Missing trailing cells count as empty. */
int lead_row_parse(const struct lead_map *m, const struct csv_record *rec,
		   struct lead *out, struct error *reason);
/* Frees what a lead holds and zeroes it; accepts a zeroed lead. */
void lead_clear(struct lead *l);

#endif
