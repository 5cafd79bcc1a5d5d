#include "catalog.h"

#define RESET(h, n, f, fname) \
    { "host" #h "_npt" #n "_" fname, GROUP_RESET, h, n, 0, f }

const struct scenario_desc scenario_catalog[SCENARIO_COUNT] = {
    RESET(4, 4, FILL_PREBUILT, "prebuilt"),
    RESET(4, 4, FILL_DEMAND, "demand"),
    RESET(4, 5, FILL_PREBUILT, "prebuilt"),
    RESET(4, 5, FILL_DEMAND, "demand"),
    RESET(5, 4, FILL_PREBUILT, "prebuilt"),
    RESET(5, 4, FILL_DEMAND, "demand"),
    RESET(5, 5, FILL_PREBUILT, "prebuilt"),
    RESET(5, 5, FILL_DEMAND, "demand"),
    { "probe_host4", GROUP_PROBE, 4, 4, 0, FILL_NONE },
    { "probe_host5", GROUP_PROBE, 5, 5, 0, FILL_NONE },
    { "guest4_host4", GROUP_GUEST, 4, 4, 4, FILL_NONE },
    { "guest4_host5", GROUP_GUEST, 5, 5, 4, FILL_NONE },
    { "guest5_host4", GROUP_GUEST, 4, 4, 5, FILL_NONE },
    { "guest5_host5", GROUP_GUEST, 5, 5, 5, FILL_NONE },
    { "gptfault_host4", GROUP_GPTFAULT, 4, 4, 4, FILL_NONE },
    { "gptfault_host5", GROUP_GPTFAULT, 5, 5, 4, FILL_NONE },
    { "all_cpus", GROUP_CPUS, 0, 0, 0, FILL_NONE },
};

const char *const group_names[GROUP_COUNT] = { "reset", "probe", "guest", "gptfault", "cpus" };

static int same(const char *a, const char *b, unsigned blen)
{
    unsigned i = 0;
    for (; i < blen; i++)
        if (a[i] != b[i])
            return 0;
    return a[i] == '\0';
}

int catalog_find(const char *name, unsigned len)
{
    for (int i = 0; i < SCENARIO_COUNT; i++)
        if (same(scenario_catalog[i].name, name, len))
            return i;
    return -1;
}

uint32_t catalog_group_mask(const char *name, unsigned len)
{
    for (int g = 0; g < GROUP_COUNT; g++) {
        if (!same(group_names[g], name, len))
            continue;
        uint32_t mask = 0;
        for (int i = 0; i < SCENARIO_COUNT; i++)
            if (scenario_catalog[i].group == (enum group)g)
                mask |= 1u << i;
        return mask;
    }
    return 0;
}
