/* password.h - hashing and checking passwords with libsodium's Argon2id,
 * and the rules a new password must meet. Memory only, no I/O. */
#ifndef OUTREACH_PASSWORD_H
#define OUTREACH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#include "core/error.h"

/* Longest password accepted, in bytes; longer input is refused, not cut. */
#define PASSWORD_MAX 1024
#define PASSWORD_MIN_CHARS 10
/* Room for a hash string, terminating NUL included. */
#define PASSWORD_HASH_SIZE crypto_pwhash_STRBYTES

/* Initialises libsodium; safe to call any number of times. */
int password_init(struct error *err);
/* Checks a new password: at least PASSWORD_MIN_CHARS characters, valid
 * UTF-8, not the user name in any letter case. */
int password_check_rules(const char *user_name, const char *password,
			 struct error *err);
/* Hashes with OPSLIMIT/MEMLIMIT_INTERACTIVE into out ("$argon2id$..."). */
int password_hash(const char *password, char out[PASSWORD_HASH_SIZE],
		  struct error *err);
/* True when password matches hash. Costs one full Argon2id computation. */
bool password_verify(const char *hash, const char *password);
/* True when hash was made with other limits than password_hash uses now,
 * so it should be replaced after the next successful login. */
bool password_needs_rehash(const char *hash);
/* A hash of a random password, made once per process: verifying against
 * it costs an unknown user name as much as a known one. */
const char *password_dummy_hash(void);

/* A buffer for a password: locked in memory (never swapped), guarded,
 * and wiped when freed. Returns NULL when memory cannot be had. */
char *password_buffer_new(void);
void password_buffer_free(char *buf);	/* wipes; accepts NULL */

#endif
