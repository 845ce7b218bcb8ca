# replies.sh - `outreach replies` against a real IMAP server on 127.0.0.1:
# messages sent through the test SMTP server, replies to them delivered
# into the IMAP server's maildir (In-Reply-To, an id folded among others in
# References, a Date in another zone, a reply to an unknown id, unrelated
# mail), then which messages become replied and when, that a second run
# reads nothing, that later mail is read, that nothing in the mailbox is
# flagged seen, batches over 500 mails, a renumbered mailbox, and the
# errors: a wrong password, an unreachable server, a missing mailbox.
. "$OUTREACH_TEST_LIB/tmux.sh"
. "$OUTREACH_TEST_LIB/smtpsrv.sh"
. "$OUTREACH_TEST_LIB/imapsrv.sh"
bin=$OUTREACH_BIN
dir=$(mktemp -d "${TMPDIR:-/tmp}/outreach-replies.XXXXXX")
cleanup() {
	imapsrv_stop
	smtpsrv_stop
	rm -rf "$dir"
}
trap cleanup EXIT
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }

psql -q -X -c 'CREATE DATABASE cli_replies' >/dev/null
export OUTREACH_DB="dbname=cli_replies"
"$bin" migrate >/dev/null 2>&1
q() { psql -X -A -t -d cli_replies -c "$1"; }
# The configuration is found where users keep it (tests/run points
# OUTREACH_CONFIG elsewhere for the other tests).
export HOME="$dir" XDG_CONFIG_HOME="$dir/xdg"
unset OUTREACH_CONFIG

out=$("$bin" replies --help); rc=$?
check "replies --help shows every option" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q -- --imap && echo "$2" | grep -q -- --mailbox' - "$rc" "$out"
out=$("$bin" replies 2>&1); rc=$?
check "without an IMAP server configured, replies says which key to set" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "imap.url" && echo "$2" | grep -q "OUTREACH_IMAP_URL"' - "$rc" "$out"
out=$("$bin" replies --imap http://127.0.0.1/ 2>&1); rc=$?
check "a URL that is not imap:// or imaps:// is refused" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "imap:// or imaps://"' - "$rc" "$out"

# Send four messages.
smtpsrv_start
export OUTREACH_SMTP_URL="smtp://127.0.0.1:$SMTPSRV_PORT" OUTREACH_SMTP_STARTTLS=off
export OUTREACH_FROM_ADDRESS="team@agency.example"
psql -q -X -d cli_replies -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status) VALUES
 (1, 'Alder Arts', 'active'), (2, 'Birch Books', 'active'),
 (3, 'Cedar Crafts', 'active'), (4, 'Dogwood Deli', 'active');
INSERT INTO contacts (business_id, type, value, source, is_primary) VALUES
 (1, 'email', 'alder@arts.example', 'csv', true),
 (2, 'email', 'birch@books.example', 'csv', true),
 (3, 'email', 'cedar@crafts.example', 'csv', true),
 (4, 'email', 'dogwood@deli.example', 'csv', true);
SQL
printf 'Hello {{business.name}}\n' >"$dir/subject"
printf 'Hello {{business.name}},\nshall we talk?\n' >"$dir/body"
"$bin" campaign create Spring --subject-file "$dir/subject" --body-file "$dir/body" >/dev/null 2>&1
"$bin" campaign generate Spring >/dev/null 2>&1
"$bin" campaign start Spring >/dev/null 2>&1
out=$("$bin" send --once 2>/dev/null)
check "four messages were sent" has "$out" "sent 4, failed 0"
mid() { q "SELECT message_id_header FROM messages WHERE business_id = $1"; }
msg() { q "SELECT id FROM messages WHERE business_id = $1"; }
m1=$(mid 1) m2=$(mid 2) m3=$(mid 3) m4=$(mid 4)
check "sent messages carry their Message-ID" sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ -n "$4" ]' - "$m1" "$m2" "$m3" "$m4"
# Message 2 was seen opened before its reply came: that time stays.
"$bin" messages mark "$(msg 2)" opened >/dev/null 2>&1
q "UPDATE messages SET opened_at = opened_at - interval '1 minute' WHERE business_id = 2" >/dev/null
opened2=$(q "SELECT opened_at FROM messages WHERE business_id = 2")

# The replies: written a second after the sending, so a Date in them
# comes after sent_at. One in a zone two hours east of UTC.
sleep 1
date1=$(TZ=XXX-2 date -R)
mail() {	# mail NAME HEADERS...
	f="$dir/$1"
	shift
	: >"$f"
	for h in "$@"; do printf '%s\r\n' "$h" >>"$f"; done
	printf 'Subject: test\r\n\r\nSome text.\r\n' >>"$f"
	imapsrv_deliver "$f"
}
imapsrv_start
mail r1 "From: Alder <alder@arts.example>" "Message-ID: <r1@arts.example>" \
	"In-Reply-To: <$m1>" "Date: $date1"
mail r2 "From: birch@books.example" "Message-ID: <r2@books.example>" \
	"References: <older@books.example>" "	<$m2>" "  <x.y@elsewhere.example>"
mail r3 "From: someone@else.example" "Message-ID: <r3@else.example>" \
	"Date: $date1"
mail r4 "From: dogwood@deli.example" "In-Reply-To: <unknown-$m4>" \
	"References: <$m4.not>"
mail r5 "From: Alder <alder@arts.example>" "In-Reply-To: <$m1>" \
	"Date: Mon, 01 Jan 1990 00:00:00 +0000"

mkdir -p "$dir/xdg/outreach"
printf '%s\n' "$IMAPSRV_PASSWORD" >"$dir/imap-password"
chmod 644 "$dir/imap-password"
cat >"$dir/xdg/outreach/outreach.conf" <<EOF
[imap]
url = imap://127.0.0.1:$IMAPSRV_PORT
user = $IMAPSRV_USER
password_file = $dir/imap-password
starttls = off
EOF
out=$("$bin" replies 2>&1); rc=$?
check "a password file others may read is refused" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "chmod 600"' - "$rc" "$out"
chmod 600 "$dir/imap-password"

out=$("$bin" replies 2>"$dir/err"); rc=$?
check "replies summarises what it read and marked" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 5 new mails in INBOX, 3 replies matched (2 messages marked replied)" ]' - "$rc" "$out"
check "and says nothing else" [ ! -s "$dir/err" ]
st() { q "SELECT status FROM messages WHERE business_id = $1"; }
check "a reply by In-Reply-To marks its message replied" [ "$(st 1)" = replied ]
check "an id folded among others in References marks its message" [ "$(st 2)" = replied ]
check "a message nobody answered stays sent" [ "$(st 3)" = sent ]
check "a reply to an unknown id marks nothing" [ "$(st 4)" = sent ]
want=$(date -u -d "$date1" '+%Y-%m-%d %H:%M:%S')
got=$(q "SELECT to_char(replied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM messages WHERE business_id = 1")
check "replied_at is the reply's Date (the earliest reply's)" [ "$got" = "$want" ]
check "a reply also dates the opening" [ "$(q "SELECT opened_at = replied_at FROM messages WHERE business_id = 1")" = t ]
check "a reply without a Date is dated now" [ "$(q "SELECT replied_at > now() - interval '1 minute' FROM messages WHERE business_id = 2")" = t ]
check "an opening already recorded is kept" [ "$(q "SELECT opened_at FROM messages WHERE business_id = 2")" = "$opened2" ]
check "the history names the change and the actor" [ "$(q "SELECT string_agg(event, ',' ORDER BY id) FROM message_events WHERE message_id = $(msg 1)")" = "claimed,sent,replied" ]
check "the history's actor is the one running the command" [ "$(q "SELECT actor FROM message_events WHERE message_id = $(msg 1) AND event = 'replied'")" = "os:$(id -un)" ]
check "each mark is in the audit log" [ "$(q "SELECT count(*) FROM audit_log WHERE action = 'message.mark' AND detail LIKE 'replied: a reply arrived in INBOX on imap://127.0.0.1:%'")" -eq 2 ]
check "where reading stopped is kept, without credentials" [ "$(q "SELECT server || ' ' || mailbox || ' ' || last_uid FROM reply_mailboxes")" = "imap://127.0.0.1:$IMAPSRV_PORT INBOX 5" ]

seen() {	# mails flagged \Seen (maildir flag S after ":2,")
	find "$IMAPSRV_MAILDIR/new" "$IMAPSRV_MAILDIR/cur" -type f | grep -c ':2,[A-Z]*S' || true
}
check "no mail was flagged seen" [ "$(seen)" -eq 0 ]
check "every mail is still in the mailbox" [ "$(find "$IMAPSRV_MAILDIR/new" "$IMAPSRV_MAILDIR/cur" -type f | wc -l)" -eq 5 ]

before=$(q "SELECT string_agg(id || status || coalesce(replied_at::text, ''), ',' ORDER BY id) FROM messages")
out=$("$bin" replies 2>&1); rc=$?
check "a second run reads no mail" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 0 new mails in INBOX, 0 replies matched (0 messages marked replied)" ]' - "$rc" "$out"
check "and changes nothing" [ "$(q "SELECT string_agg(id || status || coalesce(replied_at::text, ''), ',' ORDER BY id) FROM messages")" = "$before" ]

# A reply proves a delivery that was unknown: message 3's connection was
# lost during the data, so it failed as "delivery unknown".
q "UPDATE messages SET status = 'failed', sent_at = NULL, failed_at = now() - interval '1 minute', last_error = 'delivery unknown: connection lost during send: timeout' WHERE business_id = 3" >/dev/null
failed3=$(q "SELECT failed_at FROM messages WHERE business_id = 3")
mail r6 "From: cedar@crafts.example" "In-Reply-To: <$m3>" "References: <$m3>" "Date: $date1"
out=$("$bin" replies 2>&1); rc=$?
check "mail that arrives later is read by the next run" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 1 new mail in INBOX, 1 reply matched (1 message marked replied)" ]' - "$rc" "$out"
check "a reply to a message of unknown delivery marks it replied" [ "$(st 3)" = replied ]
check "... sent when it failed, no longer failed" [ "$(q "SELECT (sent_at = '$failed3') || '/' || (failed_at IS NULL) || '/' || coalesce(last_error, '-') FROM messages WHERE business_id = 3")" = "true/true/-" ]
check "... and its history keeps the failure before the reply" [ "$(q "SELECT string_agg(event, ',' ORDER BY id) FROM message_events WHERE message_id = $(msg 3)")" = "claimed,sent,failed,replied" ]

# More than one batch: 1,100 unrelated mails, then a reply.
i=0
while [ "$i" -lt 1100 ]; do
	i=$((i + 1))
	printf 'From: list@news.example\r\nMessage-ID: <n%d@news.example>\r\nSubject: news\r\n\r\nNews.\r\n' "$i" \
		>"$IMAPSRV_MAILDIR/new/bulk.$i.test"
done
# Message 4 failed as unknown and was put back to pending by hand: the
# reply that then arrives proves the first sending, so it is not resent.
q "UPDATE messages SET status = 'failed', failed_at = now(), last_error = 'delivery unknown: worker stopped during send' WHERE business_id = 4" >/dev/null
"$bin" messages retry "$(msg 4)" >/dev/null 2>&1
check "message 4 waits to be sent again" [ "$(st 4)" = pending ]
mail r7 "From: dogwood@deli.example" "In-Reply-To: <$m4>"
out=$("$bin" replies 2>&1); rc=$?
check "a large delivery is read in batches" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 1101 new mails in INBOX, 1 reply matched (1 message marked replied)" ]' - "$rc" "$out"
check "the last batch's reply marks the retried message replied" [ "$(st 4)" = replied ]
check "... with a sending date" [ "$(q "SELECT sent_at IS NOT NULL AND replied_at IS NOT NULL FROM messages WHERE business_id = 4")" = t ]
delivered() { find "$SMTPSRV_MAIL" -type f | wc -l; }
sent_before=$(delivered)
out=$("$bin" send --once 2>&1)
check "... and it is not sent a second time" sh -c '[ "$1" = "$2" ] && echo "$3" | grep -q "sent 0"' - "$sent_before" "$(delivered)" "$out"
check "still nothing flagged seen" [ "$(seen)" -eq 0 ]

# A renumbered mailbox (new UIDVALIDITY) is read again; nothing changes.
before=$(q "SELECT string_agg(id || status || coalesce(replied_at::text, ''), ',' ORDER BY id) FROM messages")
q "UPDATE reply_mailboxes SET uidvalidity = 1" >/dev/null
out=$("$bin" replies 2>"$dir/err"); rc=$?
check "a new UIDVALIDITY reads the mailbox again" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 1107 new mails in INBOX, 5 replies matched (0 messages marked replied)" ]' - "$rc" "$out"
check "and says why" grep -q "UIDVALIDITY changed" "$dir/err"
check "matching again changes nothing" [ "$(q "SELECT string_agg(id || status || coalesce(replied_at::text, ''), ',' ORDER BY id) FROM messages")" = "$before" ]

# Sparse UIDs (most mail deleted since): the mails that are left are
# listed first and read, whatever the gaps between their UIDs.
find "$IMAPSRV_MAILDIR" -type f -name 'bulk.*' -delete
q "UPDATE reply_mailboxes SET last_uid = 0" >/dev/null
out=$("$bin" replies 2>&1); rc=$?
check "a mailbox with gaps in its UIDs is read by the mails left" sh -c '[ "$1" -eq 0 ] && [ "$2" = "checked 7 new mails in INBOX, 5 replies matched (0 messages marked replied)" ]' - "$rc" "$out"
check "... up to its last UID" [ "$(q "SELECT last_uid FROM reply_mailboxes")" -ge 1106 ]

# Errors.
out=$("$bin" replies --mailbox Archive 2>&1); rc=$?
check "a missing mailbox is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "mailbox \"Archive\"" && echo "$2" | grep -q -- "--mailbox"' - "$rc" "$out"
printf 'not-the-password\n' >"$dir/imap-password"
out=$("$bin" replies 2>&1); rc=$?
check "a wrong password says the login was refused" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "refused the login of .replies." && echo "$2" | grep -q "imap.password_file"' - "$rc" "$out"
port=$IMAPSRV_PORT
pids="$IMAPSRV_PID $(pgrep -P "$IMAPSRV_PID" | tr '\n' ' ')"
imapsrv_stop
out=$(OUTREACH_IMAP_URL="imap://127.0.0.1:$port" "$bin" replies 2>&1); rc=$?
check "an unreachable server is named" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "cannot reach the IMAP server imap://127.0.0.1:$3"' - "$rc" "$out" "$port"
alive=0
for p in $pids; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
check "the IMAP server left no process behind" [ "$alive" -eq 0 ]

# TLS: STARTTLS (required by default) and imaps://, the server's
# certificate trusted through imap.ca_file.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
	-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
imapsrv_start --tls "$dir/cert.pem" "$dir/key.pem" || exit 1
printf '%s\n' "$IMAPSRV_PASSWORD" >"$dir/imap-password"
tls_conf() {	# tls_conf URL [ca_file line]
	printf '[imap]\nurl = %s\nuser = %s\npassword_file = %s\n%s\n' \
		"$1" "$IMAPSRV_USER" "$dir/imap-password" "${2:-}" \
		>"$dir/xdg/outreach/outreach.conf"
}
tls_logins() { grep -c "Login: user=<$IMAPSRV_USER>.*TLS" "$IMAPSRV_DIR/log" 2>/dev/null; }
mail r9 "From: Ash <ash@arts.example>" "In-Reply-To: <$m2>" "Date: $date1"
tls_conf "imap://127.0.0.1:$IMAPSRV_PORT"
out=$("$bin" replies 2>&1); rc=$?
check "STARTTLS required, certificate not trusted: refused, and says why" \
	sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -qi "certificate" && echo "$2" | grep -q "imap.ca_file"' - "$rc" "$out"
check "... and no login went over the wire" [ "$(tls_logins)" -eq 0 ]
tls_conf "imap://127.0.0.1:$IMAPSRV_PORT" "ca_file = $dir/cert.pem"
out=$("$bin" replies 2>&1); rc=$?
check "STARTTLS required with imap.ca_file: read over TLS" \
	sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^checked 1 new mail" && [ "$3" -eq 1 ]' - "$rc" "$out" "$(tls_logins)"
tls_conf "imaps://127.0.0.1:$IMAPSRV_TLS_PORT" "ca_file = $dir/cert.pem"
out=$("$bin" replies 2>&1); rc=$?
check "imaps:// with imap.ca_file: read over TLS" \
	sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^checked 1 new mail" && [ "$3" -eq 2 ]' - "$rc" "$out" "$(tls_logins)"
imapsrv_stop
