# campaign.sh - `outreach campaign` as a user meets it: help, drafts with
# template errors (exit 3), listing, preview, generation and its summary,
# the lifecycle with its refusals, and no raw escape reaching the terminal.
. "$OUTREACH_TEST_LIB/tmux.sh"
bin=$OUTREACH_BIN
dir=$(mktemp -d "${TMPDIR:-/tmp}/outreach-campaign.XXXXXX")
trap 'rm -rf "$dir"' EXIT
has() { printf '%s\n' "$1" | grep -qF -- "$2"; }

out=$("$bin" campaign --help); rc=$?
check "campaign --help lists the subcommands" sh -c '[ "$1" -eq 0 ] && for s in list show create edit preview generate schedule start pause resume cancel delete; do echo "$2" | grep -q "^  $s" || exit 1; done' - "$rc" "$out"
out=$("$bin" campaign create --help); rc=$?
check "create --help comes from its option table" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^Usage: outreach campaign create NAME" && echo "$2" | grep -q -- "--body-file FILE" && echo "$2" | grep -q -- "--platform LIST"' - "$rc" "$out"
out=$("$bin" campaign 2>&1); rc=$?
check "campaign without a subcommand is a usage error" [ "$rc" -eq 2 ]
out=$("$bin" campaign frob 2>&1); rc=$?
check "an unknown subcommand is named, exit 2" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "frob" && echo "$2" | grep -q "outreach campaign --help"' - "$rc" "$out"
out=$("$bin" campaign show 2>&1); rc=$?
check "show without NAME asks which campaign" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "which campaign"' - "$rc" "$out"
out=$("$bin" campaign schedule X --bogus 2>&1); rc=$?
check "a bad option points at the subcommand's help" sh -c '[ "$1" -eq 2 ] && echo "$2" | grep -q "outreach campaign schedule --help"' - "$rc" "$out"

psql -q -X -c 'CREATE DATABASE cli_campaign' >/dev/null
export OUTREACH_DB="dbname=cli_campaign"
"$bin" migrate >/dev/null 2>&1
psql -q -X -d cli_campaign -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO businesses (id, name, status, address) VALUES
 (1, 'Alder Cafe', 'active', 'Main St 1'),
 (2, E'Birch \033]0;owned\007Books', 'active', NULL),
 (3, 'Cedar Crafts', 'active', NULL),
 (4, 'Dogwood Deli', 'active', NULL);
INSERT INTO contacts (business_id, type, value, source, is_primary) VALUES
 (1, 'email', 'hi@alder.example', 'csv', true),
 (2, 'email', 'birch@books.example', 'csv', false),
 (4, 'email', 'Dog@Deli.example', 'csv', true);
INSERT INTO suppressions (address, reason) VALUES ('dog@deli.example', 'asked');
SQL

printf 'News for {{business.name}}\n' >"$dir/subject"
printf 'Hello {{business.name}},\n\nSee you at {{business.address|your area}}.\n-- {{sender.name}}\n' >"$dir/body"
printf 'Hello {{business.name}},\nsee {{busines.adress}}\n' >"$dir/bad"

out=$("$bin" campaign create Spring --subject-file "$dir/subject" --body-file "$dir/body" 2>&1); rc=$?
check "create saves a draft, exit 0" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "created draft campaign \"Spring\""' - "$rc" "$out"
out=$("$bin" campaign create Spring --body-file "$dir/body" 2>&1); rc=$?
check "a taken name is refused, exit 1" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "a campaign named \"Spring\" already exists"' - "$rc" "$out"
out=$("$bin" campaign create Broken --body-file "$dir/bad" 2>&1); rc=$?
check "a template with errors is saved as a draft, exit 3" [ "$rc" -eq 3 ]
check "its errors carry template, line and column" has "$out" "body line 2, column 5: unknown field 'busines.adress'"
out=$("$bin" campaign create Nofile --body-file "$dir/missing" 2>&1); rc=$?
check "a missing template file is named, exit 1" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "cannot read .*missing"' - "$rc" "$out"
printf 'Hello\000there\n' >"$dir/nul"
out=$("$bin" campaign create Nul --body-file "$dir/nul" 2>&1); rc=$?
check "a template holding a NUL byte is refused, exit 1" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "nul holds a NUL byte; a template is text"' - "$rc" "$out"
check "... and nothing was saved" [ "$(psql -X -At -d cli_campaign -c "SELECT count(*) FROM campaigns WHERE name = 'Nul'")" = 0 ]
out=$(printf 'From standard input, {{business.name}}\n' | "$bin" campaign create Piped --body-file - 2>&1); rc=$?
check "--body-file - reads the template from standard input" sh -c '[ "$1" -eq 0 ] && [ "$2" = "From standard input, {{business.name}}" ]' - "$rc" "$(psql -X -At -d cli_campaign -c "SELECT message_template FROM campaigns WHERE name = 'Piped'")"
"$bin" campaign cancel Piped >/dev/null 2>&1

out=$("$bin" campaign list 2>&1); rc=$?
check "list shows status and audience size" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -Eq "^Spring +draft +2 +0/0 "' - "$rc" "$out"
out=$("$bin" campaign show Broken 2>&1); rc=$?
check "show lists a draft's template errors" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "templates:  1 error" && echo "$2" | grep -q "body line 2, column 5"' - "$rc" "$out"
out=$("$bin" campaign show Nope 2>&1); rc=$?
check "an unknown campaign is named, exit 1" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no campaign named \"Nope\""' - "$rc" "$out"

out=$(OUTREACH_FROM_NAME='Ann' "$bin" campaign preview Spring --business 1 2>&1); rc=$?
check "preview renders for a real business and its contact" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^to:       email hi@alder.example" && echo "$2" | grep -q "^subject:  News for Alder Cafe" && echo "$2" | grep -q "^  See you at Main St 1." && echo "$2" | grep -q "^  -- Ann"' - "$rc" "$out"
out=$("$bin" campaign preview Spring --business 2 2>&1)
check "database text reaches the terminal sanitised" sh -c 'echo "$1" | grep -qF "Birch ^[]0;owned^GBooks" && ! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"
out=$("$bin" campaign preview Spring 2>&1); rc=$?
check "preview without --business is a usage error" [ "$rc" -eq 2 ]

out=$(env -u OUTREACH_FROM_NAME "$bin" campaign generate Spring 2>&1); rc=$?
check "generate refuses a template whose sender name is unset" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "OUTREACH_FROM_NAME"' - "$rc" "$out"
out=$("$bin" campaign generate Broken 2>&1); rc=$?
check "generate refuses a draft with template errors" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "its templates have errors"' - "$rc" "$out"
export OUTREACH_FROM_NAME='Ann'
out=$("$bin" campaign generate Spring 2>"$dir/err"); rc=$?
check "generate reports what it did" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "^generated 2, skipped 2 (1 suppressed, 0 already generated, 1 no contact)"' - "$rc" "$out"
check "no progress bar when stderr is not a terminal" [ ! -s "$dir/err" ]
out=$("$bin" campaign generate Spring 2>&1)
check "generating again adds only what is new" has "$out" "generated 0, skipped 4 (1 suppressed, 2 already generated, 1 no contact)"
body=$(psql -X -A -t -d cli_campaign -c "SELECT personalized_content FROM messages WHERE business_id = 1")
check "the message holds the rendered body" [ "$body" = "$(printf 'Hello Alder Cafe,\n\nSee you at Main St 1.\n-- Ann')" ]

out=$("$bin" campaign pause Spring 2>&1); rc=$?
check "pausing a draft is refused with the reason" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "cannot pause a draft campaign: only a sending campaign can be paused"' - "$rc" "$out"
old=$("$bin" campaign show Spring | sed -n 's/^updated:    \(.*\) by .*/\1/p')
out=$("$bin" campaign edit Spring --body-file "$dir/body" 2>&1); rc=$?
check "editing a draft discards messages made from the old text" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "discarded 2 generated messages"' - "$rc" "$out"
out=$("$bin" campaign edit Spring --body-file "$dir/body" --expect "$old" 2>&1); rc=$?
check "a save based on an old read is refused: changed by NAME at TIME" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "was changed by .* at .* after you opened it; nothing was saved"' - "$rc" "$out"
"$bin" campaign generate Spring >/dev/null 2>&1
out=$("$bin" campaign schedule Spring --at '2099-01-01 09:00+00' 2>&1); rc=$?
check "schedule with a time" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "draft -> scheduled (starts at 2099-01-01 09:00+00)"' - "$rc" "$out"
out=$("$bin" campaign start Spring 2>&1)
check "start a scheduled campaign" has "$out" "scheduled -> sending"
out=$("$bin" campaign edit Spring --body-file "$dir/body" 2>&1); rc=$?
check "a sending campaign's templates cannot be edited" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "cannot edit a sending campaign"' - "$rc" "$out"
out=$("$bin" campaign pause Spring 2>&1)
check "pause" has "$out" "sending -> paused"
out=$("$bin" campaign resume Spring 2>&1)
check "resume" has "$out" "paused -> sending"
psql -q -X -d cli_campaign -c "UPDATE messages SET status = 'sent'" >/dev/null
out=$("$bin" campaign list 2>&1)
check "completed once nothing is pending, progress shown" sh -c 'echo "$1" | grep -Eq "^Spring +completed +- +2/2 "' - "$out"
out=$("$bin" campaign cancel Spring 2>&1); rc=$?
check "a completed campaign cannot be cancelled" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "cannot cancel a completed campaign"' - "$rc" "$out"
out=$("$bin" campaign cancel Broken 2>&1); rc=$?
check "a draft can be cancelled" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "draft -> cancelled"' - "$rc" "$out"

# Deleting: only what never sent anything, and only an admin.
out=$("$bin" campaign delete Spring 2>&1); rc=$?
check "a campaign that sent messages cannot be deleted" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "campaign \"Spring\" has 2 messages sent, tried or claimed; its record stays: cancel it instead"' - "$rc" "$out"
"$bin" campaign create Mistake --subject-file "$dir/subject" --body-file "$dir/body" >/dev/null 2>&1
"$bin" campaign generate Mistake >/dev/null 2>&1
unsent=$(psql -X -At -d cli_campaign -c "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Mistake'")
echo "staff password 1" >"$dir/sam.pw"
echo "staff password 1" | "$bin" user add sam >/dev/null 2>&1
out=$("$bin" --user sam --password-file "$dir/sam.pw" campaign delete Mistake 2>&1); rc=$?
check "staff may not delete a campaign" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "only an admin"' - "$rc" "$out"
out=$("$bin" campaign delete Mistake 2>&1); rc=$?
check "a draft with only generated messages is deleted with them" sh -c '[ "$1" -eq 0 ] && [ "$2" = "deleted campaign \"Mistake\" and its $3 unsent messages" ] && [ "$3" -gt 0 ]' - "$rc" "$out" "$unsent"
check "... gone from the database" [ "$(psql -X -At -d cli_campaign -c "SELECT count(*) FROM campaigns WHERE name = 'Mistake'")" = 0 ]
check "... and in the audit log" [ "$(psql -X -At -d cli_campaign -c "SELECT count(*) FROM audit_log WHERE action = 'campaign.delete' AND detail = '$unsent unsent messages deleted with it'")" = 1 ]
"$bin" campaign create Live --subject-file "$dir/subject" --body-file "$dir/body" >/dev/null 2>&1
"$bin" campaign generate Live >/dev/null 2>&1
"$bin" campaign start Live >/dev/null 2>&1
out=$("$bin" campaign delete Live 2>&1); rc=$?
check "a sending campaign is not deleted" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "campaign \"Live\" is sending; pause or cancel it first"' - "$rc" "$out"
"$bin" campaign pause Live >/dev/null 2>&1
out=$("$bin" campaign delete Live 2>&1); rc=$?
check "paused before anything went out, it can be deleted" sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "deleted campaign \"Live\""' - "$rc" "$out"
out=$("$bin" campaign delete Mistake 2>&1); rc=$?
check "deleting it again names what is missing" sh -c '[ "$1" -eq 1 ] && echo "$2" | grep -q "no campaign named \"Mistake\""' - "$rc" "$out"

exit $TEST_FAILED
