/* password_input.h - getting a password into the program without it ever
 * showing: typed with echo off, or read from a pipe or a file, straight
 * into locked memory that is wiped when freed. Never from argv or the
 * environment. */
#ifndef OUTREACH_PASSWORD_INPUT_H
#define OUTREACH_PASSWORD_INPUT_H

#include <stdbool.h>

#include "core/error.h"

/* Makes the whole process non-dumpable (no core file, no ptrace by other
 * users, /proc/PID/mem closed) before any password is read. */
void secrets_protect_process(void);

/* Reads a password: from the terminal with echo off after prompt (twice
 * when confirm, the two must match), or else one line of standard input.
 * Returns a locked buffer (free with password_buffer_free) or NULL with
 * err. */
char *password_read(const char *prompt, bool confirm, struct error *err);
/* The first line of path, in a locked buffer as above. */
char *password_read_file(const char *path, struct error *err);

#endif
