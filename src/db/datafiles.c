/* datafiles.c - locating shipped SQL and data files.
 * A binary running from its build directory uses the source tree's files, so
 * `make demo` and `make check` never pick up an older installed copy. */

#include "db/datafiles.h"

#include "core/file.h"

#include "core/error.h"
#include "core/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool running_from_build_tree(void)
{
	static int cached = -1;
	if (cached >= 0)
		return cached;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	cached = 0;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char *real = realpath(ABS_BUILDDIR, NULL);
			cached = real && strcmp(real, exe) == 0;
			free(real);
		}
	}
	return cached;
}

const char *datafiles_sql_dir(void)
{
	const char *env = getenv("OUTREACH_SQLDIR");
	if (env && *env)
		return env;
	return running_from_build_tree() ? ABS_SRCDIR "/sql" : PKGDATADIR "/sql";
}

const char *datafiles_data_dir(void)
{
	const char *env = getenv("OUTREACH_DATADIR");
	if (env && *env)
		return env;
	return running_from_build_tree() ? ABS_SRCDIR "/data" : PKGDATADIR;
}

char *datafiles_read(const char *path, struct error *err)
{
	return file_read_all(path, NULL, err);
}
