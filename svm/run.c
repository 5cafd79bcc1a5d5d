#include "run.h"

#include "bench.h"
#include "fingerprint.h"
#include "kernel/acpi/madt.h"
#include "kernel/cpu/host_paging.h"
#include "kernel/interrupts/idt.h"
#include "kernel/lib/fmt.h"
#include "kernel/mce/mce.h"
#include "kernel/report/report.h"
#include "kernel/selftest.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "scenario.h"

#define POOL_PAGES 256

/* One pool and one set of guest pages for every CPU: the CPUs run one at a
 * time, so memory stays the same whatever their number. */
static uint8_t pool_memory[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct page_pool pool;
/* Each CPU's own SVM state: the boot CPU's and the running AP's. */
static struct vmcb bsp_vmcb __attribute__((aligned(PAGE_SIZE)));
static struct svm_host bsp_host;
static struct vmcb ap_vmcb __attribute__((aligned(PAGE_SIZE)));
static struct svm_host ap_host;
static struct fp_record bsp_fp, ap_fp;
static const struct boot_info *boot_memory;   /* the loader's map, for large leaves */

/* bench=on measures on a 4-level host with a 4-level NPT */
static const struct scenario_desc bench_desc = { "bench", GROUP_RESET, 4, 4, 0, FILL_PREBUILT, 0,
                                                 BIT_NONE };

typedef enum result (*scenario_fn)(struct scenario *s);
static const scenario_fn group_runner[GROUP_COUNT] = {
    [GROUP_RESET] = scenario_reset,
    [GROUP_PROBE] = scenario_probe,
    [GROUP_GUEST] = scenario_guest,
    [GROUP_GPTFAULT] = scenario_gptfault,
    [GROUP_BITS] = scenario_bits,
};

static const char *missing(const struct svm_caps *caps, const struct scenario_desc *d)
{
    return svm_caps_missing(caps, d->host == 5 || d->guest == 5);
}

/* Groups 1-5 of set, in catalog order, on this CPU with its own VMCB and
 * SVM host state. fp (may be NULL) learns where each scenario starts.
 * deviate (selftest=ap-deviate): the first reset scenario builds its NPT
 * with the other depth, as a faulty core would walk it. */
static void run_matrix(const struct config *cfg, const struct svm_caps *caps,
                       const struct scenario_set *set,
                       struct vmcb *vmcb, struct svm_host *host, struct fp_record *fp,
                       int deviate)
{
    int svm_on = 0, tripped = 0;
    for (unsigned i = 0; i < SCENARIO_COUNT; i++) {
        if (!sset_has(set, i) || scenario_catalog[i].group == GROUP_CPUS)
            continue;
        const struct scenario_desc *d = &scenario_catalog[i];
        struct scenario_desc other;
        if (deviate && d->group == GROUP_RESET) {
            other = *d;
            other.npt = (uint8_t)(d->npt == 4 ? 5 : 4);
            d = &other;
            deviate = 0;
        }
        if (fp)
            fp_scenario(fp, i);
        const char *why_not = missing(caps, d);
        if (why_not) {
            report_result(d->name, RESULT_SKIP, why_not);
            continue;
        }
        report_set_current(d->name);
        if (!tripped && (cfg->selftest == SELFTEST_UD || cfg->selftest == SELFTEST_GP ||
                         cfg->selftest == SELFTEST_PF)) {
            diag("selftest: tripping a kernel exception in %s", d->name);
            selftest_trip(cfg->selftest);
        }
        if (!svm_on)
            svm_on = !svm_enable(host);
        struct scenario s = {
            .desc = d,
            .cfg = cfg,
            .caps = caps,
            .boot = boot_memory,
            .hang = !tripped && cfg->selftest == SELFTEST_GUEST_HANG,
            .pool = &pool,
            .vcpu = { .vmcb = vmcb, .host = host },
        };
        if (s.hang)
            diag("selftest: the guest of %s spins without exiting", d->name);
        tripped = 1;
        enum result r = group_runner[d->group](&s);
        report_result(d->name, r, s.reason);
        report_set_current(0);
    }
    host_paging_set(4);
}

struct ap_job {
    const struct config *cfg;
    struct scenario_set set;
    int deviate;        /* selftest=ap-deviate: this AP builds another NPT depth */
    int trip;           /* selftest=ap-ud: this AP takes a #UD */
};

/* On the application processor, silently (the report goes to ap_fp). */
static void ap_run(void *ctx)
{
    const struct ap_job *job = ctx;
    struct svm_caps caps;
    svm_caps_read(&caps);
    if (job->trip)
        selftest_trip(SELFTEST_AP_UD);
    run_matrix(job->cfg, &caps, &job->set, &ap_vmcb, &ap_host, &ap_fp, job->deviate);
}

static void describe_fault(char *buf, size_t size, const struct smp_outcome *o)
{
    fmt_snprintf(buf, size, "exception %s vector=%lu error_code=0x%lx rip=0x%016lx cr2=0x%016lx",
                 exception_mnemonic((unsigned)o->vector), o->vector, o->error_code, o->rip, o->cr2);
}

#define IDS_SHOWN 5           /* APIC IDs a summary line names at verbose=0 */
#define NAMED_CPUS_MAX 8      /* deviating or failing CPUs named one by one at verbose=0 */

/* CPUs the MADT lists that svmtest does not start by design: one line per
 * reason at verbose=0 (any MADT stays within the report's size), each CPU
 * at verbose=1. */
static void say_not_started(const struct config *cfg)
{
    unsigned online = 0, unreachable = 0;
    for (unsigned i = 0; i < smp_idle_count(); i++) {
        if (cfg->verbose)
            diag("all_cpus: APIC %u not started: %s", smp_idle_apic_id(i), smp_idle_reason(i));
        if (smp_idle_online_capable(i))
            online++;
        else
            unreachable++;
    }
    if (!cfg->verbose && online)
        diag("all_cpus: %u online-capable %s not started", online, online == 1 ? "entry" : "entries");
    if (!cfg->verbose && unreachable)
        diag("all_cpus: %u x2APIC %s out of the xAPIC's reach not started (no x2APIC)", unreachable,
             unreachable == 1 ? "ID" : "IDs");
    if (smp_madt_dropped())
        diag("all_cpus: %u more CPUs in the MADT not started: svmtest keeps %u",
             smp_madt_dropped(), MADT_CPUS_MAX);
    if (cfg->verbose && smp_madt_unusable())
        diag("all_cpus: %u MADT entries neither enabled nor online-capable", smp_madt_unusable());
}

/* CPUs that did not answer the roll call: one line at verbose=0. */
static void say_silent(const struct config *cfg, unsigned aps)
{
    static uint32_t ids[MADT_CPUS_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < aps; i++)
        if (!smp_answered(i)) {
            ids[n++] = smp_ap_apic_id(i);
            if (cfg->verbose)
                diag("all_cpus: APIC %u silent: no answer to INIT-SIPI-SIPI", smp_ap_apic_id(i));
        }
    if (!n || cfg->verbose)
        return;
    char list[96];
    madt_format_ids(list, sizeof list, ids, n, IDS_SHOWN);
    diag("all_cpus: %u silent (no answer to INIT-SIPI-SIPI within %u ms): %s", n,
         smp_roll_call_ms(), list);
}

/* An AP's machine check ends the run, reported by the boot CPU for it. */
static void report_ap_machine_check(void)
{
    const struct mce_record *m = smp_machine_check();
    if (m)
        mce_report_record(m);
}

/* Group cpus: every other CPU runs the matrix the boot CPU ran (recorded in
 * bsp_fp) and must match it. Returns the result, with the reason for SKIP. */
static enum result all_cpus(const struct config *cfg, const struct scenario_set *matrix,
                            char *reason, size_t size)
{
    const char *no_smp = smp_unavailable();
    unsigned aps = smp_ap_count();
    if (no_smp) {
        diag("all_cpus: %s: the boot CPU only", no_smp);
        fmt_snprintf(reason, size, "boot CPU only: %s", no_smp);
        return RESULT_SKIP;
    }
    say_not_started(cfg);
    if (cfg->cpus == CONFIG_CPUS_BSP) {
        fmt_snprintf(reason, size, "cpus=bsp");
        return RESULT_SKIP;
    }
    if (!aps) {
        fmt_snprintf(reason, size, "single CPU");
        return RESULT_SKIP;
    }
    if (cfg->cpus != CONFIG_CPUS_ALL && cfg->cpus < aps)
        aps = cfg->cpus;
    if (cfg->verbose)
        diag("all_cpus: %u application processors, %s", aps, smp_apic_mode());
    unsigned matched = 0, named = 0, unnamed = 0;
    smp_start_all(aps);
    report_ap_machine_check();
    if (!timer_calibration()->tsc_hz) {
        diag("all_cpus: %u CPUs not started: no clock to time them (no calibrated TSC, no PIT)", aps);
        return RESULT_FAIL;
    }
    say_silent(cfg, aps);
    for (unsigned i = 0; i < aps; i++) {
        if (!smp_answered(i))
            continue;
        struct ap_job job = { cfg, *matrix, cfg->selftest == SELFTEST_AP_DEVIATE && i == 0,
                              cfg->selftest == SELFTEST_AP_UD && i == 0 };
        struct smp_outcome o;
        fp_init(&ap_fp, &bsp_fp, 0);
        report_ap_stream_begin(fp_write, &ap_fp);
        smp_run_on(i, ap_run, &job, &ap_fp.lines, &o);
        report_ap_stream_end();
        report_ap_machine_check();
        char what[160];
        uint32_t id = smp_ap_apic_id(i);
        struct fp_diff d;
        if (o.status == SMP_DONE && !fp_compare(&bsp_fp, &ap_fp, &d)) {
            matched++;
            continue;
        }
        if (!cfg->verbose && named == NAMED_CPUS_MAX) {
            unnamed++;
            continue;
        }
        named++;
        switch (o.status) {
        case SMP_DONE:
            diag("all_cpus: APIC %u differs from the boot CPU", id);
            if (cfg->verbose)
                diag("all_cpus: APIC %u first difference: %s line %u %s: boot CPU '%s', APIC %u '%s'",
                     id, d.scenario >= 0 ? scenario_catalog[d.scenario].name : "(none)", d.line,
                     d.field, d.ref_value, id, d.value);
            continue;
        case SMP_NO_START:
            diag("all_cpus: APIC %u silent: answered the roll call, not its start", id);
            continue;
        case SMP_STALLED:
            diag("all_cpus: APIC %u silent: no progress for the time bound", id);
            continue;
        case SMP_FAULT:
            describe_fault(what, sizeof what, &o);
            diag("all_cpus: APIC %u %s", id, what);
            continue;
        case SMP_NO_CLOCK:
            diag("all_cpus: APIC %u not started: no clock to time it (no calibrated TSC, no PIT)", id);
            continue;
        }
    }
    if (unnamed)
        diag("all_cpus: %u more CPUs deviate or fail (verbose=1 names them)", unnamed);
    diag("all_cpus: %u of %u application processors match the boot CPU", matched, aps);
    return matched == aps ? RESULT_PASS : RESULT_FAIL;
}

void run_selected(const struct config *cfg, const struct svm_caps *caps,
                  const struct boot_info *boot)
{
    boot_memory = boot;
    struct scenario_set selected = catalog_selected(cfg);
    struct scenario_set matrix = selected;
    sset_remove(&matrix, SCENARIO_ALL_CPUS);
    int want_cpus = sset_has(&selected, SCENARIO_ALL_CPUS);

    pool_init(&pool, pool_memory, (uint64_t)pool_memory, POOL_PAGES);
    ktap_plan(&report, sset_count(&selected));
    fp_init(&bsp_fp, 0, 1);
    if (want_cpus)
        report_capture(fp_write, &bsp_fp);
    run_matrix(cfg, caps, &matrix, &bsp_vmcb, &bsp_host, &bsp_fp, 0);
    report_capture(0, 0);
    if (want_cpus) {
        const struct scenario_desc *d = &scenario_catalog[SCENARIO_ALL_CPUS];
        const char *why_not = missing(caps, d);
        char reason[160] = "";
        enum result r = RESULT_SKIP;
        report_set_current(d->name);
        if (why_not) {
            fmt_snprintf(reason, sizeof reason, "%s", why_not);
        } else {
            if (sset_empty(&matrix)) {
                /* only=cpus: the boot CPU's reference run, silent too */
                struct config all = *cfg;
                all.only = sset_matrix();
                matrix = catalog_selected(&all);
                report_silence_begin(fp_write, &bsp_fp);
                run_matrix(cfg, caps, &matrix, &bsp_vmcb, &bsp_host, &bsp_fp, 0);
                report_silence_end();
            }
            r = all_cpus(cfg, &matrix, reason, sizeof reason);
        }
        report_result(d->name, r, reason);
        report_set_current(0);
    }
    if (cfg->bench) {
        struct scenario s = { .desc = &bench_desc, .cfg = cfg, .pool = &pool,
                              .vcpu = { .vmcb = &bsp_vmcb, .host = &bsp_host } };
        if (!svm_caps_missing(caps, 0))
            svm_enable(&bsp_host);
        bench_run(&s, caps);
    }
    host_paging_set(4);
}
