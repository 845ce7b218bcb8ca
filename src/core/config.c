/* config.c - reads outreach.conf: "[section]" lines, "key = value" lines,
 * comments starting with '#' or ';'. Values are taken verbatim after the
 * '=' with surrounding blanks removed; there is no quoting to get wrong. */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"
#include "core/xalloc.h"

static const struct config_key_info keys[CFG_COUNT] = {
	[CFG_SMTP_URL] = {"smtp.url", "OUTREACH_SMTP_URL",
		"SMTP server: smtp://HOST[:PORT] or smtps://HOST[:PORT]"},
	[CFG_SMTP_USER] = {"smtp.user", "OUTREACH_SMTP_USER",
		"user name for SMTP AUTH (none: no AUTH)"},
	[CFG_SMTP_PASSWORD_FILE] = {"smtp.password_file", "OUTREACH_SMTP_PASSWORD_FILE",
		"file holding the SMTP password (mode 600)"},
	[CFG_SMTP_STARTTLS] = {"smtp.starttls", "OUTREACH_SMTP_STARTTLS",
		"required, optional or off (default required)"},
	[CFG_SMTP_CA_FILE] = {"smtp.ca_file", "OUTREACH_SMTP_CA_FILE",
		"certificate authorities to trust instead of the system's"},
	[CFG_SMTP_TIMEOUT] = {"smtp.timeout", "OUTREACH_SMTP_TIMEOUT",
		"seconds before a silent server counts as a transient error (60)"},
	[CFG_SENDER_FROM_ADDRESS] = {"sender.from_address", "OUTREACH_FROM_ADDRESS",
		"the From address of every e-mail"},
	[CFG_SENDER_FROM_NAME] = {"sender.from_name", "OUTREACH_FROM_NAME",
		"the From display name, also {{sender.name}}"},
	[CFG_SENDER_RATE] = {"sender.rate", "OUTREACH_SEND_RATE",
		"messages per second per send process (0: no cap)"},
	[CFG_SENDER_DOMAIN_RATE] = {"sender.domain_rate", "OUTREACH_DOMAIN_RATE",
		"messages per minute to one recipient domain (0: no cap)"},
	[CFG_SENDER_DAILY_CAP] = {"sender.daily_cap", "OUTREACH_DAILY_CAP",
		"e-mails per day, all workers together (0: no cap)"},
	[CFG_SENDER_WINDOW] = {"sender.window", "OUTREACH_SEND_WINDOW",
		"when to send, e.g. \"Mon-Fri 09:00-17:00\" (local time)"},
	[CFG_SENDER_UNSUBSCRIBE_URL] = {"sender.unsubscribe_url", "OUTREACH_UNSUBSCRIBE_URL",
		"unsubscribe link; {token} is replaced per message"},
	[CFG_SENDER_UNSUBSCRIBE_MAILTO] = {"sender.unsubscribe_mailto",
		"OUTREACH_UNSUBSCRIBE_MAILTO", "address that takes unsubscribe mail"},
	[CFG_SENDER_MAX_ATTEMPTS] = {"sender.max_attempts", "OUTREACH_MAX_ATTEMPTS",
		"tries before a transient error fails a message (5)"},
	[CFG_SENDER_RETRY_DELAY] = {"sender.retry_delay", "OUTREACH_RETRY_DELAY",
		"seconds before the first retry, doubled each time (60)"},
	[CFG_SENDER_CLAIM_TIMEOUT] = {"sender.claim_timeout", "OUTREACH_CLAIM_TIMEOUT",
		"seconds before a dead worker's claims are failed as unknown (300)"},
	[CFG_SENDER_BATCH] = {"sender.batch", "OUTREACH_SEND_BATCH",
		"messages a worker claims at once (50)"},
	[CFG_SCAN_USER_AGENT] = {"scan.user_agent", "OUTREACH_SCAN_USER_AGENT",
		"contact URL or address in the scanner's User-Agent"},
	[CFG_SCAN_CONCURRENCY] = {"scan.concurrency", "OUTREACH_SCAN_CONCURRENCY",
		"pages fetched at once over all websites (16)"},
	[CFG_SCAN_MAX_PAGES] = {"scan.max_pages", "OUTREACH_SCAN_MAX_PAGES",
		"pages read per website (8)"},
	[CFG_SCAN_DELAY_MS] = {"scan.delay_ms", "OUTREACH_SCAN_DELAY_MS",
		"milliseconds between two pages of one website (1000)"},
	[CFG_SCAN_TIMEOUT] = {"scan.timeout", "OUTREACH_SCAN_TIMEOUT",
		"seconds a page may take (20)"},
	[CFG_IMAP_URL] = {"imap.url", "OUTREACH_IMAP_URL",
		"IMAP server replies arrive at: imap://HOST[:PORT] or imaps://..."},
	[CFG_IMAP_USER] = {"imap.user", "OUTREACH_IMAP_USER",
		"user name for the IMAP login"},
	[CFG_IMAP_PASSWORD_FILE] = {"imap.password_file", "OUTREACH_IMAP_PASSWORD_FILE",
		"file holding the IMAP password (mode 600)"},
	[CFG_IMAP_MAILBOX] = {"imap.mailbox", "OUTREACH_IMAP_MAILBOX",
		"mailbox read for replies (default INBOX)"},
	[CFG_IMAP_STARTTLS] = {"imap.starttls", "OUTREACH_IMAP_STARTTLS",
		"required, optional or off (default required)"},
	[CFG_IMAP_TIMEOUT] = {"imap.timeout", "OUTREACH_IMAP_TIMEOUT",
		"seconds before a silent IMAP server is given up (60)"},
	[CFG_IMAP_CA_FILE] = {"imap.ca_file", "OUTREACH_IMAP_CA_FILE",
		"certificate authorities to trust for IMAP instead of the system's"},
};

const struct config_key_info *config_key_info(enum config_key key)
{
	return key < CFG_COUNT ? &keys[key] : NULL;
}

static void set_value(struct config *c, int k, const char *value,
		      char *origin)
{
	free(c->value[k]);
	free(c->origin[k]);
	c->value[k] = xstrdup(value);
	c->origin[k] = origin;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int find_key(const char *section, const char *key)
{
	for (int k = 0; k < CFG_COUNT; k++) {
		const char *dot = strchr(keys[k].name, '.');
		size_t sl = (size_t)(dot - keys[k].name);
		if (strlen(section) == sl && strncmp(keys[k].name, section, sl) == 0 &&
		    strcmp(dot + 1, key) == 0)
			return k;
	}
	return -1;
}

static bool known_section(const char *s)
{
	return strcmp(s, "smtp") == 0 || strcmp(s, "sender") == 0 ||
	       strcmp(s, "scan") == 0 || strcmp(s, "imap") == 0;
}

static int parse_line(struct config *c, const char *name, int lineno,
		      char *line, char *section, size_t seclen,
		      struct error *err)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (!end || *trim(end + 1) != '\0')
			return error_set(err, "%s:%d: a section is written [name]",
					 name, lineno);
		*end = '\0';
		char *sec = trim(s + 1);
		if (!known_section(sec))
			return error_set(err, "%s:%d: unknown section [%s]; the "
					 "sections are [smtp], [sender], [scan] and "
					 "[imap]",
					 name, lineno, sec);
		snprintf(section, seclen, "%s", sec);
		return 0;
	}
	char *eq = strchr(s, '=');
	if (!eq)
		return error_set(err, "%s:%d: expected key = value", name, lineno);
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	if (!*section)
		return error_set(err, "%s:%d: '%s' comes before any [section]",
				 name, lineno, key);
	int k = find_key(section, key);
	if (k < 0)
		return error_set(err, "%s:%d: unknown key '%s' in [%s]; see "
				 "outreach(1), CONFIGURATION", name, lineno, key,
				 section);
	set_value(c, k, value, xasprintf("%s:%d", name, lineno));
	return 0;
}

int config_parse(struct config *c, const char *name, const char *text,
		 struct error *err)
{
	char section[32] = "";
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		lineno++;
		int rc = parse_line(c, name, lineno, line, section, sizeof section, err);
		free(line);
		if (rc < 0)
			return -1;
		p += n + (nl ? 1 : 0);
	}
	return 0;
}

void config_apply_env(struct config *c)
{
	for (int k = 0; k < CFG_COUNT; k++) {
		const char *v = getenv(keys[k].env);
		if (v)
			set_value(c, k, v, xstrdup(keys[k].env));
	}
}

int config_load_default(struct config *c, struct error *err)
{
	char *path = config_default_path();
	int rc = config_load(c, path, err);
	free(path);
	return rc;
}

int config_load(struct config *c, const char *path, struct error *err)
{
	memset(c, 0, sizeof *c);
	if (path) {
		char *text = file_read_all(path, NULL, err);
		if (!text)
			return -1;
		c->path = xstrdup(path);
		int rc = config_parse(c, path, text, err);
		free(text);
		if (rc < 0)
			return -1;
	}
	config_apply_env(c);
	return 0;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *config_default_path(void)
{
	const char *explicit = getenv("OUTREACH_CONFIG");
	if (explicit && *explicit)
		return xstrdup(explicit);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *user = NULL;
	if (xdg && *xdg)
		user = xasprintf("%s/outreach/outreach.conf", xdg);
	else if (home && *home)
		user = xasprintf("%s/.config/outreach/outreach.conf", home);
	if (user && is_file(user))
		return user;
	free(user);
	return is_file("/etc/outreach.conf") ? xstrdup("/etc/outreach.conf") : NULL;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->path);
	for (int k = 0; k < CFG_COUNT; k++) {
		free(c->value[k]);
		free(c->origin[k]);
	}
	memset(c, 0, sizeof *c);
}

const char *config_get(const struct config *c, enum config_key key)
{
	const char *v = c->value[key];
	return v && *v ? v : NULL;
}

int config_get_long(const struct config *c, enum config_key key, long min,
		    long max, long dflt, long *out, struct error *err)
{
	const char *v = config_get(c, key);
	if (!v) {
		*out = dflt;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *trim(end) || n < min || n > max)
		return error_set(err, "%s (%s): must be a whole number from %ld "
				 "to %ld, not '%s'", keys[key].name,
				 c->origin[key], min, max, v);
	*out = n;
	return 0;
}

int config_get_double(const struct config *c, enum config_key key, double min,
		      double max, double dflt, double *out, struct error *err)
{
	const char *v = config_get(c, key);
	if (!v) {
		*out = dflt;
		return 0;
	}
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d) || d < min || d > max)
		return error_set(err, "%s (%s): must be a number from %g to %g, "
				 "not '%s'", keys[key].name, c->origin[key], min,
				 max, v);
	*out = d;
	return 0;
}

int config_read_secret(const struct config *c, enum config_key key, char **out,
		       struct error *err)
{
	*out = NULL;
	const char *path = config_get(c, key);
	if (!path)
		return 0;
	struct stat st;
	if (stat(path, &st) < 0)
		return error_set(err, "%s (%s): cannot read %s: %s", keys[key].name,
				 c->origin[key], path, strerror(errno));
	if (st.st_mode & 077)
		return error_set(err, "%s (%s): %s may be read by others; run "
				 "chmod 600 %s", keys[key].name, c->origin[key],
				 path, path);
	char *text = file_read_all(path, NULL, err);
	if (!text)
		return error_prefix(err, "%s (%s)", keys[key].name, c->origin[key]);
	text[strcspn(text, "\r\n")] = '\0';
	*out = text;
	return 0;
}
