# scan.sh - S on the Businesses screen scans the selected business's
# website (a fixture site on a local web server), stores what it finds and
# shows it; the address guard holds unless lifted for local testing. The
# scan runs in the background: the screen answers meanwhile, :scan stop
# and quitting stop it without losing the sites in progress.
. "$OUTREACH_TEST_LIB/tmux.sh"
. "$OUTREACH_TEST_LIB/websrv.sh"
trap 'tui_stop; websrv_stop' EXIT
websrv_start || { not_ok "start the test web server"; exit 1; }
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }
url="$(websrv_url bakery-mailto)/"
sql "$db" "INSERT INTO businesses (name, website) VALUES ('AAA Bäckerei Sonnenschein', '$url')"
# Two more for :scan, which scans what the list shows.
sql "$db" "INSERT INTO businesses (name, website) VALUES
	('Listed Florist', '$(websrv_url florist-social)/'),
	('Listed Studio', '$(websrv_url studio-jsonld)/'),
	('Listed Without Site', NULL)"

# Without the guard lifted, a site on this machine is refused.
tui_open 120 30 "$db" OUTREACH_SCAN_DELAY_MS=0
expect "the site's business is selected" "AAA Bäckerei Sonnenschein"
expect "the details say it was never scanned" "not yet (S scans the website)"
tui_keys S
expect "a refused address is reported" "unreachable: refused to connect to 127.0.0.1" 30
expect "the failure is shown in the details" "failed 1 time" 10
check "nothing was stored" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'AAA Bäckerei Sonnenschein'")" = 0 ]
tui_keys q
tui_stop

tui_open 120 30 "$db" OUTREACH_SCAN_DELAY_MS=0 OUTREACH_SCAN_ALLOW_PRIVATE=1
expect "the list is back" "AAA Bäckerei Sonnenschein"
tui_keys S
expect "the scan reports what it found" "scanned: found 6 e-mails" 30
expect "the found contacts appear in the details" "info@baeckerei-sonnenschein.de" 10
check "the contacts are stored as scanned" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'AAA Bäckerei Sonnenschein' AND c.source = 'scanned_website'")" = 9 ]
check "the business moved to scanned" [ "$(value "SELECT status FROM businesses WHERE name = 'AAA Bäckerei Sonnenschein'")" = scanned ]
tui_keys / "Birchwood Dental" Enter
expect "a business without a website is found" "1 of 1"
tui_keys S
expect "a business without a website says so" "no website to scan" 10

# :scan takes every business the list shows (here: a search).
tui_keys : "search Listed" Enter
expect "the search shows the three" "1 of 3"
t0=$(value "SELECT now()")
tui_keys : s c a n Enter
expect ":scan asks first, counting the websites" "Scan the websites of the 2 businesses in this list? (y/n)" 10
tui_keys y
expect ":scan reports what it did" "scanned 2, 0 unreachable, 1 without website" 30
check "both listed sites were scanned" [ "$(value "SELECT string_agg(status, ',' ORDER BY name) FROM businesses WHERE name LIKE 'Listed %'")" = "scanned,scanned,pending_scan" ]
check "... and their contacts stored" [ "$(value "SELECT count(DISTINCT b.id) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name LIKE 'Listed %' AND c.source = 'scanned_website'")" = 2 ]
check "nothing outside the list was scanned" [ "$(value "SELECT count(*) FROM businesses WHERE name NOT LIKE 'Listed %' AND last_scan_at >= '$t0'")" = 0 ]
tui_keys q
expect "q quits with status 0" "[exit status 0]"
tui_stop

# A scan runs in the background: the screen stays in use. One page at a
# time, and a slow site that answers after the page timeout.
slow="$(websrv_url slow)/"
sql "$db" "INSERT INTO businesses (name, website, status) VALUES
	('Slow 1', '$slow', 'archived'), ('Slow 2', '$slow', 'archived'),
	('Slow 3', '$slow', 'archived'), ('Slow 4', '$slow', 'archived'),
	('Slow 5 Fast', '$url', 'archived'), ('Slow 6 Fast', '$url', 'archived')"
tui_open 120 30 "$db" OUTREACH_SCAN_DELAY_MS=0 OUTREACH_SCAN_ALLOW_PRIVATE=1 \
	OUTREACH_SCAN_TIMEOUT=3 OUTREACH_SCAN_CONCURRENCY=1
tui_keys : "search Slow 1" Enter
expect "the slow site's business is found" "1 of 1"
tui_keys S
expect "the scan shows its progress in the status line" "scanning 0/1"
tui_keys : "search Slow" Enter
expect "the screen answers while the scan runs" "1 of 6"
tui_keys S
expect "a second scan is refused while one runs" "a scan is running (scanning 0/1); :stop ends it"
expect "the slow site times out in the background" "unreachable: " 15
expect_gone "the progress leaves the status line" "scanning 0/1" 5

# :scan stop: no further site starts. Four slow sites fill the window of
# sites in progress; the last two are never started.
tui_keys : s c a n Enter
expect ":scan asks about the six" "Scan the websites of the 6 businesses in this list? (y/n)" 10
tui_keys y
expect "the list's scan runs" "scanning 0/6"
tui_keys : "scan stop" Enter
expect ":scan stop says the sites in progress are finished" "stopping a scan: finishing the work in progress"
expect "the stopped scan reports the sites not started" "stopped, 2 of 6 sites not started: scanned 0, 4 unreachable" 30
check "the sites not started were left alone" [ "$(value "SELECT string_agg(name, ',' ORDER BY name) FROM businesses WHERE name LIKE 'Slow %' AND scan_attempts = 0")" = "Slow 5 Fast,Slow 6 Fast" ]
check "the sites in progress were finished and recorded" [ "$(value "SELECT count(*) FROM businesses WHERE name LIKE 'Slow %' AND scan_error LIKE 'timed out%'")" = 4 ]
tui_keys : "stop" Enter
expect ":stop with nothing running says so" "nothing is running in the background"

# Quitting during a scan asks, then stops it and waits for the site in
# progress.
tui_keys S
expect "another scan starts" "scanning 0/1"
tui_keys q
expect "quitting asks about the running scan" "A scan is running (scanning 0/1). Stop it and quit? (y/n)"
tui_keys y
expect "the program stops the scan and ends" "[exit status 0]" 15
exit $TEST_FAILED
