/* datafiles.h - where the files outreach ships (SQL migrations, demo data)
 * are found: from the build tree while developing, else where `make
 * install` put them, unless an environment variable says otherwise. */
#ifndef OUTREACH_DATAFILES_H
#define OUTREACH_DATAFILES_H

/* The directory holding sql/NNN_*.sql (OUTREACH_SQLDIR overrides).
 * Returns a static string. */
const char *datafiles_sql_dir(void);
/* The directory holding demo.sql and other data (OUTREACH_DATADIR
 * overrides). Returns a static string. */
const char *datafiles_data_dir(void);

/* Reads a whole shipped file (a migration, demo data) into a new string
 * the caller frees; NULL with err naming the file on failure. */
struct error;
char *datafiles_read(const char *path, struct error *err);

#endif
