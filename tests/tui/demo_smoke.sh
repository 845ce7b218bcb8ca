# demo_smoke.sh - `outreach demo` on a machine with no database set up:
# it creates its private PostgreSQL, loads the demo data and shows it; `q`
# leaves with status 0; `demo --stop` stops the server again.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN

home=$(mktemp -d "${TMPDIR:-/tmp}/outreach-demo.XXXXXX")
chmod 755 "$home"
cleanup() {
	tui_stop
	XDG_DATA_HOME="$home" "$bin" demo --stop >/dev/null 2>&1
	rm -rf "$home"
}
trap cleanup EXIT

# No database configured at all: the demo must not use the test cluster.
tui_start 80 24 env -u PGHOST -u PGUSER -u PGDATABASE XDG_DATA_HOME="$home" "$bin" demo
if tui_wait_for "Businesses" 90; then ok "the demo opens the interface"; else not_ok "the demo opens the interface"; tui_dump; fi
check "the demo shows a demo business" tui_wait_for "Alder & Ash Bakery" 5
check "the demo shows business statuses" tui_wait_for "pending_scan" 5
check "the list fills its pane" tui_wait_for "Birchwood Bakery" 5
check "the details of the selected business show" tui_wait_for "hello@alder-ash-bakery.example" 5
tui_keys j j PageDown
check "PgDn moves a page down (j j PgDn: row 14)" tui_wait_for "14 of 300" 5
check "PgDn leaves the first page" sh -c '! tmux -S "$1" capture-pane -p | grep -q "Alder & Ash Bakery"' - "$TMUX_SOCKET"
tui_keys q
if tui_wait_for "[exit status 0]" 10; then ok "q quits with status 0"; else not_ok "q quits with status 0"; tui_dump; fi
tui_stop

check "the demo cluster lives in XDG_DATA_HOME" test -f "$home/outreach/demo/pgdata/PG_VERSION"
check "the demo listens on no TCP port" grep -q "^listen_addresses = ''" "$home/outreach/demo/pgdata/postgresql.conf"

# A second run reuses the data and does not load it twice.
conn=$(env -u PGHOST -u PGUSER -u PGDATABASE XDG_DATA_HOME="$home" "$bin" demo --no-tui 2>/dev/null)
n=$(psql -X -At "$conn" -c "SELECT count(*) FROM businesses WHERE name = 'Alder & Ash Bakery'")
check "a second run does not load the demo data twice" [ "$n" = "1" ]
total=$(psql -X -At "$conn" -c "SELECT count(*) FROM businesses")
check "the demo has a few hundred businesses" [ "$total" -ge 200 ]
kinds=$(psql -X -At "$conn" -c "SELECT (SELECT count(DISTINCT status) FROM businesses) || ' ' || (SELECT count(DISTINCT type) FROM contacts) || ' ' || (SELECT count(DISTINCT source) FROM contacts) || ' ' || (SELECT count(*) FROM campaigns) || ' ' || (SELECT count(DISTINCT status) FROM messages)")
check "demo data covers every status, type and source ($kinds)" [ "$kinds" = "4 7 3 2 5" ]

out=$(XDG_DATA_HOME="$home" "$bin" demo --stop 2>&1); rc=$?
check "demo --stop stops the server" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "stopped"' - "$rc" "$out"
exit $TEST_FAILED
