/* cluster.h - a private PostgreSQL cluster that outreach runs itself (for
 * `outreach demo`): created with initdb, reachable only through a Unix
 * socket in a private directory, started and stopped with pg_ctl. */
#ifndef OUTREACH_CLUSTER_H
#define OUTREACH_CLUSTER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "core/error.h"

struct cluster {
	char base[PATH_MAX / 2];	/* everything lives below here */
	char pgdata[PATH_MAX];
	char sockdir[PATH_MAX];
	char logfile[PATH_MAX];
	bool drop_to_postgres;	/* running as root: run servers as postgres */
	uid_t uid;
	gid_t gid;
};

/* Fills c for the demo cluster: $XDG_DATA_HOME/outreach/demo (default
 * ~/.local/share/outreach/demo); as root, owned by the postgres system
 * user, and /var/lib/outreach/demo unless XDG_DATA_HOME is set. */
int cluster_locate_demo(struct cluster *c, struct error *err);
bool cluster_exists(const struct cluster *c);
/* Runs initdb with a superuser named "outreach", local trust
 * authentication and no TCP listener. */
int cluster_init(struct cluster *c, struct error *err);
bool cluster_running(const struct cluster *c);
int cluster_start(struct cluster *c, struct error *err);
int cluster_stop(struct cluster *c, struct error *err);
/* A libpq connection string for database dbname in the cluster. */
void cluster_conninfo(const struct cluster *c, const char *dbname,
		      char *out, size_t outlen);

#endif
