#include "ktap.h"

#include "kernel/lib/fmt.h"

#define LINE_MAX 512

static void emit_line(struct ktap *k, const char *fmt, va_list ap)
{
    char line[LINE_MAX];
    int n = fmt_vsnprintf(line, sizeof line - 1, fmt, ap);
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    k->write(k->ctx, line, (size_t)n);
}

static void emit(struct ktap *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct ktap *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit_line(k, fmt, ap);
    va_end(ap);
}

void ktap_init(struct ktap *k, ktap_writer write, void *ctx)
{
    *k = (struct ktap){ .write = write, .ctx = ctx };
}

void ktap_begin(struct ktap *k)
{
    k->begun = 1;
    /* a line break first (CR LF on the wire): the begin marker starts a fresh
     * line whatever the loader left on the current one (GRUB leaves a CR) */
    k->write(k->ctx, "\n", 1);
    emit(k, "# svmtest-begin version=%s", SVMTEST_VERSION);
    emit(k, "KTAP version 1");
}

void ktap_plan(struct ktap *k, unsigned count)
{
    k->planned = count;
    emit(k, "1..%u", count);
}

void ktap_vdiag(struct ktap *k, const char *fmt, va_list ap)
{
    char body[LINE_MAX - 4];
    fmt_vsnprintf(body, sizeof body, fmt, ap);
    /* a diagnostic is one line: fold embedded line breaks */
    for (char *p = body; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    emit(k, "# %s", body);
}

void ktap_diag(struct ktap *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ktap_vdiag(k, fmt, ap);
    va_end(ap);
}

const char *result_name(enum result r)
{
    switch (r) {
    case RESULT_PASS: return "ok";
    case RESULT_SKIP: return "SKIP";
    case RESULT_FAIL: return "not ok";
    case RESULT_TIMEOUT: return "TIMEOUT";
    case RESULT_ERROR: return "ERROR";
    }
    return "?";
}

void ktap_result(struct ktap *k, const char *name, enum result r, const char *reason)
{
    unsigned n = ++k->reported;
    const char *sep = reason && reason[0] ? " " : "";
    if (!reason)
        reason = "";
    switch (r) {
    case RESULT_PASS:
        k->pass++;
        emit(k, "ok %u %s", n, name);
        break;
    case RESULT_SKIP:
        k->skip++;
        emit(k, "ok %u %s # SKIP%s%s", n, name, sep, reason);
        break;
    case RESULT_FAIL:
        k->fail++;
        emit(k, "not ok %u %s", n, name);
        break;
    case RESULT_TIMEOUT:
        k->fail++;
        emit(k, "not ok %u %s # TIMEOUT%s%s", n, name, sep, reason);
        break;
    case RESULT_ERROR:
        k->error++;
        emit(k, "not ok %u %s # ERROR%s%s", n, name, sep, reason);
        break;
    }
}

void ktap_end(struct ktap *k)
{
    if (k->ended)
        return;
    k->ended = 1;
    emit(k, "# svmtest-end pass=%u fail=%u skip=%u error=%u", k->pass, k->fail, k->skip, k->error);
}

int ktap_exit_status(const struct ktap *k)
{
    if (k->error || k->reported != k->planned)
        return EXIT_STATUS_ERROR;
    if (k->fail)
        return EXIT_STATUS_FAIL;
    if (k->skip && !k->pass)
        return EXIT_STATUS_ALL_SKIPPED;
    return EXIT_STATUS_OK;
}
