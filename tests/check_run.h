/* check_run.h - how every Check test program ends: run the suite, print
 * Check's summary (tests/run reads it), and count the failures. */
#ifndef OUTREACH_CHECK_RUN_H
#define OUTREACH_CHECK_RUN_H

#include <check.h>

/* Runs s, which the runner frees; returns how many tests failed. */
static inline int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed;
}

#endif
