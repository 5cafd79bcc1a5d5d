/* The other CPUs: found in the ACPI MADT, started one at a time with
 * INIT-SIPI-SIPI through a real-mode trampoline in a free page below 1 MiB,
 * given work to run, watched with bounded waits, and parked again with INIT.
 * An exception on an application processor is caught and reported to the
 * boot CPU through shared memory; a CPU that does not answer is reported,
 * never waited on forever. */
#ifndef SVMTEST_SMP_H
#define SVMTEST_SMP_H

#include <stdint.h>

#include "bootinfo.h"

/* Read the MADT and pick the trampoline page. Prints nothing. */
void smp_discover(const struct boot_info *info);

/* Why no other CPU can be started at all (no MADT, no free low page, ...),
 * or NULL. */
const char *smp_unavailable(void);
/* The enabled application processors, in MADT order (the boot CPU left out). */
unsigned smp_ap_count(void);
uint32_t smp_ap_apic_id(unsigned i);
/* CPUs listed but not started, with the reason. */
unsigned smp_idle_count(void);
uint32_t smp_idle_apic_id(unsigned i);
const char *smp_idle_reason(unsigned i);
/* MADT entries neither enabled nor online-capable (left out), and CPUs
 * past the MADT_CPUS_MAX svmtest keeps (not started). */
unsigned smp_madt_unusable(void);
unsigned smp_madt_dropped(void);
/* "xAPIC" or "x2APIC": how the boot CPU sends IPIs. */
const char *smp_apic_mode(void);

enum smp_status {
    SMP_DONE,        /* the AP ran the work and returned */
    SMP_NO_START,    /* no sign of life after INIT-SIPI-SIPI */
    SMP_STALLED,     /* started, then no progress within the bound */
    SMP_FAULT,       /* an exception on the AP */
    SMP_NO_CLOCK,    /* no calibrated TSC and no counting PIT: nothing could be timed */
};

struct smp_outcome {
    enum smp_status status;
    uint32_t apic_id;            /* as the AP read it */
    uint64_t vector, error_code, rip, cr2;   /* SMP_FAULT */
};

typedef void (*smp_work)(void *ctx);

/* INIT the first n APs (and switch the boot CPU to x2APIC mode when the CPU
 * has it), wait the 10 ms before their SIPI, measuring the TSC against the
 * PIT meanwhile. Once, before the first smp_run_on. */
void smp_init_aps(unsigned n);

/* Start AP i (SIPI, 200 us, SIPI: its INIT was sent by smp_init_aps or
 * when the previous run parked it), have it run work(ctx) on its own stack,
 * GDT/TSS and the kernel's IDT, wait while *progress keeps changing (a
 * bounded silence ends the wait), then park it again with INIT. */
void smp_run_on(unsigned i, smp_work work, void *ctx, const volatile unsigned *progress,
                struct smp_outcome *out);

#endif
