/* csvread.c - streaming CSV records over libcsv's strict parser, with the
 * BOM, delimiter sniffing and physical line numbers lead lists need. */
#include "core/csvread.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK (64 * 1024)
/* Input is handed to libcsv one physical line at a time, so every byte's
 * line is known when libcsv complains; long lines are cut into slices of
 * this size so the over-long-field check runs while memory is still small. */
#define SLICE_MAX (64 * 1024)
/* How much of the first line is kept for sniffing when it has no end. */
#define SNIFF_MAX (64 * 1024)

static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

struct field_span {
	size_t offset;	/* into record_bytes */
	size_t len;
};

struct csvread {
	struct csv_parser parser;
	bool parser_ready;
	char delimiter;
	bool had_bom;
	bool crlf;
	bool line_ending_known;
	csv_record_fn fn;
	void *ctx;

	bool started;		/* BOM and delimiter settled */
	struct buf start_bytes;	/* input held back until then */

	unsigned long line;	/* physical line of the bytes being parsed */
	bool pending_cr;	/* a CR ended the last slice; LF may follow */
	bool between_records;
	unsigned long record_line;
	size_t record_index;

	struct buf record_bytes;	/* the fields of the current record */
	struct field_span *spans;
	size_t span_count, span_cap;
	struct csv_field *fields;
	size_t field_cap;

	unsigned long long consumed;
	bool failed;
	bool finished;
	struct error error;	/* kept to repeat after failure */
};

static int always_false(unsigned char c)
{
	(void)c;
	return 0;
}

struct csvread *csvread_new(char delimiter, csv_record_fn fn, void *ctx)
{
	struct csvread *r = xcalloc(1, sizeof *r);

	r->delimiter = delimiter;
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	r->between_records = true;
	return r;
}

void csvread_free(struct csvread *r)
{
	if (!r)
		return;
	if (r->parser_ready)
		csv_free(&r->parser);
	buf_free(&r->start_bytes);
	buf_free(&r->record_bytes);
	free(r->spans);
	free(r->fields);
	free(r);
}

/* Records the first error; later callbacks from libcsv are then ignored. */
static void fail(struct csvread *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct csvread *r, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	error_vset(&r->error, fmt, ap);
	va_end(ap);
}

static int report_failure(struct csvread *r, struct error *err)
{
	if (err)
		memcpy(err->msg, r->error.msg, sizeof err->msg);
	return -1;
}

/* ---- records from libcsv callbacks ---- */

static void on_field(void *data, size_t len, void *vr)
{
	struct csvread *r = vr;

	if (r->failed)
		return;
	if (len > CSVREAD_MAX_FIELD) {
		fail(r, "line %lu: a field is longer than 64 KiB (is a quote "
		     "missing, or is this not a lead list?)", r->record_line);
		return;
	}
	if (r->record_bytes.len + len + r->span_count * sizeof *r->spans >
	    CSVREAD_MAX_RECORD) {
		fail(r, "line %lu: the record is longer than 1 MiB (is a quote "
		     "missing?)", r->record_line);
		return;
	}
	if (r->span_count == r->span_cap) {
		r->span_cap = r->span_cap ? 2 * r->span_cap : 16;
		r->spans = xreallocarray(r->spans, r->span_cap, sizeof *r->spans);
	}
	r->spans[r->span_count].offset = r->record_bytes.len;
	r->spans[r->span_count].len = len;
	r->span_count++;
	if (len)
		buf_append(&r->record_bytes, data, len);
	buf_putc(&r->record_bytes, '\0');
}

static bool record_is_blank(const struct csvread *r)
{
	for (size_t i = 0; i < r->span_count; i++) {
		const char *p = r->record_bytes.data + r->spans[i].offset;
		size_t len = r->spans[i].len;
		if (strspn(p, " \t") < len)
			return false;
	}
	return true;
}

/* Turns the spans into the public field array; done once per record
 * because record_bytes may move while the record grows. */
static void build_fields(struct csvread *r)
{
	if (r->span_count > r->field_cap) {
		r->field_cap = r->span_count;
		r->fields = xreallocarray(r->fields, r->field_cap,
					  sizeof *r->fields);
	}
	for (size_t i = 0; i < r->span_count; i++) {
		r->fields[i].data = r->record_bytes.data + r->spans[i].offset;
		r->fields[i].len = r->spans[i].len;
	}
}

static void on_record_end(int terminator, void *vr)
{
	struct csvread *r = vr;

	(void)terminator;
	if (!r->failed && r->span_count > 0 && !record_is_blank(r)) {
		build_fields(r);
		struct csv_record rec = {
			.fields = r->fields,
			.count = r->span_count,
			.line = r->record_line,
			.index = r->record_index++,
		};
		if (r->fn(&rec, r->ctx, &r->error) < 0)
			r->failed = true;
	}
	r->span_count = 0;
	buf_reset(&r->record_bytes);
	r->between_records = true;
}

/* ---- slicing the input into physical lines ---- */

static bool has_content(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return true;
	return false;
}

static void parse_error(struct csvread *r)
{
	if (csv_error(&r->parser) == CSV_EPARSE)
		fail(r, "line %lu: a quote inside an unquoted field, or text "
		     "after a closing quote (quote the whole field and double "
		     "the quotes inside it)", r->line);
	else
		fail(r, "line %lu: the CSV parser failed", r->line);
}

static void parse_slice(struct csvread *r, const char *s, size_t n)
{
	if (r->between_records && has_content(s, n)) {
		r->record_line = r->line;
		r->between_records = false;
	}
	size_t done = csv_parse(&r->parser, s, n, on_field, on_record_end, r);
	if (r->failed)
		return;
	if (done < n) {
		parse_error(r);
		return;
	}
	/* A field still being read counts too: stop before it eats memory. */
	if (r->parser.entry_pos > CSVREAD_MAX_FIELD)
		fail(r, "line %lu: a field is longer than 64 KiB (is a quote "
		     "missing, or is this not a lead list?)", r->record_line);
}

static void note_line_ending(struct csvread *r, bool crlf)
{
	if (!r->line_ending_known) {
		r->crlf = crlf;
		r->line_ending_known = true;
	}
}

/* Length of the next slice: up to and including the next line break (CR,
 * LF or CRLF), at most SLICE_MAX. *ends_line says a line break ends it. */
static size_t next_slice(const char *s, size_t n, bool *ends_line)
{
	size_t max = n < SLICE_MAX ? n : SLICE_MAX;

	*ends_line = false;
	for (size_t i = 0; i < max; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))) {
			*ends_line = true;
			return i + 1;
		}
	}
	return max;
}

static void parse_bytes(struct csvread *r, const char *s, size_t n)
{
	while (n > 0 && !r->failed) {
		if (r->pending_cr) {
			r->pending_cr = false;
			bool lf = s[0] == '\n';
			note_line_ending(r, lf);
			if (lf) {
				parse_slice(r, s, 1);
				s++;
				n--;
			}
			r->line++;
			continue;
		}
		bool ends_line;
		size_t len = next_slice(s, n, &ends_line);
		parse_slice(r, s, len);
		if (ends_line && s[len - 1] == '\r') {
			r->pending_cr = true;	/* the LF may be in the next chunk */
		} else if (ends_line) {
			note_line_ending(r, len > 1 && s[len - 2] == '\r');
			r->line++;
		}
		s += len;
		n -= len;
	}
}

/* ---- start: BOM and delimiter ---- */

/* Counts each candidate outside quotes on the first line; the most frequent
 * wins, earlier candidates win ties, none at all means one column. */
static char sniff_delimiter(const char *s, size_t n)
{
	static const char candidates[] = { ',', ';', '\t', '|' };
	size_t counts[sizeof candidates] = {0};
	bool quoted = false;

	for (size_t i = 0; i < n && (quoted || (s[i] != '\r' && s[i] != '\n')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (size_t c = 0; !quoted && c < sizeof candidates; c++)
			if (s[i] == candidates[c])
				counts[c]++;
	}
	size_t best = 0;
	for (size_t c = 1; c < sizeof candidates; c++)
		if (counts[c] > counts[best])
			best = c;
	return candidates[best];
}

static void start_parser(struct csvread *r)
{
	const char *s = r->start_bytes.data ? r->start_bytes.data : "";
	size_t n = r->start_bytes.len;

	if (n >= sizeof utf8_bom && memcmp(s, utf8_bom, sizeof utf8_bom) == 0) {
		r->had_bom = true;
		s += sizeof utf8_bom;
		n -= sizeof utf8_bom;
	}
	if (!r->delimiter)
		r->delimiter = sniff_delimiter(s, n);
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();	/* only fails when out of memory */
	r->parser_ready = true;
	csv_set_delim(&r->parser, (unsigned char)r->delimiter);
	/* Keep spaces around fields: they are the user's data, and the row
	 * code trims where it means to. */
	csv_set_space_func(&r->parser, always_false);
	csv_set_realloc_func(&r->parser, xrealloc);
	csv_set_free_func(&r->parser, free);
	r->started = true;
	parse_bytes(r, s, n);
	buf_free(&r->start_bytes);
}

static bool ready_to_start(const struct csvread *r)
{
	const struct buf *b = &r->start_bytes;

	if (r->delimiter)
		return b->len >= sizeof utf8_bom;
	return b->len >= SNIFF_MAX ||
	       (b->len > 0 && (memchr(b->data, '\n', b->len) ||
			       memchr(b->data, '\r', b->len)));
}

/* Holds back the first bytes until the BOM and the first line are known;
 * returns how many of s[0..n) it took. */
static size_t gather_start(struct csvread *r, const char *s, size_t n)
{
	size_t take = n;
	const char *nl = memchr(s, '\n', n);
	const char *cr = memchr(s, '\r', n);

	if (nl && (size_t)(nl - s) + 1 < take)
		take = (size_t)(nl - s) + 1;
	if (cr && (size_t)(cr - s) + 1 < take)
		take = (size_t)(cr - s) + 1;
	if (take > SNIFF_MAX)
		take = SNIFF_MAX;
	if (r->delimiter && take > sizeof utf8_bom)
		take = sizeof utf8_bom;
	buf_append(&r->start_bytes, s, take);
	return take;
}

int csvread_feed(struct csvread *r, const void *data, size_t n,
		 struct error *err)
{
	const char *s = data;

	if (r->failed)
		return report_failure(r, err);
	r->consumed += n;
	while (!r->started && n > 0) {
		size_t took = gather_start(r, s, n);
		s += took;
		n -= took;
		if (ready_to_start(r))
			start_parser(r);
	}
	if (n > 0)
		parse_bytes(r, s, n);
	return r->failed ? report_failure(r, err) : 0;
}

int csvread_finish(struct csvread *r, struct error *err)
{
	if (r->failed)
		return report_failure(r, err);
	if (r->finished)
		return 0;
	r->finished = true;
	if (!r->started)
		start_parser(r);
	if (r->failed)
		return report_failure(r, err);
	if (csv_fini(&r->parser, on_field, on_record_end, r) != 0)
		fail(r, "line %lu: a quoted field is never closed (the record "
		     "starting on this line needs a closing quote)",
		     r->record_line);
	return r->failed ? report_failure(r, err) : 0;
}

int csvread_file(struct csvread *r, FILE *fp, struct error *err)
{
	char *chunk = xmalloc(READ_CHUNK);
	int rc = 0;

	for (;;) {
		size_t n = fread(chunk, 1, READ_CHUNK, fp);
		if (n > 0 && csvread_feed(r, chunk, n, err) < 0) {
			rc = -1;
			break;
		}
		if (n < READ_CHUNK) {
			if (ferror(fp))
				rc = error_set(err, "read error: %s",
					       strerror(errno));
			break;
		}
	}
	free(chunk);
	if (rc == 0)
		rc = csvread_finish(r, err);
	return rc;
}

/* ---- accessors ---- */

char csvread_delimiter(const struct csvread *r)
{
	return r->started ? r->delimiter : 0;
}

unsigned long long csvread_bytes_consumed(const struct csvread *r)
{
	return r->consumed;
}

bool csvread_had_bom(const struct csvread *r)
{
	return r->had_bom;
}

const char *csvread_line_ending(const struct csvread *r)
{
	return r->crlf ? "\r\n" : "\n";
}

/* ---- writing records back ---- */

static bool needs_quotes(char delimiter, const struct csv_field *f)
{
	if (f->len == 0)
		return false;
	if (f->data[0] == ' ' || f->data[0] == '\t' ||
	    f->data[f->len - 1] == ' ' || f->data[f->len - 1] == '\t')
		return true;
	for (size_t i = 0; i < f->len; i++) {
		char c = f->data[i];
		if (c == delimiter || c == '"' || c == '\r' || c == '\n')
			return true;
	}
	return false;
}

static void format_field(char delimiter, const struct csv_field *f,
			 struct buf *out)
{
	if (!needs_quotes(delimiter, f)) {
		buf_append(out, f->data, f->len);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < f->len; i++) {
		if (f->data[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, f->data[i]);
	}
	buf_putc(out, '"');
}

void csv_format_record(char delimiter, const char *line_ending,
		       const struct csv_field *fields, size_t n,
		       struct buf *out)
{
	/* A lone empty field would read back as an empty line, i.e. nothing. */
	if (n == 1 && fields[0].len == 0) {
		buf_puts(out, "\"\"");
	} else {
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				buf_putc(out, delimiter);
			format_field(delimiter, &fields[i], out);
		}
	}
	buf_puts(out, line_ending);
}

void csvread_format_record(const struct csvread *r,
			   const struct csv_field *fields, size_t n,
			   struct buf *out)
{
	char delimiter = r->delimiter ? r->delimiter : ',';
	csv_format_record(delimiter, csvread_line_ending(r), fields, n, out);
}
