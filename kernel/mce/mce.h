/* Machine checks: banks enabled at boot (CR4.MCE is set on entry), and a
 * machine check reported as an ERROR with MCG_STATUS and every valid bank,
 * then the end marker and status 39: a lab sees the hardware error instead
 * of a silent reboot. Only the boot CPU prints: an application processor's
 * machine check is recorded (struct mce_record) and reported by the boot
 * CPU for it; one after the end marker is counted and the CPU halts. */
#ifndef SVMTEST_MCE_H
#define SVMTEST_MCE_H

#include "kernel/interrupts/idt.h"
#include "mce_decode.h"

/* On the boot CPU: enable every bank and note what the banks hold at boot
 * (a valid error left from before is not a new machine check). */
void mce_init(void);
/* On an application processor: enable its banks. */
void mce_enable(void);
/* From the #MC vector (f) or a #VMEXIT(MC) (f NULL). Does not return, but
 * for a machine check that arrives while one is being reported (counted). */
void mce_report(const struct int_frame *f);
/* This CPU is handling a machine check (MCG_STATUS.MCIP) or a bank holds a
 * valid uncorrected error it did not hold at boot: whatever carried it (an
 * emulator may hand the #MC to the guest, ignoring the intercept). */
int mce_pending(void);
/* The ERROR report for a machine check found by mce_pending, after what
 * (e.g. "#VMEXIT NPF"). */
_Noreturn void mce_report_pending(const char *after);
/* The boot CPU reports an application processor's recorded machine check. */
_Noreturn void mce_report_record(const struct mce_record *r);
/* Read this CPU's machine-check state into shared (the first of several
 * only; each is counted) and clear MCG_STATUS so that a later machine check
 * is counted instead of shutting the CPU down. */
void mce_record_here(struct mce_record *shared, uint32_t apic_id, uint64_t rip);
/* kernel/smp.c, once it starts other CPUs: on_ap is called first on any
 * machine check and, on an application processor, records it and does not
 * return; is_ap says whether this CPU is one (its banks are not compared
 * with the boot CPU's at boot, only MCIP counts there). */
typedef void (*mce_ap_handler)(uint64_t rip);
void mce_set_ap_handler(mce_ap_handler on_ap, int (*is_ap)(void));

#endif
