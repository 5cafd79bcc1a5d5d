/* The scenario catalog: names, groups and parameters, in run order. Pure
 * data shared by the command-line parser, the reporter and svm/. */
#ifndef SVMTEST_CATALOG_H
#define SVMTEST_CATALOG_H

#include <stdint.h>

enum group { GROUP_RESET, GROUP_PROBE, GROUP_GUEST, GROUP_GPTFAULT, GROUP_CPUS, GROUP_COUNT };
enum fill { FILL_NONE, FILL_PREBUILT, FILL_DEMAND };

struct scenario_desc {
    const char *name;
    enum group group;
    uint8_t host;      /* host paging depth at VMRUN: 4 or 5 (0: group cpus) */
    uint8_t npt;       /* NPT depth built; equals host outside group reset */
    uint8_t guest;     /* guest paging depth (group guest), 0 = paging off */
    enum fill fill;    /* group reset only */
};

#define SCENARIO_COUNT 17
#define SCENARIO_ALL ((1u << SCENARIO_COUNT) - 1)
/* group cpus: all_cpus, the other CPUs running groups 1-4 */
#define SCENARIO_ALL_CPUS (SCENARIO_COUNT - 1)
#define SCENARIO_MATRIX (SCENARIO_ALL & ~(1u << SCENARIO_ALL_CPUS))

extern const struct scenario_desc scenario_catalog[SCENARIO_COUNT];
extern const char *const group_names[GROUP_COUNT];

/* Index of a scenario by exact name, or -1. */
int catalog_find(const char *name, unsigned len);
/* Bit mask of the scenarios of a group named so, or 0. */
uint32_t catalog_group_mask(const char *name, unsigned len);

#endif
