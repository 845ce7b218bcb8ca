# reconnect.sh - the database goes away under an open interface: the status
# line says so, the screen stays usable, and when PostgreSQL is back the
# interface reconnects by itself, listens again and refreshes.
. "$OUTREACH_TEST_LIB/tmux.sh"
. "$OUTREACH_TEST_LIB/pgcluster.sh"
# A cluster of our own: this test stops it on purpose.
pgcluster_start || { not_ok "start a private cluster"; exit 1; }
trap 'tui_stop; pgcluster_stop' EXIT
export OUTREACH_TEST_TEMPLATE=outreach_template
psql -q -X -c "CREATE DATABASE outreach_template" &&
	"$OUTREACH_BIN" --db dbname=outreach_template migrate >/dev/null
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }

tui_open 80 24 "$db"
expect "the interface is connected" "connected"
pgcluster_as_owner "$(pgcluster_bindir)/pg_ctl" -D "$PGCLUSTER_DIR/data" -m fast -w -s stop
expect "losing the database is shown in the status line" "disconnected — retrying"
expect "the rows already shown stay on screen" "Alder & Ash Bakery"
tui_keys j
expect "the screen stays usable while disconnected" "2 of 300"
pgcluster_as_owner "$(pgcluster_bindir)/pg_ctl" -D "$PGCLUSTER_DIR/data" \
	-l "$PGCLUSTER_DIR/server.log" -w -s start
expect "the interface reconnects by itself" "reconnected to the database" 20
sql "$db" "UPDATE businesses SET name = 'Alder & Ash Bike Works' WHERE name = 'Alder & Ash Bike Repair'"
expect "after reconnecting it listens for changes again" "Alder & Ash Bike Works" 5
tui_keys q
expect "q quits with status 0" "[exit status 0]"
exit $TEST_FAILED
