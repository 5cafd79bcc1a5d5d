/* One guest CPU: its VMCB, the registers VMRUN does not swap, and the run
 * loop that enters it until it reports, faults, or runs out of time. */
#ifndef SVMTEST_VCPU_H
#define SVMTEST_VCPU_H

#include <stddef.h>
#include <stdint.h>

#include "vmcb.h"

/* Swapped by svm/vmrun.asm (struc guest_regs there, same order). */
struct guest_regs {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
_Static_assert(offsetof(struct guest_regs, rbx) == 0, "vmrun.asm guest_regs.rbx");
_Static_assert(offsetof(struct guest_regs, rdx) == 16, "vmrun.asm guest_regs.rdx");
_Static_assert(offsetof(struct guest_regs, r8) == 48, "vmrun.asm guest_regs.r8");
_Static_assert(offsetof(struct guest_regs, r15) == 104, "vmrun.asm guest_regs.r15");

/* One CPU's own SVM host state: the VM_HSAVE_PA page and the VMCB its
 * VMSAVE/VMLOAD state is kept in across VMRUN. */
struct svm_host {
    uint8_t hsave[4096];
    struct vmcb save_area;
} __attribute__((aligned(4096)));

struct vcpu {
    struct vmcb *vmcb;
    struct svm_host *host;     /* the running CPU's */
    struct guest_regs regs;
    int quiet_npf;             /* vcpu_run prints no "npf:" lines (the caller may, later) */
};

/* EFER.SVME and VM_HSAVE_PA (this CPU's h->hsave); returns 0. */
int svm_enable(struct svm_host *h);

/* The architectural reset state (real mode at CS 0xf000:0xfff0, CR0
 * 0x60000010, RDX = CPUID(1).EAX, ...), the intercepts svmtest needs, and
 * nested paging with root ncr3. */
void vcpu_reset(struct vcpu *v, uint64_t ncr3);

/* One VMRUN: returns the exit code (the VMCB holds the rest). */
uint64_t vcpu_enter(struct vcpu *v);

enum run_outcome {
    RUN_VMMCALL,      /* the guest reported */
    RUN_NPF,          /* a #NPF the handler did not resolve (or no handler) */
    RUN_STORM,        /* the same #NPF npf_limit times in a row */
    RUN_TIMEOUT,      /* no report within the time bound */
    RUN_UNEXPECTED,   /* any other #VMEXIT, VMEXIT_INVALID included */
    RUN_INTERCEPT_IGNORED,  /* the guest took an event svmtest intercepts (an emulator's bug) */
};

/* "VMMCALL", "#NPF", "#NPF storm", ...: what the run ended with, for
 * "expected ...; observed ..." diagnostics. */
const char *run_outcome_name(enum run_outcome o);

struct run_result {
    enum run_outcome outcome;
    uint64_t exitcode, exitinfo1, exitinfo2, rip;
    uint64_t rax, rbx;          /* at the exit */
    unsigned npf_count;         /* every #NPF of the run */
    unsigned npf_repeats;       /* consecutive identical #NPFs ending the run */
    unsigned event_vector;      /* RUN_INTERCEPT_IGNORED: the vector the guest took */
    const char *event_through;  /* ... through its "IVT" or "IDT" */
};

/* Demand fill: map what the fault needs and return 1 to re-enter, or 0. */
typedef int (*npf_handler)(void *ctx, uint64_t gpa, uint64_t exitinfo1);

/* Run until VMMCALL, an unresolved #NPF, a storm, the time bound
 * (timer_guest_bound(): guest_timeout_ms, or the uncalibrated fallback) or an
 * unexpected exit. Each new #NPF is printed as an "npf:" diagnostic. A
 * machine check found after the run (MCG_STATUS.MCIP or a new uncorrected
 * bank, whatever exit carried it) ends the whole run as an ERROR. */
void vcpu_run(struct vcpu *v, npf_handler on_npf, void *ctx, unsigned npf_limit,
              struct run_result *r);

/* "verdict: the guest took vector 18 through its IVT although svmtest
 * intercepts it" (RUN_INTERCEPT_IGNORED). */
void vcpu_say_intercept_ignored(const struct run_result *r);
/* The "npf:" line of the run's last #NPF. */
void vcpu_describe_npf(const struct run_result *r);

/* Diagnostics for an unexpected exit: its name, EXITINFO, and the VMCB state
 * that explains it (for VMEXIT_INVALID the broken consistency rule). */
void vcpu_explain_exit(const struct vcpu *v, const struct run_result *r);

#endif
