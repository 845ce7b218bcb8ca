/* fuzz_template.c - compiles arbitrary bytes as a body and as a subject and
 * renders what compiles, checking the promises template.h makes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Values with the awkward cases: missing, empty, blank, braces that must
 * not expand, line breaks and controls that a subject must flatten. */
static const struct template_values values = { .v = {
	[TEMPLATE_FIELD_BUSINESS_NAME] = "Acme {{business.name}} }}",
	[TEMPLATE_FIELD_BUSINESS_WEBSITE] = NULL,
	[TEMPLATE_FIELD_BUSINESS_EMAIL] = "",
	[TEMPLATE_FIELD_BUSINESS_PHONE_NUMBER] = " \t ",
	[TEMPLATE_FIELD_BUSINESS_ADDRESS] = "Main St\r\nBcc: x@example.com",
	[TEMPLATE_FIELD_CONTACT_TYPE] = "email\x01\x7f",
	[TEMPLATE_FIELD_CONTACT_VALUE] = "a\xc2\x85" "b\xe2\x80\xa8" "c",
	[TEMPLATE_FIELD_CAMPAIGN_NAME] = "Grüße \xf0\x9f\x98\x80",
	[TEMPLATE_FIELD_SENDER_NAME] = "\n",
	[TEMPLATE_FIELD_UNSUBSCRIBE_URL] = "https://example.com/u/1",
} };

static void check_errors(size_t len, const struct template_errors *errors)
{
	struct buf out = { 0 };

	if (errors->count == 0 || errors->count > TEMPLATE_MAX_ERRORS)
		abort();
	for (size_t i = 0; i < errors->count; i++) {
		const struct template_error *e = &errors->items[i];
		if (e->line < 1 || e->column < 1 || e->length < 1 ||
		    e->offset + e->length > len || !e->message[0])
			abort();
		if (i > 0 && errors->items[i - 1].offset > e->offset)
			abort();
		template_error_format(e, &out);
	}
	buf_free(&out);
}

static void check_subject(const struct buf *out)
{
	if (strlen(out->data) != out->len)
		abort();
	if (memchr(out->data, '\n', out->len) || memchr(out->data, '\r', out->len))
		abort();
}

/* A body with no braces at all is its own rendering. */
static void check_body(const char *text, size_t len, const struct buf *out)
{
	if (!memchr(text, '{', len) && !memchr(text, '}', len) &&
	    (out->len != len || memcmp(out->data, text, len) != 0))
		abort();
}

static void run(const char *text, size_t len, enum template_kind kind)
{
	struct template_errors errors = { 0 };
	struct template *t = template_compile(text, kind, &errors);
	struct buf out = { 0 };

	if (!t) {
		check_errors(len, &errors);
		template_errors_free(&errors);
		return;
	}
	if (errors.count)
		abort();
	template_render(t, &values, &out);
	if (kind == TEMPLATE_SUBJECT)
		check_subject(&out);
	else
		check_body(text, len, &out);
	template_free(t);
	template_errors_free(&errors);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Templates are C strings; the bytes up to the first NUL are one. */
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t len = strlen(text);
	run(text, len, TEMPLATE_BODY);
	run(text, len, TEMPLATE_SUBJECT);
	free(text);
	return 0;
}
