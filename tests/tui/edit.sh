# edit.sh - changing businesses and contacts from the interface: inline
# edits checked by the importer's rules, contacts added, made primary and
# deleted, status changes, deletions that ask first, and an edit that
# races another session's change being refused rather than overwriting.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap tui_stop EXIT
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }

tui_open 100 30 "$db"
expect "the list is shown" "Alder & Ash Bakery"
expect "the details are shown" "hello@alder-ash-bakery.example"

# Rename from the list.
tui_keys e
expect "e opens the name for editing" "Name: Alder & Ash Bakery"
tui_keys C-u "Alder & Ash Bakery Ltd" Enter
expect "the edit is saved" "saved"
check "the new name is in the database" [ "$(value "SELECT count(*) FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = 1 ]
expect "the list shows the new name" "Alder & Ash Bakery Ltd"

# The name column holds 255 characters, however many bytes they take.
# (The long name keeps the business in its place in the list.)
umlauts="Alder & Ash Bakery $(printf 'Ü%.0s' $(seq 120))"
tui_keys e C-u "$umlauts" Enter
expect "a name of 139 characters in 259 bytes is saved" "Alder & Ash Bakery ÜÜÜÜÜÜÜÜÜÜ"
check "it is stored whole" [ "$(value "SELECT char_length(name) || '/' || octet_length(name) FROM businesses WHERE name LIKE 'Alder & Ash Bakery Ü%'")" = "139/259" ]
tui_keys e C-u "$(printf 'x%.0s' $(seq 256))" Enter
expect "a name of 256 characters is refused" "longer than 255 characters"
tui_keys Escape
tui_keys e C-u "Alder & Ash Bakery Ltd" Enter
expect "the name is put back" "Alder & Ash Bakery Ltd"
check "the database has it back" [ "$(value "SELECT count(*) FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = 1 ]

# A rename that moves the business to the other end of the list: the
# cursor goes with it, so the next edit is still of the same business.
total=$(value "SELECT count(*) FROM businesses")
tui_keys e C-u "Zz Renamed Bakery" Enter
expect "the list follows the renamed business to its place" "$(value "SELECT count(*) FROM businesses WHERE name <= 'Zz Renamed Bakery'") of $total"
tui_keys e
expect "the next edit is of the same business" "Name: Zz Renamed Bakery"
tui_keys C-u "Alder & Ash Bakery Ltd" Enter
expect "and back again" "$(value "SELECT count(*) FROM businesses WHERE name <= 'Alder & Ash Bakery Ltd'") of $total"
tui_keys e
expect "still the same business" "Name: Alder & Ash Bakery Ltd"
tui_keys Escape
check "only that business was renamed" [ "$(value "SELECT count(*) FROM businesses WHERE name IN ('Zz Renamed Bakery', 'Alder & Ash Bakery Ltd')")" = 1 ]

# A bad website is refused, nothing is saved, the text stays to fix.
tui_keys Tab j j
tui_keys e C-u "not a website" Enter
expect "a bad value is explained" "Website:"
check "a bad value is not saved" [ "$(value "SELECT website FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = "https://www.alder-ash-bakery.example" ]
expect "the typed text is kept for correcting" "Website: not a website"
tui_keys C-u "bakery-ltd.example" Enter
expect "the corrected value is saved" "saved"
check "the website is normalised like the importer does" [ "$(value "SELECT website FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = "https://bakery-ltd.example" ]

# Add a contact, make it primary, delete it.
tui_keys a "instagram @alderash" Enter
expect "an added contact appears" "https://www.instagram.com/alderash"
check "the contact is stored normalised" [ "$(value "SELECT count(*) FROM contacts WHERE value = 'https://www.instagram.com/alderash'")" = 1 ]
tui_keys a "email bookings@bakery-ltd.example" Enter
expect "a second e-mail appears" "bookings@bakery-ltd.example"
n=$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'Alder & Ash Bakery Ltd'")
tui_keys j j j j j j j j
sleep 0.3
tui_keys p
expect "p changes the primary contact" "done"
check "one primary e-mail remains" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'Alder & Ash Bakery Ltd' AND c.type = 'email' AND c.is_primary")" = 1 ]
tui_keys d
expect "d asks before deleting a contact" "(y/n)"
tui_keys n
expect "answering n cancels" "cancelled"
check "nothing was deleted" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'Alder & Ash Bakery Ltd'")" = "$n" ]
tui_keys d y
expect "y deletes the contact" "done"
check "the contact is gone" [ "$(value "SELECT count(*) FROM contacts c JOIN businesses b ON b.id = c.business_id WHERE b.name = 'Alder & Ash Bakery Ltd'")" = "$((n - 1))" ]

# Status change.
tui_keys t C-u active Enter
expect "t changes the status" "saved"
check "the status is active" [ "$(value "SELECT status FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = active ]

# A concurrent change wins over a stale edit, which is reported.
tui_keys q
tui_keys e
expect "the edit prompt is open" "Name: Alder & Ash Bakery Ltd"
psql -q -X -d "$db" -c "UPDATE businesses SET address = 'Moved by a colleague' WHERE name = 'Alder & Ash Bakery Ltd'"
tui_keys C-u "Alder & Ash Stale Edit" Enter
expect "a conflicting edit is reported" "someone else changed this business"
check "the other session's change is kept" [ "$(value "SELECT address FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = "Moved by a colleague" ]
check "the stale edit was not written" [ "$(value "SELECT count(*) FROM businesses WHERE name = 'Alder & Ash Stale Edit'")" = 0 ]

# Deleting a business asks first.
tui_keys d
expect "d on the list asks before deleting the business" "Delete Alder & Ash Bakery Ltd and its"
tui_keys y
expect "the business is deleted" "deleted"
check "the business is gone from the database" [ "$(value "SELECT count(*) FROM businesses WHERE name = 'Alder & Ash Bakery Ltd'")" = 0 ]
expect_gone "and from the list" "Alder & Ash Bakery Ltd"
tui_keys q
expect "q quits with status 0" "[exit status 0]"
exit $TEST_FAILED
