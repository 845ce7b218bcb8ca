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
