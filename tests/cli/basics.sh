# basics.sh - the command line as a user meets it: help, version, exit
# codes, and a one-line error when the database cannot be reached.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN

out=$("$bin" --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
check "--help lists every command" sh -c 'for c in migrate demo import export scan campaign send messages user suppress audit; do echo "$1" | grep -q "^  $c " || exit 1; done' - "$out"

out=$("$bin" --version); rc=$?
check "--version prints the version" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -Eq "^outreach [0-9]+\.[0-9]+\.[0-9]+$"' - "$rc" "$out"

out=$("$bin" migrate --help); rc=$?
check "command --help exits 0 with usage" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^Usage: outreach migrate"' - "$rc" "$out"

out=$("$bin" frobnicate 2>&1); rc=$?
check "unknown command exits 2" [ "$rc" -eq 2 ]
check "unknown command is named" sh -c 'echo "$1" | grep -q "frobnicate"' - "$out"

out=$("$bin" migrate --bogus 2>&1); rc=$?
check "unknown option exits 2 and points at --help" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "outreach migrate --help"' - "$rc" "$out"

out=$("$bin" --db 'host=/nonexistent' migrate 2>&1); rc=$?
check "unreachable database exits 1" [ "$rc" -eq 1 ]
check "unreachable database is one line" [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
check "the message names the server and the fix" sh -c 'echo "$1" | grep -q "/nonexistent" && echo "$1" | grep -q "OUTREACH_DB"' - "$out"
echo "$out"

out=$("$bin" --db 'host=' --db 'not a conninfo' migrate 2>&1); rc=$?
check "a malformed connection string exits 1 and says so" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "invalid database connection string"' - "$rc" "$out"

psql -q -X -c 'CREATE DATABASE cli_basics' >/dev/null
out=$(OUTREACH_DB="dbname=cli_basics" "$bin" migrate 2>&1); rc=$?
check "migrate through OUTREACH_DB applies the schema" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "schema is at version"' - "$rc" "$out"
out=$(PGDATABASE=cli_basics "$bin" migrate 2>&1); rc=$?
check "migrate through libpq's PGDATABASE finds it up to date" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "up to date"' - "$rc" "$out"

out=$("$bin" --help)
check "every command listed in --help answers its own --help" sh -c 'for c in $(echo "$2" | sed -n "s/^  \([a-z][a-z]*\)  .*/\1/p"); do "$1" "$c" --help >/dev/null 2>&1 || { echo "$c"; exit 1; }; done' - "$bin" "$out"
check "no command is a placeholder any more" sh -c '! echo "$1" | grep -q "not yet available"' - "$out"

exit $TEST_FAILED
