# smtpsrv.sh - the delivery tests' SMTP server on 127.0.0.1 (sourced).
# smtpsrv_start [OPTIONS] starts one (options as in smtpsrv.py) and waits
# until it listens; SMTPSRV_PORT and SMTPSRV_MAIL (where messages land) say
# where. smtpsrv_stop ends it (call it from an EXIT trap).

SMTPSRV_PID=""
SMTPSRV_DIR=""
SMTPSRV_PORT=""
SMTPSRV_MAIL=""

# Debian's python3 has aiosmtpd; a python3 earlier in PATH may not.
smtpsrv_python() {
	if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else echo python3; fi
}

smtpsrv_start() {
	SMTPSRV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outreach-smtpsrv.XXXXXX")
	SMTPSRV_MAIL="$SMTPSRV_DIR/mail"
	mkdir "$SMTPSRV_MAIL"
	"$(smtpsrv_python)" "$OUTREACH_TEST_LIB/smtpsrv.py" "$@" "$SMTPSRV_MAIL" \
		"$SMTPSRV_DIR/port" 2>"$SMTPSRV_DIR/log" &
	SMTPSRV_PID=$!
	tries=0
	while [ ! -f "$SMTPSRV_DIR/port" ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 200 ] || ! kill -0 "$SMTPSRV_PID" 2>/dev/null; then
			echo "the test SMTP server did not start:" >&2
			cat "$SMTPSRV_DIR/log" >&2
			return 1
		fi
		sleep 0.05
	done
	SMTPSRV_PORT=$(cat "$SMTPSRV_DIR/port")
}

# smtpsrv_count: messages stored so far.
smtpsrv_count() {
	find "$SMTPSRV_MAIL" -name '*.eml' | wc -l
}

# smtpsrv_find ADDRESS: the stored message files sent to ADDRESS.
smtpsrv_find() {
	grep -l -x "to $1" "$SMTPSRV_MAIL"/*.env 2>/dev/null | sed 's/\.env$/.eml/'
}

smtpsrv_stop() {
	if [ -n "$SMTPSRV_PID" ]; then
		kill "$SMTPSRV_PID" 2>/dev/null
		wait "$SMTPSRV_PID" 2>/dev/null
		SMTPSRV_PID=""
	fi
	[ -n "$SMTPSRV_DIR" ] && rm -rf "$SMTPSRV_DIR"
	SMTPSRV_DIR=""
}
