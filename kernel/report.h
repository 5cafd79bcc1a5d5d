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
/* Every line the report writes also goes to w (NULL: no longer). */
void report_capture(ktap_writer w, void *ctx);
/* Until report_silence_end, lines go to w only and results are counted
 * apart: another CPU's silent run of the matrix (kernel/smp.c). */
void report_silence_begin(ktap_writer w, void *ctx);
void report_silence_end(void);
struct int_frame;
/* The kernel exception path: registers, ERROR result, end marker, exit. */
_Noreturn void report_exception(const struct int_frame *f);
/* End marker, then exit with the status the results call for. */
_Noreturn void report_finish(void);

#endif
