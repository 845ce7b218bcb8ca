/* imap.h - reading the headers of new mail from one IMAP mailbox (libcurl),
 * without changing anything in it, and the parsing of what the server
 * answers: responses with literals, FETCH and STATUS data, and the few
 * header fields that tie a reply to the message it answers. */
#ifndef OUTREACH_NET_IMAP_H
#define OUTREACH_NET_IMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "net/starttls.h"

/* ---------------------------------------------------------------- parsing
 * Pure functions over bytes the server sent; no I/O. */

/* The largest literal accepted: header fields of one mail never come
 * near it, and a larger length is a broken or hostile server. */
#define IMAP_MAX_LITERAL (1024 * 1024)

/* Length of the first complete response in buf[0..n): a line ending in
 * CRLF, where every "{N}" (or "{N+}") just before a CRLF announces N bytes
 * of literal that follow and are skipped whatever they contain. Returns
 * the length including the final CRLF, 0 when more bytes are needed, or
 * -1 when the input is malformed (a literal longer than max_literal, a
 * length that is not a number). */
long imap_response_length(const char *buf, size_t n, size_t max_literal);

/* One "* SEQ FETCH (...)" response: its UID and the header fields (the
 * literal or quoted string of the BODY[...] item; NULL/0 when NIL or
 * absent), pointing into the response. */
struct imap_fetch {
	uint32_t seq, uid;
	const char *header;
	size_t header_len;
};

/* 0 when resp is a "* SEARCH n n ..." response, each number given to add;
 * 1 when it is some other response; -1 when it is a SEARCH response that
 * cannot be read. */
int imap_parse_search(const char *resp, size_t len,
		      void (*add)(void *arg, uint32_t uid), void *arg);

/* 0 when resp (a whole response, as measured above) is a FETCH response
 * with a UID; 1 when it is some other response; -1 when it is a FETCH
 * response that cannot be read. */
int imap_parse_fetch(const char *resp, size_t len, struct imap_fetch *out);

/* "* STATUS mailbox (UIDVALIDITY n UIDNEXT n ...)": 0 with the values
 * found (0 when absent), 1 when resp is another response, -1 when it is
 * malformed. */
int imap_parse_status(const char *resp, size_t len, uint32_t *uidvalidity,
		      uint32_t *uidnext);

/* "* OK [UIDVALIDITY n] ...", as sent on selecting a mailbox: 0 with the
 * value, 1 for any other response. */
int imap_parse_uidvalidity(const char *resp, size_t len, uint32_t *uidvalidity);

/* What a mail's headers say about the messages it answers. */
#define IMAP_MAX_REFS 64		/* ids kept per mail */
#define IMAP_MAX_ID 250			/* bytes of one id */

struct mail_refs {
	char *ids[IMAP_MAX_REFS];	/* In-Reply-To, then References, no
					 * <>, no duplicates; caller frees
					 * with mail_refs_free */
	size_t count;
	bool has_date;
	int64_t date;			/* seconds since the epoch, UTC */
};

/* Reads In-Reply-To, References and Date from header fields (folded
 * lines unfolded, names in any case). Never fails: what cannot be read is
 * left out. */
void mail_refs_parse(const char *header, size_t len, struct mail_refs *out);
void mail_refs_free(struct mail_refs *r);

/* Parses an RFC 5322 date ("Tue, 1 Dec 2026 10:00:00 +0100", obsolete
 * zone names and two-digit years included). false when it is not one. */
bool mail_date_parse(const char *s, size_t len, int64_t *out);

/* ---------------------------------------------------------------- session */

/* The server as scheme://host[:port] from an imap:// or imaps:// URL,
 * without credentials; a URL naming a mailbox or anything else is
 * refused. Caller frees *out. */
int imap_server_name(const char *url, char **out, struct error *err);

/* Mailbox names are printable ASCII here (no modified UTF-7). */
int imap_check_mailbox(const char *mailbox, struct error *err);

struct imap_options {
	const char *server;		/* from imap_server_name() */
	const char *user;
	const char *password;
	enum starttls starttls;
	long timeout_s;
	const char *ca_file;		/* CAs to trust; NULL: the system's */
};

struct imap_session;

/* Never fails: the connection is made by the first command. Caller frees
 * with imap_close. */
struct imap_session *imap_open(const struct imap_options *o);
void imap_close(struct imap_session *s);	/* accepts NULL */

/* STATUS: the mailbox's UIDVALIDITY and UIDNEXT. The error says what to
 * do: a refused login, an unreachable server, a missing mailbox. */
int imap_status(struct imap_session *s, const char *mailbox,
		uint32_t *uidvalidity, uint32_t *uidnext, struct error *err);

/* EXAMINE: opens the mailbox read-only, so nothing read marks anything;
 * its UIDVALIDITY must still be expected (else it changed meanwhile). */
int imap_examine(struct imap_session *s, const char *mailbox,
		 uint32_t expected_uidvalidity, struct error *err);

/* UID FETCH first:last of the examined mailbox, header fields only (PEEK:
 * no \Seen). on_mail is called for each mail with a UID in [first, last],
 * in the server's order; its header points into a buffer reused after it
 * returns. */
int imap_fetch_headers(struct imap_session *s, uint32_t first, uint32_t last,
		       void (*on_mail)(void *arg, const struct imap_fetch *m),
		       void *arg, struct error *err);

/* The UIDs of the mails in [first, last] of the mailbox open, ascending,
 * newly allocated (*uids is NULL when there are none): one round trip,
 * however sparse the UIDs are. */
int imap_search_uids(struct imap_session *s, uint32_t first, uint32_t last,
		     uint32_t **uids, size_t *count, struct error *err);

#endif
