# messages.sh - the Messages screen driven in tmux: the monitor shows a
# campaign's progress and counts and follows marks made by another process
# live; the list and a message's history; the manual social queue claims a
# task, copies its text with OSC 52, marks it sent, failed and skipped (each
# checked in the database); two sessions never hold the same task; and
# :suppress on the Businesses screen.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap 'tui_stop; rm -f "${trace:-}"' EXIT
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }
counts() {
	value "SELECT format('pending %s · sent %s · opened %s · replied %s · failed %s',
		count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'sent'),
		count(*) FILTER (WHERE status = 'opened'), count(*) FILTER (WHERE status = 'replied'),
		count(*) FILTER (WHERE status = 'failed'))
		FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Spring open studios'"
}

trace=$(mktemp "${TMPDIR:-/tmp}/outreach-trace.XXXXXX")
tui_open 100 30 "$db" OUTREACH_TRACE="$trace"
tui_keys 3
expect "screen 3 shows the sending campaign" "Spring open studios"
expect "with its counts by status" "$(counts)"
expect "and a progress line" "done"
expect "and the counts by platform" "instagram"
expect "the demo's failures are grouped by their reasons" "account is private"

# Another process marks a message: the screen follows without a key.
id=$(value "SELECT m.id FROM messages m WHERE m.status = 'pending' AND m.platform = 'email' ORDER BY id LIMIT 1")
"$OUTREACH_BIN" --db "dbname=$db" messages mark "$id" sent >/dev/null
expect "a mark from the command line shows up live" "$(counts)"
failed=$(value "SELECT id FROM messages WHERE status = 'pending' AND platform = 'email' ORDER BY id LIMIT 1")
psql -q -X -d "$db" -c "UPDATE messages SET status = 'failed', failed_at = now(), last_error = 'smtp 550 no such user' WHERE id = $failed"
expect "a failure from psql shows up live" "$(counts)"
expect "the failure's reason is listed" "smtp 550 no such user"
expect "the rate over the last minute counts it" "(2 in the last minute)"

# A burst of a thousand changes, one transaction each as a fast worker
# makes them, costs a few refreshes, not a thousand.
bump=$(value "SELECT id FROM messages WHERE status = 'sent' ORDER BY id LIMIT 1")
before=$(grep -c '^refresh messages' "$trace")
start=$(date +%s%N)
i=0
while [ "$i" -lt 1000 ]; do echo "UPDATE messages SET attempts = attempts + 1 WHERE id = $bump;"; i=$((i + 1)); done |
	psql -q -X -d "$db" >/dev/null
"$OUTREACH_BIN" --db "dbname=$db" messages mark "$bump" opened >/dev/null
expect "the screen has caught up after the burst" "$(counts)"
sleep 1
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
refreshes=$(( $(grep -c '^refresh messages' "$trace") - before ))
check "a burst of 1001 changes made $refreshes refreshes in $elapsed ms (at most one per 400 ms)" \
	sh -c '[ "$1" -ge 1 ] && [ "$1" -le "$2" ]' - "$refreshes" $(( elapsed / 400 + 2 ))

# The list, filtered, and one message with its history.
tui_keys Enter
expect "Enter opens the campaign's messages" "messages (status all, platform all)"
tui_keys f f f f f
expect "f cycles to failed" "status failed"
expect "the failed message is listed with its reason" "smtp 550 no such user"
before=$(value "SELECT count(*) FROM messages WHERE status = 'failed' AND id < $failed")
i=0
while [ "$i" -lt "$before" ]; do tui_keys j; i=$((i + 1)); done
expect "the cursor reaches it" "message $failed "
tui_keys Enter
expect "Enter shows the message" "History:"
expect "its history names the failure and its reason" "smtp 550 no such user"
expect "the detail shows the last error" "Last error: smtp 550 no such user"
tui_keys q
expect "q goes back to the list" "status failed"
tui_keys f f f
expect "f cycles on to sent" "status sent"
sent=$(value "SELECT min(id) FROM messages WHERE status = 'sent'")
tui_keys g
expect "the first sent message is selected" "message $sent "
tui_keys o
expect "o marks the selected message opened" "message $sent marked opened"
check "it is opened in the database" [ "$(value "SELECT status || (opened_at IS NOT NULL) FROM messages WHERE id = $sent")" = "openedtrue" ]
tui_keys q
expect "q goes back to the monitor" "Last errors"
tui_keys Enter
expect "the list again, as it was left" "messages (status sent, platform all)"
tui_keys Enter
expect "and a message again" "History:"
tui_keys Escape
expect "Esc goes back to the list" "messages (status sent, platform all)"
tui_keys Escape
expect "Esc goes back to the monitor" "Last errors"
tui_keys Escape 3
sleep 0.3
check "Esc on the monitor neither quits nor leaves it" sh -c '! printf "%s" "$1" | grep -q "exit status" && printf "%s" "$1" | grep -q "Last errors"' - "$(tui_screen)"

# The social queue.
tui_keys w
expect "w opens the social queue with a task" "Profile:"
task=$(value "SELECT id FROM messages WHERE claimed_by IS NOT NULL")
check "one task is claimed" [ -n "$task" ]
owner=$(value "SELECT claimed_by FROM messages WHERE id = ${task:-0}")
check "the claim names this session" sh -c 'case "$1" in tester@*:*) exit 0;; *) exit 1;; esac' - "$owner"
check "the session's connection carries the claim name" [ "$(value "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$owner'")" -ge 1 ]
url=$(value "SELECT ct.value FROM messages m JOIN contacts ct ON ct.id = m.contact_id WHERE m.id = ${task:-0}")
expect "the task shows its profile URL" "$url"

tmux -S "$TMUX_SOCKET" set-option -g set-clipboard on >/dev/null
tui_keys c
expect "c says the text was copied" "copied"
content=$(value "SELECT personalized_content FROM messages WHERE id = ${task:-0}")
check "c put the task's text on the clipboard (OSC 52)" [ "$(tmux -S "$TMUX_SOCKET" show-buffer 2>/dev/null)" = "$content" ]

tui_keys u
expect "u makes the profile URL a link" "is now a link"
tui_keys Enter
expect "Enter marks the task sent" "task $task marked sent"
check "the task is sent in the database" [ "$(value "SELECT status || coalesce(claimed_by, '-') FROM messages WHERE id = $task")" = "sent-" ]
check "its history says who sent it" [ "$(value "SELECT actor FROM message_events WHERE message_id = $task AND event = 'sent'")" = "$owner" ]
expect "the next task is shown" "Profile:"
task2=$(value "SELECT id FROM messages WHERE claimed_by IS NOT NULL")
check "a different task is claimed" sh -c '[ -n "$1" ] && [ "$1" != "$2" ]' - "$task2" "$task"

tui_keys x
expect "x asks why" "Why did task $task2 fail?"
tui_keys -l "profile deleted"
tui_keys Enter
expect "x marks the task failed" "task $task2 marked failed"
check "the reason is stored" [ "$(value "SELECT status || ': ' || last_error FROM messages WHERE id = $task2")" = "failed: profile deleted" ]

task3=$(value "SELECT id FROM messages WHERE claimed_by IS NOT NULL")
tui_keys n
expect "n skips the task" "task $task3 skipped"
task4=$(value "SELECT id FROM messages WHERE claimed_by IS NOT NULL")
check "the skipped task is released and another is claimed" sh -c '[ -n "$1" ] && [ "$1" != "$2" ] && [ "$3" = "-" ]' - "$task4" "$task3" "$(value "SELECT coalesce(claimed_by, '-') FROM messages WHERE id = ${task3:-0}")"

# A second session never gets the task the first one holds.
first=$TMUX_SOCKET
tui_open 100 30 "$db"
second=$TMUX_SOCKET
tui_keys 3
expect "the second session shows the monitor" "Spring open studios"
tui_keys w
expect "the second session gets a task" "Profile:"
check "two sessions hold two different tasks" [ "$(value "SELECT count(DISTINCT claimed_by) || '/' || count(*) FROM messages WHERE claimed_by IS NOT NULL")" = "2/2" ]
tui_keys q
expect "leaving the queue releases the task" "Last errors"
check "only the first session's claim is left" [ "$(value "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL")" = 1 ]
# Quitting from another screen while a task is held gives the task back at
# once; it does not wait for the stale-claim time.
tui_keys w
expect "the second session takes a task again" "Profile:"
check "it holds a task" [ "$(value "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL")" = 2 ]
tui_keys 1
expect "the second session switches screens, task in hand" "Alder & Ash Bakery"
tui_keys q
expect "the second session quits" "[exit status 0]"
check "quitting released the held task" [ "$(value "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL")" = 1 ]
tui_stop
second=""
TMUX_SOCKET=$first

# :suppress on the Businesses screen.
tui_keys q 1
expect "back on the Businesses screen" "Alder & Ash Bakery"
tui_keys :
tui_keys -l "suppress"
tui_keys Enter
expect "suppress asks for a reason" "reason (optional)"
tui_keys -l "asked by phone"
tui_keys Enter
expect "the business is suppressed" "suppressed business"
check "the suppression is stored with its reason" [ "$(value "SELECT count(*) FROM suppressions s JOIN businesses b ON b.id = s.business_id WHERE b.name = 'Alder & Ash Bakery' AND s.reason = 'asked by phone'")" = 1 ]
tui_keys :
tui_keys -l "suppress Stop@Example.org"
tui_keys Enter Enter
expect "an address is suppressed" "suppressed \"Stop@Example.org\""
check "the address is stored lower-cased" [ "$(value "SELECT count(*) FROM suppressions WHERE address = 'stop@example.org'")" = 1 ]
tui_keys q
expect "q quits with status 0" "[exit status 0]"
exit $TEST_FAILED
