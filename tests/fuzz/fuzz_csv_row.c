/* fuzz_csv_row.c - libFuzzer target for the import core: arbitrary bytes
 * through the CSV reader, header mapping, row validation and normalisers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csvread.h"
#include "core/leadrow.h"
#include "core/validate.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_state {
	struct csvread *reader;
	struct lead_map *map;
	struct buf rejects;
};

/* Aborts naming the broken invariant, so a crash report says what broke. */
#define require(cond)                                                     \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "invariant failed: %s (line %d)\n", \
				#cond, __LINE__);                         \
			abort();                                          \
		}                                                         \
	} while (0)

/* A normalised value must be valid text and normalise to itself, or the
 * same contact would be stored twice on re-import. */
static void check_normalizer_fixed_point(enum contact_type t, const char *in)
{
	struct error err = {{0}};
	char *once = NULL, *twice = NULL;

	if (normalize_contact(t, in, &once, &err) < 0) {
		require(once == NULL && err.msg[0] != '\0');
		return;
	}
	require(utf8_valid(once, strlen(once)));
	require(normalize_contact(t, once, &twice, &err) == 0);
	require(strcmp(once, twice) == 0);
	free(once);
	free(twice);
}

static void check_field(const struct csv_field *f)
{
	if (memchr(f->data, '\0', f->len) || !utf8_valid(f->data, f->len))
		return;
	for (int t = 0; t < CONTACT_TYPE_COUNT; t++)
		check_normalizer_fixed_point((enum contact_type)t, f->data);

	struct error err = {{0}};
	char *out = NULL;
	if (normalize_name(f->data, &out, &err) == 0) {
		require(out[0] != '\0' && out[0] != ' ');
		free(out);
	}
	if (normalize_website(f->data, &out, &err) == 0) {
		require(strncmp(out, "http", 4) == 0);
		free(out);
	}
}

/* The business's e-mail and phone are its first contacts of that type. */
static void require_first_contact(const struct lead *l, enum contact_type t,
				  const char *field)
{
	for (size_t i = 0; i < l->contact_count; i++) {
		if (l->contacts[i].type == t) {
			require(field && strcmp(field, l->contacts[i].value) == 0);
			return;
		}
	}
	require(field == NULL);
}

static void check_lead(const struct lead *l)
{
	require(l->name != NULL && l->name[0] != '\0');
	require(utf8_valid(l->name, strlen(l->name)));
	for (size_t i = 0; i < l->contact_count; i++) {
		require(l->contacts[i].value != NULL);
		require(utf8_valid(l->contacts[i].value,
				   strlen(l->contacts[i].value)));
	}
	require_first_contact(l, CONTACT_EMAIL, l->email);
	require_first_contact(l, CONTACT_PHONE, l->phone_number);
}

static int on_record(const struct csv_record *rec, void *ctx,
		     struct error *err)
{
	struct fuzz_state *st = ctx;

	for (size_t i = 0; i < rec->count; i++)
		check_field(&rec->fields[i]);
	if (rec->index == 0)
		return lead_map_header(st->map, rec, err);

	struct lead lead;
	struct error reason = {{0}};
	if (lead_row_parse(st->map, rec, &lead, &reason) == 0) {
		check_lead(&lead);
		lead_clear(&lead);
		return 0;
	}
	require(reason.msg[0] != '\0' && lead.name == NULL);
	buf_reset(&st->rejects);
	csvread_format_record(st->reader, rec->fields, rec->count,
			      &st->rejects);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delimiters[] = { 0, ',', ';', '\t', '|' };
	struct fuzz_state st = { 0 };
	struct error err = {{0}};

	if (size < 1)
		return 0;
	/* The first byte picks the dialect, the feeding size and whether the
	 * first column is forced to be the name, so rows get validated even
	 * when the random header maps nothing. */
	uint8_t mode = data[0];
	data++;
	size--;
	st.map = lead_map_new();
	st.reader = csvread_new(delimiters[mode % 5], on_record, &st);
	if (mode & 0x80)
		require(lead_map_override(st.map, "name=name", &err) == 0);
	size_t piece = (mode & 0x40) ? 1 + (mode % 7) : size + 1;

	int rc = 0;
	for (size_t off = 0; off < size && rc == 0; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		rc = csvread_feed(st.reader, data + off, n, &err);
	}
	if (rc == 0)
		rc = csvread_finish(st.reader, &err);
	require(rc == 0 || err.msg[0] != '\0');
	csvread_free(st.reader);
	lead_map_free(st.map);
	buf_free(&st.rejects);
	return 0;
}
