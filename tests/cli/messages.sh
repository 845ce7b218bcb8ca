# messages.sh - `outreach messages` as a user meets it: help from the
# option table, marks with their refusals and exit statuses, a reply that
# implies opened, retry, show with the history, and list with filters and
# keyset pages; no raw escape from the database reaches the terminal.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }
value() { psql -X -At -d cli_messages -c "$1"; }

out=$("$bin" messages --help); rc=$?
check "messages --help shows the subcommands and options" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "retry (ID... | --unknown" && echo "$2" | grep -q -- "--reason TEXT" && echo "$2" | grep -q -- "--platform P"' - "$rc" "$out"
out=$("$bin" messages 2>&1); rc=$?
check "no subcommand is a usage error naming the choices" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "mark, retry, show or list"' - "$rc" "$out"
out=$("$bin" messages mark 12 bogus 2>&1); rc=$?
check "an unknown status is named, exit 2" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "not .bogus."' - "$rc" "$out"
out=$("$bin" messages mark 12 failed 2>&1); rc=$?
check "failed without a reason asks for one" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q -- "--reason"' - "$rc" "$out"
out=$("$bin" messages mark x sent 2>&1); rc=$?
check "a bad ID is named" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "not a message ID"' - "$rc" "$out"

psql -q -X -c 'CREATE DATABASE cli_messages' >/dev/null
export OUTREACH_DB="dbname=cli_messages"
"$bin" migrate >/dev/null 2>&1
psql -q -X -d cli_messages -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status) VALUES
 (1, 'Alder Cafe', 'active'), (2, E'Birch \033]0;owned\007Books', 'active'),
 (3, 'Cedar Crafts', 'active');
INSERT INTO contacts (id, business_id, type, value, source) VALUES
 (11, 1, 'email', 'a@alder.example', 'csv'),
 (21, 2, 'email', 'b@birch.example', 'csv'),
 (31, 3, 'email', 'c@cedar.example', 'csv'),
 (12, 1, 'instagram', 'https://www.instagram.com/alder', 'csv');
INSERT INTO campaigns (id, name, message_template, status) VALUES
 (1, 'Spring', 'Hi', 'sending'), (2, E'Draft \033]0;owned\007One', 'Hi', 'draft');
INSERT INTO messages (id, campaign_id, business_id, contact_id, platform,
 personalized_content, status, sent_at) VALUES
 (1, 1, 1, 11, 'email', 'Hi Alder', 'pending', NULL),
 (2, 1, 2, 21, 'email', E'Hi Birch\n\033[2Jsecond line', 'sent', now()),
 (3, 1, 3, 31, 'email', 'Hi Cedar', 'pending', NULL),
 (4, 1, 1, 12, 'instagram', 'Hey Alder', 'pending', NULL),
 (5, 2, 3, 31, 'email', 'Draft text', 'pending', NULL);
SQL

out=$("$bin" messages mark 1 opened 2>&1); rc=$?
check "opening a pending e-mail is refused, exit 1" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "message 1 is pending" && echo "$2" | grep -q "mark it sent first"' - "$rc" "$out"
out=$("$bin" messages mark 2 replied 2>&1); rc=$?
check "a reply is recorded" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "message 2 marked replied"' - "$rc" "$out"
check "a reply implies opened" [ "$(value "SELECT status || (opened_at IS NOT NULL) FROM messages WHERE id = 2")" = "repliedtrue" ]
out=$("$bin" messages mark 2 opened 2>&1); rc=$?
check "going back from replied is refused" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "already replied"' - "$rc" "$out"
out=$("$bin" messages mark 3 failed --reason "mailbox full" 2>&1); rc=$?
check "failed with a reason is recorded" sh -c '[ "$1" -eq 0 ]' - "$rc" "$out"
check "the reason is kept" [ "$(value "SELECT last_error FROM messages WHERE id = 3")" = "mailbox full" ]
out=$("$bin" messages mark 3 sent 2>&1); rc=$?
check "a failed message points at retry" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "messages retry 3"' - "$rc" "$out"
out=$("$bin" messages mark 99 sent 2>&1); rc=$?
check "an unknown message is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no message 99"' - "$rc" "$out"
out=$("$bin" messages mark 5 sent 2>&1); rc=$?
check "a message of a draft campaign is not marked sent" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "which is draft"' - "$rc" "$out"
check "a refusal quoting a campaign name shows it sanitised" sh -c '! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"
out=$("$bin" messages retry 3 2>&1); rc=$?
check "retry puts a failed message back to pending" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "pending again"' - "$rc" "$out"
check "retry cleared the error on the row" [ "$(value "SELECT status || coalesce(last_error, '-') FROM messages WHERE id = 3")" = "pending-" ]

# After a send worker stopped mid-send: every "delivery unknown" failure at
# once, by campaign or all; several IDs in one go.
psql -q -X -d cli_messages -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO campaigns (id, name, message_template, status) VALUES
 (3, 'Summer', 'Hi', 'sending');
INSERT INTO messages (id, campaign_id, business_id, contact_id, platform,
 personalized_content, status) VALUES (6, 3, 1, 11, 'email', 'Hi', 'pending');
UPDATE messages SET status = 'failed', failed_at = now(),
 last_error = 'delivery unknown: worker stopped during send' WHERE id IN (1, 3, 6);
SQL
out=$("$bin" messages retry --unknown --campaign Spring 2>&1); rc=$?
check "retry --unknown --campaign retries that campaign's unknown deliveries" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "message 1 is pending again" && echo "$2" | grep -q "message 3 is pending again" && echo "$2" | grep -q "2 of 2 messages pending again"' - "$rc" "$out"
check "... and no other campaign's" [ "$(value "SELECT string_agg(id || status, ',' ORDER BY id) FROM messages WHERE id IN (1, 3, 6)")" = "1pending,3pending,6failed" ]
check "each retry is in the audit log" [ "$(value "SELECT count(*) FROM audit_log WHERE action = 'message.retry' AND entity_id IN ('1', '3')")" -ge 2 ]
out=$("$bin" messages retry --unknown --campaign Nope 2>&1); rc=$?
check "an unknown campaign is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no campaign named \"Nope\""' - "$rc" "$out"
out=$("$bin" messages retry --unknown 2>&1); rc=$?
check "retry --unknown takes every campaign's" sh -c '[ "$1" -eq 0 ] && [ "$2" = "message 6 is pending again; its campaign was completed and is sending again" ]' - "$rc" "$out"
out=$("$bin" messages retry --unknown 2>&1); rc=$?
check "with none left it says so" sh -c '[ "$1" -eq 0 ] && [ "$2" = "no message failed as \"delivery unknown\"" ]' - "$rc" "$out"
"$bin" messages mark 3 failed --reason "mailbox full" >/dev/null 2>&1
out=$("$bin" messages retry 3 2 2>&1); rc=$?
check "several IDs: each is tried, a refusal does not stop the rest" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "message 3 is pending again" && echo "$2" | grep -q "message 2" && echo "$2" | grep -q "1 of 2 messages pending again"' - "$rc" "$out"
out=$("$bin" messages retry 3 --unknown 2>&1); rc=$?
check "IDs and --unknown together are a usage error" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "not both"' - "$rc" "$out"
out=$("$bin" messages retry --campaign Spring 2>&1); rc=$?
check "--campaign alone is a usage error" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "goes with --unknown"' - "$rc" "$out"

out=$("$bin" messages show 2 2>&1); rc=$?
check "show prints status, address and times" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^status: *replied" && echo "$2" | grep -q "b@birch.example" && echo "$2" | grep -q "^opened: "' - "$rc" "$out"
check "show prints the history with who acted" sh -c 'echo "$1" | grep -Eq "replied +by os:"' - "$out"
check "show prints multi-line content sanitised" sh -c 'echo "$1" | grep -q "^  second line" || echo "$1" | grep -qF "^[[2Jsecond line"' - "$out"
check "no raw escape reaches the terminal" sh -c '! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"
out=$("$bin" messages show 3 2>&1)
check "the old error stays in the history" has "$out" "mailbox full"

out=$("$bin" messages list --campaign Spring --status pending 2>&1); rc=$?
check "list filters by status" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -Eq "^ +1 " && echo "$2" | grep -Eq "^ +3 " && ! echo "$2" | grep -Eq "^ +2 "' - "$rc" "$out"
out=$("$bin" messages list --platform instagram 2>&1)
check "list filters by platform" sh -c 'echo "$1" | grep -Eq "^ +4 " && ! echo "$1" | grep -Eq "^ +1 "' - "$out"
out=$("$bin" messages list --limit 2 2>&1)
check "a full page says how to go on" has "$out" "more: add --after 2"
out=$("$bin" messages list --limit 2 --after 2 2>&1)
check "--after gives the next page" sh -c 'echo "$1" | grep -Eq "^ +3 " && echo "$1" | grep -Eq "^ +4 " && ! echo "$1" | grep -Eq "^ +2 "' - "$out"
check "list shows names sanitised" sh -c '! "$0" messages list | grep -q "$(printf "\033")"' "$bin"
out=$("$bin" messages list --campaign Nope 2>&1); rc=$?
check "an unknown campaign is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no campaign named \"Nope\""' - "$rc" "$out"
out=$("$bin" messages list --status lost 2>&1); rc=$?
check "an unknown status filter is a usage error" [ "$rc" -eq 2 ]
exit $TEST_FAILED
