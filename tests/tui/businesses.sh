# businesses.sh - the Businesses screen as staff use it: moving, search,
# filter, sort, details, other sessions' changes appearing live, resizing,
# hostile names, and NO_COLOR. Drives the real binary in tmux.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap tui_stop EXIT
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }

# --- navigation
tui_open 80 24 "$db"
expect "the list opens at the first business" "Alder & Ash Bakery"
expect "the status line counts the rows" "1 of 300"
tui_keys G
expect "G goes to the last business" "Øresund Yoga Loft"
expect "G shows the last position" "300 of 300"
tui_keys g
expect "g goes back to the first" "1 of 300"
tui_keys j j j
expect "j moves down" "4 of 300"
tui_keys k
expect "k moves up" "3 of 300"
tui_keys '?'
expect "? lists the screen's keys" "search names, websites and e-mails"
tui_keys j j j j j j j j j j j j j j j j
expect "j scrolls the help to its last keys" "back, or quit from the main screen"
tui_keys x
expect_gone "any other key closes the help" "search names, websites and e-mails"

# --- search narrows as you type and clears with Esc
tui_keys / p l u m
expect "search narrows as you type" "1 of 30"
expect "search shows matching names" "Alder & Ash Plumbing"
expect_gone "search hides the rest" "Alder & Ash Bakery"
tui_keys Enter
tui_keys Escape
expect "Esc clears the search" "1 of 300"
expect "the whole list is back" "Alder & Ash Bakery"
tui_keys / h e l l o @ c o p
expect "search also matches e-mail addresses" "1 of 6"
tui_keys Escape
expect "Esc in the prompt restores the list" "1 of 300"

# --- filter and sort
tui_keys f
expect "f filters by status" "filter: status pending_scan"
expect "the filtered count is exact" "1 of 120"
tui_keys f f f f
expect "f cycles to businesses with e-mail" "filter: has e-mail"
tui_keys f f
expect "f cycles back to all" "filter: all"
tui_keys s
expect "s sorts by status" "sorted by status"
expect "active businesses come first by status" "Alder & Ash Opticians"
tui_keys : s o r t Space n a m e Enter
expect "the command prompt sorts by name" "Alder & Ash Bakery"
tui_keys : s t a t u s Space a r c h i v e d Enter
expect ":status filters" "1 of 30"
tui_keys : s t a t u s Space a l l Enter
expect ":status all clears it" "1 of 300"
tui_keys : b o g u s Enter
expect "an unknown command is explained" "unknown command ':bogus'"

# --- details
tui_keys g Enter
expect "Enter opens the details" "Contacts"
expect "the details show the contacts" "hello@alder-ash-bakery.example"
tui_keys q
expect "q leaves the details first" "Alder & Ash Bakery"

# --- live changes from another session
sql "$db" "UPDATE businesses SET name = 'Alder & Ash Bakehouse' WHERE name = 'Alder & Ash Bakery'"
expect "another session's rename appears" "Alder & Ash Bakehouse" 2
sql "$db" "INSERT INTO businesses (name) VALUES ('Aardvark Antiques')"
expect "another session's insert appears" "Aardvark Antiques" 2
expect "the count follows" "of 301"
expect "the cursor stays on its business" "2 of 301"
tui_keys g
expect "the new business can be selected" "1 of 301"
sql "$db" "INSERT INTO contacts (business_id, type, value, source) SELECT id, 'phone', '+44 20 7946 0999', 'csv' FROM businesses WHERE name = 'Aardvark Antiques'"
expect "a new contact appears in the details" "+44 20 7946 0999" 2
sql "$db" "DELETE FROM businesses WHERE name = 'Aardvark Antiques'"
expect_gone "another session's delete disappears" "Aardvark Antiques" 2

# --- resizing
tmux -S "$TMUX_SOCKET" resize-window -x 120 -y 40
expect "a wide terminal shows the updated column" "Updated"
tmux -S "$TMUX_SOCKET" resize-window -x 40 -y 10
expect "a tiny terminal says so" "terminal too small"
tmux -S "$TMUX_SOCKET" resize-window -x 80 -y 24
expect "back to 80x24 the list returns" "Alder & Ash Bakehouse"
tui_keys q
expect "q quits with status 0" "[exit status 0]"
tui_stop

# --- names that try to drive the terminal
esc=$(printf '\033')
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
INSERT INTO businesses (name, website) VALUES
    (E'AAA Evil\x1b[2JCorp', E'https://x.example/\x1b]52;c;cm0gLXJmIH4K\x07'),
    (E'AAB Bidi \u202Egnp.exe', NULL),
    (E'AAC Carriage\rReturn', NULL);
SQL
tui_open 100 24 "$db"
expect "an escape sequence in a name is shown, not obeyed" "AAA Evil^[[2JCorp"
expect "an OSC 52 clipboard write is shown, not obeyed" "^[]52;c;"
expect "bidi overrides are named" "AAB Bidi <U+202E>gnp.exe"
expect "a carriage return is shown" "AAC Carriage^MReturn"
raw=$(tui_screen -e)
check "no clear-screen sequence from the data reaches the terminal" sh -c '! printf "%s" "$1" | grep -qF "${2}[2J"' - "$raw" "$esc"
check "no OSC 52 sequence from the data reaches the terminal" sh -c '! printf "%s" "$1" | grep -qF "${2}]52"' - "$raw" "$esc"
tui_stop

# --- double-width names keep the columns aligned
sql "$db" "INSERT INTO businesses (name) VALUES ('AAD 東京寿司 Sushi Bar')"
tui_open 100 24 "$db"
expect "a double-width name is shown" "AAD 東京寿司 Sushi Bar"
screen=$(tui_screen)
check "columns after a double-width name line up" python3 - "$screen" <<'PY'
import sys, unicodedata
def col(line, word):
    i = line.index(word)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])
lines = sys.argv[1].splitlines()
wide = next(l for l in lines if "東京" in l)
plain = next(l for l in lines if l.startswith("AAA Evil"))
sys.exit(0 if col(wide, "pending_scan") == col(plain, "pending_scan") else 1)
PY
tui_stop

# --- terminals people use
for term in vt100 screen-256color tmux-256color; do
	tui_open 80 24 "$db" TERM=$term
	expect "TERM=$term shows the list" "AAA Evil"
	tui_keys q
	expect "TERM=$term quits cleanly" "[exit status 0]"
	tui_stop
done

# --- NO_COLOR
tui_open 80 24 "$db" NO_COLOR=1
expect "the list shows with NO_COLOR" "AAA Evil"
raw=$(tui_screen -e)
check "NO_COLOR leaves out every colour" sh -c '! printf "%s" "$1" | grep -qE "\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)[;m]"' - "$raw"
tui_stop

exit $TEST_FAILED
