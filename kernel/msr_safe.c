#include "msr_safe.h"

#define VECTOR_GP 13

extern const char rdmsr_safe_insn[], rdmsr_safe_recover[];

int msr_safe_fixup(struct int_frame *f)
{
    if (f->vector != VECTOR_GP || f->rip != (uint64_t)rdmsr_safe_insn)
        return 0;
    f->rip = (uint64_t)rdmsr_safe_recover;
    return 1;
}
