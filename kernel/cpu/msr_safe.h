/* MSR reads that may #GP (model-specific or hypervisor-dependent MSRs):
 * the #GP is caught and reported as a failed read, not a kernel exception. */
#ifndef SVMTEST_MSR_SAFE_H
#define SVMTEST_MSR_SAFE_H

#include <stdint.h>

/* 0 and *value, or -1 when RDMSR raised #GP (kernel/cpu/rdmsr_safe.asm). */
int rdmsr_safe(uint32_t msr, uint64_t *value);

/* Called by the interrupt dispatch with the exception's vector and the
 * frame's saved RIP: a #GP at rdmsr_safe's RDMSR resumes at its recovery
 * path (*rip changed, returns 1); anything else returns 0. */
int msr_safe_fixup(unsigned vector, uint64_t *rip);

#endif
