/* import_rejects.c - the rejects file: rejected rows handed back as they
 * came, with their reason, written beside the final name and moved into
 * place only when the import finished, so a failed import never leaves a
 * half-written file or clobbers the last good one. */
#include "model/import_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char utf8_bom[] = "\xEF\xBB\xBF";

struct rejects_file {
	char *path;		/* where it ends up */
	char *tmp_path;		/* where it is written; NULL until opened */
	FILE *fp;
	bool used;		/* a row was written */
	size_t header_width;
	struct buf line;	/* reused for every row */
	struct csv_field *fields;
	size_t field_cap;
};

char *rejects_default_path(const char *input)
{
	if (strcmp(input, "-") == 0)
		return xstrdup("stdin.rejects.csv");
	size_t n = strlen(input);
	if (n > 4 && strcasecmp(input + n - 4, ".csv") == 0)
		n -= 4;
	return xasprintf("%.*s.rejects.csv", (int)n, input);
}

struct rejects_file *rejects_file_new(const char *path)
{
	struct rejects_file *rf = xcalloc(1, sizeof *rf);

	rf->path = xstrdup(path);
	return rf;
}

/* O_EXCL with a name of our own: never follows a planted link, and the
 * mode goes through the umask like any file the user creates. */
static int open_temp(struct rejects_file *rf, struct error *err)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		free(rf->tmp_path);
		rf->tmp_path = xasprintf("%s.%ld-%d.tmp", rf->path,
					 (long)getpid(), attempt);
		int fd = open(rf->tmp_path, O_WRONLY | O_CREAT | O_EXCL, 0666);
		if (fd >= 0) {
			rf->fp = fdopen(fd, "wb");
			if (rf->fp)
				return 0;
			close(fd);
			break;
		}
		if (errno != EEXIST)
			break;
	}
	error_set(err, "%s: cannot create the rejects file: %s (choose "
		  "another place with --rejects PATH)", rf->path,
		  strerror(errno));
	free(rf->tmp_path);
	rf->tmp_path = NULL;
	return -1;
}

static int write_line(struct rejects_file *rf, struct error *err)
{
	if (fwrite(rf->line.data, 1, rf->line.len, rf->fp) == rf->line.len)
		return 0;
	return error_set(err, "%s: cannot write the rejects file: %s",
			 rf->path, strerror(errno));
}

/* Copies a record's fields into rf->fields, padded with empty ones to
 * width, plus one more for the extra column. */
static size_t gather_fields(struct rejects_file *rf,
			   const struct csv_record *rec, size_t width,
			   const char *extra)
{
	size_t n = rec->count > width ? rec->count : width;

	if (n + 1 > rf->field_cap) {
		rf->field_cap = n + 1;
		rf->fields = xreallocarray(rf->fields, rf->field_cap,
					   sizeof *rf->fields);
	}
	for (size_t i = 0; i < n; i++)
		rf->fields[i] = i < rec->count ? rec->fields[i]
			: (struct csv_field){ "", 0 };
	rf->fields[n] = (struct csv_field){ extra, strlen(extra) };
	return n + 1;
}

static int write_header(struct rejects_file *rf, const struct csvread *reader,
			const struct csv_record *header, struct error *err)
{
	if (open_temp(rf, err) < 0)
		return -1;
	rf->header_width = header->count;
	buf_reset(&rf->line);
	/* A spreadsheet that wrote a BOM needs one to read UTF-8 back. */
	if (csvread_had_bom(reader))
		buf_puts(&rf->line, utf8_bom);
	size_t n = gather_fields(rf, header, header->count, "reject_reason");
	csvread_format_record(reader, rf->fields, n, &rf->line);
	return write_line(rf, err);
}

int rejects_file_add(struct rejects_file *rf, const struct csvread *reader,
		     const struct csv_record *header,
		     const struct csv_record *row, const char *reason,
		     struct error *err)
{
	if (!rf->fp && write_header(rf, reader, header, err) < 0)
		return -1;
	rf->used = true;
	buf_reset(&rf->line);
	size_t n = gather_fields(rf, row, rf->header_width, reason);
	csvread_format_record(reader, rf->fields, n, &rf->line);
	return write_line(rf, err);
}

const char *rejects_file_path(const struct rejects_file *rf)
{
	return rf->path;
}

bool rejects_file_used(const struct rejects_file *rf)
{
	return rf->used;
}

int rejects_file_commit(struct rejects_file *rf, struct error *err)
{
	if (!rf->fp)
		return 0;
	int rc = fflush(rf->fp) == 0 && !ferror(rf->fp) ? 0 : -1;
	if (fclose(rf->fp) != 0)
		rc = -1;
	rf->fp = NULL;
	if (rc == 0 && rename(rf->tmp_path, rf->path) != 0)
		rc = -1;
	if (rc < 0) {
		error_set(err, "%s: cannot write the rejects file: %s",
			  rf->path, strerror(errno));
		unlink(rf->tmp_path);
	}
	free(rf->tmp_path);
	rf->tmp_path = NULL;
	return rc;
}

void rejects_file_free(struct rejects_file *rf)
{
	if (!rf)
		return;
	if (rf->fp)
		fclose(rf->fp);
	if (rf->tmp_path)
		unlink(rf->tmp_path);
	free(rf->tmp_path);
	free(rf->path);
	free(rf->fields);
	buf_free(&rf->line);
	free(rf);
}
