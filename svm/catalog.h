/* The scenario catalog: names, groups and parameters, in run order. Pure
 * data; the command-line parser is handed its names (catalog_names). */
#ifndef SVMTEST_CATALOG_H
#define SVMTEST_CATALOG_H

#include <stdint.h>

#include "kernel/config.h"
#include "kernel/scenario_set.h"

enum group { GROUP_RESET, GROUP_PROBE, GROUP_GUEST, GROUP_GPTFAULT, GROUP_BITS, GROUP_CPUS,
             GROUP_COUNT };
enum fill { FILL_NONE, FILL_PREBUILT, FILL_DEMAND };
/* Group bits: what one scenario changes in the NPT (svm/bits_model.h). */
enum npt_bit { BIT_NONE, BIT_NX, BIT_USER, BIT_WRITE, BIT_RSVD, BIT_LEAF_2M, BIT_LEAF_1G,
               BIT_AD };

struct scenario_desc {
    const char *name;
    enum group group;
    uint8_t host;      /* host paging depth at VMRUN: 4 or 5 (0: group cpus) */
    uint8_t npt;       /* NPT depth built; equals host outside group reset */
    uint8_t guest;     /* guest paging depth (groups guest, gptfault), 0 = paging off */
    enum fill fill;    /* group reset only */
    uint8_t level;     /* gptfault: the guest level left out; bits: the NPT level edited */
    enum npt_bit bit;  /* group bits only */
};

#define SCENARIO_COUNT 75
/* group cpus: all_cpus, the other CPUs running groups 1-5; always the last */
#define SCENARIO_ALL_CPUS (SCENARIO_COUNT - 1)

_Static_assert(SCENARIO_COUNT <= SCENARIO_SET_MAX, "a scenario set holds the catalog");

/* Every scenario; the matrix: every one but all_cpus (groups 1-5). */
struct scenario_set sset_all(void);
struct scenario_set sset_matrix(void);

extern const struct scenario_desc scenario_catalog[SCENARIO_COUNT];
extern const char *const group_names[GROUP_COUNT];

/* Index of a scenario by exact name, or -1. */
int catalog_find(const char *name, unsigned len);
/* The scenarios of a group named so ("bits"), or of one depth of group bits
 * ("bits4", "bits5": host and NPT depth D). Returns 0 when no group has the
 * name, else 1 with the scenarios in *out. */
int catalog_group_set(const char *name, unsigned len, struct scenario_set *out);
/* The scenarios a configuration selects: its only= set, filtered by the
 * depths and fills its host=, npt=, fill= and guest= keep. */
struct scenario_set catalog_selected(const struct config *cfg);
/* What the command line's only= accepts: catalog_lookup (a scenario, a
 * group or "all") and catalog_selected, for config_parse. */
int catalog_lookup(const char *name, unsigned len, struct scenario_set *out);
extern const struct config_names catalog_names;

#endif
