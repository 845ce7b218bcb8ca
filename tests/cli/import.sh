# import.sh - `outreach import` and `outreach export` as a user meets them:
# the summary line, warnings, rejected rows on stderr, exit codes, stdin.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN
fx=$OUTREACH_FIXTURES/csv
work=$(mktemp -d "${TMPDIR:-/tmp}/outreach-cli-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

psql -q -X -c 'CREATE DATABASE cli_import' >/dev/null
export OUTREACH_DB="dbname=cli_import"
"$bin" migrate >/dev/null 2>&1

has() {	# has TEXT FILE
	grep -qF -- "$1" "$2"
}

cp "$fx/mixed.csv" "$fx/unknown_columns.csv" "$fx/unterminated_quote.csv" \
	"$fx/header_only.csv" "$fx/empty.csv" .

"$bin" import mixed.csv >out 2>err; rc=$?
check "rejected rows exit 3" [ "$rc" -eq 3 ]
check "the summary line is exact" sh -c '[ "$(cat out)" = "imported 4 businesses (4 new, 0 merged), 6 contacts, 4 rows rejected -> mixed.rejects.csv" ]'
check "rejected rows are listed with file and line" has "outreach: mixed.csv:3: rejected: email: not an e-mail address" err
check "the rejects file is written beside the input" test -s mixed.rejects.csv
check "no progress bar when stderr is not a terminal" sh -c '! grep -q "rows/s" err'

"$bin" import mixed.csv >out 2>err; rc=$?
check "re-import merges everything and adds nothing" sh -c '[ "$1" -eq 3 ] && grep -qF "imported 4 businesses (0 new, 4 merged), 0 contacts, 4 rows rejected" out' - "$rc"

"$bin" import unknown_columns.csv >out 2>err; rc=$?
check "a clean import exits 0" [ "$rc" -eq 0 ]
check "without rejects the summary has no arrow" sh -c '[ "$(cat out)" = "imported 1 businesses (0 new, 1 merged), 0 contacts, 0 rows rejected" ]'
check "unknown columns get one warning" sh -c '[ "$(grep -c "ignoring unknown columns" err)" -eq 1 ] && grep -qF "'"'Favourite Colour', 'Rating', 'Notes'"'" err'

"$bin" import --dry-run - <"$fx/single_column.csv" >out 2>err; rc=$?
check "--dry-run says what would happen" sh -c '[ "$1" -eq 0 ] && grep -qF "dry run: would import 2 businesses (1 new, 1 merged), 0 contacts, 0 rows rejected; nothing was changed" out' - "$rc"
check "--dry-run changes nothing" [ "$(psql -d cli_import -AtX -c "SELECT count(*) FROM businesses WHERE name = 'Bolt Bikes'")" = 0 ]

"$bin" import - <"$fx/bad_email.csv" >out 2>err; rc=$?
check "stdin with - imports, rejects go to ./stdin.rejects.csv" sh -c '[ "$1" -eq 3 ] && grep -q -- "-> stdin.rejects.csv$" out && test -s stdin.rejects.csv' - "$rc"
check "stdin rows are named stdin:LINE" has "stdin:3: rejected:" err

"$bin" import --rejects bad.csv --delimiter ';' "$fx/semicolon.csv" >out 2>err; rc=$?
check "--delimiter and --rejects are accepted" sh -c '[ "$1" -eq 0 ] && grep -qF "imported 2 businesses" out' - "$rc"

"$bin" import --map 'Firm=name' "$fx/no_name_column.csv" >out 2>err; rc=$?
check "--map naming a missing column exits 1 naming it" sh -c '[ "$1" -eq 1 ] && grep -qF "Firm=name" err && grep -qF "nothing was imported" err' - "$rc"

"$bin" import --map 'Email=name' "$fx/no_name_column.csv" >out 2>err; rc=$?
check "--map can supply the name column" sh -c '[ "$1" -eq 0 ] && grep -qF "imported 1 businesses (1 new" out' - "$rc"

before=$(psql -d cli_import -AtX -c 'SELECT count(*) FROM businesses')
"$bin" import unterminated_quote.csv >out 2>err; rc=$?
check "a broken quote exits 1 with file:line" sh -c '[ "$1" -eq 1 ] && grep -qF "unterminated_quote.csv:3: a quoted field is never closed" err' - "$rc"
check "a failed import stores nothing" [ "$(psql -d cli_import -AtX -c 'SELECT count(*) FROM businesses')" = "$before" ]
check "a failed import prints no summary" [ ! -s out ]

"$bin" import empty.csv >out 2>err; rc=$?
check "an empty file exits 1 and says so" sh -c '[ "$1" -eq 1 ] && grep -qF "empty.csv: the file is empty" err' - "$rc"
"$bin" import header_only.csv >out 2>err; rc=$?
check "a header-only file exits 0 with a warning" sh -c '[ "$1" -eq 0 ] && grep -qF "only a header" err && grep -qF "imported 0 businesses" out' - "$rc"

"$bin" import >out 2>err; rc=$?
check "no files is a usage error" [ "$rc" -eq 2 ]
"$bin" import --map 'X=colour' a.csv >out 2>err; rc=$?
check "a bad --map is a usage error" sh -c '[ "$1" -eq 2 ] && grep -qF "unknown field" err' - "$rc"
"$bin" import --delimiter x a.csv >out 2>err; rc=$?
check "a bad --delimiter is a usage error" [ "$rc" -eq 2 ]
"$bin" import --rejects r.csv a.csv b.csv >out 2>err; rc=$?
check "--rejects with two inputs is a usage error" [ "$rc" -eq 2 ]
"$bin" import nosuch.csv >out 2>err; rc=$?
check "a missing file exits 1 naming it" sh -c '[ "$1" -eq 1 ] && grep -qF "nosuch.csv: cannot open" err' - "$rc"
"$bin" import --help >out 2>err; rc=$?
check "import --help lists its options" sh -c '[ "$1" -eq 0 ] && grep -q -- "--rejects PATH" out' - "$rc"

"$bin" export -o all.csv 2>err; rc=$?
check "export -o writes the file and reports the count" sh -c '[ "$1" -eq 0 ] && head -n 1 all.csv | grep -q "^name,website,email,emails," && grep -qF "exported" err' - "$rc"
"$bin" export --status active >out 2>err; rc=$?
check "export --status to stdout" sh -c '[ "$1" -eq 0 ] && [ "$(wc -l <out)" -eq 1 ]' - "$rc"
"$bin" export --status bogus >out 2>err; rc=$?
check "an unknown status is a usage error" [ "$rc" -eq 2 ]

psql -q -X -c 'CREATE DATABASE cli_import_copy' >/dev/null
OUTREACH_DB="dbname=cli_import_copy" "$bin" migrate >/dev/null 2>&1
OUTREACH_DB="dbname=cli_import_copy" "$bin" import all.csv >out 2>err; rc=$?
OUTREACH_DB="dbname=cli_import_copy" "$bin" export -o copy.csv 2>/dev/null
check "an export imports back into an empty database unchanged" sh -c '[ "$1" -eq 0 ] && cmp -s all.csv copy.csv' - "$rc"

exit $TEST_FAILED
