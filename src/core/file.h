/* file.h - reading a whole small file (configuration, SQL, templates) into
 * memory, with an error that names the file. */
#ifndef OUTREACH_FILE_H
#define OUTREACH_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

/* The file's bytes with a NUL after them; caller frees. *len (when len is
 * not NULL) gets their number, which tells a NUL in the file from the
 * one added. NULL with err ("cannot read PATH: reason") when it cannot be
 * read. */
char *file_read_all(const char *path, size_t *len, struct error *err);
/* The same for a stream already open (standard input, say), read to its
 * end; name is what an error calls it. */
char *file_read_stream(FILE *f, const char *name, size_t *len,
		       struct error *err);

#endif
