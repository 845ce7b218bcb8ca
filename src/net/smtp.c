/* smtp.c - sends one message at a time over a libcurl SMTP handle that
 * keeps its connection between messages. What matters most is telling,
 * after a failure, whether the message may have been delivered: the
 * protocol trace (commands out, replies in) and the upload callback say
 * which step was reached. Once the body has begun to flow, a lost
 * connection leaves delivery unknown and the message must not be resent. */
#include "net/smtp.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/xalloc.h"

struct smtp_session {
	CURL *curl;
	struct smtp_options opts;
	char errbuf[CURL_ERROR_SIZE];
	/* the message in flight */
	const char *data;
	size_t len, pos;
	bool mail_sent;		/* MAIL FROM went out */
	bool upload_started;	/* the server said 354 and the body flows */
	bool upload_done;
	int last_code;		/* last reply code seen */
	int after_data_code;	/* reply to the end of the data, 0 if none */
	int error_code;		/* the first 4xx or 5xx reply, 0 if none */
	char last_reply[512];
	char error_reply[512];	/* that reply: not the 221 to the QUIT after */
};

int smtp_check_url(const char *url, struct error *err)
{
	if (!url || !*url)
		return error_set(err, "no SMTP server configured: set smtp.url "
				 "in outreach.conf (or OUTREACH_SMTP_URL), e.g. "
				 "smtp://mail.example.com:587");
	if (strncasecmp(url, "smtp://", 7) != 0 && strncasecmp(url, "smtps://", 8) != 0)
		return error_set(err, "smtp.url '%s' must start with smtp:// or "
				 "smtps://", url);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ')
			return error_set(err, "smtp.url contains a blank or a "
					 "control character");
	return 0;
}

const char *smtp_outcome_name(enum smtp_outcome o)
{
	switch (o) {
	case SMTP_SENT: return "sent";
	case SMTP_REJECTED: return "rejected";
	case SMTP_DEFERRED: return "deferred";
	case SMTP_UNKNOWN: return "unknown";
	case SMTP_UNAVAILABLE: return "unavailable";
	}
	return "?";
}

static size_t read_body(char *out, size_t size, size_t nmemb, void *arg)
{
	struct smtp_session *s = arg;
	size_t room = size * nmemb, left = s->len - s->pos;
	size_t n = left < room ? left : room;
	s->upload_started = true;
	memcpy(out, s->data + s->pos, n);
	s->pos += n;
	if (n == 0)
		s->upload_done = true;
	return n;
}

/* Keeps the last line of a reply, without its line end and with any
 * control character replaced: it is stored and shown to people. */
static void note_reply(struct smtp_session *s, const char *text, size_t n)
{
	while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n'))
		n--;
	size_t start = n;
	while (start > 0 && text[start - 1] != '\n')
		start--;
	size_t len = n - start;
	if (len >= sizeof s->last_reply)
		len = sizeof s->last_reply - 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[start + i];
		s->last_reply[i] = ch < ' ' || ch == 0x7f ? ' ' : (char)ch;
	}
	s->last_reply[len] = '\0';
	if (len >= 3 && isdigit((unsigned char)s->last_reply[0]) &&
	    isdigit((unsigned char)s->last_reply[1]) &&
	    isdigit((unsigned char)s->last_reply[2])) {
		s->last_code = atoi(s->last_reply);
		if (s->upload_done && s->after_data_code == 0)
			s->after_data_code = s->last_code;
		if (s->last_code >= 400 && s->error_code == 0) {
			s->error_code = s->last_code;
			memcpy(s->error_reply, s->last_reply, sizeof s->error_reply);
		}
	}
}

static int trace(CURL *c, curl_infotype type, char *data, size_t size,
		 void *arg)
{
	(void)c;
	struct smtp_session *s = arg;
	if (type == CURLINFO_HEADER_OUT && size >= 10 &&
	    strncasecmp(data, "MAIL FROM:", 10) == 0)
		s->mail_sent = true;
	else if (type == CURLINFO_HEADER_IN)
		note_reply(s, data, size);
	return 0;
}

struct smtp_session *smtp_open(const struct smtp_options *o)
{
	struct smtp_session *s = xcalloc(1, sizeof *s);
	s->opts = *o;
	s->curl = curl_easy_init();
	if (!s->curl)
		abort();
	CURL *c = s->curl;
	/* The URL's path is the name given in EHLO. */
	size_t n = strlen(o->url);
	while (n > 0 && o->url[n - 1] == '/')
		n--;
	char *url = xasprintf("%.*s/%s", (int)n, o->url,
			      o->helo_domain ? o->helo_domain : "localhost");
	curl_easy_setopt(c, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(c, CURLOPT_READDATA, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, trace);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, s);
	curl_easy_setopt(c, CURLOPT_USE_SSL, starttls_curl_use_ssl(o->starttls));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	return s;
}

static enum smtp_outcome classify(struct smtp_session *s, CURLcode rc)
{
	if (rc == CURLE_OK)
		return SMTP_SENT;
	if (s->upload_started) {
		if (s->upload_done && s->after_data_code >= 500)
			return SMTP_REJECTED;
		if (s->upload_done && s->after_data_code >= 400)
			return SMTP_DEFERRED;
		return SMTP_UNKNOWN;
	}
	if (!s->mail_sent)
		return SMTP_UNAVAILABLE;
	if (s->error_code >= 500)
		return SMTP_REJECTED;
	return SMTP_DEFERRED;
}

enum smtp_outcome smtp_send(struct smtp_session *s, const char *from,
			    const char *to, const char *data, size_t len,
			    char *reply, size_t replylen)
{
	CURL *c = s->curl;
	s->data = data;
	s->len = len;
	s->pos = 0;
	s->mail_sent = s->upload_started = s->upload_done = false;
	s->last_code = s->after_data_code = s->error_code = 0;
	s->last_reply[0] = s->error_reply[0] = s->errbuf[0] = '\0';

	char *env_from = xasprintf("<%s>", from);
	char *env_to = xasprintf("<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, env_to);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, env_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode rc = curl_easy_perform(c);
	enum smtp_outcome out = classify(s, rc);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(rcpt);
	free(env_from);
	free(env_to);

	if (reply && replylen) {
		if (out == SMTP_SENT)
			snprintf(reply, replylen, "%s", s->last_reply);
		else if (s->error_code)
			snprintf(reply, replylen, "%s", s->error_reply);
		else
			snprintf(reply, replylen, "%s%s%s",
				 s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc),
				 s->last_reply[0] ? "; last reply: " : "",
				 s->last_reply);
	}
	return out;
}

void smtp_close(struct smtp_session *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->curl);
	free(s);
}
