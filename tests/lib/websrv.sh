# websrv.sh - the scanner tests' web server on 127.0.0.1 (sourced): every
# fixture site and special site on its own port. websrv_start waits until
# it listens; websrv_stop ends it (call it from an EXIT trap).

WEBSRV_PID=""
WEBSRV_DIR=""

websrv_start() {
	WEBSRV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outreach-websrv.XXXXXX")
	python3 "$OUTREACH_TEST_LIB/websrv.py" "$OUTREACH_FIXTURES/sites" \
		"$WEBSRV_DIR/ports" 2>"$WEBSRV_DIR/log" &
	WEBSRV_PID=$!
	tries=0
	while [ ! -f "$WEBSRV_DIR/ports" ]; do
		tries=$((tries + 1))
		if [ "$tries" -gt 200 ] || ! kill -0 "$WEBSRV_PID" 2>/dev/null; then
			echo "the test web server did not start:" >&2
			cat "$WEBSRV_DIR/log" >&2
			return 1
		fi
		sleep 0.05
	done
}

# websrv_port NAME: the port serving site NAME.
websrv_port() {
	awk -v n="$1" '$1 == n { print $2 }' "$WEBSRV_DIR/ports"
}

# websrv_url NAME: the site's root URL, without a trailing slash.
websrv_url() {
	echo "http://127.0.0.1:$(websrv_port "$1")"
}

websrv_stop() {
	if [ -n "$WEBSRV_PID" ]; then
		kill "$WEBSRV_PID" 2>/dev/null
		wait "$WEBSRV_PID" 2>/dev/null
		WEBSRV_PID=""
	fi
	[ -n "$WEBSRV_DIR" ] && rm -rf "$WEBSRV_DIR"
	WEBSRV_DIR=""
}
