/* migrate.h - creating and upgrading the schema from sql/NNN_name.sql files,
 * applied in order, each in its own transaction, recorded in a table. */
#ifndef OUTREACH_MIGRATE_H
#define OUTREACH_MIGRATE_H

#include "core/error.h"
#include "db/db.h"

struct migrate_report {
	int applied;		/* migrations applied by this run */
	int version;		/* schema version afterwards */
};

/* Applies every migration in sql_dir newer than the database's version.
 * Refuses (returns -1) a database whose recorded version is newer than the
 * newest file. progress, when not NULL, is called with each file's name
 * before it is applied. */
int migrate_run(struct db *db, const char *sql_dir,
		void (*progress)(const char *name, void *arg), void *arg,
		struct migrate_report *report, struct error *err);

/* Checks that the database is at exactly the version the files describe;
 * the error tells the user to run `outreach migrate` (or upgrade). */
int migrate_check(struct db *db, const char *sql_dir, struct error *err);

#endif
