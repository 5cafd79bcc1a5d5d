/* Group bits: what each scenario changes in the NPT and what the CPU must
 * then do, as one table (svm/bits_model.c). Pure logic: host-tested. */
#ifndef SVMTEST_BITS_MODEL_H
#define SVMTEST_BITS_MODEL_H

#include <stdint.h>

#include "catalog.h"

enum bits_access { ACCESS_NONE, ACCESS_FETCH, ACCESS_WRITE };

/* The model of one scenario of group bits. */
struct bits_model {
    const char *bit_name;     /* "NX", "U", "R/W", "reserved", ... for the verdict */
    const char *apm;          /* the AMD APM vol. 2 section the model comes from */
    uint64_t walk_gpa;        /* the page whose NPT walk holds the edited entry */
    uint64_t set, clear;      /* the change to that level's entry */
    int faults;               /* 1: an #NPF ends the run; 0: it runs to VMMCALL */
    enum bits_access access;  /* the faulting access */
    uint64_t gpa;             /* EXITINFO2 of the #NPF */
    uint64_t exitinfo1;       /* EXITINFO1 of the #NPF */
    /* EXITINFO1 bits whose absence is a known implementation deviation:
     * reported on a line of its own, not a failure (README "Group bits") */
    uint64_t deviation;
    const char *deviation_text;
    const char *model_text;   /* "fetch fault", "write fault", "runs", ... */
};

/* The model of scenario d (group bits) on a host with EFER.NXE = host_nxe
 * whose MAXPHYADDR is maxphyaddr. Returns NULL, or why the scenario
 * cannot run here (MAXPHYADDR 52 leaves no reserved address bit). */
const char *bits_model_of(const struct scenario_desc *d, int host_nxe, unsigned maxphyaddr,
                          struct bits_model *m);

/* How observed EXITINFO1 compares with the model: equal, equal but for
 * the m->deviation bits (a known deviation), or different. */
enum bits_match { BITS_EQUAL, BITS_DEVIATION, BITS_DIFFERENT };
enum bits_match bits_compare(const struct bits_model *m, uint64_t exitinfo1);

/* Whether the level-`level` entry of a depth-deep NPT walk of gpa a is
 * also on the walk of gpa b (same table, same index at every level from
 * the root down to it). */
int bits_entry_shared(uint64_t a, uint64_t b, int depth, int level);

#endif
