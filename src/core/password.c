/* password.c - Argon2id through libsodium: the one place that knows the
 * cost limits, so every hash is made and upgraded the same way. */
#include "core/password.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/validate.h"

int password_init(struct error *err)
{
	if (sodium_init() < 0)
		return error_set(err, "libsodium cannot start (no source of "
				 "randomness?)");
	return 0;
}

static bool equal_ignoring_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

int password_check_rules(const char *user_name, const char *password,
			 struct error *err)
{
	size_t len = strlen(password);
	if (len > PASSWORD_MAX)
		return error_set(err, "the password is longer than %d bytes",
				 PASSWORD_MAX);
	if (!utf8_valid(password, len))
		return error_set(err, "the password is not valid UTF-8");
	if (utf8_char_count(password) < PASSWORD_MIN_CHARS)
		return error_set(err, "the password is too short: use at least "
				 "%d characters", PASSWORD_MIN_CHARS);
	if (user_name && equal_ignoring_case(user_name, password))
		return error_set(err, "the password must not be the user name");
	return 0;
}

static int hash_here(const char *password, char out[PASSWORD_HASH_SIZE])
{
	return crypto_pwhash_str(out, password, strlen(password),
				 crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* Argon2id's work area is 64 MiB at the interactive limits. Hashing and
 * verifying in a short-lived child keeps it out of the long-running
 * interface, whose memory would otherwise stay at that high-water mark
 * all day; the child only computes, writes its answer and exits, touching
 * nothing it shares with the parent. */
static int hash_in_child(const char *password, char out[PASSWORD_HASH_SIZE])
{
	int fds[2];
	if (pipe(fds) < 0)
		return hash_here(password, out);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return hash_here(password, out);
	}
	if (pid == 0) {
		char hash[PASSWORD_HASH_SIZE];
		close(fds[0]);
		int ok = hash_here(password, hash) == 0 &&
			 write(fds[1], hash, sizeof hash) == (ssize_t)sizeof hash;
		_exit(ok ? 0 : 1);
	}
	close(fds[1]);
	size_t got = 0;
	while (got < PASSWORD_HASH_SIZE) {
		ssize_t n = read(fds[0], out + got, PASSWORD_HASH_SIZE - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	bool ok = got == PASSWORD_HASH_SIZE && WIFEXITED(status) &&
		  WEXITSTATUS(status) == 0 && memchr(out, '\0', PASSWORD_HASH_SIZE);
	return ok ? 0 : -1;
}

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE],
		  struct error *err)
{
	if (password_init(err) < 0)
		return -1;
	if (hash_in_child(password, out) != 0)
		return error_set(err, "not enough memory to hash the password "
				 "(Argon2id needs %zu MiB)",
				 (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20);
	return 0;
}

/* Verified in a child for the same reason as hash_in_child(). */
bool password_verify(const char *hash, const char *password)
{
	if (sodium_init() < 0)
		return false;
	pid_t pid = fork();
	if (pid < 0)	/* no process to spare: verify here */
		return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	if (pid == 0)
		_exit(crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ?
		      0 : 1);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool password_needs_rehash(const char *hash)
{
	/* -1 (not a hash of this algorithm) also calls for a new hash. */
	return crypto_pwhash_str_needs_rehash(hash,
					      crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const char *password_dummy_hash(void)
{
	static char hash[PASSWORD_HASH_SIZE];
	if (hash[0])
		return hash;
	unsigned char random[32];
	char text[sizeof random * 2 + 1];
	if (sodium_init() < 0)
		return "$argon2id$";
	randombytes_buf(random, sizeof random);
	sodium_bin2hex(text, sizeof text, random, sizeof random);
	if (password_hash(text, hash, NULL) < 0)
		hash[0] = '\0';
	sodium_memzero(text, sizeof text);
	sodium_memzero(random, sizeof random);
	return hash[0] ? hash : "$argon2id$";
}

char *password_buffer_new(void)
{
	if (sodium_init() < 0)
		return NULL;
	char *buf = sodium_malloc(PASSWORD_MAX + 2);
	if (buf)
		memset(buf, 0, PASSWORD_MAX + 2);
	return buf;
}

void password_buffer_free(char *buf)
{
	/* sodium_free wipes the whole allocation before unmapping it. */
	if (buf)
		sodium_free(buf);
}
