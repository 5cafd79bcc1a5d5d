#include "catalog.h"

#define RESET(h, n, f, fname) \
    { "host" #h "_npt" #n "_" fname, GROUP_RESET, h, n, 0, f, 0, BIT_NONE }
/* gptfault<G>_l<k>_host<H>: guest paging G, the guest's level-k table left
 * out of the NPT, host (and NPT) depth H */
#define GPTFAULT(g, k, h) \
    { "gptfault" #g "_l" #k "_host" #h, GROUP_GPTFAULT, h, h, g, FILL_NONE, k, BIT_NONE }
#define GPTFAULT_LEVEL(g, k) GPTFAULT(g, k, 4), GPTFAULT(g, k, 5)
/* bits<D>_l<k>_<bit>: host and NPT depth D, one bit of the level-k entry */
#define BIT(d, k, bit, bname) \
    { "bits" #d "_l" #k "_" bname, GROUP_BITS, d, d, 0, FILL_NONE, k, bit }
#define BITS_LEVEL(d, k) \
    BIT(d, k, BIT_NX, "nx"), BIT(d, k, BIT_USER, "user"), BIT(d, k, BIT_WRITE, "write"), \
    BIT(d, k, BIT_RSVD, "rsvd")
#define BITS_LEAVES(d) \
    { "bits" #d "_2m", GROUP_BITS, d, d, 0, FILL_NONE, 2, BIT_LEAF_2M }, \
    { "bits" #d "_1g", GROUP_BITS, d, d, 0, FILL_NONE, 3, BIT_LEAF_1G }, \
    { "bits" #d "_ad", GROUP_BITS, d, d, 0, FILL_NONE, 0, BIT_AD }

const struct scenario_desc scenario_catalog[] = {
    RESET(4, 4, FILL_PREBUILT, "prebuilt"),
    RESET(4, 4, FILL_DEMAND, "demand"),
    RESET(4, 5, FILL_PREBUILT, "prebuilt"),
    RESET(4, 5, FILL_DEMAND, "demand"),
    RESET(5, 4, FILL_PREBUILT, "prebuilt"),
    RESET(5, 4, FILL_DEMAND, "demand"),
    RESET(5, 5, FILL_PREBUILT, "prebuilt"),
    RESET(5, 5, FILL_DEMAND, "demand"),
    { "probe_host4", GROUP_PROBE, 4, 4, 0, FILL_NONE, 0, BIT_NONE },
    { "probe_host5", GROUP_PROBE, 5, 5, 0, FILL_NONE, 0, BIT_NONE },
    { "guest4_host4", GROUP_GUEST, 4, 4, 4, FILL_NONE, 0, BIT_NONE },
    { "guest4_host5", GROUP_GUEST, 5, 5, 4, FILL_NONE, 0, BIT_NONE },
    { "guest5_host4", GROUP_GUEST, 4, 4, 5, FILL_NONE, 0, BIT_NONE },
    { "guest5_host5", GROUP_GUEST, 5, 5, 5, FILL_NONE, 0, BIT_NONE },
    GPTFAULT_LEVEL(4, 4), GPTFAULT_LEVEL(4, 3), GPTFAULT_LEVEL(4, 2), GPTFAULT_LEVEL(4, 1),
    GPTFAULT_LEVEL(5, 5), GPTFAULT_LEVEL(5, 4), GPTFAULT_LEVEL(5, 3), GPTFAULT_LEVEL(5, 2),
    GPTFAULT_LEVEL(5, 1),
    BITS_LEVEL(4, 4), BITS_LEVEL(4, 3), BITS_LEVEL(4, 2), BITS_LEVEL(4, 1), BITS_LEAVES(4),
    BITS_LEVEL(5, 5), BITS_LEVEL(5, 4), BITS_LEVEL(5, 3), BITS_LEVEL(5, 2), BITS_LEVEL(5, 1),
    BITS_LEAVES(5),
    { "all_cpus", GROUP_CPUS, 0, 0, 0, FILL_NONE, 0, BIT_NONE },
};

const char *const group_names[GROUP_COUNT] = { "reset", "probe", "guest", "gptfault", "bits",
                                               "cpus" };

struct scenario_set sset_all(void)
{
    struct scenario_set s = { { 0 } };
    for (unsigned i = 0; i < SCENARIO_COUNT; i++)
        sset_add(&s, i);
    return s;
}

struct scenario_set sset_matrix(void)
{
    struct scenario_set s = { { 0 } };
    for (unsigned i = 0; i < SCENARIO_COUNT; i++)
        if (scenario_catalog[i].group != GROUP_CPUS)
            sset_add(&s, i);
    return s;
}

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

int catalog_group_set(const char *name, unsigned len, struct scenario_set *out)
{
    *out = (struct scenario_set){ { 0 } };
    unsigned depth = 0;
    /* "bits4"/"bits5": group bits at one depth */
    if (len >= 1 && (name[len - 1] == '4' || name[len - 1] == '5') && same("bits", name, len - 1)) {
        depth = (unsigned)(name[len - 1] - '0');
        len--;
    }
    for (int g = 0; g < GROUP_COUNT; g++) {
        if (!same(group_names[g], name, len))
            continue;
        for (unsigned i = 0; i < SCENARIO_COUNT; i++)
            if (scenario_catalog[i].group == (enum group)g &&
                (!depth || scenario_catalog[i].host == depth))
                sset_add(out, i);
        return 1;
    }
    return 0;
}

static int depth_bit(uint8_t depth)
{
    return depth == 5 ? DEPTH_5 : DEPTH_4;
}

struct scenario_set catalog_selected(const struct config *cfg)
{
    struct scenario_set set = { { 0 } };
    for (unsigned i = 0; i < SCENARIO_COUNT; i++) {
        const struct scenario_desc *s = &scenario_catalog[i];
        if (!sset_has(&cfg->only, i))
            continue;
        if (s->group == GROUP_CPUS) {   /* the other CPUs run groups 1-5 as filtered */
            sset_add(&set, i);
            continue;
        }
        if (!(cfg->host & depth_bit(s->host)))
            continue;
        if ((s->group == GROUP_RESET || s->group == GROUP_BITS) &&
            !(cfg->npt & depth_bit(s->npt)))
            continue;
        if (s->group == GROUP_RESET) {
            if (!(cfg->fill & (s->fill == FILL_DEMAND ? FILL_MASK_DEMAND : FILL_MASK_PREBUILT)))
                continue;
        }
        if ((s->group == GROUP_GUEST || s->group == GROUP_GPTFAULT) &&
            !(cfg->guest & depth_bit(s->guest)))
            continue;
        sset_add(&set, i);
    }
    return set;
}

int catalog_lookup(const char *name, unsigned len, struct scenario_set *out)
{
    int idx = catalog_find(name, len);
    *out = (struct scenario_set){ { 0 } };
    if (idx >= 0) {
        sset_add(out, (unsigned)idx);
        return 1;
    }
    if (same("all", name, len)) {
        *out = sset_all();
        return 1;
    }
    return catalog_group_set(name, len, out);
}

const struct config_names catalog_names = { catalog_lookup, catalog_selected };

_Static_assert(sizeof scenario_catalog / sizeof scenario_catalog[0] == SCENARIO_COUNT,
               "SCENARIO_COUNT counts the catalog");
