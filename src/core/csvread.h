/* csvread.h - a streaming CSV reader for lead lists: strict quoting, BOM,
 * CRLF or LF, delimiter sniffing, physical line numbers for every record.
 *
 * Feed it bytes in chunks of any size (csvread_feed, or csvread_file for a
 * whole stream read 64 KiB at a time); it calls back once per record, header
 * included, in order. Memory stays bounded by the largest record, never the
 * file: a field over CSVREAD_MAX_FIELD bytes or a record over
 * CSVREAD_MAX_RECORD bytes is an error.
 *
 * What counts as a record:
 * - records end at an unquoted CR, LF or CRLF; inside quotes they are data;
 * - empty lines, and lines whose every field is empty or white space (the
 *   ",,,," rows spreadsheets pad with), are skipped;
 * - white space around fields is kept exactly as given (the lead row code
 *   trims what it needs), and a quote inside an unquoted field, or text
 *   after a closing quote, is an error (strict mode).
 *
 * Parse errors (returned as -1 with err filled) start "line N: ", N being
 * the physical line (1-based, counting every LF, CRLF or lone CR, including
 * those inside quoted fields): where the bad byte is for a stray quote, and
 * where the record started for an over-long field or an unterminated quote.
 * An error from the callback is passed back unchanged. After any error the
 * reader accepts no more input and repeats that error. */
#ifndef OUTREACH_CSVREAD_H
#define OUTREACH_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "core/xalloc.h"

#define CSVREAD_MAX_FIELD (64 * 1024)
#define CSVREAD_MAX_RECORD (1024 * 1024)

struct csv_field {
	const char *data;	/* NUL-terminated; may also hold NUL bytes */
	size_t len;
};

struct csv_record {
	const struct csv_field *fields;	/* valid only during the callback */
	size_t count;			/* at least 1 */
	unsigned long line;		/* physical line the record starts on */
	size_t index;			/* 0 for the header, then 1, 2, ... */
};

/* Called for each record. Return 0 to go on; return -1 (after filling err,
 * which csvread passes through unchanged) to stop the whole read. */
typedef int (*csv_record_fn)(const struct csv_record *rec, void *ctx,
			     struct error *err);

struct csvread;

/* delimiter is ',', ';', '\t' or '|', or 0 to sniff it from the first line:
 * the candidate appearing most often outside quotes wins, ties go in that
 * order, and a line with none of them is read as one comma-separated
 * column. Returns a reader the caller frees with csvread_free(). */
struct csvread *csvread_new(char delimiter, csv_record_fn fn, void *ctx);
void csvread_free(struct csvread *r);	/* accepts NULL */

/* Parses the next n bytes; records complete in them are delivered before it
 * returns. -1 on a parse error or when the callback stopped the read. */
int csvread_feed(struct csvread *r, const void *data, size_t n,
		 struct error *err);
/* Ends the input: delivers a last record without a line break, and reports
 * an unterminated quote. Call it once, after the last csvread_feed(). */
int csvread_finish(struct csvread *r, struct error *err);
/* Reads fp to its end in 64 KiB chunks, then finishes. A read error is
 * reported as "read error: <reason>". */
int csvread_file(struct csvread *r, FILE *fp, struct error *err);

/* The delimiter in use: the one given, or the sniffed one once the first
 * line has been seen (0 before that). */
char csvread_delimiter(const struct csvread *r);
/* Input bytes accepted so far, BOM included: compare with the file size
 * for a progress bar. */
unsigned long long csvread_bytes_consumed(const struct csvread *r);
/* True when the input began with a UTF-8 byte order mark (now stripped). */
bool csvread_had_bom(const struct csvread *r);
/* "\r\n" when the first line ended with CRLF, else "\n". */
const char *csvread_line_ending(const struct csvread *r);

/* Appends fields[0..n) to out as one CSV record in the reader's dialect
 * (its delimiter and line ending, quotes only where needed, "" inside
 * quotes), so rejected rows can be written back as they came, with extra
 * columns such as a reason appended by the caller. */
void csvread_format_record(const struct csvread *r,
			   const struct csv_field *fields, size_t n,
			   struct buf *out);
/* The same with an explicit delimiter and line ending. */
void csv_format_record(char delimiter, const char *line_ending,
		       const struct csv_field *fields, size_t n,
		       struct buf *out);

#endif
