/* sender.h - `outreach send` as an engine: worker threads, each with its
 * own database session and SMTP connection, drain the e-mail queue of the
 * sending campaigns within the configured limits; without "once" the run
 * then sleeps on LISTEN until there is new work. */
#ifndef OUTREACH_NET_SENDER_H
#define OUTREACH_NET_SENDER_H

#include <stdatomic.h>
#include <stdbool.h>

#include "core/error.h"
#include "core/sendwindow.h"
#include "net/smtp.h"

struct sender_tally {
	long sent;
	long failed;		/* permanent errors, suppressed included */
	long suppressed;
	long deferred;		/* transient errors, to be tried again */
	long unknown;		/* lost during the data: not resent */
	long recovered;		/* dead workers' claims failed as unknown */
	long total;		/* due when the run started */
};

struct sender_options {
	const char *conninfo;
	const char *campaign;		/* NULL: every sending campaign */
	int workers;
	bool once;			/* drain what is due, then return */
	double rate;			/* messages/s in this process; 0: none */
	double domain_rate;		/* messages/min per domain; 0: none */
	long daily_cap;			/* 0: none */
	struct send_window window;
	int batch;
	int max_attempts;
	long retry_delay_s;
	long claim_timeout_s;
	struct smtp_options smtp;
	const char *from_address;
	const char *from_name;
	const char *unsubscribe_url;	/* "{token}" replaced; may be NULL */
	const char *unsubscribe_mailto;	/* may be NULL */
	atomic_int *stop;		/* set (by SIGTERM) to finish and return */
	int wake_fd;			/* readable when stop is set; -1: none */
	/* One line per batch and per event; called from any thread, one call
	 * at a time. */
	void (*log)(void *arg, const char *line);
	/* After each recorded batch; one call at a time. */
	void (*progress)(void *arg, const struct sender_tally *t);
	void *arg;
};

/* Checks the options that do not need the network: addresses, URLs. */
int sender_check(const struct sender_options *o, struct error *err);

/* Runs until the queue is drained (once) or stop is set. Returns 0, or -1
 * with err when the database or, with once, the SMTP server could not be
 * used. t holds what was done either way. */
int sender_run(const struct sender_options *o, struct sender_tally *t,
	       struct error *err);

#endif
