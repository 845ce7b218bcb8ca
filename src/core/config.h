/* config.h - the settings that are not in the database (SMTP, sender,
 * scanner, IMAP): an INI-style file, every key overridable by an OUTREACH_*
 * environment variable. Secrets are read from files named by a key. */
#ifndef OUTREACH_CONFIG_H
#define OUTREACH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum config_key {
	CFG_SMTP_URL,
	CFG_SMTP_USER,
	CFG_SMTP_PASSWORD_FILE,
	CFG_SMTP_STARTTLS,
	CFG_SMTP_CA_FILE,
	CFG_SMTP_TIMEOUT,
	CFG_SENDER_FROM_ADDRESS,
	CFG_SENDER_FROM_NAME,
	CFG_SENDER_RATE,
	CFG_SENDER_DOMAIN_RATE,
	CFG_SENDER_DAILY_CAP,
	CFG_SENDER_WINDOW,
	CFG_SENDER_UNSUBSCRIBE_URL,
	CFG_SENDER_UNSUBSCRIBE_MAILTO,
	CFG_SENDER_MAX_ATTEMPTS,
	CFG_SENDER_RETRY_DELAY,
	CFG_SENDER_CLAIM_TIMEOUT,
	CFG_SENDER_BATCH,
	CFG_SCAN_USER_AGENT,
	CFG_SCAN_CONCURRENCY,
	CFG_SCAN_MAX_PAGES,
	CFG_SCAN_DELAY_MS,
	CFG_SCAN_TIMEOUT,
	CFG_IMAP_URL,
	CFG_IMAP_USER,
	CFG_IMAP_PASSWORD_FILE,
	CFG_IMAP_MAILBOX,
	CFG_IMAP_STARTTLS,
	CFG_IMAP_TIMEOUT,
	CFG_IMAP_CA_FILE,
	CFG_COUNT
};

struct config_key_info {
	const char *name;	/* "smtp.url" */
	const char *env;	/* "OUTREACH_SMTP_URL" */
	const char *help;	/* one line for --help and the manual */
};

const struct config_key_info *config_key_info(enum config_key key);

struct config {
	char *path;			/* the file read; NULL when none */
	char *value[CFG_COUNT];		/* NULL when not set */
	char *origin[CFG_COUNT];	/* "FILE:LINE" or the variable name */
};

/* The file to read: $OUTREACH_CONFIG when set, else
 * $XDG_CONFIG_HOME/outreach/outreach.conf (~/.config when unset) when it
 * exists, else /etc/outreach.conf when it exists, else NULL. Caller frees. */
char *config_default_path(void);

/* Reads path (NULL: no file) and then the environment. An unknown section
 * or key, a line that is not "key = value", or an unreadable file is an
 * error naming FILE:LINE. Returns 0 or -1; config_free either way. */
int config_load(struct config *c, const char *path, struct error *err);
/* config_load() of config_default_path(): what every command and the
 * interface read. */
int config_load_default(struct config *c, struct error *err);
/* Parses text as if read from a file named name (for tests). */
int config_parse(struct config *c, const char *name, const char *text,
		 struct error *err);
/* Applies the OUTREACH_* overrides from the environment. */
void config_apply_env(struct config *c);
void config_free(struct config *c);

/* The value, or NULL when unset or empty. */
const char *config_get(const struct config *c, enum config_key key);
/* Reads a whole number in [min, max]; dflt when unset. An error names the
 * key and where it was set. */
int config_get_long(const struct config *c, enum config_key key, long min,
		    long max, long dflt, long *out, struct error *err);
int config_get_double(const struct config *c, enum config_key key, double min,
		      double max, double dflt, double *out, struct error *err);

/* Reads a secret from the file named by key: the first line, without its
 * line end. Refused when others may read the file (chmod 600 it). Returns a
 * string the caller frees (and should wipe), or NULL with err set; *out is
 * NULL and 0 is returned when the key is unset. */
int config_read_secret(const struct config *c, enum config_key key, char **out,
		       struct error *err);

#endif
