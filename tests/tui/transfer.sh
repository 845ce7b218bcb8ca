# transfer.sh - importing a lead list and exporting businesses from the
# interface: I and E, the :import / :export commands, and cancelling an
# import with :stop or by quitting.
. "$OUTREACH_TEST_LIB/tmux.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/outreach-transfer.XXXXXX")
trap 'tui_stop; rm -rf "$work"' EXIT
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }
cp "$OUTREACH_FIXTURES/tui/leads.csv" "$work/leads.csv"

tui_open 140 30 "$db"
expect "the list is shown" "Alder & Ash Bakery"
tui_keys I
expect "I asks for a file" "Import CSV file:"
tui_keys "$work/leads.csv" Enter
expect "the import reports its result" "imported 2 businesses (2 new)"
expect "rejected rows are reported with the rejects file" "1 rows rejected"
check "the good rows are in the database" [ "$(value "SELECT count(*) FROM businesses WHERE name IN ('Aardvark Antiques', 'Acorn Arts')")" = 2 ]
check "the bad row is not" [ "$(value "SELECT count(*) FROM businesses WHERE name = 'Abacus Accounting'")" = 0 ]
check "the rejects file keeps the bad row" grep -q "Abacus Accounting" "$work/leads.rejects.csv"
expect "the imported businesses appear in the list" "Aardvark Antiques"
check "contacts came with them" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'Aardvark Antiques'")" = 2 ]

tui_keys I "$work/missing.csv" Enter
expect "a missing file is a clear error and nothing is imported" "nothing imported"
expect "the path is offered again to correct" "Import CSV file: $work/missing.csv"
tui_keys Escape

# A long import runs in the background, its progress in the status line,
# while the list can still be moved.
"$OUTREACH_SRCDIR/bench/gen-leads" 40000 >"$work/many.csv"
tui_keys I "$work/many.csv" Enter
expect "a long import shows its progress" "importing" 10
tui_keys S
expect "other background work waits while it runs" "an import is running (importing"
expect "the long import ends and reports" "imported " 60
check "its businesses are in the database" [ "$(value "SELECT count(*) FROM businesses")" -gt 30000 ]

tui_keys : s t a t u s Space a c t i v e Enter
expect "the status filter is on" "1 of 90"
tui_keys E
expect "E proposes a file name" "Export to CSV file: businesses.csv"
tui_keys C-u "$work/active.csv" Enter
expect "the export reports its count" "exported 90 businesses with status active"
check "the file has a header and 90 rows" [ "$(wc -l < "$work/active.csv")" = 91 ]
tui_keys : e x p o r t Space "$work/active.csv" Enter
expect "an existing file is never overwritten" "already exists, choose a new name"
tui_keys Escape

# :stop cancels an import: it is one transaction, so nothing of it is
# kept, and the file is left as it was.
"$OUTREACH_SRCDIR/bench/gen-leads" 60000 >"$work/more.csv"
sum=$(md5sum <"$work/more.csv")
before=$(value "SELECT count(*) FROM businesses")
tui_keys I "$work/more.csv" Enter
expect "another long import runs" "importing" 10
tui_keys : "stop" Enter
# ("cancelling an import" shows only until the cancel lands, often too
# briefly to be seen.)
expect ":stop cancels it: nothing was imported" "import cancelled: nothing was imported" 30
check "nothing of it is in the database" [ "$(value "SELECT count(*) FROM businesses")" = "$before" ]
check "the file is untouched" [ "$(md5sum <"$work/more.csv")" = "$sum" ]

# Quitting during an import asks, then cancels it the same way.
tui_keys I "$work/more.csv" Enter
expect "the import runs again" "importing" 10
tui_keys q
expect "quitting asks about the import" "Cancel it (nothing of it is kept) and quit? (y/n)"
tui_keys y
expect "q quits with status 0" "[exit status 0]" 30
check "the cancelled import left nothing" [ "$(value "SELECT count(*) FROM businesses")" = "$before" ]
exit $TEST_FAILED
