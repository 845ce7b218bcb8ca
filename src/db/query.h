/* query.h - building a parameterised statement piece by piece: SQL text
 * with $n placeholders and the values that go with them, never pasted in.
 * Lets model code compose filters and keyset conditions, then hand the
 * statement to either the blocking or the event-loop connection. */
#ifndef OUTREACH_QUERY_H
#define OUTREACH_QUERY_H

#include "core/xalloc.h"

#define QUERY_MAX_PARAMS 16

struct query {
	struct buf sql;
	int nparams;
	char *params[QUERY_MAX_PARAMS];
};

/* Appends literal SQL (text written by us, never data). */
void query_sql(struct query *q, const char *sql);
/* Adds a parameter value (NULL = SQL NULL) and appends its "$n" with an
 * optional cast such as "::int". */
void query_param(struct query *q, const char *value, const char *cast);
void query_param_int(struct query *q, long long value);
/* Adds the value of the next placeholder already written in the SQL text
 * (a fixed statement numbering its own $1, $2, ...). */
void query_value(struct query *q, const char *value);
void query_free(struct query *q);	/* leaves q empty and reusable */

#endif
