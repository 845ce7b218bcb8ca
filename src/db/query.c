/* query.c - parameter bookkeeping for composed statements.
 * Values are copied so a query outlives the strings it was built from. */
#include "db/query.h"

#include <stdio.h>
#include <stdlib.h>

void query_sql(struct query *q, const char *sql)
{
	buf_puts(&q->sql, sql);
}

void query_value(struct query *q, const char *value)
{
	if (q->nparams >= QUERY_MAX_PARAMS) {
		/* A programming error, not a user one: fail loudly. */
		fprintf(stderr, "outreach: too many query parameters\n");
		abort();
	}
	q->params[q->nparams++] = value ? xstrdup(value) : NULL;
}

void query_param(struct query *q, const char *value, const char *cast)
{
	query_value(q, value);
	buf_printf(&q->sql, "$%d%s", q->nparams, cast ? cast : "");
}

void query_param_int(struct query *q, long long value)
{
	char text[32];
	snprintf(text, sizeof text, "%lld", value);
	query_param(q, text, "::bigint");
}

void query_free(struct query *q)
{
	for (int i = 0; i < q->nparams; i++)
		free(q->params[i]);
	q->nparams = 0;
	buf_free(&q->sql);
}
