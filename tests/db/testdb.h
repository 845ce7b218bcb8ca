/* testdb.h - fresh databases for database tests, in the throwaway cluster
 * that tests/run starts (reached through PGHOST/PGUSER it exports). */
#ifndef OUTREACH_TESTDB_H
#define OUTREACH_TESTDB_H

#include "db/db.h"

/* Creates a new database copied from the migrated template and connects
 * to it; aborts the test on failure. The name is stored in name_out when
 * not NULL (at least 64 bytes). */
struct db *testdb_fresh(char *name_out);
/* Same, but an empty database with no schema at all. */
struct db *testdb_empty(char *name_out);
/* A second connection to the named database. */
struct db *testdb_connect(const char *name);
/* Runs SQL that must succeed; returns the result (caller PQclear()s). */
PGresult *testdb_query(struct db *db, const char *sql);
/* Runs several statements of test set-up that must all succeed. */
void testdb_script(struct db *db, const char *sql);
/* Runs SQL that must succeed and returns the first value as a new string. */
char *testdb_value(struct db *db, const char *sql);
/* Runs `outreach ARGS...` (a shell command line tail) with the output in
 * *out (caller frees); returns the exit status. */
int testdb_run_outreach(const char *args, char **out);

#endif
