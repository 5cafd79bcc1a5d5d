/* The KTAP reporter: begin/end markers, plan, numbered results with
 * SKIP/ERROR/TIMEOUT directives, diagnostics and a worst-wins summary.
 * It only formats; where the lines go is the writer's business. */
#ifndef SVMTEST_KTAP_H
#define SVMTEST_KTAP_H

#include <stdarg.h>
#include <stddef.h>

#define SVMTEST_VERSION "0.2.0"

enum result { RESULT_PASS, RESULT_SKIP, RESULT_FAIL, RESULT_TIMEOUT, RESULT_ERROR };

/* isa-debug-exit statuses (QEMU exits with (value << 1) | 1) */
#define EXIT_STATUS_OK 33
#define EXIT_STATUS_FAIL 35
#define EXIT_STATUS_ALL_SKIPPED 37
#define EXIT_STATUS_ERROR 39

typedef void (*ktap_writer)(void *ctx, const char *s, size_t n);

struct ktap {
    ktap_writer write;
    void *ctx;
    unsigned planned;
    unsigned reported;
    unsigned pass, fail, skip, error;
    int begun, ended;
};

void ktap_init(struct ktap *k, ktap_writer write, void *ctx);
/* An empty line, then the begin marker and the KTAP header. */
void ktap_begin(struct ktap *k);
void ktap_plan(struct ktap *k, unsigned count);
void ktap_diag(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ktap_vdiag(struct ktap *k, const char *fmt, va_list ap);
/* Report the next test. reason may be NULL; it follows the directive
 * (SKIP, TIMEOUT, ERROR) and is ignored for PASS and FAIL. */
void ktap_result(struct ktap *k, const char *name, enum result r, const char *reason);
/* The end marker; printed once, later calls do nothing. */
void ktap_end(struct ktap *k);
int ktap_exit_status(const struct ktap *k);
const char *result_name(enum result r);

#endif
