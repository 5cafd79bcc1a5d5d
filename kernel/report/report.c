#include "report.h"

#include <stdarg.h>

#include "exit.h"
#include "kernel/console/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/interrupts/apic.h"
#include "kernel/interrupts/int_frame.h"
#include "kernel/interrupts/vectors.h"
#include "kernel/lib/fmt.h"

#define COM1_PORT 0x3f8
#define COM1_BAUD 115200

struct ktap report;
static enum exit_mode exit_mode;
static const char *current_test;
static unsigned verbose;

static ktap_writer capture;      /* also gets every line (kernel/smp.c's fingerprint) */
static struct ktap ap_stream;    /* an application processor's silent run (never printed) */
static volatile int ap_stream_on;
static uint32_t bsp_id;
static void (*stop_others)(void);
static void (*final_check)(void);
static void (*describe_interrupts)(char *buf, unsigned size);
static volatile unsigned after_end;   /* events after the end marker (for a debugger) */

_Noreturn void report_after_end(void)
{
    __atomic_fetch_add(&after_end, 1, __ATOMIC_RELAXED);
    cpu_halt_forever();
}

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

void report_ap_stream_begin(ktap_writer w, void *ctx)
{
    bsp_id = apic_current_id();
    ktap_init(&ap_stream, w, ctx);
    __atomic_store_n(&ap_stream_on, 1, __ATOMIC_RELEASE);
}

void report_ap_stream_end(void)
{
    __atomic_store_n(&ap_stream_on, 0, __ATOMIC_RELEASE);
}

/* Only the boot CPU prints: another CPU's lines (kernel/smp.c runs the
 * matrix on it) go to its own stream, whatever the boot CPU does meanwhile. */
struct ktap *report_here(void)
{
    if (__atomic_load_n(&ap_stream_on, __ATOMIC_ACQUIRE) && apic_current_id() != bsp_id)
        return &ap_stream;
    return &report;
}

void report_set_stop_others(void (*fn)(void)) { stop_others = fn; }

static void run_final_check(void)
{
    if (!final_check)
        return;
    void (*fn)(void) = final_check;
    final_check = 0;
    fn();
}

void report_result(const char *name, enum result r, const char *reason)
{
    struct ktap *k = report_here();
    /* the last planned result: what arrived unseen is reported in its place */
    if (k == &report && !silent && report.reported + 1 == report.planned)
        run_final_check();
    ktap_result(k, name, r, reason);
}
void report_set_final_check(void (*fn)(void)) { final_check = fn; }

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
    if (stop_others) {
        /* an error on the boot CPU while another runs: stop it first */
        void (*fn)(void) = stop_others;
        stop_others = 0;
        fn();
    }
    report_ap_stream_end();
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
    if (report.ended)
        report_after_end();
    final_check = 0;   /* this error is the report's last word */
    report_open_console_early();
    if (!report.planned)
        ktap_plan(&report, 1);
    if (report.planned && report.reported == report.planned) {
        /* every planned result is out: no result line past the plan */
        diag("ERROR after the last result: %s", reason);
        report.error++;
    } else {
        ktap_result(&report, current_test ? current_test : "kernel", RESULT_ERROR, reason);
    }
    report_finish();
}

_Noreturn void report_exception(const struct int_frame *f)
{
    const char *name = exception_mnemonic((unsigned)f->vector);
    if (report.ended)
        report_after_end();
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
}

void report_set_exit_mode(enum exit_mode mode)
{
    exit_mode = mode;
}

void report_set_interrupts(void (*describe)(char *buf, unsigned size))
{
    describe_interrupts = describe;
}

void report_set_verbose(unsigned level)
{
    verbose = level;
}

void report_set_current(const char *name)
{
    /* the boot CPU's test: not an application processor's nor a silent run's */
    if (!silent && report_here() == &report)
        current_test = name;
}

_Noreturn void report_finish(void)
{
    if (!report.ended)
        run_final_check();   /* what arrived unseen (a machine check), if not yet */
    if (verbose && !report.ended) {
        char counts[200];
        if (describe_interrupts) {
            describe_interrupts(counts, sizeof counts);
            diag("interrupts: %s", counts);
        }
    }
    ktap_end(&report);
    machine_exit(exit_mode, ktap_exit_status(&report));
}
