/* imap.c - one IMAP connection that reads header fields of new mail and
 * changes nothing: the mailbox is opened with EXAMINE (read-only) and
 * headers are fetched with BODY.PEEK, so no flag is set. libcurl connects,
 * does TLS and logs in; the commands after that go over its connection
 * (curl_easy_send/recv), because its own command path hands on only the
 * first line of each response and caps the bytes of a whole session. */
#include "net/imap.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/xalloc.h"

/* Bytes of unfinished responses kept: one literal at most, plus its line. */
#define PENDING_MAX (IMAP_MAX_LITERAL + 64 * 1024)

struct imap_session {
	CURL *curl;
	struct imap_options opts;
	char *url;			/* server + "/" */
	char errbuf[CURL_ERROR_SIZE];
	bool connected;			/* logged in, in step with the server */
	unsigned tag;			/* the last command's number */
	struct buf pending;		/* bytes of responses not yet complete */
	char last_line[256];		/* libcurl's last reply, made printable */
	char parse_error[256];		/* why reading stopped; "" when it did not */
	/* the command in flight: what to do with each untagged response */
	int (*handle)(struct imap_session *s, const char *resp, size_t len);
	uint32_t uidvalidity, uidnext;
	uint32_t first, last;
	void (*on_mail)(void *arg, const struct imap_fetch *m);
	void *arg;
	uint32_t *found;		/* UID SEARCH: the UIDs so far */
	size_t nfound, capfound;
};

int imap_server_name(const char *url, char **out, struct error *err)
{
	*out = NULL;
	if (!url || !*url)
		return error_set(err, "no IMAP server configured: set imap.url in "
				 "outreach.conf (or OUTREACH_IMAP_URL, or give "
				 "--imap), e.g. imaps://mail.example.com");
	if (strncasecmp(url, "imap://", 7) != 0 && strncasecmp(url, "imaps://", 8) != 0)
		return error_set(err, "the IMAP URL must start with imap:// or "
				 "imaps://, e.g. imaps://mail.example.com");
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return error_set(err, "the IMAP URL contains a blank or a "
					 "control character");
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL,
	     *password = NULL, *path = NULL, *query = NULL;
	int rc = -1;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		error_set(err, "the IMAP URL is not a URL: give "
			  "imap://HOST[:PORT] or imaps://HOST[:PORT]");
		goto out;
	}
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (user || password) {
		error_set(err, "the IMAP URL carries a user or a password; give "
			  "them with imap.user and imap.password_file instead");
		goto out;
	}
	if ((path && strcmp(path, "/") != 0 && *path) || query) {
		error_set(err, "the IMAP URL names only the server; give the "
			  "mailbox with imap.mailbox or --mailbox");
		goto out;
	}
	*out = port ? xasprintf("%s://%s:%s", scheme, host, port) :
		      xasprintf("%s://%s", scheme, host);
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(password);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return rc;
}

int imap_check_mailbox(const char *mailbox, struct error *err)
{
	if (!mailbox || !*mailbox)
		return error_set(err, "the mailbox name is empty; INBOX is the "
				 "usual one");
	if (strlen(mailbox) > 200)
		return error_set(err, "the mailbox name is too long");
	for (const char *p = mailbox; *p; p++)
		if ((unsigned char)*p < ' ' || (unsigned char)*p >= 0x7f)
			return error_set(err, "mailbox names with characters "
					 "outside printable ASCII are not "
					 "supported");
	return 0;
}

/* ---------------------------------------------------------------- reading */

static void note_line(char *dst, size_t cap, const char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)line[i];
		dst[i] = ch < ' ' || ch >= 0x7f ? '?' : (char)ch;
	}
	dst[n] = '\0';
}

/* During the login libcurl speaks; its replies are kept only to quote
 * the server when the login fails. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct imap_session *s = arg;
	size_t n = size * nmemb;
	if (n > 0 && data[0] != '*' && data[0] != '+')
		note_line(s->last_line, sizeof s->last_line, data, n);
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	(void)data;
	(void)arg;
	return size * nmemb;
}

struct imap_session *imap_open(const struct imap_options *o)
{
	struct imap_session *s = xcalloc(1, sizeof *s);
	s->opts = *o;
	s->url = xasprintf("%s/", o->server);
	s->curl = curl_easy_init();
	if (!s->curl)
		abort();
	CURL *c = s->curl;
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	/* libcurl connects, secures and logs in; the commands after that are
	 * sent and read here, so no limit of libcurl's on response lines or
	 * header bytes applies to what a FETCH returns. */
	curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_USE_SSL, starttls_curl_use_ssl(o->starttls));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	return s;
}

void imap_close(struct imap_session *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);	/* says LOGOUT when still in step */
	buf_free(&s->pending);
	free(s->url);
	free(s);
}

/* What went wrong in libcurl's part, in words that say what to do. */
static int explain(struct imap_session *s, CURLcode rc, struct error *err)
{
	const char *srv = s->opts.server;
	const char *said = s->last_line[0] ? s->last_line : "nothing";
	const char *why = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
	switch (rc) {
	case CURLE_LOGIN_DENIED:
		return error_set(err, "%s refused the login of '%s' (it said: %s); "
				 "check imap.user and the password in "
				 "imap.password_file", srv,
				 s->opts.user ? s->opts.user : "", said);
	case CURLE_USE_SSL_FAILED:
		return error_set(err, "%s does not offer STARTTLS: use imaps://, "
				 "or set imap.starttls to optional or off on a "
				 "network you trust", srv);
	case CURLE_PEER_FAILED_VERIFICATION:
		return error_set(err, "TLS with %s failed: %s; if a private "
				 "authority signed its certificate, name it in "
				 "imap.ca_file", srv, why);
	case CURLE_SSL_CACERT_BADFILE:
		return error_set(err, "TLS with %s failed: %s; check imap.ca_file",
				 srv, why);
	case CURLE_SSL_CONNECT_ERROR:
		return error_set(err, "TLS with %s failed: %s", srv, why);
	default:
		return error_set(err, "cannot reach the IMAP server %s: %s; check "
				 "imap.url (or --imap) and that the server is "
				 "running", srv, why);
	}
}

static int lost(struct imap_session *s, const char *why, struct error *err)
{
	s->connected = false;
	return error_set(err, "the connection to %s broke: %s; run again (what "
			 "was recorded stays)", s->opts.server, why);
}

/* Waits until the socket can be read or written; -1 on a timeout. */
static int wait_socket(struct imap_session *s, short events)
{
	curl_socket_t fd;
	if (curl_easy_getinfo(s->curl, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD)
		return -1;
	struct pollfd p = {.fd = fd, .events = events};
	int rc;
	do
		rc = poll(&p, 1, (int)(s->opts.timeout_s * 1000));
	while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -1;
}

static int send_all(struct imap_session *s, const char *data, size_t len,
		    struct error *err)
{
	while (len > 0) {
		size_t n = 0;
		CURLcode rc = curl_easy_send(s->curl, data, len, &n);
		if (rc == CURLE_AGAIN) {
			if (wait_socket(s, POLLOUT) < 0)
				return lost(s, "timed out sending", err);
			continue;
		}
		if (rc != CURLE_OK)
			return lost(s, curl_easy_strerror(rc), err);
		data += n;
		len -= n;
	}
	return 0;
}

/* Hands each complete response in pending to the command's handler and
 * keeps the tagged one's status. 1 when the tagged response came, 0 when
 * more is needed, -1 on malformed input. */
static int drain(struct imap_session *s, const char *tag, char *status,
		 size_t statuslen)
{
	size_t off = 0, taglen = strlen(tag);
	int done = 0;
	while (!done) {
		long n = imap_response_length(s->pending.data + off,
					      s->pending.len - off, IMAP_MAX_LITERAL);
		if (n < 0) {
			snprintf(s->parse_error, sizeof s->parse_error,
				 "it sent a response that cannot be read (a "
				 "literal longer than %d bytes or a bad length)",
				 IMAP_MAX_LITERAL);
			return -1;
		}
		if (n == 0)
			break;
		const char *resp = s->pending.data + off;
		if (n >= 2 && resp[0] == '*' && resp[1] == ' ') {
			if (s->handle && s->handle(s, resp, (size_t)n) < 0)
				return -1;
		} else if ((size_t)n > taglen && memcmp(resp, tag, taglen) == 0 &&
			   resp[taglen] == ' ') {
			note_line(status, statuslen, resp + taglen + 1,
				  (size_t)n - taglen - 1);
			done = 1;
		}
		off += (size_t)n;
	}
	memmove(s->pending.data, s->pending.data + off, s->pending.len - off);
	s->pending.len -= off;
	s->pending.data[s->pending.len] = '\0';
	if (!done && s->pending.len > PENDING_MAX) {
		snprintf(s->parse_error, sizeof s->parse_error,
			 "it sent a response longer than %d bytes", PENDING_MAX);
		return -1;
	}
	return done;
}

/* Logs in (libcurl) on first use. */
static int connect_once(struct imap_session *s, struct error *err)
{
	if (s->connected)
		return 0;
	s->errbuf[0] = s->last_line[0] = '\0';
	CURLcode rc = curl_easy_perform(s->curl);
	if (rc != CURLE_OK)
		return explain(s, rc, err);
	s->connected = true;
	return 0;
}

/* Sends one command and reads up to its tagged reply; status receives
 * that reply without the tag ("OK ...", "NO ..."). 0 when it said OK. */
static int command(struct imap_session *s, const char *text, char *status,
		   size_t statuslen, struct error *err)
{
	if (connect_once(s, err) < 0)
		return -1;
	char tag[16];
	snprintf(tag, sizeof tag, "R%u", ++s->tag);
	char *line = xasprintf("%s %s\r\n", tag, text);
	int rc = send_all(s, line, strlen(line), err);
	free(line);
	if (rc < 0)
		return -1;
	buf_reset(&s->pending);
	s->parse_error[0] = '\0';
	status[0] = '\0';
	for (;;) {
		buf_reserve(&s->pending, 65536);
		size_t n = 0;
		CURLcode c = curl_easy_recv(s->curl, s->pending.data + s->pending.len,
					    s->pending.cap - s->pending.len - 1, &n);
		if (c == CURLE_AGAIN) {
			if (wait_socket(s, POLLIN) < 0)
				return lost(s, "no answer in time (imap.timeout)", err);
			continue;
		}
		if (c != CURLE_OK)
			return lost(s, curl_easy_strerror(c), err);
		if (n == 0)
			return lost(s, "the server closed it", err);
		s->pending.len += n;
		s->pending.data[s->pending.len] = '\0';
		int d = drain(s, tag, status, statuslen);
		if (d < 0) {
			s->connected = false;	/* out of step: never reuse */
			return error_set(err, "%s: %s", s->opts.server, s->parse_error);
		}
		if (d > 0)
			break;
	}
	if (strncasecmp(status, "OK", 2) == 0)
		return 0;
	return 1;
}

/* A mailbox as an IMAP quoted string (checked: printable ASCII). */
static char *quoted(const char *mailbox)
{
	struct buf b = {0};
	buf_putc(&b, '"');
	for (const char *p = mailbox; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '"');
	return buf_detach(&b);
}

static int handle_status(struct imap_session *s, const char *resp, size_t len)
{
	uint32_t v, n;
	int rc = imap_parse_status(resp, len, &v, &n);
	if (rc < 0) {
		snprintf(s->parse_error, sizeof s->parse_error,
			 "the server's STATUS answer cannot be read");
		return -1;
	}
	if (rc == 0) {
		s->uidvalidity = v;
		s->uidnext = n;
	}
	return 0;
}

/* A NO or BAD to a command on a mailbox. */
static int refused(struct imap_session *s, const char *mailbox,
		   const char *status, struct error *err)
{
	return error_set(err, "%s refused to open mailbox \"%s\" (it said: "
			 "%s); check imap.mailbox or --mailbox", s->opts.server,
			 mailbox, status);
}

/* "VERB "mailbox"[ args]", its untagged responses given to handle; 0, or
 * -1 with err set (a refusal names the mailbox and what the server said). */
static int mailbox_command(struct imap_session *s, const char *verb,
			   const char *mailbox, const char *args,
			   int (*handle)(struct imap_session *, const char *,
					 size_t),
			   struct error *err)
{
	char *q = quoted(mailbox);
	char *cmd = xasprintf("%s %s%s", verb, q, args);
	char status[256];
	s->handle = handle;
	int rc = command(s, cmd, status, sizeof status, err);
	s->handle = NULL;
	free(cmd);
	free(q);
	if (rc > 0)
		return refused(s, mailbox, status, err);
	return rc < 0 ? -1 : 0;
}

int imap_status(struct imap_session *s, const char *mailbox,
		uint32_t *uidvalidity, uint32_t *uidnext, struct error *err)
{
	s->uidvalidity = s->uidnext = 0;
	if (mailbox_command(s, "STATUS", mailbox, " (UIDVALIDITY UIDNEXT)",
			    handle_status, err) < 0)
		return -1;
	if (s->uidvalidity == 0 || s->uidnext == 0)
		return error_set(err, "%s did not say the UIDVALIDITY and UIDNEXT "
				 "of mailbox \"%s\"", s->opts.server, mailbox);
	*uidvalidity = s->uidvalidity;
	*uidnext = s->uidnext;
	return 0;
}

static int handle_examine(struct imap_session *s, const char *resp, size_t len)
{
	uint32_t v;
	if (imap_parse_uidvalidity(resp, len, &v) == 0)
		s->uidvalidity = v;
	return 0;
}

int imap_examine(struct imap_session *s, const char *mailbox,
		 uint32_t expected_uidvalidity, struct error *err)
{
	s->uidvalidity = 0;
	if (mailbox_command(s, "EXAMINE", mailbox, "", handle_examine, err) < 0)
		return -1;
	if (s->uidvalidity != expected_uidvalidity)
		return error_set(err, "the UIDVALIDITY of mailbox \"%s\" on %s "
				 "changed while it was being opened; run again",
				 mailbox, s->opts.server);
	return 0;
}

static int handle_fetch(struct imap_session *s, const char *resp, size_t len)
{
	struct imap_fetch f;
	int rc = imap_parse_fetch(resp, len, &f);
	if (rc < 0) {
		snprintf(s->parse_error, sizeof s->parse_error,
			 "the server sent a FETCH answer that cannot be read "
			 "(UIDs %u to %u)", (unsigned)s->first, (unsigned)s->last);
		return -1;
	}
	/* n:* names the last mail even when its UID is below n: skip what is
	 * outside the range asked for. */
	if (rc == 0 && f.uid >= s->first && f.uid <= s->last)
		s->on_mail(s->arg, &f);
	return 0;
}

int imap_fetch_headers(struct imap_session *s, uint32_t first, uint32_t last,
		       void (*on_mail)(void *arg, const struct imap_fetch *m),
		       void *arg, struct error *err)
{
	char *cmd = xasprintf("UID FETCH %u:%u (UID BODY.PEEK[HEADER.FIELDS "
			      "(MESSAGE-ID IN-REPLY-TO REFERENCES DATE FROM)])",
			      (unsigned)first, (unsigned)last);
	s->handle = handle_fetch;
	s->first = first;
	s->last = last;
	s->on_mail = on_mail;
	s->arg = arg;
	char status[256];
	int rc = command(s, cmd, status, sizeof status, err);
	s->handle = NULL;
	free(cmd);
	if (rc > 0)
		return error_set(err, "%s refused to fetch mail %u to %u (it said: "
				 "%s)", s->opts.server, (unsigned)first,
				 (unsigned)last, status);
	return rc;
}

static void add_found(void *arg, uint32_t uid)
{
	struct imap_session *s = arg;
	if (uid < s->first || uid > s->last)
		return;
	if (s->nfound == s->capfound) {
		s->capfound = s->capfound ? s->capfound * 2 : 256;
		s->found = xreallocarray(s->found, s->capfound, sizeof *s->found);
	}
	s->found[s->nfound++] = uid;
}

static int handle_search(struct imap_session *s, const char *resp, size_t len)
{
	if (imap_parse_search(resp, len, add_found, s) < 0) {
		snprintf(s->parse_error, sizeof s->parse_error,
			 "the server sent a SEARCH answer that cannot be read "
			 "(UIDs %u to %u)", (unsigned)s->first, (unsigned)s->last);
		return -1;
	}
	return 0;
}

static int ascending(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int imap_search_uids(struct imap_session *s, uint32_t first, uint32_t last,
		     uint32_t **uids, size_t *count, struct error *err)
{
	*uids = NULL;
	*count = 0;
	char *cmd = xasprintf("UID SEARCH UID %u:%u", (unsigned)first,
			      (unsigned)last);
	s->handle = handle_search;
	s->first = first;
	s->last = last;
	s->found = NULL;
	s->nfound = s->capfound = 0;
	char status[256];
	int rc = command(s, cmd, status, sizeof status, err);
	s->handle = NULL;
	free(cmd);
	if (rc != 0) {
		free(s->found);
		s->found = NULL;
		if (rc > 0)
			return error_set(err, "%s refused to list mail %u to %u "
					 "(it said: %s)", s->opts.server,
					 (unsigned)first, (unsigned)last, status);
		return -1;
	}
	qsort(s->found, s->nfound, sizeof *s->found, ascending);
	*uids = s->found;
	*count = s->nfound;
	s->found = NULL;
	return 0;
}
