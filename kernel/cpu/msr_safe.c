#include "msr_safe.h"

#define VECTOR_GP 13

extern const char rdmsr_safe_insn[], rdmsr_safe_recover[];

int msr_safe_fixup(unsigned vector, uint64_t *rip)
{
    if (vector != VECTOR_GP || *rip != (uint64_t)rdmsr_safe_insn)
        return 0;
    *rip = (uint64_t)rdmsr_safe_recover;
    return 1;
}
