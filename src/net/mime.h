/* mime.h - one outgoing e-mail as bytes on the wire: headers built by GMime
 * from typed parts (never pasted together), a UTF-8 plain-text body, CRLF
 * line ends. */
#ifndef OUTREACH_NET_MIME_H
#define OUTREACH_NET_MIME_H

#include <stddef.h>
#include <time.h>

#include "core/error.h"
#include "core/xalloc.h"

struct mail {
	const char *from_name;		/* may be NULL */
	const char *from_address;
	const char *to_address;
	const char *subject;		/* UTF-8; CR/LF become spaces */
	const char *body;		/* UTF-8 */
	const char *message_id;		/* without angle brackets */
	const char *unsubscribe_url;	/* resolved for this message; may be NULL */
	const char *unsubscribe_mailto;	/* address; may be NULL */
	const char *unsubscribe_token;	/* named in the mailto subject */
	time_t date;
};

/* Call once before any thread builds a message. */
void mime_init(void);

/* "<32 hex>@DOMAIN" without brackets, DOMAIN taken from from_address:
 * unique without coordination between workers. Caller frees. */
char *mime_new_message_id(const char *from_address);

/* Checks an address is a plain addr-spec fit for a header and an SMTP
 * envelope: one '@', no blanks, controls, brackets, quotes or commas. */
int mime_check_address(const char *address, const char *what,
		       struct error *err);
/* Checks a URL is fit to stand between angle brackets in
 * List-Unsubscribe: http or https, no blanks, controls, <, > or commas. */
int mime_check_url(const char *url, struct error *err);

/* Appends the whole message to out. -1 with err when a part is unfit. */
int mime_build(const struct mail *m, struct buf *out, struct error *err);

/* The same, for many messages in turn: a writer keeps GMime's message
 * object and only sets what changes from one message to the next, which
 * halves the work of a build. Its output is byte for byte mime_build's.
 * One writer per thread. */
struct mime_writer;
struct mime_writer *mime_writer_new(void);
int mime_writer_build(struct mime_writer *w, const struct mail *m,
		      struct buf *out, struct error *err);
/* Accepts NULL. */
void mime_writer_free(struct mime_writer *w);

#endif
