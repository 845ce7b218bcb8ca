/* template.h - the campaign template language: compiling subject and body
 * templates once, then rendering them per message without parsing again.
 *
 * The language:
 *   {{business.name}}            the value of a field, inserted as plain text
 *                                (braces inside a value are never expanded)
 *   {{ business.name }}          spaces and tabs inside the braces are allowed
 *   {{business.address|your area}}
 *                                a fallback, used when the value is NULL, empty
 *                                or only white space; it is trimmed like the
 *                                name and runs to the closing braces
 *   {{{{   renders a literal {{
 *   }}}}   renders a literal }}
 *   single { and } are ordinary text.
 * A placeholder must close on the line it opens on, and its fallback cannot
 * hold "{{" or "}}". In a subject the
 * template may not contain a line break or other control character (tab
 * aside), and control characters in inserted values (CR, LF, tab, ...)
 * become spaces, a run of them one space, so a value cannot break the
 * mail header.
 *
 * Errors are collected, not just the first: each has a 1-based line and a
 * column counted in characters (code points; an invalid byte counts as one),
 * plus a byte range for underlining. Errors about a placeholder point at its
 * opening {{ and cover the whole placeholder. */
#ifndef OUTREACH_TEMPLATE_H
#define OUTREACH_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/xalloc.h"

enum template_kind {
	TEMPLATE_BODY,
	TEMPLATE_SUBJECT,
};

/* The order here is the order of template_field_name() and of completion. */
enum template_field {
	TEMPLATE_FIELD_BUSINESS_NAME,
	TEMPLATE_FIELD_BUSINESS_WEBSITE,
	TEMPLATE_FIELD_BUSINESS_EMAIL,
	TEMPLATE_FIELD_BUSINESS_PHONE_NUMBER,
	TEMPLATE_FIELD_BUSINESS_ADDRESS,
	TEMPLATE_FIELD_CONTACT_TYPE,
	TEMPLATE_FIELD_CONTACT_VALUE,
	TEMPLATE_FIELD_CAMPAIGN_NAME,
	TEMPLATE_FIELD_SENDER_NAME,
	TEMPLATE_FIELD_UNSUBSCRIBE_URL,
	TEMPLATE_FIELD_COUNT
};

/* Values for one message, indexed by enum template_field, so a caller fills
 * it straight from a database row. NULL means "no value". The strings are
 * borrowed for the duration of template_render() and must be UTF-8. */
struct template_values {
	const char *v[TEMPLATE_FIELD_COUNT];
};

/* The most errors one compile keeps (the earliest in the text). */
#define TEMPLATE_MAX_ERRORS 100

struct template_error {
	unsigned line;		/* 1-based */
	unsigned column;	/* 1-based, in characters */
	size_t offset;		/* byte offset in the template text */
	size_t length;		/* bytes to underline, at least 1 */
	char message[160];	/* "unknown field 'busines.name'" */
	char hint[256];		/* "did you mean business.name?"; may be empty */
};

/* A list of errors the caller owns; zero-initialise before the first use. */
struct template_errors {
	struct template_error *items;	/* sorted by offset */
	size_t count;
	size_t cap;
	bool truncated;		/* more than TEMPLATE_MAX_ERRORS were found */
};

struct template;

/* Compiles a NUL-terminated template. Returns a new template (free it with
 * template_free()) or NULL when the text has errors. errors is emptied
 * first and then receives every error found; it may be NULL when the caller
 * only wants a yes or no. The text is not referenced after the call. */
struct template *template_compile(const char *text, enum template_kind kind,
				  struct template_errors *errors);
void template_free(struct template *t);	/* accepts NULL */

/* Appends the rendered text to out (it does not reset it). Allocates
 * nothing except by growing out, so a reused buffer makes it free of
 * allocation. */
void template_render(const struct template *t,
		     const struct template_values *values, struct buf *out);

/* True when the template mentions the field, so a caller can skip loading
 * data nobody will see. */
bool template_uses_field(const struct template *t, enum template_field f);

/* "business.name", ...; NULL for a value out of range. */
const char *template_field_name(enum template_field f);
/* The field called name[0..len), or -1 when there is none. */
int template_field_from_name(const char *name, size_t len);

/* Appends "line 3, column 7: unknown field 'busines.name' (did you mean
 * business.name?)" to out. */
void template_error_format(const struct template_error *e, struct buf *out);
/* Empties the list, keeping its memory. */
void template_errors_clear(struct template_errors *errors);
/* Releases the list's memory; accepts NULL. */
void template_errors_free(struct template_errors *errors);

#endif
