#include "gptfault_model.h"

#include "npt/pt.h"
#include "vmcb.h"

enum gptfault_match gptfault_compare(uint64_t exitinfo1, uint64_t exitinfo2, uint64_t table)
{
    if (!(exitinfo1 & NPF_PAGE_TABLE_WALK))
        return GPTFAULT_NOT_WALK;
    if (exitinfo1 & NPF_PRESENT)
        return GPTFAULT_PRESENT;
    if ((exitinfo2 & ~(uint64_t)(PAGE_SIZE - 1)) != table)
        return GPTFAULT_OTHER_PAGE;
    return GPTFAULT_MATCH;
}
