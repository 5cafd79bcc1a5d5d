/* The other CPUs: found in the ACPI MADT, all started at once with
 * INIT-SIPI-SIPI through a real-mode trampoline in a free page below 1 MiB
 * (a roll call with one wait for all, bounded in wall time), parked there
 * halted with CR4.MCE and an interrupt table of svmtest's, then given work
 * one at a time (INIT-SIPI into long mode), watched with bounded waits, and
 * parked again. An exception or a machine check on an application
 * processor is caught and reported to the boot CPU through shared memory;
 * a CPU that does not answer is reported, never waited on forever. A CPU
 * svmtest never starts (not in the MADT, online-capable, out of reach) is
 * left as the firmware left it: its machine checks are the firmware's. */
#ifndef SVMTEST_SMP_H
#define SVMTEST_SMP_H

#include <stdint.h>

#include "bootinfo.h"
#include "kernel/mce/mce_decode.h"

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
int smp_idle_online_capable(unsigned i);   /* else: an x2APIC ID the xAPIC cannot reach */
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

/* The roll call: switch the boot CPU to x2APIC mode when the CPU has it,
 * INIT the first n APs, 10 ms, SIPI, 200 us, SIPI to each, then one wait
 * for all to check in, of smp_roll_call_ms() (2 s and 1 ms per CPU, at
 * most 10 s, by the calibrated TSC). Returns how many answered; they are
 * parked. Once, before the first smp_run_on. */
unsigned smp_start_all(unsigned n);
int smp_answered(unsigned i);
unsigned smp_roll_call_ms(void);
/* An application processor's machine check (recorded by it, in long mode
 * or parked), or NULL. apic_id 0xffffffff: in real mode, unread. */
const struct mce_record *smp_machine_check(void);

/* Start AP i (INIT, SIPI, 200 us, SIPI if it has not begun), have it run
 * work(ctx) on its own stack, GDT/TSS and the kernel's IDT, wait while
 * *progress keeps changing (a bounded silence, or a machine check on an
 * AP, ends the wait), then park it again. An error the boot CPU reports
 * meanwhile parks it first. */
void smp_run_on(unsigned i, smp_work work, void *ctx, const volatile unsigned *progress,
                struct smp_outcome *out);

#endif
