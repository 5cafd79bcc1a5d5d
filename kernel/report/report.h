/* The run's one KTAP stream on the console, and how an exception in the
 * kernel ends it (../shared/SPEC.md, Errors). */
#ifndef SVMTEST_REPORT_H
#define SVMTEST_REPORT_H

#include "kernel/config.h"
#include "ktap.h"

extern struct ktap report;

void report_init(enum exit_mode exit_mode);
void report_set_exit_mode(enum exit_mode exit_mode);
/* verbose=1 and up: the end of the run lists NMIs and stray interrupts,
 * as describe puts them (kernel/main.c hands in the IDT's counts). */
void report_set_verbose(unsigned level);
void report_set_interrupts(void (*describe)(char *buf, unsigned size));
/* Open COM1 and print the begin marker if the console is not open yet;
 * else end the line an interrupted write left unfinished. */
void report_open_console_early(void);
/* The current test (or "kernel") is an ERROR for this reason; end marker,
 * exit. For exceptions and machine checks. */
_Noreturn void report_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The test an exception would fail: set while it runs, NULL between tests. */
void report_set_current(const char *name);
/* The stream this CPU writes to: the report on the boot CPU, a silent one
 * on an application processor while report_ap_stream_begin is in force. */
struct ktap *report_here(void);
#define diag(...) ktap_diag(report_here(), __VA_ARGS__)
/* Until report_ap_stream_end, lines and results written on any CPU but
 * this one (the boot CPU) go to w only, counted apart: another CPU's
 * silent run of the matrix (kernel/smp.c). */
void report_ap_stream_begin(ktap_writer w, void *ctx);
void report_ap_stream_end(void);
/* Called once when an error ends the run on the boot CPU: stop the other
 * CPUs before the report goes on (NULL: none). */
void report_set_stop_others(void (*fn)(void));
/* Called once before the last planned result (or else before the end
 * marker): reports what arrived unseen (a machine check an emulator handed
 * to the guest, or one on another CPU) in that result's place. */
void report_set_final_check(void (*fn)(void));
/* A test's result on this CPU's stream (report_here). */
void report_result(const char *name, enum result r, const char *reason);
/* Every line the report writes also goes to w (NULL: no longer). */
void report_capture(ktap_writer w, void *ctx);
/* Until report_silence_end, lines go to w only and results are counted
 * apart: another CPU's silent run of the matrix (kernel/smp.c). */
void report_silence_begin(ktap_writer w, void *ctx);
void report_silence_end(void);
struct int_frame;
/* The kernel exception path: registers, ERROR result, end marker, exit
 * (kernel/main.c registers it with the IDT). */
_Noreturn void report_exception(const struct int_frame *f);
/* After the end marker nothing is printed: an exception or machine check
 * then is counted and the CPU halts. */
_Noreturn void report_after_end(void);
/* End marker, then exit with the status the results call for. */
_Noreturn void report_finish(void);

#endif
