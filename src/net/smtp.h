/* smtp.h - one SMTP connection (libcurl) that sends many messages in turn,
 * and says for each what became of it, so the caller can keep the rule
 * that no message is ever sent twice. */
#ifndef OUTREACH_NET_SMTP_H
#define OUTREACH_NET_SMTP_H

#include <stddef.h>

#include "core/error.h"
#include "net/starttls.h"

struct smtp_options {
	const char *url;		/* smtp://host[:port] or smtps://... */
	const char *user;		/* NULL: no AUTH */
	const char *password;
	enum starttls starttls;
	const char *ca_file;		/* NULL: the system's */
	long timeout_s;
	const char *helo_domain;	/* name given in EHLO */
};

/* Checks the URL names an smtp or smtps server. */
int smtp_check_url(const char *url, struct error *err);

enum smtp_outcome {
	SMTP_SENT,		/* the server took it (2xx after the data) */
	SMTP_REJECTED,		/* a 5xx for this message: do not try again */
	SMTP_DEFERRED,		/* a 4xx or a failure before the data went
				 * out: safe to try again later */
	SMTP_UNKNOWN,		/* lost after the data began: it may have been
				 * delivered, so it must not be sent again */
	SMTP_UNAVAILABLE,	/* no usable connection (refused, TLS, AUTH):
				 * nothing was sent; the message is not at
				 * fault */
};

const char *smtp_outcome_name(enum smtp_outcome o);

struct smtp_session;

/* Never fails: the connection is made by the first send. Caller frees
 * with smtp_close. */
struct smtp_session *smtp_open(const struct smtp_options *o);
/* Sends data (a whole message, CRLF line ends) from one envelope sender to
 * one recipient. reply receives the server's last reply or curl's reason,
 * one line. */
enum smtp_outcome smtp_send(struct smtp_session *s, const char *from,
			    const char *to, const char *data, size_t len,
			    char *reply, size_t replylen);
/* Says QUIT and closes; accepts NULL. */
void smtp_close(struct smtp_session *s);

#endif
