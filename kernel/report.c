#include "report.h"

#include <stdarg.h>

#include "console.h"
#include "cpu.h"
#include "exit.h"
#include "fmt.h"
#include "idt.h"

#define COM1_PORT 0x3f8
#define COM1_BAUD 115200

struct ktap report;
static enum exit_mode exit_mode;
static const char *current_test;
static unsigned verbose;

static ktap_writer capture;      /* also gets every line (kernel/smp.c's fingerprint) */
static void *capture_ctx;
static int silent;               /* lines go to capture only */
static struct ktap outer;        /* the report's counts while silent */

static void write_console(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    if (capture)
        capture(capture_ctx, s, n);
    if (!silent)
        console_write(s, n);
}

void report_capture(ktap_writer w, void *ctx)
{
    capture = w;
    capture_ctx = ctx;
}

void report_silence_begin(ktap_writer w, void *ctx)
{
    outer = report;
    report.planned = report.reported = 0;
    report.pass = report.fail = report.skip = report.error = 0;
    silent = 1;
    report_capture(w, ctx);
}

void report_silence_end(void)
{
    if (!silent)
        return;
    report_capture(0, 0);
    silent = 0;
    report = outer;
}

void report_open_console_early(void)
{
    report_silence_end();
    console_fresh_line();
    if (!report.begun) {
        /* before the console was opened: say it on COM1 */
        struct uart com1 = { .base = COM1_PORT };
        console_init(&com1, COM1_BAUD);
        ktap_begin(&report);
    }
}

_Noreturn void report_fatal(const char *fmt, ...)
{
    char reason[160];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    report_open_console_early();
    if (!report.planned)
        ktap_plan(&report, 1);
    ktap_result(&report, current_test ? current_test : "kernel", RESULT_ERROR, reason);
    report_finish();
}

_Noreturn void report_exception(const struct int_frame *f)
{
    const char *name = exception_mnemonic((unsigned)f->vector);
    report_open_console_early();
    diag("exception %s vector=%lu error_code=0x%lx rip=0x%016lx cs=0x%lx rflags=0x%lx",
         name, f->vector, f->error_code, f->rip, f->cs, f->rflags);
    diag("cr0=0x%016lx cr2=0x%016lx cr3=0x%016lx cr4=0x%016lx",
         read_cr0(), read_cr2(), read_cr3(), read_cr4());
    diag("rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx", f->rax, f->rbx, f->rcx, f->rdx);
    diag("rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx rsp=0x%016lx", f->rsi, f->rdi, f->rbp, f->rsp);
    diag("r8=0x%016lx r9=0x%016lx r10=0x%016lx r11=0x%016lx", f->r8, f->r9, f->r10, f->r11);
    diag("r12=0x%016lx r13=0x%016lx r14=0x%016lx r15=0x%016lx", f->r12, f->r13, f->r14, f->r15);
    report_fatal("kernel exception %s at rip=0x%016lx", name, f->rip);
}

void report_init(enum exit_mode mode)
{
    exit_mode = mode;
    ktap_init(&report, write_console, 0);
    idt_set_exception_handler(report_exception);
}

void report_set_exit_mode(enum exit_mode mode)
{
    exit_mode = mode;
}

void report_set_verbose(unsigned level)
{
    verbose = level;
}

void report_set_current(const char *name)
{
    current_test = name;
}

_Noreturn void report_finish(void)
{
    if (verbose && !report.ended) {
        char counts[200];
        interrupt_counts_describe(interrupt_counts(), counts, sizeof counts);
        diag("interrupts: %s", counts);
    }
    ktap_end(&report);
    machine_exit(exit_mode, ktap_exit_status(&report));
}
