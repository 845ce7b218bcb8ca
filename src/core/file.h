/* file.h - reading a whole small file (configuration, SQL, templates) into
 * memory, with an error that names the file. */
#ifndef OUTREACH_FILE_H
#define OUTREACH_FILE_H

#include "core/error.h"

/* The file's bytes with a NUL after them; caller frees. NULL with err
 * ("cannot read PATH: reason") when it cannot be read. */
char *file_read_all(const char *path, struct error *err);

#endif
