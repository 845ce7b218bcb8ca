/* mime.c - builds outgoing e-mail with GMime. Every header value goes
 * through a GMime setter that folds and encodes it (a UTF-8 subject becomes
 * encoded words); the only header written from text is List-Unsubscribe,
 * whose parts are checked first so nothing can break out of it. */
#include "net/mime.h"

#include <gmime/gmime.h>
#include <sodium.h>
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

static int list_unsubscribe(const struct mail *m, GMimeObject *obj,
			    struct error *err)
{
	struct buf v = {0};
	if (m->unsubscribe_mailto) {
		if (mime_check_address(m->unsubscribe_mailto,
				       "sender.unsubscribe_mailto", err) < 0)
			goto fail;
		/* The token is hex from the database; checked all the same. */
		const char *tok = m->unsubscribe_token ? m->unsubscribe_token : "";
		for (const char *p = tok; *p; p++)
			if (!plain_header_char((unsigned char)*p)) {
				error_set(err, "unsubscribe token is not plain text");
				goto fail;
			}
		buf_printf(&v, "<mailto:%s?subject=unsubscribe%s%s>",
			   m->unsubscribe_mailto, *tok ? "%20" : "", tok);
	}
	if (m->unsubscribe_url) {
		if (mime_check_url(m->unsubscribe_url, err) < 0)
			goto fail;
		/* Folded after the comma: a line of its own for each URI. */
		buf_printf(&v, "%s<%s>", v.len ? ",\n " : "", m->unsubscribe_url);
	}
	if (v.len) {
		/* GMime would treat an unknown header as text and encode a long
		 * one as encoded words, which no mail client reads as URIs; the
		 * value is set raw instead, every part checked above. */
		g_mime_object_set_header(obj, "List-Unsubscribe", "", NULL);
		GMimeHeader *h = g_mime_header_list_get_header(
			g_mime_object_get_header_list(obj), "List-Unsubscribe");
		char *raw = xasprintf(" %s\n", v.data);
		g_mime_header_set_raw_value(h, raw);
		free(raw);
		/* RFC 8058: one-click needs an HTTP(S) target to POST to. */
		if (m->unsubscribe_url)
			g_mime_object_set_header(obj, "List-Unsubscribe-Post",
						 "List-Unsubscribe=One-Click", NULL);
	}
	buf_free(&v);
	return 0;
fail:
	buf_free(&v);
	return -1;
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

static void write_message(GMimeMessage *msg, struct buf *out)
{
	GMimeFormatOptions *fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, mem);
	GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	buf_append(out, bytes->data, bytes->len);
	g_object_unref(mem);
	g_mime_format_options_free(fo);
}

int mime_build(const struct mail *m, struct buf *out, struct error *err)
{
	if (mime_check_address(m->from_address, "sender.from_address", err) < 0 ||
	    mime_check_address(m->to_address, "recipient", err) < 0)
		return -1;
	if (!m->message_id || strchr(m->message_id, '<') ||
	    strpbrk(m->message_id, " \t\r\n>"))
		return error_set(err, "Message-ID is not plain text");

	GMimeMessage *msg = g_mime_message_new(TRUE);
	GMimeObject *obj = GMIME_OBJECT(msg);
	char *from_name = m->from_name ? one_line(m->from_name) : NULL;
	InternetAddress *from = internet_address_mailbox_new(from_name,
							     m->from_address);
	internet_address_set_charset(from, "utf-8");
	internet_address_list_add(g_mime_message_get_from(msg), from);
	g_object_unref(from);
	free(from_name);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, NULL, m->to_address);
	char *subject = one_line(m->subject);
	g_mime_message_set_subject(msg, subject, "utf-8");
	free(subject);
	GDateTime *date = g_date_time_new_from_unix_local(m->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	g_mime_message_set_message_id(msg, m->message_id);
	if (list_unsubscribe(m, obj, err) < 0) {
		g_object_unref(msg);
		return -1;
	}
	GMimeObject *body = text_body(m->body);
	g_mime_message_set_mime_part(msg, body);
	g_object_unref(body);
	write_message(msg, out);
	g_object_unref(msg);
	return 0;
}
