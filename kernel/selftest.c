#include "selftest.h"

#include <stdint.h>

#define UNMAPPED_ADDRESS 0x100000000ull      /* just past the 4 GiB identity map */
#define NONCANONICAL_ADDRESS 0x8000000000000000ull

void selftest_trip(enum selftest which)
{
    switch (which) {
    case SELFTEST_UD:
    case SELFTEST_AP_UD:
        __asm__ volatile("ud2");
        break;
    case SELFTEST_GP:
        (void)*(volatile uint64_t *)(uintptr_t)NONCANONICAL_ADDRESS;
        break;
    case SELFTEST_PF:
        (void)*(volatile uint64_t *)(uintptr_t)UNMAPPED_ADDRESS;
        break;
    case SELFTEST_NONE:
    case SELFTEST_GUEST_HANG:
    case SELFTEST_AP_DEVIATE:
        break;
    }
}
