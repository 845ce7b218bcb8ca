/* password.c - Argon2id through libsodium: the one place that knows the
 * cost limits, so every hash is made and upgraded the same way. */
#include "core/password.h"

#include <string.h>

#include "core/validate.h"

int password_init(struct error *err)
{
	if (sodium_init() < 0)
		return error_set(err, "libsodium cannot start (no source of "
				 "randomness?)");
	return 0;
}

/* Code points of valid UTF-8: a password of ten accented letters is as
 * long as one of ten ASCII letters. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
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
	if (utf8_chars(password) < PASSWORD_MIN_CHARS)
		return error_set(err, "the password is too short: use at least "
				 "%d characters", PASSWORD_MIN_CHARS);
	if (user_name && equal_ignoring_case(user_name, password))
		return error_set(err, "the password must not be the user name");
	return 0;
}

int password_hash(const char *password, char out[PASSWORD_HASH_SIZE],
		  struct error *err)
{
	if (password_init(err) < 0)
		return -1;
	if (crypto_pwhash_str(out, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return error_set(err, "not enough memory to hash the password "
				 "(Argon2id needs %zu MiB)",
				 (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20);
	return 0;
}

bool password_verify(const char *hash, const char *password)
{
	if (sodium_init() < 0)
		return false;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
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
