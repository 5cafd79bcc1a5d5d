/* Naming what the CPU reported: exit codes, #NPF EXITINFO1 bits, and the
 * VMRUN consistency rule a VMCB breaks (VMEXIT_INVALID). Pure logic. */
#ifndef SVMTEST_EXIT_DECODE_H
#define SVMTEST_EXIT_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "vmcb.h"

/* "NPF", "VMMCALL", "EXCP_PF", "CR3_READ", ...; never NULL. */
const char *exit_code_name(uint64_t code);
int exit_code_is_invalid(uint64_t code);
/* "[not-present user fetch final]" style list of the EXITINFO1 bits. */
int npf_describe(uint64_t exitinfo1, char *buf, size_t size);

/* Did the guest take an event svmtest intercepts (an emulator that
 * delivers it into the guest instead of exiting)? Signs: EXITINTINFO holds
 * an intercepted exception, an NMI or an interrupt; or, for a real-mode
 * guest, a #NPF on its interrupt vector table (GPA 0..0x3ff). Returns 1
 * with the vector and "IVT" or "IDT" (how the guest took it), else 0. */
struct exit_event_env {
    uint64_t exitcode, exitinfo2, exitintinfo, guest_cr0;
    uint32_t intercepted_exceptions;   /* the VMCB's exception intercepts */
    uint32_t intercept_misc3;          /* INTERCEPT_INTR, INTERCEPT_NMI */
};
int exit_shows_intercepted_event(const struct exit_event_env *e, unsigned *vector,
                                 const char **through);

struct vmcb_check_env {
    uint64_t max_phys_addr;   /* 1 << MAXPHYADDR */
    uint64_t cr4_allowed;     /* CR4 bits this CPU supports */
    int npt_supported;
};
/* The first VMRUN consistency check (APM vol. 2, "Canonicalization and
 * Consistency Checks") that the VMCB fails, or NULL. */
const char *vmcb_broken_rule(const struct vmcb *v, const struct vmcb_check_env *env);

#endif
