/* file.c - whole-file reads for the small files outreach ships or is
 * given: read in chunks, so a pipe or /dev/stdin works as well. */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/xalloc.h"

char *file_read_stream(FILE *f, const char *name, size_t *len,
		       struct error *err)
{
	struct buf b = {0};
	char chunk[16384];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		buf_free(&b);
		error_set(err, "cannot read %s", name);
		return NULL;
	}
	if (len)
		*len = b.len;
	buf_reserve(&b, 1);
	return buf_detach(&b);
}

char *file_read_all(const char *path, size_t *len, struct error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		error_set(err, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	char *text = file_read_stream(f, path, len, err);
	fclose(f);
	return text;
}
