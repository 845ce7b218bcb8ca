# user.sh - `outreach user` and `outreach audit` as scripts use them:
# passwords on standard input or in a file, the first admin, staff held to
# their rights, the generic login error, and only Argon2id in the table.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN
db="cli_user_$$"
psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db TEMPLATE $OUTREACH_TEST_TEMPLATE" >/dev/null
o() { "$bin" --db "dbname=$db" "$@"; }
value() { psql -X -At -d "$db" -c "$1"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/outreach-user.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The first admin, by someone who is not anyone yet.
out=$(echo "admin password 1" | o --user boss user add boss --admin 2>&1); rc=$?
check "the first admin is created with --user on an empty table" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "added user boss (admin)"' - "$rc" "$out"
out=$(echo "staff password 1" | o user add sam --email Sam@Example.org 2>&1); rc=$?
check "the database owner adds a staff user, password on stdin" [ "$rc" -eq 0 ]
check "the password is not echoed or printed" sh -c '! echo "$1" | grep -q "staff password"' - "$out"

out=$(echo "short" | o user add tiny 2>&1); rc=$?
check "a short password is refused" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "at least 10"' - "$rc" "$out"
out=$(echo "Longusername" | o user add longusername 2>&1); rc=$?
check "the user name as password is refused" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "user name"' - "$rc" "$out"
out=$(o user add nopass </dev/null 2>&1); rc=$?
check "no password at all is refused" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no password"' - "$rc" "$out"
out=$(echo "x" | o user frob 2>&1); rc=$?
check "an unknown verb exits 2" [ "$rc" -eq 2 ]
out=$(o user grant sam root 2>&1); rc=$?
check "only admin can be granted" [ "$rc" -eq 2 ]

out=$(o user list); rc=$?
check "user list exits 0" [ "$rc" -eq 0 ]
check "user list shows name, e-mail, admin" sh -c 'echo "$1" | grep -Eq "^boss +- +yes +no +never" && echo "$1" | grep -Eq "^sam +Sam@example.org +no +no +never"' - "$out"
echo "$out"

# Staff are held to their rights.
printf 'staff password 1\n' >"$tmp/sam.pw"
chmod 600 "$tmp/sam.pw"
out=$(echo "another password" | o --user sam --password-file "$tmp/sam.pw" user add eve 2>&1); rc=$?
check "staff cannot add users (exit 1)" [ "$rc" -eq 1 ]
check "the refusal says why and what to do" sh -c 'echo "$1" | grep -q "only an admin can add users; ask an admin or run without --user as the database owner"' - "$out"
echo "$out"
check "no user was added" [ "$(value "SELECT count(*) FROM users WHERE username = 'eve'")" = 0 ]
out=$(o --user sam --password-file "$tmp/sam.pw" user disable boss 2>&1); rc=$?
check "staff cannot disable an admin" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "only an admin can manage users"' - "$rc" "$out"
out=$(printf 'staff password 1\nstaff password 2\n' | o --user sam user passwd sam 2>&1); rc=$?
check "anyone may change their own password (login and new one on stdin)" [ "$rc" -eq 0 ]
printf 'staff password 2\n' >"$tmp/sam.pw"

# Staff cannot delete businesses: the model refuses before any SQL.
psql -q -X -d "$db" -f "$OUTREACH_DATADIR/demo.sql" >/dev/null
n=$(value "SELECT count(*) FROM businesses")

# Wrong passwords: exit 1 and the same words whatever was wrong.
printf 'not the password\n' >"$tmp/bad.pw"
out=$(o --user sam --password-file "$tmp/bad.pw" user list 2>&1); rc=$?
check "a wrong password exits 1 with the generic message" sh -c '[ "$1" -eq 1 ] && [ "$2" = "outreach: wrong user name or password" ]' - "$rc" "$out"
out2=$(o --user nosuchuser --password-file "$tmp/bad.pw" user list 2>&1); rc=$?
check "an unknown user gets exactly the same message" sh -c '[ "$1" -eq 1 ] && [ "$2" = "$3" ]' - "$rc" "$out" "$out2"
out=$(o --user sam --password-file "$tmp/sam.pw" user list 2>&1); rc=$?
check "the right password from a file logs in" [ "$rc" -eq 0 ]
out=$(o --password-file "$tmp/sam.pw" user list 2>&1); rc=$?
check "--password-file without --user is a usage error" [ "$rc" -eq 2 ]

# Admin actions.
printf 'admin password 1\n' >"$tmp/boss.pw"
out=$(o --user boss --password-file "$tmp/boss.pw" user grant sam admin 2>&1); rc=$?
check "an admin grants admin" sh -c '[ "$1" -eq 0 ] && [ "$(psql -X -At -d "$2" -c "SELECT is_admin FROM users WHERE username = '"'sam'"'")" = t ]' - "$rc" "$db"
out=$(o --user boss --password-file "$tmp/boss.pw" user revoke sam admin 2>&1); rc=$?
check "an admin revokes admin" [ "$rc" -eq 0 ]
out=$(o --user boss --password-file "$tmp/boss.pw" user disable sam 2>&1); rc=$?
check "an admin disables a user" [ "$rc" -eq 0 ]
out=$(o --user sam --password-file "$tmp/sam.pw" user list 2>&1); rc=$?
check "a disabled user with the right password is told so" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "disabled"' - "$rc" "$out"
out=$(o --user boss --password-file "$tmp/boss.pw" user enable sam 2>&1); rc=$?
check "an admin enables a user" [ "$rc" -eq 0 ]
out=$(o user disable ghost 2>&1); rc=$?
check "an unknown user to change is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no user named .ghost."' - "$rc" "$out"

check "no password_hash starts with anything but \$argon2id\$" [ "$(value "SELECT count(*) FROM users WHERE password_hash NOT LIKE '\$argon2id\$%'")" = 0 ]
check "no password is stored anywhere in plain" [ "$(value "SELECT count(*) FROM audit_log a, users u WHERE a::text LIKE '%password 1%' OR u::text LIKE '%password%'")" = 0 ]
check "businesses were untouched" [ "$(value "SELECT count(*) FROM businesses")" = "$n" ]

# The audit log: admins and the owner read it, sanitised; staff may not.
sql "$db" "INSERT INTO audit_log (actor, action, detail) VALUES (E'evil\\x1b[31m', 'login.failed', 'x')"
out=$(o audit); rc=$?
check "audit prints the log" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "user.add" && echo "$2" | grep -q "login.failed" && echo "$2" | grep -q "user.disable"' - "$rc" "$out"
check "audit records the owner as os:<login>" sh -c 'echo "$1" | grep -q "os:"' - "$out"
check "audit output has no escape characters" sh -c '! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"
echo "$out"
out=$(o audit --limit 2 | wc -l)
check "--limit N shows N entries" [ "$out" -eq 2 ]
out=$(o audit --since '1 hour' | wc -l)
check "--since takes a duration" [ "$out" -ge 10 ]
out=$(o audit --since '2999-01-01' | wc -l)
check "--since takes a time" [ "$out" -eq 0 ]
out=$(o audit --since 'yesterday-ish' 2>&1); rc=$?
check "a bad --since exits 2 and says why" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "since"' - "$rc" "$out"
out=$(o --user sam --password-file "$tmp/sam.pw" audit 2>&1); rc=$?
check "staff cannot read the audit log" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "only an admin can read the audit log"' - "$rc" "$out"

# Five failures lock the account, for every process.
for i in 1 2 3 4 5; do o --user sam --password-file "$tmp/bad.pw" user list >/dev/null 2>&1; done
out=$(o --user sam --password-file "$tmp/sam.pw" user list 2>&1); rc=$?
check "after five failures even the right password is refused" sh -c '[ "$1" -eq 1 ] && [ "$2" = "outreach: wrong user name or password" ]' - "$rc" "$out"
out=$(o user list)
check "user list shows the lock" sh -c 'echo "$1" | grep -Eq "^sam .* locked until 20"' - "$out"
o user enable sam >/dev/null
out=$(o --user sam --password-file "$tmp/sam.pw" user list 2>&1); rc=$?
check "enabling clears the lock" [ "$rc" -eq 0 ]

psql -q -X -c "DROP DATABASE $db" >/dev/null
exit $TEST_FAILED
