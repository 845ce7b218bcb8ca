/* cluster.c - initdb/pg_ctl driving for the private demo cluster.
 * PostgreSQL refuses to run as root, so as root every server program runs
 * as the postgres system user and the files belong to it. */

#include "db/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xalloc.h"

#define SUPERUSER "outreach"

static const char *pg_bindir(void)
{
	const char *env = getenv("OUTREACH_PG_BINDIR");
	return env && *env ? env : PG_BINDIR;
}

static int mkdir_p(const char *path, const struct cluster *c, struct error *err)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(tmp, 0700) == 0) {
			/* The server user must reach every directory we make. */
			if (c->drop_to_postgres && chown(tmp, c->uid, c->gid) < 0)
				return error_set(err, "cannot give %s to the "
						 "postgres user: %s", tmp,
						 strerror(errno));
		} else if (errno != EEXIST) {
			return error_set(err, "cannot create %s: %s", tmp,
					 strerror(errno));
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (c->drop_to_postgres && chown(path, c->uid, c->gid) < 0)
		return error_set(err, "cannot give %s to the postgres user: %s",
				 path, strerror(errno));
	return 0;
}

int cluster_locate_demo(struct cluster *c, struct error *err)
{
	memset(c, 0, sizeof *c);
	const char *xdg = getenv("XDG_DATA_HOME");
	c->drop_to_postgres = geteuid() == 0;
	if (c->drop_to_postgres) {
		struct passwd *pw = getpwnam("postgres");
		if (!pw)
			return error_set(err, "running as root, but there is no "
					 "postgres system user to run the demo "
					 "database as; install the postgresql "
					 "package (./bootstrap does)");
		c->uid = pw->pw_uid;
		c->gid = pw->pw_gid;
	}
	if (xdg && xdg[0] == '/') {
		snprintf(c->base, sizeof c->base, "%s/outreach/demo", xdg);
	} else if (c->drop_to_postgres) {
		snprintf(c->base, sizeof c->base, "/var/lib/outreach/demo");
	} else {
		const char *home = getenv("HOME");
		if (!home || home[0] != '/')
			return error_set(err, "neither XDG_DATA_HOME nor HOME is "
					 "set; set one so the demo knows where "
					 "to keep its database");
		snprintf(c->base, sizeof c->base, "%s/.local/share/outreach/demo",
			 home);
	}
	snprintf(c->pgdata, sizeof c->pgdata, "%s/pgdata", c->base);
	snprintf(c->sockdir, sizeof c->sockdir, "%s/run", c->base);
	snprintf(c->logfile, sizeof c->logfile, "%s/postgresql.log", c->base);
	/* A Unix socket path holds at most 107 bytes. */
	if (strlen(c->sockdir) + strlen("/.s.PGSQL.5432") >= 108)
		return error_set(err, "the demo directory %s is too deep for a "
				 "Unix socket; set XDG_DATA_HOME to a shorter path",
				 c->base);
	return 0;
}

bool cluster_exists(const struct cluster *c)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof path, "%s/PG_VERSION", c->pgdata);
	return access(path, F_OK) == 0;
}

/* Runs a PostgreSQL program with output appended to the cluster's log;
 * returns its exit status, or -1 when it could not run. */
static int run_program(const struct cluster *c, char *const argv[],
		       struct error *err)
{
	pid_t pid = fork();
	if (pid < 0)
		return error_set(err, "cannot start %s: %s", argv[0],
				 strerror(errno));
	if (pid == 0) {
		if (c->drop_to_postgres &&
		    (setgid(c->gid) < 0 || initgroups("postgres", c->gid) < 0 ||
		     setuid(c->uid) < 0))
			_exit(126);
		umask(077);
		int fd = open(c->logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int null = open("/dev/null", O_RDONLY);
		if (fd < 0 || null < 0)
			_exit(126);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_set(err, "waiting for %s: %s", argv[0],
					 strerror(errno));
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 127)
			return error_set(err, "cannot run %s; install the "
					 "postgresql package (./bootstrap does) "
					 "or set OUTREACH_PG_BINDIR", argv[0]);
		return WEXITSTATUS(status);
	}
	return error_set(err, "%s was killed by signal %d", argv[0],
			 WTERMSIG(status));
}

/* Single quotes double inside a postgresql.conf string. */
static void conf_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
	fputc('\'', f);
}

static int write_settings(const struct cluster *c, struct error *err)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/postgresql.conf", c->pgdata);
	FILE *f = fopen(path, "a");
	if (!f)
		return error_set(err, "cannot write %s: %s", path, strerror(errno));
	fputs("\n# outreach demo: reachable only through a private socket\n"
	      "listen_addresses = ''\nunix_socket_directories = ", f);
	conf_quote(f, c->sockdir);
	fputs("\nunix_socket_permissions = 0700\n", f);
	if (fclose(f) != 0)
		return error_set(err, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int cluster_init(struct cluster *c, struct error *err)
{
	if (mkdir_p(c->base, c, err) < 0 || mkdir_p(c->sockdir, c, err) < 0)
		return -1;
	int fd = open(c->logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0)
		return error_set(err, "cannot create %s: %s", c->logfile,
				 strerror(errno));
	if (c->drop_to_postgres && fchown(fd, c->uid, c->gid) < 0) {
		close(fd);
		return error_set(err, "cannot give %s to the postgres user: %s",
				 c->logfile, strerror(errno));
	}
	close(fd);
	char *initdb = xasprintf("%s/initdb", pg_bindir());
	char *argv[] = {initdb, "-D", c->pgdata, "-U", SUPERUSER, "-A", "trust",
			"-E", "UTF8", "--locale=C.UTF-8", "--no-instructions", NULL};
	int rc = run_program(c, argv, err);
	free(initdb);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return error_set(err, "initdb failed (exit %d); see %s", rc,
				 c->logfile);
	return write_settings(c, err);
}

static int pg_ctl(const struct cluster *c, const char *action, struct error *err)
{
	char *prog = xasprintf("%s/pg_ctl", pg_bindir());
	char *argv[] = {prog, "-D", (char *)c->pgdata, "-l", (char *)c->logfile,
			"-w", "-t", "60", "-s", (char *)action,
			strcmp(action, "stop") == 0 ? "-mfast" : NULL, NULL};
	int rc = run_program(c, argv, err);
	free(prog);
	return rc;
}

bool cluster_running(const struct cluster *c)
{
	struct error ignored;
	return pg_ctl(c, "status", &ignored) == 0;
}

int cluster_start(struct cluster *c, struct error *err)
{
	int rc = pg_ctl(c, "start", err);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return error_set(err, "the demo PostgreSQL did not start; see %s",
				 c->logfile);
	return 0;
}

int cluster_stop(struct cluster *c, struct error *err)
{
	int rc = pg_ctl(c, "stop", err);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return error_set(err, "the demo PostgreSQL did not stop; see %s",
				 c->logfile);
	return 0;
}

void cluster_conninfo(const struct cluster *c, const char *dbname,
		      char *out, size_t outlen)
{
	/* Values are single-quoted with backslash escapes, per libpq. */
	struct buf b = {0};
	buf_puts(&b, "host='");
	for (const char *p = c->sockdir; *p; p++) {
		if (*p == '\'' || *p == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *p);
	}
	buf_printf(&b, "' user=%s dbname=%s", SUPERUSER, dbname);
	snprintf(out, outlen, "%s", b.data);
	buf_free(&b);
}
