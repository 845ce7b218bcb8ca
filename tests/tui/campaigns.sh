# campaigns.sh - the Campaigns screen as a user meets it: the list with
# progress, a new draft written in the editor with {{ + Tab completion, the
# preview following the text, errors reported as they are typed, saving,
# a save refused because someone else saved first, the template edited in
# $EDITOR, generating messages, scheduling, and read-only non-drafts.
. "$OUTREACH_TEST_LIB/tmux.sh"
trap 'tui_stop; rm -rf "$dir"' EXIT
dir=$(mktemp -d "${TMPDIR:-/tmp}/outreach-campaigns.XXXXXX")
db=$(tui_demo_db) || { not_ok "create a demo database"; exit 1; }
value() { psql -X -At -d "$db" -c "$1"; }

# An editor that appends a line, as a person would in vi.
cat >"$dir/editor.sh" <<'EOF'
#!/bin/sh
printf 'PS: appended in the editor\n' >>"$1"
EOF
chmod +x "$dir/editor.sh"

tui_open 100 30 "$db" EDITOR="$dir/editor.sh" VISUAL=
expect "the Businesses screen comes first" "Alder & Ash Bakery"
first=$(value "SELECT name FROM businesses ORDER BY name, id LIMIT 1")

tui_keys 2
expect "2 shows the campaigns" "Spring open studios"
expect "with their status" "sending"
sent=$(value "SELECT count(*) FILTER (WHERE m.status IN ('sent','opened','replied')) || '/' || count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Spring open studios'")
expect "and their progress as sent/total" "$sent"
expect "the first campaign opens in the editor" "Template: Autumn newsletter [draft]"
expect_gone "no placeholder text is left" "not built yet"

# A new draft, written with completion.
tui_keys n
expect "n asks for a name" "New campaign name:"
tui_keys -l "Winter offers"
tui_keys Enter
expect "the draft is created" "created the draft"
check "the draft is in the database" [ "$(value "SELECT status FROM campaigns WHERE name = 'Winter offers'")" = draft ]
expect "and open in the editor" "Template: Winter offers [draft]"
expect "the bottom bar shows the editor's keys" "Ctrl-Z undo"
expect_gone "not the list's letters, which the editor takes" "g generate"
tui_keys -l "Hello {{"
tui_keys Tab
expect "{{ + Tab completes the first field" "Hello {{business.name}}"
tui_keys -l " from {{camp"
tui_keys Tab
expect "a prefix completes to its field" "from {{campaign.name}}"
tui_keys -l " {{business."
tui_keys Tab Tab
expect "Tab again cycles to the next match" "{{campaign.name}} {{business.website}}"
tui_keys C-z
expect_gone "Ctrl-Z undoes the last completion" "{{business.website}}"
tui_keys C-z C-z
expect_gone "and then the word before it" "{{campaign.name}} {{business."
tui_keys C-y
expect "Ctrl-Y redoes" "{{campaign.name}} {{business."
tui_keys C-z
expect "the preview renders the selected business" "Hello $first from Winter offers"

# An error is reported while typing, and goes when fixed.
tui_keys -l " {{busines.nme}}"
expect "an unknown field is reported with its place" "body line 1, column"
expect "with a suggestion under the text" "unknown field 'busines.nme' (did you mean business.name?)"
tui_keys C-z
expect "fixing it clears the report" "the templates have no errors"

tui_keys C-s
expect "Ctrl-S saves" 'saved "Winter offers"'
check "the body is in the database" [ "$(value "SELECT message_template FROM campaigns WHERE name = 'Winter offers'")" = 'Hello {{business.name}} from {{campaign.name}}' ]
expect_gone "the title no longer says modified" "(modified"

# Someone else saves between our load and our save: ours is refused.
tui_keys -l " Bye"
expect "the edit is shown as unsaved" "(modified: Ctrl-S saves)"
printf 'Changed elsewhere' >"$dir/theirs"
"$OUTREACH_BIN" --db "dbname=$db" campaign edit "Winter offers" --body-file "$dir/theirs" >"$dir/edit.log" 2>&1
check "the other session's edit went in" [ "$(value "SELECT message_template FROM campaigns WHERE name = 'Winter offers'")" = 'Changed elsewhere' ]
tui_keys C-s
expect "the stale save is refused, naming who changed it" "changed by"
check "their text is kept in the database" [ "$(value "SELECT message_template FROM campaigns WHERE name = 'Winter offers'")" = 'Changed elsewhere' ]
expect "our text is kept in the editor" "{{campaign.name}} Bye"
tui_keys Escape
tui_keys : 
tui_keys -l "reload"
tui_keys Enter
expect ":reload loads the saved text" "Changed elsewhere"

# The template in $EDITOR and back.
tui_keys Enter
expect "Enter goes back into the editor" "Template: Winter offers [draft]"
tui_keys C-e
expect "the editor's line is in the template" "PS: appended in the editor"
expect "and the status line says so" "body changed in the editor"
tui_keys C-s
expect "the edited text saves" 'saved "Winter offers"'
check "the appended line is in the database" [ "$(value "SELECT message_template FROM campaigns WHERE name = 'Winter offers'")" = "$(printf 'Changed elsewhere\nPS: appended in the editor')" ]

# Generate, with a confirmation and a count.
tui_keys Escape g
expect "g asks first" "Generate the messages of \"Winter offers\""
tui_keys y
expect "generation reports its count" "generated "
n=$(value "SELECT count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Winter offers'")
check "messages were generated" [ "$n" -gt 0 ]
expect "the summary counts them" "generated $n messages"
expect "the list shows the new total" "0/$n"
sql "$db" "UPDATE messages SET status = 'sent', sent_at = now() WHERE id = (SELECT min(m.id) FROM messages m JOIN campaigns c ON c.id = m.campaign_id WHERE c.name = 'Winter offers')"
expect "a message sent elsewhere shows in the progress at once" "1/$n"

# Lifecycle: scheduled campaigns cannot be edited any more.
tui_keys S
expect "S asks for a start time" "Start at"
tui_keys Enter
expect "the campaign is scheduled" "draft -> scheduled"
check "the database agrees" [ "$(value "SELECT status FROM campaigns WHERE name = 'Winter offers'")" = scheduled ]
tui_keys Enter
tui_keys -l "x"
expect "the editor is read-only outside drafts and says why" "read-only:"
check "nothing changed" [ "$(value "SELECT count(*) FROM campaigns WHERE name = 'Winter offers' AND message_template LIKE '%x%'")" = 0 ]
tui_keys Escape
tui_keys x
expect "x asks before cancelling" "for good?"
tui_keys n
expect "answering n keeps it" "cancelled"
check "the campaign is still scheduled" [ "$(value "SELECT status FROM campaigns WHERE name = 'Winter offers'")" = scheduled ]

tui_keys q
expect "q quits with status 0" "[exit status 0]"

# The smallest terminal still shows all three panes, without colour.
tui_stop
tui_open 80 24 "$db" NO_COLOR=1
tui_keys 2
expect "at 80x24 the list is shown" "Winter offers"
expect "with the editor" "Template: Autumn newsletter [draft]"
expect "and the preview" "Preview for"
expect "and the keys that matter" "g generate"
expect "the preview starts at the Businesses selection" "Preview for $first"
next=$(value "SELECT name FROM businesses WHERE status = 'active' AND id > (SELECT id FROM businesses WHERE name = '$(echo "$first" | sed "s/'/''/g")' ORDER BY id LIMIT 1) ORDER BY id LIMIT 1")
tui_keys ']'
expect "] steps to the next business of the audience" "Preview for $next (business"
tui_keys ']'
expect_gone "] again steps further" "Preview for $next (business"
tui_keys '['
expect "[ steps back" "Preview for $next (business"
tui_keys 1
expect "back on Businesses the status line shows its position again" "| 1 of $(value "SELECT count(*) FROM businesses")"
tui_keys 2
expect "and on Campaigns its own" "| 1 of 3"

# Quitting with unsaved text asks first.
tui_keys Enter
tui_keys -l "zz"
expect "the unsaved edit shows" "(modified"
tui_keys Escape q
expect "q asks before losing unsaved text" "lose the unsaved changes"
tui_keys n
expect "n stays" "cancelled"
tui_keys q y
expect "y quits" "[exit status 0]"
check "the unsaved text was not saved" [ "$(value "SELECT count(*) FROM campaigns WHERE message_template LIKE '%zz%'")" = 0 ]

# A wide terminal puts the editor and the preview side by side.
tui_stop
tui_open 140 30 "$db"
tui_keys 2
expect "the wide screen shows the editor" "Template: Autumn newsletter [draft]"
side_by_side() {	# polls, as the preview's business arrives a moment later
	end=$(( $(date +%s) + 10 ))
	while [ "$(date +%s)" -le "$end" ]; do
		tui_screen | grep -q "Template: Autumn newsletter.*Preview for" && return 0
		sleep 0.1
	done
	return 1
}
check "with the preview beside it" side_by_side
tui_keys q
expect "and quits" "[exit status 0]"

# The sender's name comes from outreach.conf, as for the commands.
tui_stop
printf '[sender]\nfrom_name = Robin of the Config File\n' >"$dir/outreach.conf"
tui_open 140 30 "$db" OUTREACH_CONFIG="$dir/outreach.conf"
tui_keys 2
expect "the campaigns are listed" "Template: Autumn newsletter [draft]"
tui_keys j
expect "the next campaign opens" "Template: Spring open studios"
expect "its preview signs with sender.from_name from outreach.conf" "Robin of the Config File" 10

# :delete - only what never sent anything, after asking.
tui_keys j
expect "the campaign that sent one message is selected" "Template: Winter offers"
tui_keys :
tui_keys -l "delete"
tui_keys Enter
expect ":delete asks first" "Delete the campaign \"Winter offers\""
tui_keys y
expect "a campaign that sent is kept, saying why" "has 1 message sent, tried or claimed"
check "it is still there" [ "$(value "SELECT count(*) FROM campaigns WHERE name = 'Winter offers'")" = 1 ]
tui_keys :
tui_keys -l "new Scratch"
tui_keys Enter
expect "a new draft to delete" "Template: Scratch [draft]"
tui_keys Escape
tui_keys :
tui_keys -l "delete"
tui_keys Enter
expect ":delete names it and its messages" "Delete the campaign \"Scratch\" and its 0 unsent messages? (y/n)"
tui_keys y
expect "the draft is deleted" "deleted \"Scratch\" and its 0 unsent messages"
check "it is gone from the database" [ "$(value "SELECT count(*) FROM campaigns WHERE name = 'Scratch'")" = 0 ]
expect "the editor moves to the next campaign" "Template: Spring open studios"
tui_keys q
expect "and quits" "[exit status 0]"

# A broken outreach.conf leaves the sender out of the preview; once the
# file is fixed, the preview picks it up without a restart.
tui_stop
printf '[sender]\nfrom_name = Robin Fixed Later\n[broken\n' >"$dir/outreach.conf"
tui_open 140 30 "$db" OUTREACH_CONFIG="$dir/outreach.conf"
tui_keys 2
expect "the campaigns are listed with a broken file" "Template: Autumn newsletter [draft]"
tui_keys j
expect "the next campaign opens" "Template: Spring open studios"
check "the broken file's sender is not used" sh -c '! tmux -S "$1" capture-pane -p | grep -q "Robin Fixed Later"' - "$TMUX_SOCKET"
printf '[sender]\nfrom_name = Robin Fixed Later\n' >"$dir/outreach.conf"
sleep 2.2
tui_keys k j
expect "the fixed file is read again" "Robin Fixed Later" 10
tui_keys q
expect "and quits" "[exit status 0]"
exit $TEST_FAILED
