/* vocab.c - database spellings of the schema's vocabularies.
 * The CHECK constraints in sql/001_init.sql list the same words. */
#include "core/vocab.h"

#include <string.h>

static const char *const contact_types[CONTACT_TYPE_COUNT] = {
	"email", "instagram", "facebook", "twitter",
	"linkedin", "phone", "contact_form",
};

static const char *const contact_sources[SOURCE_COUNT] = {
	"csv", "scanned_website", "scanned_social_media",
};

static const char *const business_statuses[BUSINESS_STATUS_COUNT] = {
	"pending_scan", "scanned", "active", "archived",
};

static int lookup(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *contact_type_name(enum contact_type t)
{
	return (unsigned)t < CONTACT_TYPE_COUNT ? contact_types[t] : "?";
}

const char *contact_source_name(enum contact_source s)
{
	return (unsigned)s < SOURCE_COUNT ? contact_sources[s] : "?";
}

const char *business_status_name(enum business_status s)
{
	return (unsigned)s < BUSINESS_STATUS_COUNT ? business_statuses[s] : "?";
}

int contact_type_from_name(const char *s)
{
	return lookup(contact_types, CONTACT_TYPE_COUNT, s);
}

int contact_source_from_name(const char *s)
{
	return lookup(contact_sources, SOURCE_COUNT, s);
}

int business_status_from_name(const char *s)
{
	return lookup(business_statuses, BUSINESS_STATUS_COUNT, s);
}
