/* The run's one KTAP stream on the console, and how an exception in the
 * kernel ends it (../shared/SPEC.md, Errors). */
#ifndef SVMTEST_REPORT_H
#define SVMTEST_REPORT_H

#include "config.h"
#include "ktap.h"

extern struct ktap report;

void report_init(enum exit_mode exit_mode);
void report_set_exit_mode(enum exit_mode exit_mode);
/* The test an exception would fail: set while it runs, NULL between tests. */
void report_set_current(const char *name);
#define diag(...) ktap_diag(&report, __VA_ARGS__)
/* End marker, then exit with the status the results call for. */
_Noreturn void report_finish(void);

#endif
