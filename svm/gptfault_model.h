/* Group gptfault's model (AMD APM vol. 2, 15.25.6 "Nested versus Guest
 * Page Faults, Fault Ordering"): the #NPF the guest's own page-table walk
 * takes on a table page left out of the NPT has EXITINFO1 bit 33 set (a
 * guest page-table access) and P clear (not present), and EXITINFO2 in that
 * table page. Pure logic: host-tested. */
#ifndef SVMTEST_GPTFAULT_MODEL_H
#define SVMTEST_GPTFAULT_MODEL_H

#include <stdint.h>

enum gptfault_match {
    GPTFAULT_MATCH,
    GPTFAULT_NOT_WALK,      /* bit 33 clear: not reported as the guest's walk */
    GPTFAULT_PRESENT,       /* P set: not a not-present fault */
    GPTFAULT_OTHER_PAGE,    /* EXITINFO2 outside the left-out table page */
};

/* The first way an #NPF (exitinfo1, exitinfo2) differs from the model for
 * the left-out table page at table, or GPTFAULT_MATCH. */
enum gptfault_match gptfault_compare(uint64_t exitinfo1, uint64_t exitinfo2, uint64_t table);

#endif
