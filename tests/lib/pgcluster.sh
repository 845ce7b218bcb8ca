# pgcluster.sh - a throwaway PostgreSQL cluster for the tests (sourced).
# Socket in a temporary directory, no TCP port, fsync off; as root the
# server runs as the postgres user. pgcluster_start exports PGHOST, PGUSER
# and PGDATABASE; pgcluster_stop removes everything.

pgcluster_bindir() {
	if [ -n "${OUTREACH_PG_BINDIR:-}" ]; then
		echo "$OUTREACH_PG_BINDIR"
		return
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return
		fi
	done
	dirname "$(command -v initdb)"
}

# Runs a command as the cluster's owner.
pgcluster_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pgcluster_start() {
	PGCLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outreach-test-pg.XXXXXX")
	chmod 700 "$PGCLUSTER_DIR"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$PGCLUSTER_DIR"
	fi
	bindir=$(pgcluster_bindir)
	if ! pgcluster_as_owner "$bindir/initdb" -D "$PGCLUSTER_DIR/data" -U outreach \
		-A trust -E UTF8 --locale=C.UTF-8 --no-instructions \
		>"$PGCLUSTER_DIR/initdb.log" 2>&1; then
		cat "$PGCLUSTER_DIR/initdb.log" >&2
		return 1
	fi
	cat >>"$PGCLUSTER_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGCLUSTER_DIR'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
	if ! pgcluster_as_owner "$bindir/pg_ctl" -D "$PGCLUSTER_DIR/data" \
		-l "$PGCLUSTER_DIR/server.log" -w -t 60 -s start; then
		cat "$PGCLUSTER_DIR/server.log" >&2
		return 1
	fi
	export PGHOST="$PGCLUSTER_DIR" PGUSER=outreach PGDATABASE=postgres
	unset PGPORT PGSERVICE PGPASSWORD OUTREACH_DB
}

pgcluster_stop() {
	[ -n "${PGCLUSTER_DIR:-}" ] || return 0
	if [ -f "$PGCLUSTER_DIR/data/postmaster.pid" ]; then
		pgcluster_as_owner "$(pgcluster_bindir)/pg_ctl" -D "$PGCLUSTER_DIR/data" \
			-m immediate -w -s stop >/dev/null 2>&1 || true
	fi
	rm -rf "$PGCLUSTER_DIR"
	PGCLUSTER_DIR=""
}
