/* mime.c - builds outgoing e-mail with GMime. Every header value goes
 * through a GMime setter that folds and encodes it (a UTF-8 subject becomes
 * encoded words); the only header written from text is List-Unsubscribe,
 * whose parts are checked first so nothing can break out of it. */
#include "net/mime.h"

#include <gmime/gmime.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>

void mime_init(void)
{
	g_mime_init();
	if (sodium_init() < 0)
		abort();
}

char *mime_new_message_id(const char *from_address)
{
	unsigned char raw[16];
	char hex[sizeof raw * 2 + 1];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	const char *at = from_address ? strrchr(from_address, '@') : NULL;
	const char *domain = at && at[1] ? at + 1 : "outreach.invalid";
	return xasprintf("%s@%s", hex, domain);
}

static bool plain_header_char(unsigned char ch)
{
	return ch > ' ' && ch < 0x7f && !strchr("<>,\"()[]\\;", ch);
}

int mime_check_address(const char *address, const char *what,
		       struct error *err)
{
	if (!address || !*address)
		return error_set(err, "%s is empty", what);
	const char *at = strchr(address, '@');
	if (!at || at == address || !at[1] || strchr(at + 1, '@'))
		return error_set(err, "%s '%s' is not an e-mail address", what,
				 address);
	for (const unsigned char *p = (const unsigned char *)address; *p; p++)
		if (!plain_header_char(*p) && *p < 0x80)
			return error_set(err, "%s contains a character not allowed "
					 "in an e-mail address", what);
	return 0;
}

int mime_check_url(const char *url, struct error *err)
{
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return error_set(err, "unsubscribe URL must start with https:// "
				 "(or http://)");
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>' || *p == ',')
			return error_set(err, "unsubscribe URL contains a blank, "
					 "control, non-ASCII, <, > or comma; "
					 "percent-encode it");
	return 0;
}

/* A subject on one line: CR, LF and other controls become spaces. */
static char *one_line(const char *s)
{
	char *copy = xstrdup(s ? s : "");
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	return copy;
}

/* The List-Unsubscribe value for m into v, every part checked; empty when
 * the message names no way to unsubscribe. */
static int list_unsubscribe_value(const struct mail *m, struct buf *v,
				  struct error *err)
{
	if (m->unsubscribe_mailto) {
		if (mime_check_address(m->unsubscribe_mailto,
				       "sender.unsubscribe_mailto", err) < 0)
			return -1;
		/* The token is hex from the database; checked all the same. */
		const char *tok = m->unsubscribe_token ? m->unsubscribe_token : "";
		for (const char *p = tok; *p; p++)
			if (!plain_header_char((unsigned char)*p))
				return error_set(err, "unsubscribe token is not "
						 "plain text");
		buf_printf(v, "<mailto:%s?subject=unsubscribe%s%s>",
			   m->unsubscribe_mailto, *tok ? "%20" : "", tok);
	}
	if (m->unsubscribe_url) {
		if (mime_check_url(m->unsubscribe_url, err) < 0)
			return -1;
		/* Folded after the comma: a line of its own for each URI. */
		buf_printf(v, "%s<%s>", v->len ? ",\n " : "", m->unsubscribe_url);
	}
	return 0;
}

/* What stays the same from one message to the next of a sending run: the
 * sender, and which unsubscribe headers there are. A message of another
 * shape gets a message object of its own. */
struct shape {
	char *from_name;
	char *from_address;
	bool list_unsubscribe;
	bool one_click;
};

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_shape(const struct shape *s, const struct mail *m)
{
	return same_text(s->from_name, m->from_name) &&
	       same_text(s->from_address, m->from_address) &&
	       s->list_unsubscribe == (m->unsubscribe_url || m->unsubscribe_mailto) &&
	       s->one_click == (m->unsubscribe_url != NULL);
}

struct mime_writer {
	GMimeMessage *msg;		/* NULL until the first message */
	InternetAddressMailbox *to;	/* in msg's To list */
	GMimeHeader *list_unsubscribe;	/* in msg's headers, or NULL */
	struct shape shape;
	GMimeFormatOptions *format;
	GMimeStream *mem;
	struct buf value;
};

struct mime_writer *mime_writer_new(void)
{
	struct mime_writer *w = xcalloc(1, sizeof *w);
	w->format = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(w->format,
						 GMIME_NEWLINE_FORMAT_DOS);
	w->mem = g_mime_stream_mem_new();
	return w;
}

static void drop_message(struct mime_writer *w)
{
	if (w->msg)
		g_object_unref(w->msg);
	w->msg = NULL;
	w->to = NULL;
	w->list_unsubscribe = NULL;
	free(w->shape.from_name);
	free(w->shape.from_address);
	memset(&w->shape, 0, sizeof w->shape);
}

void mime_writer_free(struct mime_writer *w)
{
	if (!w)
		return;
	drop_message(w);
	g_mime_format_options_free(w->format);
	g_object_unref(w->mem);
	buf_free(&w->value);
	free(w);
}

/* A message object with the headers every message of m's shape has, in the
 * order a message built from nothing has them. */
static void new_message(struct mime_writer *w, const struct mail *m)
{
	drop_message(w);
	w->msg = g_mime_message_new(TRUE);
	GMimeObject *obj = GMIME_OBJECT(w->msg);
	char *from_name = m->from_name ? one_line(m->from_name) : NULL;
	InternetAddress *from = internet_address_mailbox_new(from_name,
							     m->from_address);
	internet_address_set_charset(from, "utf-8");
	internet_address_list_add(g_mime_message_get_from(w->msg), from);
	g_object_unref(from);
	free(from_name);
	InternetAddress *to = internet_address_mailbox_new(NULL, m->to_address);
	internet_address_list_add(g_mime_message_get_to(w->msg), to);
	w->to = INTERNET_ADDRESS_MAILBOX(to);
	g_object_unref(to);	/* the list holds it */
	/* Set here, though each build sets them again, because a header
	 * takes its place when first set: Message-Id must come before the
	 * unsubscribe headers, as in a message built from nothing. */
	g_mime_message_set_subject(w->msg, "", "utf-8");
	GDateTime *date = g_date_time_new_from_unix_local(m->date);
	g_mime_message_set_date(w->msg, date);
	g_date_time_unref(date);
	g_mime_message_set_message_id(w->msg, m->message_id);
	w->shape.from_name = m->from_name ? xstrdup(m->from_name) : NULL;
	w->shape.from_address = xstrdup(m->from_address);
	w->shape.list_unsubscribe = m->unsubscribe_url || m->unsubscribe_mailto;
	w->shape.one_click = m->unsubscribe_url != NULL;
	if (w->shape.list_unsubscribe) {
		/* GMime would treat an unknown header as text and encode a
		 * long one as encoded words, which no mail client reads as
		 * URIs; the value is set raw instead, every part checked. */
		g_mime_object_set_header(obj, "List-Unsubscribe", "", NULL);
		w->list_unsubscribe = g_mime_header_list_get_header(
			g_mime_object_get_header_list(obj), "List-Unsubscribe");
	}
	/* RFC 8058: one-click needs an HTTP(S) target to POST to. */
	if (w->shape.one_click)
		g_mime_object_set_header(obj, "List-Unsubscribe-Post",
					 "List-Unsubscribe=One-Click", NULL);
}

static GMimeObject *text_body(const char *body)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(part, body ? body : "");
	g_mime_text_part_set_charset(part, "utf-8");
	/* 7-bit on the wire: quoted-printable (or base64 when shorter) keeps
	 * the body intact through servers without 8BITMIME. */
	g_mime_object_encode(GMIME_OBJECT(part), GMIME_ENCODING_CONSTRAINT_7BIT);
	return GMIME_OBJECT(part);
}

int mime_writer_build(struct mime_writer *w, const struct mail *m,
		      struct buf *out, struct error *err)
{
	if (mime_check_address(m->from_address, "sender.from_address", err) < 0 ||
	    mime_check_address(m->to_address, "recipient", err) < 0)
		return -1;
	if (!m->message_id || strchr(m->message_id, '<') ||
	    strpbrk(m->message_id, " \t\r\n>"))
		return error_set(err, "Message-ID is not plain text");
	buf_reset(&w->value);
	if (list_unsubscribe_value(m, &w->value, err) < 0)
		return -1;

	if (!w->msg || !same_shape(&w->shape, m))
		new_message(w, m);
	/* Each setter replaces its header's value where it stands. */
	internet_address_mailbox_set_addr(w->to, m->to_address);
	char *subject = one_line(m->subject);
	g_mime_message_set_subject(w->msg, subject, "utf-8");
	free(subject);
	GDateTime *date = g_date_time_new_from_unix_local(m->date);
	g_mime_message_set_date(w->msg, date);
	g_date_time_unref(date);
	g_mime_message_set_message_id(w->msg, m->message_id);
	if (w->list_unsubscribe) {
		char *raw = xasprintf(" %s\n", w->value.data);
		g_mime_header_set_raw_value(w->list_unsubscribe, raw);
		free(raw);
	}
	GMimeObject *body = text_body(m->body);
	g_mime_message_set_mime_part(w->msg, body);
	g_object_unref(body);

	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(w->mem));
	g_byte_array_set_size(bytes, 0);
	g_mime_stream_reset(w->mem);
	g_mime_object_write_to_stream(GMIME_OBJECT(w->msg), w->format, w->mem);
	buf_append(out, bytes->data, bytes->len);
	return 0;
}

int mime_build(const struct mail *m, struct buf *out, struct error *err)
{
	struct mime_writer *w = mime_writer_new();
	int rc = mime_writer_build(w, m, out, err);
	mime_writer_free(w);
	return rc;
}
