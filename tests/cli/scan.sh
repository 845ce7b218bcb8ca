# scan.sh - `outreach scan` end to end: the real binary crawls the fixture
# sites and the misbehaving ones served on 127.0.0.1 by tests/lib/websrv.py,
# and the database must hold exactly the contacts each expected.txt lists.
. "$OUTREACH_TEST_LIB/tmux.sh"
. "$OUTREACH_TEST_LIB/websrv.sh"
bin=$OUTREACH_BIN
trap 'websrv_stop' EXIT
websrv_start || exit 1

psql -q -X -c 'CREATE DATABASE scan_e2e' >/dev/null
export OUTREACH_DB="dbname=scan_e2e"
"$bin" migrate >/dev/null 2>&1
sql() { psql -X -q -A -t -d scan_e2e -c "$1"; }
add_site() {	# add_site NAME URL
	sql "INSERT INTO businesses (name, website) VALUES ('$1', '$2')"
}
id_of() { sql "SELECT id FROM businesses WHERE name = '$1'"; }
# The contacts of a business as expected.txt writes them.
contacts_of() {
	sql "SELECT type || E'\t' || value FROM contacts
	     WHERE business_id = (SELECT id FROM businesses WHERE name = '$1')
	     ORDER BY type || E'\t' || value COLLATE \"C\""
}
field() { sql "SELECT $2 FROM businesses WHERE name = '$1'"; }
fast="--delay 20 --timeout 3"

# ---------------------------------------------------------- the guard
add_site guarded "$(websrv_url bakery-mailto)/"
out=$("$bin" scan --id "$(id_of guarded)" $fast 2>&1); rc=$?
check "without --allow-private 127.0.0.1 is refused (exit 3)" [ "$rc" -eq 3 ]
check "the refusal says why and how to lift it" sh -c 'echo "$1" | grep -q "refused to connect to 127.0.0.1: loopback, private and link-local addresses are off limits (--allow-private lifts this)"' - "$out"
check "nothing was fetched from the refused site" [ -z "$(contacts_of guarded)" ]
check "the refused site stays pending_scan with the error and one attempt" \
	[ "$(field guarded "status || ' ' || scan_attempts || ' ' || (scan_error LIKE 'refused to connect%')")" = "pending_scan 1 true" ]
echo "$out"
sql "DELETE FROM businesses WHERE name = 'guarded'"

# ---------------------------------------------------------- a full scan
for dir in "$OUTREACH_FIXTURES"/sites/*/; do
	name=$(basename "$dir")
	add_site "$name" "$(websrv_url "$name")/"
done
for s in loop to-file to-private big slow robots-deny robots-500 latin1 non-html pdf-home down; do
	add_site "$s" "$(websrv_url "$s")/"
done
sql "INSERT INTO businesses (name) VALUES ('no website')"
sql "INSERT INTO businesses (name, website) VALUES ('blank website', '  ')"
# A contact the import already brought in must not be duplicated.
sql "INSERT INTO contacts (business_id, type, value, source)
     SELECT id, 'email', 'info@baeckerei-sonnenschein.de', 'csv'
     FROM businesses WHERE name = 'bakery-mailto'"

nfixtures=$(ls -d "$OUTREACH_FIXTURES"/sites/*/ | wc -l)
start=$(date +%s)
out=$("$bin" scan --allow-private $fast 2>"$WEBSRV_DIR/err"); rc=$?
took=$(( $(date +%s) - start ))
err=$(cat "$WEBSRV_DIR/err")
echo "$out"; echo "$err"
check "a scan with unreachable sites exits 3" [ "$rc" -eq 3 ]
check "--allow-private says the guard is off" sh -c 'echo "$1" | grep -q -- "--allow-private: the address guard is off"' - "$err"
check "the summary counts every kind" sh -c 'echo "$1" | grep -Eq "^scanned $2, found [0-9]+ emails, [0-9]+ social, [0-9]+ phones, [0-9]+ forms, 5 unreachable, 2 skipped without website; [0-9]+ new contacts stored$"' - "$out" $((nfixtures + 6))
check "the 50 MB page and the slow server do not hold the scan up (${took}s)" [ "$took" -le 20 ]

for dir in "$OUTREACH_FIXTURES"/sites/*/; do
	name=$(basename "$dir")
	want=$(sed "s|{base}|$(websrv_url "$name")|" "$dir/expected.txt" | LC_ALL=C sort)
	got=$(contacts_of "$name")
	if [ "$got" = "$want" ]; then
		ok "$name: exactly the expected contacts"
	else
		not_ok "$name: exactly the expected contacts"
		printf -- '--- expected\n%s\n--- found\n%s\n' "$want" "$got"
	fi
	check "$name: scanned" [ "$(field "$name" "status || ' ' || scan_attempts || ' ' || coalesce(scan_error, '-')")" = "scanned 1 -" ]
done

check "found contacts are stored as scanned_website" [ "$(sql "SELECT count(*) FROM contacts WHERE source NOT IN ('csv', 'scanned_website')")" = 0 ]
check "an existing contact is kept once, with its source" \
	[ "$(sql "SELECT count(*) || source FROM contacts WHERE value = 'info@baeckerei-sonnenschein.de' GROUP BY source")" = "1csv" ]
check "robots.txt Disallow keeps /intern/ unread" sh -c '! echo "$1" | grep -q team' - "$(contacts_of bakery-mailto)"

check "a redirect loop is unreachable after 5 redirects" [ "$(field loop "status || ': ' || scan_error")" = "pending_scan: more than 5 redirects" ]
check "a redirect to file:// is refused" sh -c 'echo "$1" | grep -q "^pending_scan: refused a non-http(s) address"' - "$(field to-file "status || ': ' || scan_error")"
check "a slow server times out" sh -c 'echo "$1" | grep -q "^pending_scan: timed out"' - "$(field slow "status || ': ' || scan_error")"
check "a server that is down is unreachable" sh -c 'echo "$1" | grep -q "^pending_scan: Failed to connect"' - "$(field down "status || ': ' || scan_error")"
check "robots.txt answering 500 means: come back later" sh -c 'echo "$1" | grep -q "^pending_scan: robots.txt answered HTTP 500"' - "$(field robots-500 "status || ': ' || scan_error")"
check "unreachable sites have time and attempt recorded" [ "$(sql "SELECT count(*) FROM businesses WHERE scan_error IS NOT NULL AND last_scan_at IS NOT NULL AND scan_attempts = 1")" = 5 ]
check "the 50 MB chunked page is read up to the cap" [ "$(contacts_of big)" = "$(printf 'email\tsales@huge-catalogue-shop.com')" ]
check "robots.txt Disallow: / means nothing is read" [ "$(field robots-deny "status || ' ' || scan_pages")" = "scanned 0" ] 
check "... and nothing is found" [ -z "$(contacts_of robots-deny)" ]
check "an ISO-8859-1 page is read" [ "$(contacts_of latin1)" = "$(printf 'email\tanfragen@cafe-gruenwald.at\nphone\t+43 1 4060000')" ]
check "content that is not HTML is skipped" [ -z "$(contacts_of non-html)$(contacts_of pdf-home)" ]
check "with --allow-private a redirect to another local site is followed" \
	[ "$(contacts_of to-private)" = "$(contacts_of florist-social)" ]
check "businesses without a website are left pending" [ "$(sql "SELECT count(*) FROM businesses WHERE name LIKE '%website' AND status = 'pending_scan' AND scan_attempts = 0")" = 2 ]

# ---------------------------------------------------------- rescans
before=$(sql "SELECT count(*) FROM contacts")
out=$("$bin" scan --all --allow-private -q $fast 2>/dev/null); rc=$?
check "a rescan of everything adds no duplicate" [ "$(sql "SELECT count(*) FROM contacts")" = "$before" ]
check "... and says no new contacts were stored" sh -c 'echo "$1" | grep -q "; 0 new contacts stored$"' - "$out"
check "... and counts a second attempt" [ "$(field florist-social scan_attempts)" = 2 ]

sql "UPDATE businesses SET website = '$(websrv_url studio-jsonld)/' WHERE name = 'down'"
out=$("$bin" scan --retry-failed --allow-private -q $fast 2>/dev/null); rc=$?
check "--retry-failed rescans the failed sites only" sh -c 'echo "$1" | grep -q "^scanned 1, .* 4 unreachable"' - "$out"
check "a site that answers on retry moves to scanned and loses its error" \
	[ "$(field down "status || ' ' || coalesce(scan_error, '-') || ' ' || scan_attempts")" = "scanned - 3" ]
check "a site scanned before is not rescanned by --retry-failed" [ "$(field florist-social scan_attempts)" = 2 ]
out=$("$bin" scan --allow-private -q $fast 2>/dev/null); rc=$?
check "a plain scan leaves failed sites to --retry-failed" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^scanned 0, .* 0 unreachable, 2 skipped without website"' - "$rc" "$out"

# ---------------------------------------------------------- outreach.conf
cfg=$(mktemp)
printf '[scan]\nmax_pages = 1\ndelay_ms = 20\ntimeout = 3\n' > "$cfg"
OUTREACH_CONFIG=$cfg "$bin" scan --id "$(id_of florist-social)" --allow-private -q >/dev/null 2>&1
check "scan.max_pages in outreach.conf is honoured" [ "$(field florist-social scan_pages)" = 1 ]
OUTREACH_CONFIG=$cfg OUTREACH_SCAN_MAX_PAGES=2 "$bin" scan --id "$(id_of florist-social)" --allow-private -q >/dev/null 2>&1
check "OUTREACH_SCAN_MAX_PAGES overrides the file" [ "$(field florist-social scan_pages)" = 2 ]
OUTREACH_CONFIG=$cfg "$bin" scan --id "$(id_of florist-social)" --allow-private --max-pages 3 -q >/dev/null 2>&1
check "--max-pages overrides both" [ "$(field florist-social scan_pages)" = 3 ]
printf '[scan]\nmax_pages = 1\nconcurrency = lots\n' > "$cfg"
out=$(OUTREACH_CONFIG=$cfg "$bin" scan --id "$(id_of florist-social)" 2>&1); rc=$?
check "a bad scan setting is a usage error naming the file and line" \
	sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "scan.concurrency ($3:3): must be a whole number"' - "$rc" "$out" "$cfg"
rm -f "$cfg"

# ---------------------------------------------------------- stopping
# Ctrl-C stops starting sites; those in progress end and are stored. One
# transfer at a time and four sites in progress: the four slow sites fill
# the window for four seconds, so the last two never start.
for i in 1 2 3 4; do
	sql "INSERT INTO businesses (name, website, status) VALUES ('stop $i', '$(websrv_url slow)/', 'active')"
done
for i in 5 6; do
	sql "INSERT INTO businesses (name, website, status) VALUES ('stop $i', '$(websrv_url bakery-mailto)/', 'active')"
done
"$bin" scan --status active --allow-private --concurrency 1 --delay 0 \
	--timeout 1 -q >"$WEBSRV_DIR/stop.out" 2>"$WEBSRV_DIR/stop.err" &
pid=$!
sleep 0.5
kill -INT "$pid"
wait "$pid"; rc=$?
out=$(cat "$WEBSRV_DIR/stop.out")
check "a stopped scan exits 1" [ "$rc" -eq 1 ]
check "it says it is finishing the sites in progress" grep -q "stopping: finishing the sites in progress" "$WEBSRV_DIR/stop.err"
check "its summary counts the sites not started" sh -c 'echo "$1" | grep -q "(stopped: 2 of 6 sites not started)"' - "$out"
check "the sites in progress were finished and recorded" [ "$(sql "SELECT count(*) FROM businesses WHERE name LIKE 'stop %' AND scan_error LIKE 'timed out%'")" = 4 ]
check "the sites not started were left alone" [ "$(sql "SELECT string_agg(name, ',' ORDER BY name) FROM businesses WHERE name LIKE 'stop %' AND last_scan_at IS NULL AND scan_attempts = 0")" = "stop 5,stop 6" ]
sql "DELETE FROM businesses WHERE name LIKE 'stop %'"

# ---------------------------------------------------------- the command line
out=$("$bin" scan --id 999999 -q 2>&1); rc=$?
check "an unknown --id is named and exits 3" sh -c '[ "$1" -eq 3 ] && echo "$2" | grep -q "no business with id 999999"' - "$rc" "$out"
out=$("$bin" scan --status nonsense 2>&1); rc=$?
check "an unknown --status is a usage error" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "unknown status"' - "$rc" "$out"
out=$("$bin" scan --id 1 --all 2>&1); rc=$?
check "--id and --all together are a usage error" [ "$rc" -eq 2 ]
out=$("$bin" scan --concurrency 0 2>&1); rc=$?
check "--concurrency 0 is a usage error" [ "$rc" -eq 2 ]
out=$("$bin" scan --help); rc=$?
check "scan --help lists the options from its table" sh -c '[ "$1" -eq 0 ] && for o in --status --id --all --retry-failed --concurrency --max-pages --allow-private; do echo "$2" | grep -q -- "$o" || exit 1; done' - "$rc" "$out"

# A page must never reach the terminal raw: an error quoting a hostile
# website is shown escaped.
sql "INSERT INTO businesses (name, website) VALUES ('hostile', E'http://127.0.0.1:$(websrv_port down)/\\033]0;owned\\007')"
out=$("$bin" scan --id "$(id_of hostile)" -q $fast 2>&1); rc=$?
check "escape sequences from a website are shown escaped" sh -c 'printf "%s" "$1" | grep -q "\^\[\]0;owned" && ! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"

exit $TEST_FAILED
