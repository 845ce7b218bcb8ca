# login.sh - the login screen: how to create the first admin when nobody
# exists, the generic error for a wrong password or an unknown name, the
# main screen after the right one, and a staff user refused a deletion
# with the reason while nothing is deleted.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap tui_stop EXIT
value() { psql -X -At -d "$1" -c "$2"; }

empty="tui_empty_$$"
psql -q -X -c "CREATE DATABASE $empty TEMPLATE $OUTREACH_TEST_TEMPLATE" >/dev/null
tui_start 80 24 "$OUTREACH_BIN" --db "dbname=$empty"
expect "with no users the screen says how to create the first admin" "outreach user add NAME --admin"
tui_keys q
expect "any key leaves" "[exit status 0]"
tui_stop

db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
echo "staff password 1" | "$OUTREACH_BIN" --db "dbname=$db" user add sam >/dev/null

tui_start 80 24 "$OUTREACH_BIN" --db "dbname=$db"
expect "the login screen asks for a user name" "User name:"
tui_keys -l "$TUI_ADMIN"
tui_keys Tab
tui_keys -l "wrong password"
tui_keys Enter
expect "a wrong password shows the generic error" "wrong user name or password"
check "the password is not shown" sh -c '! tmux -S "$1" capture-pane -p | grep -q "wrong password"' - "$TMUX_SOCKET"
tui_keys C-u
tui_keys Tab C-u
tui_keys -l "nosuchuser"
tui_keys Tab
tui_keys -l "$TUI_PASSWORD"
tui_keys Enter
expect "an unknown user shows the same error" "wrong user name or password"
tui_keys Tab C-u
tui_keys -l "$TUI_ADMIN"
tui_keys Tab
tui_keys -l "$TUI_PASSWORD"
tui_keys Enter
expect "the right password opens the main screen" "Alder & Ash Bakery"
expect "the status line names the user" "| $TUI_ADMIN |"
tui_keys q
expect "q quits" "[exit status 0]"
tui_stop

check "failed logins are audited" [ "$(value "$db" "SELECT count(*) FROM audit_log WHERE action = 'login.failed'")" = 2 ]

# A staff user: browsing yes, deleting no.
n=$(value "$db" "SELECT count(*) FROM businesses")
tui_start 80 24 "$OUTREACH_BIN" --db "dbname=$db" --user sam
expect "--user pre-fills the name" "sam"
tui_keys -l "staff password 1"
tui_keys Enter
expect "staff log in" "Alder & Ash Bakery"
tui_keys d
expect "staff pressing d is refused with the reason" "only an admin can delete businesses"
check "no question was asked" sh -c '! tmux -S "$1" capture-pane -p | grep -q "(y/n)"' - "$TMUX_SOCKET"
tui_keys y
sleep 0.3
check "nothing was deleted" [ "$(value "$db" "SELECT count(*) FROM businesses")" = "$n" ]
tui_keys e C-u "Alder and Ash Bakery" Enter
expect "staff may still edit" "saved"
tui_keys q
expect "q quits" "[exit status 0]"
exit $TEST_FAILED
