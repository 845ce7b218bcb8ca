/* audience.c - the audience query shared by size, preview and generation,
 * and generation itself: a cursor read in chunks, rendered in C, written
 * back with COPY, so memory stays flat however large the audience. */
#include "model/audience.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Rows fetched, rendered and copied per round trip: large enough that the
 * round trips cost nothing next to the rows, small enough for a few MB. */
#define CHUNK_ROWS 10000
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* One row per (business, chosen contact), or one row with a NULL contact
 * for a business with no contact on the platforms, plus whether it is
 * suppressed and whether this campaign already has its message.
 *   $1 statuses  $2 platforms  $3 search  $4 primary only  $5 campaign id
 * "Primary only" picks, per business and type, the primary contact, else
 * the one with the lowest id. Suppressed addresses are stored lower-cased
 * and trimmed, so the contact's value is compared the same way. */
#define AUDIENCE_SQL \
	"WITH aud AS (" \
	" SELECT b.id, b.name, b.website, b.email, b.phone_number, b.address" \
	" FROM businesses b WHERE b.status = ANY($1::text[])" \
	" AND ($3::text IS NULL OR strpos(lower(b.name), lower($3)) > 0" \
	"  OR strpos(lower(coalesce(b.website, '')), lower($3)) > 0)" \
	"), picked AS (" \
	" SELECT r.business_id, r.id, r.type, r.value FROM (" \
	"  SELECT c.business_id, c.id, c.type, c.value, row_number() OVER (" \
	"   PARTITION BY c.business_id, c.type" \
	"   ORDER BY c.is_primary IS TRUE DESC, c.id) AS rank" \
	"  FROM contacts c WHERE c.type = ANY($2::text[])) r" \
	" WHERE NOT $4::boolean OR r.rank = 1" \
	") SELECT a.id, a.name, a.website, a.email, a.phone_number, a.address," \
	" p.id, p.type, p.value," \
	" (sb.id IS NOT NULL OR sa.id IS NOT NULL) AS suppressed," \
	" (m.id IS NOT NULL) AS generated" \
	" FROM aud a LEFT JOIN picked p ON p.business_id = a.id" \
	" LEFT JOIN suppressions sb ON sb.business_id = a.id" \
	" LEFT JOIN suppressions sa ON sa.address = lower(btrim(p.value))" \
	" LEFT JOIN messages m ON m.campaign_id = $5::int" \
	"  AND m.business_id = a.id AND m.contact_id = p.id" \
	"  AND m.platform = p.type"

/* Columns of AUDIENCE_SQL. */
enum {
	COL_BUSINESS_ID, COL_NAME, COL_WEBSITE, COL_EMAIL, COL_PHONE,
	COL_ADDRESS, COL_CONTACT_ID, COL_CONTACT_TYPE, COL_CONTACT_VALUE,
	COL_SUPPRESSED, COL_GENERATED,
};

static const enum business_status all_statuses[] = {
	BUSINESS_PENDING_SCAN, BUSINESS_SCANNED, BUSINESS_ACTIVE,
	BUSINESS_ARCHIVED,
};

static const enum contact_type messaging_types[] = {
	CONTACT_EMAIL, CONTACT_INSTAGRAM, CONTACT_FACEBOOK, CONTACT_TWITTER,
	CONTACT_LINKEDIN,
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

void audience_default(struct audience *a)
{
	*a = (struct audience){
		.statuses = AUDIENCE_BIT(BUSINESS_ACTIVE),
		.platforms = AUDIENCE_BIT(CONTACT_EMAIL),
		.search = NULL,
		.primary_only = true,
	};
}

void audience_free(struct audience *a)
{
	if (!a)
		return;
	free(a->search);
	a->search = NULL;
}

/* Splits a comma-separated list and maps each word through lookup. */
static int parse_words(const char *list, unsigned allowed,
		       int (*lookup)(const char *), const char *what,
		       const char *choices, unsigned *bits, struct error *err)
{
	char *copy = xstrdup(list);
	unsigned out = 0;
	int rc = 0;
	for (char *save = NULL, *w = strtok_r(copy, ", ", &save); w;
	     w = strtok_r(NULL, ", ", &save)) {
		int v = lookup(w);
		if (v < 0 || !(allowed & AUDIENCE_BIT(v))) {
			rc = error_set(err, "'%s' is not a %s; use %s", w, what,
				       choices);
			break;
		}
		out |= AUDIENCE_BIT(v);
	}
	free(copy);
	if (rc == 0 && out == 0)
		rc = error_set(err, "no %s given; use %s", what, choices);
	if (rc == 0)
		*bits = out;
	return rc;
}

int audience_parse_statuses(const char *list, unsigned *bits, struct error *err)
{
	return parse_words(list, ~0u, business_status_from_name,
			   "business status",
			   "pending_scan, scanned, active or archived", bits, err);
}

int audience_parse_platforms(const char *list, unsigned *bits, struct error *err)
{
	return parse_words(list, AUDIENCE_MESSAGING_TYPES, contact_type_from_name,
			   "platform",
			   "email, instagram, facebook, twitter or linkedin",
			   bits, err);
}

char *audience_statuses_literal(unsigned bits)
{
	struct buf b = {0};
	buf_putc(&b, '{');
	for (size_t i = 0; i < COUNT_OF(all_statuses); i++)
		if (bits & AUDIENCE_BIT(all_statuses[i]))
			buf_printf(&b, "%s%s", b.len > 1 ? "," : "",
				   business_status_name(all_statuses[i]));
	buf_putc(&b, '}');
	return buf_detach(&b);
}

/* In enum order, e-mail first: the preview picks the first platform a
 * business can be reached on. */
char *audience_platforms_literal(unsigned bits)
{
	struct buf b = {0};
	buf_putc(&b, '{');
	for (size_t i = 0; i < COUNT_OF(messaging_types); i++)
		if (bits & AUDIENCE_BIT(messaging_types[i]))
			buf_printf(&b, "%s%s", b.len > 1 ? "," : "",
				   contact_type_name(messaging_types[i]));
	buf_putc(&b, '}');
	return buf_detach(&b);
}

/* Literals come from our own columns, whose CHECKs allow only plain
 * words, so no quoting needs handling. */
static unsigned bits_from_literal(const char *literal, int (*lookup)(const char *))
{
	char *copy = xstrdup(literal ? literal : "");
	unsigned out = 0;
	for (char *save = NULL, *w = strtok_r(copy, "{},\" ", &save); w;
	     w = strtok_r(NULL, "{},\" ", &save)) {
		int v = lookup(w);
		if (v >= 0)
			out |= AUDIENCE_BIT(v);
	}
	free(copy);
	return out;
}

unsigned audience_statuses_from_literal(const char *literal)
{
	return bits_from_literal(literal, business_status_from_name);
}

unsigned audience_platforms_from_literal(const char *literal)
{
	return bits_from_literal(literal, contact_type_from_name);
}

char *audience_describe(const struct audience *a)
{
	char *st = audience_statuses_literal(a->statuses);
	char *pl = audience_platforms_literal(a->platforms);
	struct buf b = {0};
	/* Drop the braces: "active,scanned businesses on email". */
	buf_printf(&b, "%.*s businesses on %.*s, %s",
		   (int)strlen(st) - 2, st + 1, (int)strlen(pl) - 2, pl + 1,
		   a->primary_only ? "primary contact only" : "every contact");
	if (a->search)
		buf_printf(&b, ", name or website containing \"%s\"", a->search);
	free(st);
	free(pl);
	return buf_detach(&b);
}

/* The five parameters of AUDIENCE_SQL; the literals are owned by p. */
struct audience_params {
	char *statuses;
	char *platforms;
	char campaign_id[16];
	const char *values[5];
};

static void params_init(struct audience_params *p, const struct audience *a,
			int campaign_id)
{
	p->statuses = audience_statuses_literal(a->statuses);
	p->platforms = audience_platforms_literal(a->platforms);
	snprintf(p->campaign_id, sizeof p->campaign_id, "%d", campaign_id);
	p->values[0] = p->statuses;
	p->values[1] = p->platforms;
	p->values[2] = a->search;
	p->values[3] = a->primary_only ? "t" : "f";
	p->values[4] = p->campaign_id;
}

static void params_free(struct audience_params *p)
{
	free(p->statuses);
	free(p->platforms);
}

void audience_size_query(struct query *q, int campaign_id,
			 const struct audience *a)
{
	struct audience_params p;
	params_init(&p, a, campaign_id);
	query_sql(q,
		"SELECT count(DISTINCT q.id),"
		" count(q.contact_id) FILTER (WHERE NOT q.suppressed),"
		" count(q.contact_id) FILTER (WHERE q.suppressed),"
		" count(*) FILTER (WHERE q.contact_id IS NULL), $5::int"
		" FROM (SELECT s.id, s.suppressed, s.contact_id FROM ("
		AUDIENCE_SQL ") AS s (id, name, website, email, phone_number,"
		" address, contact_id, type, value, suppressed, generated)) q");
	for (int i = 0; i < 5; i++)
		query_value(q, p.values[i]);
	params_free(&p);
}

int audience_size_parse(PGresult *res, struct audience_size *out)
{
	if (PQntuples(res) != 1 || PQnfields(res) < 5)
		return -1;
	out->businesses = atol(PQgetvalue(res, 0, 0));
	out->messages = atol(PQgetvalue(res, 0, 1));
	out->suppressed = atol(PQgetvalue(res, 0, 2));
	out->no_contact = atol(PQgetvalue(res, 0, 3));
	return atoi(PQgetvalue(res, 0, 4));
}

int audience_size(struct db *db, int campaign_id, const struct audience *a,
		  struct audience_size *out, struct error *err)
{
	struct query q = {0};
	audience_size_query(&q, campaign_id, a);
	PGresult *res = db_exec_query(db, &q, err);
	if (!res)
		return -1;
	audience_size_parse(res, out);
	PQclear(res);
	return 0;
}

/* ---- rendering ---- */

static const char *value_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* Fills the per-message values from an audience row; campaign and sender
 * values are set once by the caller and left alone. */
static void fill_values(struct template_values *v, PGresult *res, int row)
{
	v->v[TEMPLATE_FIELD_BUSINESS_NAME] = value_or_null(res, row, COL_NAME);
	v->v[TEMPLATE_FIELD_BUSINESS_WEBSITE] = value_or_null(res, row, COL_WEBSITE);
	v->v[TEMPLATE_FIELD_BUSINESS_EMAIL] = value_or_null(res, row, COL_EMAIL);
	v->v[TEMPLATE_FIELD_BUSINESS_PHONE_NUMBER] = value_or_null(res, row, COL_PHONE);
	v->v[TEMPLATE_FIELD_BUSINESS_ADDRESS] = value_or_null(res, row, COL_ADDRESS);
	v->v[TEMPLATE_FIELD_CONTACT_TYPE] = value_or_null(res, row, COL_CONTACT_TYPE);
	v->v[TEMPLATE_FIELD_CONTACT_VALUE] = value_or_null(res, row, COL_CONTACT_VALUE);
}

/* A fresh unsubscribe token: 128 random bits in hex, unguessable so that
 * nobody can unsubscribe someone else. */
static void new_token(char out[33])
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, 33, raw, sizeof raw);
}

/* The unsubscribe URL pattern with every "{token}" replaced. */
static void expand_unsubscribe(struct buf *out, const char *pattern,
			       const char *token)
{
	buf_reset(out);
	buf_append(out, "", 0);
	for (const char *p = pattern, *t; *p; p = t + 7) {
		t = strstr(p, "{token}");
		if (!t) {
			buf_puts(out, p);
			break;
		}
		buf_append(out, p, (size_t)(t - p));
		buf_puts(out, token);
	}
}

/* Appends s as a COPY text-format field: backslash, tab, newline and
 * carriage return are escaped; everything else is copied in spans. */
static void copy_field(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		char e;
		switch (s[i]) {
		case '\\': e = '\\'; break;
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_putc(out, '\\');
		buf_putc(out, e);
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
}

/* ---- generation ---- */

struct generator {
	struct db *db;
	int campaign_id;
	const struct template *subject;
	const struct template *body;
	const char *unsubscribe_pattern;	/* NULL unless the body uses it */
	struct template_values values;
	struct buf rendered;
	struct buf url;
	struct buf copy;		/* COPY data for the current chunk */
	long copy_rows;
	char campaign_id_text[16];
	struct audience_generate_report *report;
};

/* Renders one audience row into the COPY buffer, or counts why not. */
static void generate_row(struct generator *g, PGresult *res, int row)
{
	if (PQgetisnull(res, row, COL_CONTACT_ID)) {
		g->report->no_contact++;
		return;
	}
	if (PQgetvalue(res, row, COL_SUPPRESSED)[0] == 't') {
		g->report->suppressed++;
		return;
	}
	if (PQgetvalue(res, row, COL_GENERATED)[0] == 't') {
		g->report->already++;
		return;
	}
	fill_values(&g->values, res, row);
	const char *platform = PQgetvalue(res, row, COL_CONTACT_TYPE);
	char token[33] = "";
	if (g->unsubscribe_pattern) {
		new_token(token);
		expand_unsubscribe(&g->url, g->unsubscribe_pattern, token);
		g->values.v[TEMPLATE_FIELD_UNSUBSCRIBE_URL] = g->url.data;
	}
	struct buf *c = &g->copy;
	buf_printf(c, "%s\t%s\t%s\t%s\t", g->campaign_id_text,
		   PQgetvalue(res, row, COL_BUSINESS_ID),
		   PQgetvalue(res, row, COL_CONTACT_ID), platform);
	if (strcmp(platform, "email") == 0) {
		buf_reset(&g->rendered);
		template_render(g->subject, &g->values, &g->rendered);
		copy_field(c, g->rendered.data, g->rendered.len);
	} else {
		buf_puts(c, "\\N");
	}
	buf_putc(c, '\t');
	buf_reset(&g->rendered);
	template_render(g->body, &g->values, &g->rendered);
	copy_field(c, g->rendered.data, g->rendered.len);
	buf_putc(c, '\t');
	buf_puts(c, token[0] ? token : "\\N");
	buf_putc(c, '\n');
	g->copy_rows++;
	g->report->generated++;
}

static int flush_copy(struct generator *g, struct error *err)
{
	if (g->copy_rows == 0)
		return 0;
	if (db_copy_begin(g->db, "COPY messages (campaign_id, business_id, "
			  "contact_id, platform, subject, personalized_content, "
			  "unsubscribe_token) FROM STDIN", err) < 0)
		return -1;
	if (db_copy_put(g->db, g->copy.data, g->copy.len, err) < 0) {
		db_copy_abort(g->db, "generation failed");
		return -1;
	}
	if (db_copy_end(g->db, err) < 0)
		return -1;
	buf_reset(&g->copy);
	g->copy_rows = 0;
	return 0;
}

/* A cheap total for the progress bar: the businesses matching, not the
 * (business, contact) rows, so it is an estimate when there are several
 * platforms. */
static long progress_total(struct db *db, const struct audience_params *p,
			   struct error *err)
{
	const char *values[] = {p->values[0], p->values[2]};
	PGresult *res = db_exec(db, "SELECT count(*) FROM businesses b "
		"WHERE b.status = ANY($1::text[]) AND ($2::text IS NULL OR "
		"strpos(lower(b.name), lower($2)) > 0 OR "
		"strpos(lower(coalesce(b.website, '')), lower($2)) > 0)",
		2, values, err);
	if (!res)
		return -1;
	long n = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

static int stream_audience(struct generator *g, audience_progress_fn progress,
			   void *progress_arg, long total, struct error *err)
{
	long done = 0;
	for (;;) {
		PGresult *res = db_exec(g->db, "FETCH " STRINGIFY(CHUNK_ROWS)
					" FROM outreach_audience", 0, NULL, err);
		if (!res)
			return -1;
		int n = PQntuples(res);
		for (int i = 0; i < n; i++)
			generate_row(g, res, i);
		PQclear(res);
		if (flush_copy(g, err) < 0)
			return -1;
		done += n;
		if (progress)
			progress(done, total, progress_arg);
		if (n < CHUNK_ROWS)
			return 0;
	}
}

int audience_generate(struct db *db, int campaign_id, const char *campaign_name,
		      const struct audience *a, const struct template *subject,
		      const struct template *body,
		      const struct audience_sender *sender,
		      audience_progress_fn progress, void *progress_arg,
		      struct audience_generate_report *out, struct error *err)
{
	*out = (struct audience_generate_report){0};
	if (template_uses_field(body, TEMPLATE_FIELD_UNSUBSCRIBE_URL) &&
	    sodium_init() < 0)
		return error_set(err, "cannot initialise the random number "
				 "generator for unsubscribe tokens");
	struct generator g = {
		.db = db, .campaign_id = campaign_id, .subject = subject,
		.body = body, .report = out,
	};
	snprintf(g.campaign_id_text, sizeof g.campaign_id_text, "%d", campaign_id);
	g.values.v[TEMPLATE_FIELD_CAMPAIGN_NAME] = campaign_name;
	g.values.v[TEMPLATE_FIELD_SENDER_NAME] = sender ? sender->name : NULL;
	if (sender && sender->unsubscribe_url &&
	    template_uses_field(body, TEMPLATE_FIELD_UNSUBSCRIBE_URL))
		g.unsubscribe_pattern = sender->unsubscribe_url;

	struct audience_params p;
	params_init(&p, a, campaign_id);
	long total = progress ? progress_total(db, &p, err) : -1;
	int rc = progress && total < 0 ? -1 : 0;
	if (rc == 0)
		rc = db_command(db, "DECLARE outreach_audience NO SCROLL CURSOR "
				"FOR " AUDIENCE_SQL, 5, p.values, err);
	params_free(&p);
	if (rc == 0)
		rc = stream_audience(&g, progress, progress_arg, total, err);
	if (rc == 0)
		rc = db_command(db, "CLOSE outreach_audience", 0, NULL, err);
	buf_free(&g.rendered);
	buf_free(&g.url);
	buf_free(&g.copy);
	return rc;
}

/* ---- preview ---- */

static char *dup_value(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : xstrdup(PQgetvalue(res, row, col));
}

int audience_preview(struct db *db, const char *campaign_name,
		     const struct audience *a, int business_id,
		     const struct template *subject, const struct template *body,
		     const struct audience_sender *sender,
		     struct audience_preview *out, struct error *err)
{
	*out = (struct audience_preview){0};
	char *platforms = audience_platforms_literal(a->platforms);
	char id[16];
	snprintf(id, sizeof id, "%d", business_id);
	const char *params[] = {id, platforms};
	/* The same columns as AUDIENCE_SQL, so fill_values() applies; the
	 * contact is the primary (else first) on the first platform. */
	PGresult *res = db_exec(db,
		"SELECT b.id, b.name, b.website, b.email, b.phone_number,"
		" b.address, c.id, c.type, c.value"
		" FROM businesses b LEFT JOIN LATERAL (SELECT c.id, c.type, c.value"
		"  FROM contacts c WHERE c.business_id = b.id"
		"  AND c.type = ANY($2::text[])"
		"  ORDER BY array_position($2::text[], c.type::text),"
		"  c.is_primary IS TRUE DESC, c.id LIMIT 1) c ON true"
		" WHERE b.id = $1::int", 2, params, err);
	free(platforms);
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return error_set(err, "there is no business with id %d", business_id);
	}
	struct template_values v = {{0}};
	fill_values(&v, res, 0);
	v.v[TEMPLATE_FIELD_CAMPAIGN_NAME] = campaign_name;
	v.v[TEMPLATE_FIELD_SENDER_NAME] = sender ? sender->name : NULL;
	v.v[TEMPLATE_FIELD_UNSUBSCRIBE_URL] = sender ? sender->unsubscribe_url : NULL;
	out->business_name = dup_value(res, 0, COL_NAME);
	out->contact_type = dup_value(res, 0, COL_CONTACT_TYPE);
	out->contact_value = dup_value(res, 0, COL_CONTACT_VALUE);
	struct buf b = {0};
	if (!out->contact_type || strcmp(out->contact_type, "email") == 0) {
		template_render(subject, &v, &b);
		out->subject = buf_detach(&b);
	}
	template_render(body, &v, &b);
	out->body = buf_detach(&b);
	PQclear(res);
	return 0;
}

void audience_preview_free(struct audience_preview *p)
{
	if (!p)
		return;
	free(p->business_name);
	free(p->contact_type);
	free(p->contact_value);
	free(p->subject);
	free(p->body);
	*p = (struct audience_preview){0};
}

/* ---- values for a local preview ---- */

void audience_values_query(struct query *q, const struct audience *a,
			   int business_id, enum audience_step step)
{
	char *platforms = audience_platforms_literal(a->platforms);
	query_sql(q, "SELECT b.id, b.name, b.website, b.email, b.phone_number,"
		  " b.address, c.id, c.type, c.value FROM businesses b"
		  " LEFT JOIN LATERAL (SELECT c.id, c.type, c.value"
		  " FROM contacts c WHERE c.business_id = b.id AND c.type = ANY(");
	query_param(q, platforms, "::text[]");
	query_sql(q, ") ORDER BY array_position(");
	query_param(q, platforms, "::text[]");
	query_sql(q, ", c.type::text), c.is_primary IS TRUE DESC, c.id LIMIT 1)"
		  " c ON true WHERE b.id ");
	free(platforms);
	query_sql(q, step == AUDIENCE_THIS ? "= " :
		  step == AUDIENCE_NEXT ? "> " : "< ");
	query_param_int(q, business_id);
	if (step == AUDIENCE_THIS)
		return;
	char *statuses = audience_statuses_literal(a->statuses);
	query_sql(q, " AND b.status = ANY(");
	query_param(q, statuses, "::text[]");
	free(statuses);
	query_sql(q, ")");
	if (a->search) {
		query_sql(q, " AND (strpos(lower(b.name), lower(");
		query_param(q, a->search, "::text");
		query_sql(q, ")) > 0 OR strpos(lower(coalesce(b.website, '')), lower(");
		query_param(q, a->search, "::text");
		query_sql(q, ")) > 0)");
	}
	query_sql(q, step == AUDIENCE_NEXT ? " ORDER BY b.id LIMIT 1" :
		  " ORDER BY b.id DESC LIMIT 1");
}

int audience_values_parse(PGresult *res, struct audience_values *out)
{
	*out = (struct audience_values){0};
	if (PQntuples(res) == 0)
		return 1;
	struct template_values v = {{0}};
	fill_values(&v, res, 0);
	out->business_id = atoi(PQgetvalue(res, 0, COL_BUSINESS_ID));
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		out->v[f] = v.v[f] ? xstrdup(v.v[f]) : NULL;
	return 0;
}

void audience_values_free(struct audience_values *v)
{
	if (!v)
		return;
	for (int f = 0; f < TEMPLATE_FIELD_COUNT; f++)
		free(v->v[f]);
	*v = (struct audience_values){0};
}

struct audience_sender audience_sender_from_config(const struct config *c)
{
	return (struct audience_sender){
		.name = config_get(c, CFG_SENDER_FROM_NAME),
		.unsubscribe_url = config_get(c, CFG_SENDER_UNSUBSCRIBE_URL),
	};
}
