# tmux.sh - driving the real binary in a detached tmux session (sourced).
# Each test gets its own tmux server socket so tests never share state; the
# screen is read with capture-pane and polled until text appears, never
# with fixed sleeps. Results are printed as "ok - ..." / "not ok - ...".

TMUX_SOCKET=""
TEST_FAILED=0

tui_start() {	# tui_start WIDTH HEIGHT COMMAND...
	w=$1 h=$2
	shift 2
	TMUX_SOCKET="${TMPDIR:-/tmp}/outreach-tmux.$$.$(date +%s%N)"
	tmux -S "$TMUX_SOCKET" -f /dev/null new-session -d -x "$w" -y "$h" \
		-e TERM=xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e TZ=UTC \
		"$* ; echo \"[exit status \$?]\"; sleep 600"
	tmux -S "$TMUX_SOCKET" set-option -g remain-on-exit on >/dev/null
}

tui_keys() {
	tmux -S "$TMUX_SOCKET" send-keys "$@"
}

tui_screen() {	# tui_screen [-e]
	tmux -S "$TMUX_SOCKET" capture-pane -p "$@"
}

# Waits up to $2 seconds (default 20) for text $1 on the screen.
tui_wait_for() {
	want=$1 limit=${2:-20}
	end=$(( $(date +%s) + limit ))
	while [ "$(date +%s)" -le "$end" ]; do
		if tui_screen | grep -qF -- "$want"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

tui_stop() {
	[ -n "$TMUX_SOCKET" ] || return 0
	tmux -S "$TMUX_SOCKET" kill-server >/dev/null 2>&1 || true
	rm -f "$TMUX_SOCKET"
	TMUX_SOCKET=""
}

ok() { printf 'ok - %s\n' "$*"; }
not_ok() {
	printf 'not ok - %s\n' "$*"
	TEST_FAILED=1
}

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# Shows the screen after a failed expectation, to make failures readable.
tui_dump() {
	echo "--- screen ---"
	tui_screen | sed 's/^/| /'
	echo "--------------"
}

# The admin every interface test database has, and its password.
TUI_ADMIN=tester
TUI_PASSWORD="tester's password"

# A fresh database with the demo data and the test admin, for interface
# tests: prints its name.
tui_demo_db() {
	db="tui_$(date +%s%N)"
	psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db TEMPLATE $OUTREACH_TEST_TEMPLATE" >/dev/null &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "$OUTREACH_DATADIR/demo.sql" >/dev/null &&
	echo "$TUI_PASSWORD" | "$OUTREACH_BIN" --db "dbname=$db" user add "$TUI_ADMIN" --admin >/dev/null &&
	echo "$db"
}

# Opens the interface on database $3 in a W x H terminal ($1, $2) and logs
# in as the test admin; extra arguments are environment assignments
# (NO_COLOR=1 ...).
tui_open() {
	w=$1 h=$2 db=$3
	shift 3
	tui_start "$w" "$h" env "$@" "$OUTREACH_BIN" --db "dbname=$db" --user "$TUI_ADMIN"
	tui_wait_for "Password:" 20 || return 1
	tui_keys -l "$TUI_PASSWORD"
	tui_keys Enter
	tui_wait_for "connected" 20
}

# Runs SQL against database $1.
sql() {
	psql -q -X -v ON_ERROR_STOP=1 -d "$1" -c "$2" >/dev/null
}

# expect DESCRIPTION TEXT [SECONDS]: the screen shows TEXT in time.
expect() {
	if tui_wait_for "$2" "${3:-10}"; then ok "$1"; else not_ok "$1"; tui_dump; fi
}

# expect_gone DESCRIPTION TEXT [SECONDS]: TEXT disappears in time.
expect_gone() {
	end=$(( $(date +%s) + ${3:-10} ))
	while [ "$(date +%s)" -le "$end" ]; do
		if ! tui_screen | grep -qF -- "$2"; then ok "$1"; return; fi
		sleep 0.1
	done
	not_ok "$1"
	tui_dump
}
