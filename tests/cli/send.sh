# send.sh - `outreach send` against a real SMTP server on 127.0.0.1: the
# bytes that arrive (encoded subject, Message-ID, List-Unsubscribe, body,
# CRLF), what the server's answers do (4xx retried, 5xx failed with the
# reply, a connection lost mid-DATA failed as unknown and never resent),
# many workers delivering each message exactly once, a worker killed with
# SIGKILL, pause/resume/cancel under a running daemon, STARTTLS with AUTH,
# and the limits (daily cap, window). Also `outreach suppress`.
. "$OUTREACH_TEST_LIB/tmux.sh"
. "$OUTREACH_TEST_LIB/smtpsrv.sh"
bin=$OUTREACH_BIN
dir=$(mktemp -d "${TMPDIR:-/tmp}/outreach-send.XXXXXX")
daemon=""
cleanup() {
	[ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null
	smtpsrv_stop
	rm -rf "$dir"
}
trap cleanup EXIT
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }
PY=$(smtpsrv_python)

psql -q -X -c 'CREATE DATABASE cli_send' >/dev/null
export OUTREACH_DB="dbname=cli_send"
"$bin" migrate >/dev/null 2>&1
q() { psql -X -A -t -d cli_send -c "$1"; }

# No configuration at all: nothing in HOME, everything from OUTREACH_*.
# The file is looked for where users keep it (tests/run points
# OUTREACH_CONFIG elsewhere for every other test).
export HOME="$dir" XDG_CONFIG_HOME="$dir/xdg"
unset OUTREACH_SMTP_URL OUTREACH_FROM_ADDRESS OUTREACH_CONFIG

out=$("$bin" send --help); rc=$?
check "send --help shows every option" sh -c '[ "$1" -eq 0 ] && for o in --campaign --workers --rate --once; do echo "$2" | grep -q -- "$o" || exit 1; done' - "$rc" "$out"
out=$("$bin" send --once 2>&1); rc=$?
check "without an SMTP server configured, send says which key to set" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "smtp.url" && echo "$2" | grep -q "OUTREACH_SMTP_URL"' - "$rc" "$out"
mkdir -p "$dir/xdg/outreach"
printf '[smtp]\nurl = smtp://127.0.0.1:1\n[sender]\nfrom_adress = a@b.example\n' >"$dir/xdg/outreach/outreach.conf"
out=$("$bin" send --once 2>&1); rc=$?
check "a misspelt key is named with its file and line" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "outreach.conf:4: unknown key .from_adress. in \[sender\]"' - "$rc" "$out"
rm "$dir/xdg/outreach/outreach.conf"

smtpsrv_start
export OUTREACH_SMTP_URL="smtp://127.0.0.1:$SMTPSRV_PORT" OUTREACH_SMTP_STARTTLS=off
export OUTREACH_FROM_ADDRESS="team@agency.example" OUTREACH_FROM_NAME="Åsa at Agency"
export OUTREACH_UNSUBSCRIBE_URL="https://agency.example/u/{token}"
export OUTREACH_UNSUBSCRIBE_MAILTO="unsubscribe@agency.example"
export OUTREACH_RETRY_DELAY=0

psql -q -X -d cli_send -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status) VALUES
 (1, 'Café Crème', 'active'), (2, 'Birch Books', 'active'),
 (3, 'Cedar Crafts', 'active'), (4, 'Dogwood Deli', 'active'),
 (5, 'Elm Electric', 'active'), (6, 'Fir Farm', 'active'),
 (7, 'Gum Garage', 'active'), (8, 'Hazel Hair', 'active');
INSERT INTO contacts (business_id, type, value, source, is_primary) VALUES
 (1, 'email', 'cafe@creme.example', 'csv', true),
 (2, 'email', 'birch@books.example', 'csv', true),
 (3, 'email', 'reject-cedar@crafts.example', 'csv', true),
 (4, 'email', 'bounce-dogwood@deli.example', 'csv', true),
 (5, 'email', 'defer-elm@electric.example', 'csv', true),
 (6, 'email', 'drop-fir@farm.example', 'csv', true),
 (7, 'email', 'gum@garage.example', 'csv', true),
 (8, 'email', 'hazel@hair.example', 'csv', true);
SQL
printf 'Grüße an {{business.name}}\n' >"$dir/subject"
printf 'Hello {{business.name}},\n\n.a line starting with a dot\nna\303\257ve caf\303\251 \342\200\224 {{sender.name}}\nStop: {{unsubscribe_url}}\n' >"$dir/body"
"$bin" campaign create Spring --subject-file "$dir/subject" --body-file "$dir/body" >/dev/null 2>&1
"$bin" campaign generate Spring >/dev/null 2>&1
"$bin" campaign start Spring >/dev/null 2>&1
# Asked not to be contacted after generation: checked again at send time.
out=$("$bin" suppress add Gum@Garage.example --reason 'asked by phone' 2>&1); rc=$?
check "suppress add takes an address" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^gum@garage.example suppressed"' - "$rc" "$out"
out=$("$bin" suppress add gum@garage.example 2>&1)
check "suppressing twice says so" has "$out" "was already suppressed"
out=$("$bin" suppress add --business 8 --reason 'closed' 2>&1); rc=$?
check "suppress add --business takes a business" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^business 8 suppressed"' - "$rc" "$out"
out=$("$bin" suppress add --business 999 2>&1); rc=$?
check "an unknown business id is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no business with id 999"' - "$rc" "$out"
out=$("$bin" suppress list 2>&1)
check "suppress list shows both with reasons" sh -c 'echo "$1" | grep -q "gum@garage.example .*asked by phone" && echo "$1" | grep -q "business 8 Hazel Hair.*closed"' - "$out"
out=$("$bin" suppress frob 2>&1); rc=$?
check "suppress with an unknown verb is a usage error" [ "$rc" -eq 2 ]

out=$("$bin" send --once --workers 2 2>"$dir/err"); rc=$?
check "send --once drains and summarises" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^sent 3, failed 5 (2 suppressed, 1 delivery unknown)"' - "$rc" "$out"
check "one log line per batch on stderr" grep -q 'send: campaign "Spring": .* claimed by outreach-send ' "$dir/err"
check "the server stored the 3 accepted messages and the dropped one" [ "$(smtpsrv_count)" -eq 4 ]

st() { q "SELECT m.status || ' ' || coalesce(m.last_error, '') FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.value = '$1'"; }
check "a plain message is sent" sh -c '[ "$(echo "$1" | cut -d" " -f1)" = sent ]' - "$(st cafe@creme.example)"
check "a 550 to RCPT fails with the server's reply" sh -c 'echo "$1" | grep -q "^failed rejected: 550 5.1.1 no such mailbox here"' - "$(st reject-cedar@crafts.example)"
check "a 554 after the data fails with the server's reply" sh -c 'echo "$1" | grep -q "^failed rejected: 554 5.6.0"' - "$(st bounce-dogwood@deli.example)"
check "a 451 is retried and then sent" sh -c '[ "$1" = "sent deferred: 451 4.3.0 try again later|2" ]' - "$(q "SELECT m.status || ' ' || m.last_error || '|' || m.attempts FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.value = 'defer-elm@electric.example'")"
check "a connection dropped after the data is failed as unknown" sh -c 'echo "$1" | grep -q "^failed delivery unknown: connection lost during send"' - "$(st drop-fir@farm.example)"
check "an address suppressed after generation is not sent" sh -c '[ "$1" = "failed suppressed: asked by phone" ]' - "$(st gum@garage.example)"
check "a suppressed business is not sent" sh -c '[ "$1" = "failed suppressed: closed" ]' - "$(st hazel@hair.example)"
check "no claim is left behind" [ "$(q "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL")" -eq 0 ]
check "the retried message's history shows both tries" [ "$(q "SELECT string_agg(e.event, ',' ORDER BY e.id) FROM message_events e JOIN messages m ON m.id = e.message_id JOIN contacts c ON c.id = m.contact_id WHERE c.value = 'defer-elm@electric.example'")" = "claimed,retry,claimed,sent" ]
check "the campaign completed by itself" [ "$(q "SELECT status FROM campaigns WHERE name = 'Spring'")" = completed ]

# The bytes on the wire, read back with Python's own mail parser.
f=$(smtpsrv_find cafe@creme.example)
id=$(q "SELECT m.id FROM messages m JOIN contacts c ON c.id = m.contact_id WHERE c.value = 'cafe@creme.example'")
q "SELECT personalized_content FROM messages WHERE id = $id" >"$dir/expected"
q "SELECT message_id_header || ' ' || unsubscribe_token FROM messages WHERE id = $id" >"$dir/ids"
cat >"$dir/inspect.py" <<'PY'
import email, email.policy, sys
raw = open(sys.argv[1], "rb").read()
mid, token = open(sys.argv[2]).read().split()
expected = open(sys.argv[3], encoding="utf-8").read().rstrip("\n")
m = email.message_from_bytes(raw, policy=email.policy.default)
checks = {
    "crlf": all(l.endswith(b"\r") for l in raw.split(b"\n")[:-1]),
    "no-bare-lf": b"\n" not in raw.replace(b"\r\n", b""),
    "subject-encoded": b"Subject: =?" in raw or b"Subject: =?".lower() in raw.lower(),
    "subject": str(m["Subject"]) == "Grüße an Café Crème",
    "from": m["From"].addresses[0].addr_spec == "team@agency.example" and m["From"].addresses[0].display_name == "Åsa at Agency",
    "to": str(m["To"]) == "cafe@creme.example",
    "date": m["Date"] is not None and m["Date"].datetime is not None,
    "message-id": str(m["Message-ID"]).strip() == "<%s>" % mid,
    "list-unsubscribe": str(m["List-Unsubscribe"]) == "<mailto:unsubscribe@agency.example?subject=unsubscribe%%20%s>, <https://agency.example/u/%s>" % (token, token),
    "one-click": str(m["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click",
    "body": m.get_content().replace("\r\n", "\n").rstrip("\n") == expected,
    "utf-8": m.get_content_charset() == "utf-8" and m.get_content_type() == "text/plain",
    "7bit": max(raw) < 128,
}
bad = [k for k, v in checks.items() if not v]
print(" ".join(bad) if bad else "all good")
PY
out=$("$PY" "$dir/inspect.py" "$f" "$dir/ids" "$dir/expected" 2>&1)
check "the message on the wire: headers, encoded subject, body, CRLF ($out)" [ "$out" = "all good" ]
check "the body's unsubscribe link carries the message's token" grep -q "$(cut -d' ' -f2 "$dir/ids")" "$dir/expected"
check "the envelope sender is the configured address" grep -qx "from team@agency.example" "${f%.eml}.env"

before=$(smtpsrv_count)
q "UPDATE campaigns SET status = 'sending' WHERE name = 'Spring'" >/dev/null
out=$("$bin" send --once 2>&1)
check "sending again delivers nothing twice, the unknown one included" sh -c '[ "$(find "$1" -name "*.eml" | wc -l)" -eq "$2" ] && echo "$3" | grep -q "^sent 0, failed 0"' - "$SMTPSRV_MAIL" "$before" "$out"

# ---- many workers, each message exactly once ----
psql -q -X -d cli_send -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status)
  SELECT 1000 + i, 'Shop ' || i, 'archived' FROM generate_series(1, 2000) i;
INSERT INTO contacts (business_id, type, value, source, is_primary)
  SELECT 1000 + i, 'email', 'shop' || i || '@many.example', 'csv', true
  FROM generate_series(1, 2000) i;
SQL
printf 'Hi {{business.name}}\n' >"$dir/short"
"$bin" campaign create Many --subject-file "$dir/short" --body-file "$dir/short" --status archived >/dev/null 2>&1
"$bin" campaign generate Many >/dev/null 2>&1
"$bin" campaign start Many >/dev/null 2>&1
rm -f "$SMTPSRV_MAIL"/*
out=$("$bin" send --once --workers 4 --campaign Many 2>/dev/null); rc=$?
check "four workers send a campaign of 2,000" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^sent 2000, failed 0"' - "$rc" "$out"
check "each of the 2,000 arrived exactly once" sh -c '[ "$(cat "$1"/*.env | grep "^to " | sort | uniq | wc -l)" -eq 2000 ] && [ "$(find "$1" -name "*.eml" | wc -l)" -eq 2000 ]' - "$SMTPSRV_MAIL"
check "the work was shared by the four workers" [ "$(q "SELECT count(DISTINCT actor) FROM message_events e JOIN messages m ON m.id = e.message_id JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Many' AND e.event = 'sent'")" -eq 4 ]
check "every Message-ID is different" [ "$(q "SELECT count(DISTINCT message_id_header) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Many'")" -eq 2000 ]

# ---- a worker killed with SIGKILL, then restarted ----
psql -q -X -d cli_send -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
UPDATE businesses SET status = 'scanned' WHERE id > 1000;
SQL
"$bin" campaign create Killed --subject-file "$dir/short" --body-file "$dir/short" --status scanned >/dev/null 2>&1
"$bin" campaign generate Killed >/dev/null 2>&1
"$bin" campaign start Killed >/dev/null 2>&1
rm -f "$SMTPSRV_MAIL"/*
OUTREACH_SEND_BATCH=20 "$bin" send --workers 4 --rate 300 --campaign Killed >/dev/null 2>&1 &
daemon=$!
tries=0
while [ "$(smtpsrv_count)" -lt 300 ] && [ $tries -lt 200 ]; do sleep 0.05; tries=$((tries + 1)); done
kill -9 "$daemon"
wait "$daemon" 2>/dev/null
daemon=""
claimed=$(q "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Killed' AND m.claimed_by IS NOT NULL")
check "the killed worker left claims behind ($claimed)" [ "$claimed" -gt 0 ]
sleep 1.2
out=$(OUTREACH_CLAIM_TIMEOUT=1 "$bin" send --once --workers 4 --campaign Killed 2>&1)
check "the restart fails the dead worker's claims as unknown" sh -c 'echo "$1" | grep -q "left by a stopped worker failed as unknown" && [ "$2" -eq "$3" ]' - "$out" "$claimed" "$(q "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Killed' AND m.last_error = 'delivery unknown: worker stopped during send'")"
check "after the kill and restart no address got two messages" [ "$(cat "$SMTPSRV_MAIL"/*.env | grep '^to ' | sort | uniq -d | wc -l)" -eq 0 ]
check "every message is sent or failed as unknown, none pending" [ "$(q "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Killed' AND (m.status = 'sent' OR m.last_error LIKE 'delivery unknown%')")" -eq 2000 ]
check "every message recorded as sent did arrive" [ "$(q "SELECT string_agg(message_id_header, E'\n') FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Killed' AND m.status = 'sent'" | while read -r mid; do grep -l -F "<$mid>" "$SMTPSRV_MAIL"/*.eml >/dev/null || echo missing; done | wc -l)" -eq 0 ]

# ---- pause, resume and cancel under a running daemon ----
psql -q -X -d cli_send -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
UPDATE businesses SET status = 'pending_scan' WHERE id > 1000;
SQL
"$bin" campaign create Paced --subject-file "$dir/short" --body-file "$dir/short" --status pending_scan >/dev/null 2>&1
"$bin" campaign generate Paced >/dev/null 2>&1
rm -f "$SMTPSRV_MAIL"/*
"$bin" send --workers 2 --rate 40 >"$dir/daemon.out" 2>"$dir/daemon.err" &
daemon=$!
sleep 0.5
check "an idle daemon sends nothing while no campaign is sending" [ "$(smtpsrv_count)" -eq 0 ]
"$bin" campaign start Paced >/dev/null 2>&1
tries=0
while [ "$(smtpsrv_count)" -lt 20 ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
check "starting the campaign wakes the daemon (NOTIFY, no polling)" [ "$(smtpsrv_count)" -ge 20 ]
"$bin" campaign pause Paced >/dev/null 2>&1
sleep 2.5
n1=$(smtpsrv_count)
sleep 1.5
n2=$(smtpsrv_count)
check "pause stops the sending within a batch ($n1 then $n2)" [ "$n1" -eq "$n2" ]
check "a paused campaign's claims are given back" [ "$(q "SELECT count(*) FROM messages WHERE claimed_by IS NOT NULL")" -eq 0 ]
"$bin" campaign resume Paced >/dev/null 2>&1
tries=0
while [ "$(smtpsrv_count)" -le "$n2" ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
check "resume starts it again" [ "$(smtpsrv_count)" -gt "$n2" ]
"$bin" campaign cancel Paced >/dev/null 2>&1
sleep 2.5
n3=$(smtpsrv_count)
sleep 1
check "cancel stops it" [ "$(smtpsrv_count)" -eq "$n3" ]
kill -TERM "$daemon"
tries=0
while kill -0 "$daemon" 2>/dev/null && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
wait "$daemon"; rc=$?
daemon=""
check "SIGTERM stops the daemon cleanly with a summary" sh -c '[ "$1" -eq 0 ] && grep -q "^sent [0-9]*, failed 0" "$2"' - "$rc" "$dir/daemon.out"
check "the pending messages of the cancelled campaign stay unsent" [ "$(q "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Paced' AND m.status = 'pending'")" -eq $((2000 - n3)) ]
smtpsrv_stop

# ---- limits: daily cap and sending window ----
smtpsrv_start
export OUTREACH_SMTP_URL="smtp://127.0.0.1:$SMTPSRV_PORT"
psql -q -X -d cli_send -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status)
  SELECT 5000 + i, 'Cap ' || i, 'active' FROM generate_series(1, 30) i;
INSERT INTO contacts (business_id, type, value, source, is_primary)
  SELECT 5000 + i, 'email', 'cap' || i || '@cap.example', 'csv', true
  FROM generate_series(1, 30) i;
SQL
"$bin" campaign create Capped --subject-file "$dir/short" --body-file "$dir/short" --search "Cap " >/dev/null 2>&1
"$bin" campaign generate Capped >/dev/null 2>&1
"$bin" campaign start Capped >/dev/null 2>&1
out=$(OUTREACH_SEND_WINDOW="Mon-Sun 00:00-00:01" "$bin" send --once 2>&1)
now=$(date +%H:%M)
if [ "$now" != "00:00" ]; then
	check "outside the sending window nothing is sent" sh -c 'echo "$1" | grep -q "outside the sending window" && [ "$2" -eq 0 ]' - "$out" "$(smtpsrv_count)"
fi
today=$(q "SELECT count(*) FROM messages WHERE sent_at >= date_trunc('day', now())")
out=$(OUTREACH_DAILY_CAP=$((today + 10)) "$bin" send --once --campaign Capped 2>&1)
check "the daily cap counts what was sent today and stops there" sh -c 'echo "$1" | grep -q "^sent 10, failed 0" && echo "$1" | grep -q "daily cap"' - "$out"
smtpsrv_stop

# ---- STARTTLS and AUTH ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
smtpsrv_start --starttls "$dir/cert.pem" "$dir/key.pem" --auth sender:s3cret
printf 's3cret\n' >"$dir/password"
chmod 644 "$dir/password"
mkdir -p "$dir/xdg/outreach"
cat >"$dir/xdg/outreach/outreach.conf" <<EOF
# the agency's mail server
[smtp]
url = smtp://127.0.0.1:$SMTPSRV_PORT
starttls = required
ca_file = $dir/cert.pem
user = sender
password_file = $dir/password
EOF
unset OUTREACH_SMTP_URL OUTREACH_SMTP_STARTTLS
out=$("$bin" send --once --campaign Capped 2>&1); rc=$?
check "a password file others can read is refused" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "chmod 600"' - "$rc" "$out"
chmod 600 "$dir/password"
out=$("$bin" send --once --campaign Capped 2>&1); rc=$?
check "STARTTLS required and offered: sent over TLS with AUTH" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^sent 20, failed 0" && [ "$(grep -l "^tls yes" "$3"/*.env | wc -l)" -eq 20 ] && [ "$(grep -l "^auth yes" "$3"/*.env | wc -l)" -eq 20 ]' - "$rc" "$out" "$SMTPSRV_MAIL"
smtpsrv_stop

smtpsrv_start
q "UPDATE messages SET status = 'pending', sent_at = NULL WHERE business_id BETWEEN 5001 AND 5005" >/dev/null
q "UPDATE campaigns SET status = 'sending' WHERE name = 'Capped'" >/dev/null
sed -i "s/^url = .*/url = smtp:\/\/127.0.0.1:$SMTPSRV_PORT/" "$dir/xdg/outreach/outreach.conf"
out=$("$bin" send --once --campaign Capped 2>&1); rc=$?
check "STARTTLS required but not offered: nothing sent, a clear error" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -qi "STARTTLS\|SSL" && [ "$(find "$3" -name "*.eml" | wc -l)" -eq 0 ]' - "$rc" "$out" "$SMTPSRV_MAIL"
check "... and the messages stay pending, no attempt counted against them" [ "$(q "SELECT count(*) FROM messages WHERE business_id BETWEEN 5001 AND 5005 AND status = 'pending' AND claimed_by IS NULL")" -eq 5 ]

# ---- a scheduled campaign is started by the sender when its time comes ----
rm "$dir/xdg/outreach/outreach.conf"
export OUTREACH_SMTP_URL="smtp://127.0.0.1:$SMTPSRV_PORT" OUTREACH_SMTP_STARTTLS=off
"$bin" campaign create Later --subject-file "$dir/short" --body-file "$dir/short" --search "Cap 1" >/dev/null 2>&1
"$bin" campaign generate Later >/dev/null 2>&1
"$bin" campaign schedule Later --at "$(date -u -d '+3 seconds' '+%Y-%m-%d %H:%M:%S+00')" >/dev/null 2>&1
out=$("$bin" send --once 2>&1)
check "a campaign scheduled for later is not started early" sh -c '[ "$1" = "scheduled 0" ]' - "$(q "SELECT c.status || ' ' || count(m.sent_at) FROM campaigns c JOIN messages m ON m.campaign_id = c.id WHERE c.name = 'Later' GROUP BY c.status")"
"$bin" send --workers 1 >/dev/null 2>&1 &
daemon=$!
tries=0
while [ "$(q "SELECT status FROM campaigns WHERE name = 'Later'")" != completed ] && [ $tries -lt 200 ]; do sleep 0.05; tries=$((tries + 1)); done
kill -TERM "$daemon"; wait "$daemon"; daemon=""
check "a waiting daemon starts it at its time and sends it" [ "$(q "SELECT status FROM campaigns WHERE name = 'Later'")" = completed ]
check "the start is in the audit log under the sender's name" [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'campaign.start' AND actor LIKE 'outreach-send %'")" -eq 1 ]
smtpsrv_stop
