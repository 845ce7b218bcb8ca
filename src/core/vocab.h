/* vocab.h - the fixed vocabularies of the schema (contact types and sources,
 * statuses, platforms) as enums with their database spellings. */
#ifndef OUTREACH_VOCAB_H
#define OUTREACH_VOCAB_H

enum contact_type {
	CONTACT_EMAIL,
	CONTACT_INSTAGRAM,
	CONTACT_FACEBOOK,
	CONTACT_TWITTER,
	CONTACT_LINKEDIN,
	CONTACT_PHONE,
	CONTACT_CONTACT_FORM,
	CONTACT_TYPE_COUNT
};

enum contact_source {
	SOURCE_CSV,
	SOURCE_SCANNED_WEBSITE,
	SOURCE_SCANNED_SOCIAL_MEDIA,
	SOURCE_COUNT
};

enum business_status {
	BUSINESS_PENDING_SCAN,
	BUSINESS_SCANNED,
	BUSINESS_ACTIVE,
	BUSINESS_ARCHIVED,
	BUSINESS_STATUS_COUNT
};

/* Database spellings ("email", "scanned_website", "pending_scan", ...). */
const char *contact_type_name(enum contact_type t);
const char *contact_source_name(enum contact_source s);
const char *business_status_name(enum business_status s);
/* Reverse look-ups; return -1 for an unknown word. */
int contact_type_from_name(const char *s);
int contact_source_from_name(const char *s);
int business_status_from_name(const char *s);

#endif
