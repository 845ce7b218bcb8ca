# users.sh - the Users screen driven in tmux: an admin adds an account
# (a short password refused, two entries that differ asked again, nothing
# typed ever shown), sets its password, disables and enables it, makes it
# an admin and staff again, is refused disabling the last admin, and sees
# another session's new account live; each change is checked in the
# database and the audit log. A staff user sees only their own account,
# is refused adding one, and changes their own password; made an admin by
# someone else, the open session gains the rights at once, and disabled,
# it can change nothing more.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap tui_stop EXIT
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }
can_log_in() {	# can_log_in NAME PASSWORD
	pwfile=$(mktemp "${TMPDIR:-/tmp}/outreach-pw.XXXXXX")
	printf '%s\n' "$2" >"$pwfile"
	"$OUTREACH_BIN" --db "dbname=$db" --user "$1" --password-file "$pwfile" \
		user list >/dev/null 2>&1
	rc=$?
	rm -f "$pwfile"
	return $rc
}

tui_open 100 30 "$db"
tui_keys 4
expect "screen 4 lists the accounts" "admin active"
expect "with the admin's own" "$TUI_ADMIN"

# Adding an account.
tui_keys a
expect "a asks for the name" "New user's name:"
tui_keys -l "bad name!"
tui_keys Enter
expect "a name with a blank is refused at once" "use letters, digits"
tui_keys C-u
tui_keys -l "casey"
tui_keys Enter
expect "then the e-mail" "E-mail of casey (optional):"
tui_keys -l "Casey@Agency.Example"
tui_keys Enter
expect "then a password" "A password for casey"
tui_keys -l "short"
tui_keys Enter
expect "a short password is refused and asked again" "at least 10 characters"
tui_keys -l "first secret one"
tui_keys Enter
expect "a second entry is asked for" "Again, to be sure:"
tui_keys -l "second secret two"
tui_keys Enter
expect "two entries that differ are asked again" "the two entries differ"
tui_keys -l "casey's secret 1"
tui_keys Enter
tui_keys -l "casey's secret 1"
tui_keys Enter
expect "the account is added" "added casey (staff)"
expect "and listed, its domain in lower case" "Casey@agency.example"
check "nothing typed at a password prompt was shown" sh -c '! printf "%s" "$1" | grep -q -e "secret" -e "short"' - "$(tui_screen)"
check "casey is staff in the database, with an Argon2id hash" \
	[ "$(value "SELECT is_admin::text || ' ' || left(password_hash, 10) FROM users WHERE username = 'casey'")" = 'false $argon2id$' ]
check "the addition is audited as the admin's" \
	[ "$(value "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND actor = '$TUI_ADMIN' AND detail LIKE 'casey %'")" = 1 ]
check "casey can log in with the password typed" can_log_in casey "casey's secret 1"

# The cursor stays on casey: a new password.
tui_keys p
expect "p asks for a new password for the selected account" "New password for casey"
tui_keys -l "casey's secret 2"
tui_keys Enter
tui_keys -l "casey's secret 2"
tui_keys Enter
expect "the password is changed" "changed the password of casey"
check "the new password works" can_log_in casey "casey's secret 2"
check "the old one no longer does" sh -c '! "$@"' - can_log_in casey "casey's secret 1"

# Esc at the second entry changes nothing.
tui_keys p
tui_keys -l "casey's secret 3"
tui_keys Enter
expect "the second entry is asked for" "Again, to be sure:"
tui_keys Escape
expect "Esc cancels" "cancelled"
check "the password stayed" can_log_in casey "casey's secret 2"

# Disabling and enabling.
tui_keys d
expect "d asks before disabling" "Disable casey?"
tui_keys y
expect "casey is disabled" "disabled casey"
check "disabled in the database" [ "$(value "SELECT disabled FROM users WHERE username = 'casey'")" = t ]
check "a disabled account cannot log in" sh -c '! "$@"' - can_log_in casey "casey's secret 2"
tui_keys d
expect "d on a disabled account enables it" "enabled casey"
check "enabled in the database" [ "$(value "SELECT disabled FROM users WHERE username = 'casey'")" = f ]

# Admin rights.
tui_keys A
expect "A asks before granting" "Make casey an admin"
tui_keys y
expect "casey is an admin" "casey is an admin now"
check "admin in the database" [ "$(value "SELECT is_admin FROM users WHERE username = 'casey'")" = t ]
tui_keys A
expect "A again asks before revoking" "Make casey staff"
tui_keys y
expect "casey is staff again" "casey is staff now"
check "staff in the database" [ "$(value "SELECT is_admin FROM users WHERE username = 'casey'")" = f ]

# The last admin stays one.
tui_keys G
expect "the cursor reaches the admin" "2 of 2"
tui_keys d y
expect "the last enabled admin cannot be disabled" "is the last enabled admin"
check "and is not" [ "$(value "SELECT disabled FROM users WHERE username = '$TUI_ADMIN'")" = f ]

# Another session's change shows up without a key.
echo "robin's secret" | "$OUTREACH_BIN" --db "dbname=$db" user add robin >/dev/null
expect "an account added elsewhere appears live" "robin"
tui_stop

# A staff user.
echo "$TUI_PASSWORD" | "$OUTREACH_BIN" --db "dbname=$db" user add sam >/dev/null
tui_start 100 30 "$OUTREACH_BIN" --db "dbname=$db" --user sam
tui_wait_for "Password:" 20
tui_keys -l "$TUI_PASSWORD"
tui_keys Enter
tui_wait_for "connected" 20
tui_keys 4
expect "staff are told who manages accounts" "Only admins manage accounts"
expect "and see their own" "sam "
check "and no one else's" sh -c '! printf "%s" "$1" | grep -q -e casey -e robin' - "$(tui_screen)"
tui_keys a
expect "staff cannot add accounts" "only an admin can manage users"
tui_keys p
expect "p asks for their own new password" "New password for sam"
tui_keys -l "sam's new secret"
tui_keys Enter
tui_keys -l "sam's new secret"
tui_keys Enter
expect "staff change their own password" "changed the password of sam"
check "the new password works" can_log_in sam "sam's new secret"

# Rights follow the account while the session is open.
"$OUTREACH_BIN" --db "dbname=$db" user grant sam admin >/dev/null
expect "made an admin elsewhere, the session says so" "you are an admin now"
expect "and shows every account" "casey"
"$OUTREACH_BIN" --db "dbname=$db" user revoke sam admin >/dev/null
expect "made staff again, it says so" "you are staff now"
expect_gone "and shows only its own account again" "casey"
"$OUTREACH_BIN" --db "dbname=$db" user disable sam >/dev/null
expect "disabled elsewhere, the session says so" "your account was disabled"
tui_keys p
tui_keys -l "sam's third secret"
tui_keys Enter
tui_keys -l "sam's third secret"
tui_keys Enter
expect "and may not even change its password" "was disabled, so it can no longer"
check "the password stayed" [ "$(value "SELECT count(*) FROM audit_log WHERE action = 'user.passwd' AND actor = 'sam'")" = 1 ]
tui_keys 1 d
expect "nor delete anything elsewhere" "was disabled, so it can no longer"
