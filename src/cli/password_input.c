/* password_input.c - reading passwords with read(2) straight into locked
 * buffers (stdio would leave copies in its own buffers), echo off on a
 * terminal and always restored, even when a signal ends the program. */
#include "cli/password_input.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "core/password.h"

void secrets_protect_process(void)
{
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/* ---------------------------------------------------------------- echo */

static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off;
static const int restore_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_RESTORE_SIGNALS (sizeof restore_signals / sizeof restore_signals[0])
static struct sigaction saved_actions[N_RESTORE_SIGNALS];

/* Puts echo back, then lets the signal do what it would have done. */
static void restore_and_reraise(int sig)
{
	if (echo_is_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	echo_is_off = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int echo_off(struct error *err)
{
	if (tcgetattr(STDIN_FILENO, &saved_termios) < 0)
		return error_set(err, "cannot read the terminal settings: %s",
				 strerror(errno));
	struct sigaction sa = {0};
	sa.sa_handler = restore_and_reraise;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_RESTORE_SIGNALS; i++)
		sigaction(restore_signals[i], &sa, &saved_actions[i]);
	struct termios quiet = saved_termios;
	quiet.c_lflag &= (tcflag_t)~(ECHO | ECHOE | ECHOK);
	quiet.c_lflag |= ICANON;
	echo_is_off = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) < 0)
		return error_set(err, "cannot turn off the terminal's echo: %s",
				 strerror(errno));
	return 0;
}

static void echo_on(void)
{
	if (echo_is_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	echo_is_off = 0;
	for (size_t i = 0; i < N_RESTORE_SIGNALS; i++)
		sigaction(restore_signals[i], &saved_actions[i], NULL);
}

/* ---------------------------------------------------------------- reading */

/* One line from fd into buf (PASSWORD_MAX + 2 bytes), a byte at a time
 * so nothing past the line is consumed; the newline (and a CR before it)
 * is dropped. */
static int read_line(int fd, char *buf, const char *source, struct error *err)
{
	size_t len = 0;
	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return error_set(err, "cannot read the password from %s: %s",
					 source, strerror(errno));
		if (n == 0 || c == '\n')
			break;
		if (len > PASSWORD_MAX)
			return error_set(err, "the password from %s is longer than "
					 "%d bytes", source, PASSWORD_MAX);
		buf[len++] = c;
		buf[len] = '\0';
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0)
		return error_set(err, "no password given on %s", source);
	return 0;
}

static int read_from_terminal(const char *prompt, char *buf, struct error *err)
{
	fputs(prompt, stderr);
	fflush(stderr);
	int rc = echo_off(err);
	if (rc == 0)
		rc = read_line(STDIN_FILENO, buf, "the terminal", err);
	echo_on();
	fputc('\n', stderr);
	return rc;
}

static char *new_buffer(struct error *err)
{
	char *buf = password_buffer_new();
	if (!buf)
		error_set(err, "cannot lock memory for the password");
	return buf;
}

static int confirm_on_terminal(const char *first, struct error *err)
{
	char *again = new_buffer(err);
	if (!again)
		return -1;
	int rc = read_from_terminal("Again: ", again, err);
	if (rc == 0 && strcmp(first, again) != 0)
		rc = error_set(err, "the two passwords differ; nothing was changed");
	password_buffer_free(again);
	return rc;
}

char *password_read(const char *prompt, bool confirm, struct error *err)
{
	char *buf = new_buffer(err);
	if (!buf)
		return NULL;
	int rc;
	if (isatty(STDIN_FILENO)) {
		rc = read_from_terminal(prompt, buf, err);
		if (rc == 0 && confirm)
			rc = confirm_on_terminal(buf, err);
	} else {
		rc = read_line(STDIN_FILENO, buf, "standard input", err);
	}
	if (rc < 0) {
		password_buffer_free(buf);
		return NULL;
	}
	return buf;
}

char *password_read_file(const char *path, struct error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_set(err, "cannot open the password file %s: %s", path,
			  strerror(errno));
		return NULL;
	}
	char *buf = new_buffer(err);
	if (buf && read_line(fd, buf, path, err) < 0) {
		password_buffer_free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}
