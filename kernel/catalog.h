/* The scenario catalog: names, groups and parameters, in run order. Pure
 * data shared by the command-line parser, the reporter and svm/. */
#ifndef SVMTEST_CATALOG_H
#define SVMTEST_CATALOG_H

#include <stdint.h>

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

/* A set of catalog scenarios (the catalog outgrew a 32-bit mask). */
#define SCENARIO_SET_WORDS ((SCENARIO_COUNT + 63) / 64)
struct scenario_set {
    uint64_t w[SCENARIO_SET_WORDS];
};

static inline int sset_has(const struct scenario_set *s, unsigned i)
{
    return i < SCENARIO_COUNT && ((s->w[i / 64] >> (i % 64)) & 1);
}
static inline void sset_add(struct scenario_set *s, unsigned i)
{
    if (i < SCENARIO_COUNT)
        s->w[i / 64] |= 1ull << (i % 64);
}
static inline void sset_remove(struct scenario_set *s, unsigned i)
{
    if (i < SCENARIO_COUNT)
        s->w[i / 64] &= ~(1ull << (i % 64));
}
static inline void sset_or(struct scenario_set *s, const struct scenario_set *o)
{
    for (unsigned i = 0; i < SCENARIO_SET_WORDS; i++)
        s->w[i] |= o->w[i];
}
static inline int sset_equal(const struct scenario_set *a, const struct scenario_set *b)
{
    for (unsigned i = 0; i < SCENARIO_SET_WORDS; i++)
        if (a->w[i] != b->w[i])
            return 0;
    return 1;
}
static inline unsigned sset_count(const struct scenario_set *s)
{
    unsigned n = 0;
    for (unsigned i = 0; i < SCENARIO_COUNT; i++)
        n += (unsigned)sset_has(s, i);
    return n;
}
static inline int sset_empty(const struct scenario_set *s)
{
    return sset_count(s) == 0;
}
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

#endif
