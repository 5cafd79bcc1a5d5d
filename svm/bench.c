#include "bench.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/host_paging.h"
#include "kernel/report/report.h"
#include "kernel/timer.h"

static uint64_t sample[BENCH_ITERATIONS];

static void print(const char *what, unsigned n)
{
    struct bench_stats st = bench_stats_of(sample, n);
    diag("bench: %s median=%lu cycles p10=%lu p90=%lu min=%lu max=%lu n=%u (TSC)", what,
         st.median, st.p10, st.p90, st.min, st.max, n);
}

/* Enter the guest BENCH_ITERATIONS times, each entry ending in the same exit
 * (the intercepted instruction or fault is simply taken again). */
static unsigned time_entries(struct scenario *s, uint64_t want_exit)
{
    unsigned stray = 0;
    for (unsigned i = 0; i < BENCH_ITERATIONS; i++) {
        uint64_t t0 = rdtsc();
        uint64_t code = vcpu_enter(&s->vcpu);
        sample[i] = rdtsc() - t0;
        if ((code == VMEXIT_INTR || code == VMEXIT_SMI) && stray++ < BENCH_ITERATIONS) {
            irq_window();   /* a tick left pending by a scenario, or an SMI: not a sample */
            i--;
            continue;
        }
        if (code != want_exit) {
            diag("bench: expected exit 0x%lx, got 0x%lx: stopped", want_exit, code);
            return i;
        }
    }
    return BENCH_ITERATIONS;
}

#define HZ_PER_KHZ 1000u

/* the clocks as calibrated: measured, so they vary run to run like the rest */
static void print_clocks(void)
{
    const struct timer_calibration *c = timer_calibration();
    if (!c->apic_timer_hz) {
        diag("bench: clocks not calibrated: %s", c->why_not);
        return;
    }
    diag("bench: clocks tsc_khz=%lu apic_timer_khz=%lu (divide by 16) against %s", c->tsc_hz / HZ_PER_KHZ,
         c->apic_timer_hz / HZ_PER_KHZ, timer_reference_name(c->reference));
}

void bench_run(struct scenario *s, const struct svm_caps *caps)
{
    print_clocks();
    const char *why_not = svm_caps_missing(caps, 0);
    if (why_not) {
        diag("bench: skipped: %s", why_not);
        return;
    }
    /* VMRUN -> VMMCALL -> #VMEXIT: the guest at the reset vector reports; the
     * saved RIP still points at VMMCALL, so each entry repeats it */
    if (scenario_prepare(s) != RESULT_PASS ||
        !scenario_code_page(s, guest_realmode_image, scenario_params(s)) ||
        npt_map_all(&s->mem, s->ncr3, s->desc->npt) != PT_MAPPED) {
        diag("bench: could not set up the guest");
        return;
    }
    vcpu_enter(&s->vcpu);   /* run up to the first VMMCALL */
    print("vmrun_vmmcall_roundtrip", time_entries(s, VMEXIT_VMMCALL));

    /* VMRUN -> #NPF -> #VMEXIT: an empty NPT faults on the first fetch */
    if (scenario_prepare(s) != RESULT_PASS) {
        diag("bench: could not set up the guest");
        return;
    }
    print("npf_roundtrip", time_entries(s, VMEXIT_NPF));

    if (!caps->la57) {
        diag("bench: host_paging_switch skipped: CPU has no LA57");
        return;
    }
    for (unsigned i = 0; i < BENCH_ITERATIONS; i++) {
        uint64_t t0 = rdtsc();
        host_paging_set(5);
        uint64_t t1 = rdtsc();
        host_paging_set(4);
        sample[i] = t1 - t0;
    }
    print("host_paging_switch_4_to_5", BENCH_ITERATIONS);
}
