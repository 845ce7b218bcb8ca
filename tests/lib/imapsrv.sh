# imapsrv.sh - the reply tests' IMAP server on 127.0.0.1 (sourced): a
# private dovecot with its configuration, state and maildir in a temporary
# directory, plaintext login without TLS, one user whose password is
# IMAPSRV_PASSWORD. imapsrv_start waits until it answers; IMAPSRV_PORT and
# IMAPSRV_MAILDIR say where. imapsrv_start --tls CERT KEY also offers
# STARTTLS on IMAPSRV_PORT and IMAP over TLS on IMAPSRV_TLS_PORT. imapsrv_deliver FILE puts a mail in the
# inbox; imapsrv_stop ends it (call it from an EXIT trap).

IMAPSRV_PID=""
IMAPSRV_DIR=""
IMAPSRV_PORT=""
IMAPSRV_TLS_PORT=0
IMAPSRV_CERT=""
IMAPSRV_KEY=""
IMAPSRV_MAILDIR=""
IMAPSRV_USER="replies"
IMAPSRV_PASSWORD="imap-test-secret"

# A port nobody listens on now (bound and released at once).
imapsrv_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

imapsrv_write_config() {
	# Everything runs as the current user; dovecot refuses to run its
	# login processes or to open mail as root, so as root those take the
	# package's own users.
	login=$(id -un) internal=$(id -un) group=$(id -gn)
	uid=$(id -u) gid=$(id -g)
	if [ "$uid" -eq 0 ]; then
		login=dovenull internal=dovecot group=dovecot
		uid=$(id -u dovecot) gid=$(id -g dovecot)
	fi
	cat >"$IMAPSRV_DIR/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $IMAPSRV_DIR/run
state_dir = $IMAPSRV_DIR/state
log_path = $IMAPSRV_DIR/log
$(if [ -n "$IMAPSRV_CERT" ]; then
	printf 'ssl = yes\nssl_cert = <%s\nssl_key = <%s\n' "$IMAPSRV_CERT" "$IMAPSRV_KEY"
else
	echo 'ssl = no'
fi)
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 0
first_valid_gid = 0
default_login_user = $login
default_internal_user = $internal
default_internal_group = $group
mail_location = maildir:$IMAPSRV_MAILDIR
mail_uid = $uid
mail_gid = $gid
passdb {
  driver = static
  args = password=$IMAPSRV_PASSWORD
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$IMAPSRV_DIR/home
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAPSRV_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPSRV_TLS_PORT
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
EOF
}

# Answers once the greeting comes on the port.
imapsrv_ready() {
	python3 - "$IMAPSRV_PORT" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5)
sys.exit(0 if s.recv(100).startswith(b"* OK") else 1)
PY
}

imapsrv_start() {
	IMAPSRV_CERT="" IMAPSRV_KEY="" IMAPSRV_TLS_PORT=0
	if [ "${1:-}" = --tls ]; then
		IMAPSRV_CERT=$2 IMAPSRV_KEY=$3
	fi
	IMAPSRV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/outreach-imapsrv.XXXXXX")
	chmod 755 "$IMAPSRV_DIR"
	IMAPSRV_MAILDIR="$IMAPSRV_DIR/Maildir"
	mkdir -p "$IMAPSRV_DIR/run" "$IMAPSRV_DIR/state" "$IMAPSRV_DIR/home" \
		"$IMAPSRV_MAILDIR/new" "$IMAPSRV_MAILDIR/cur" "$IMAPSRV_MAILDIR/tmp"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R dovecot:dovecot "$IMAPSRV_MAILDIR" "$IMAPSRV_DIR/home"
	fi
	attempt=0
	while [ "$attempt" -lt 5 ]; do
		attempt=$((attempt + 1))
		IMAPSRV_PORT=$(imapsrv_free_port)
		[ -n "$IMAPSRV_CERT" ] && IMAPSRV_TLS_PORT=$(imapsrv_free_port)
		imapsrv_write_config
		dovecot -F -c "$IMAPSRV_DIR/dovecot.conf" 2>>"$IMAPSRV_DIR/stderr" &
		IMAPSRV_PID=$!
		tries=0
		while [ "$tries" -lt 100 ] && kill -0 "$IMAPSRV_PID" 2>/dev/null; do
			if imapsrv_ready; then
				return 0
			fi
			# A login process that cannot start is retried by the master
			# for ever: give up at once.
			grep -q 'Fatal' "$IMAPSRV_DIR/log" 2>/dev/null && break
			tries=$((tries + 1))
			sleep 0.05
		done
		imapsrv_kill	# the port was taken in between, or it hung
	done
	echo "the test IMAP server did not start:" >&2
	cat "$IMAPSRV_DIR/stderr" "$IMAPSRV_DIR/log" >&2 2>/dev/null
	return 1
}

# imapsrv_deliver FILE [NAME]: the mail in FILE arrives in the inbox (as a
# delivery agent does it: written in tmp/, renamed into new/).
imapsrv_deliver() {
	name=${2:-$(date +%s).$$_$(od -An -N4 -tu4 /dev/urandom | tr -d ' ').test}
	cp "$1" "$IMAPSRV_MAILDIR/tmp/$name"
	mv "$IMAPSRV_MAILDIR/tmp/$name" "$IMAPSRV_MAILDIR/new/$name"
}

# Stops the master and waits for its children (login, auth, imap), which
# it tells to stop but does not wait for.
imapsrv_kill() {
	if [ -n "$IMAPSRV_PID" ]; then
		children=$(pgrep -P "$IMAPSRV_PID")
		kill "$IMAPSRV_PID" 2>/dev/null
		wait "$IMAPSRV_PID" 2>/dev/null
		tries=0
		for p in $children; do
			while kill -0 "$p" 2>/dev/null && [ "$tries" -lt 40 ]; do
				tries=$((tries + 1))
				sleep 0.05
			done
			kill -9 "$p" 2>/dev/null
		done
		IMAPSRV_PID=""
	fi
}

imapsrv_stop() {
	imapsrv_kill
	[ -n "$IMAPSRV_DIR" ] && rm -rf "$IMAPSRV_DIR"
	IMAPSRV_DIR=""
}
