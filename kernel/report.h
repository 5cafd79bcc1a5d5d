/* The run's one KTAP stream on the console, and how an exception in the
 * kernel ends it (../shared/SPEC.md, Errors). */
#ifndef SVMTEST_REPORT_H
#define SVMTEST_REPORT_H

#include "config.h"
#include "ktap.h"

extern struct ktap report;

void report_init(enum exit_mode exit_mode);
void report_set_exit_mode(enum exit_mode exit_mode);
/* verbose=1 and up: the end of the run lists NMIs and stray interrupts. */
void report_set_verbose(unsigned level);
/* Open COM1 and print the begin marker if the console is not open yet;
 * else end the line an interrupted write left unfinished. */
void report_open_console_early(void);
/* The current test (or "kernel") is an ERROR for this reason; end marker,
 * exit. For exceptions and machine checks. */
_Noreturn void report_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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
