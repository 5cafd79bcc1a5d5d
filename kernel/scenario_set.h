/* A set of scenarios by their index in the catalog (svm/catalog.h, which
 * owns the table; kernel/config.h only carries sets of it). */
#ifndef SVMTEST_SCENARIO_SET_H
#define SVMTEST_SCENARIO_SET_H

#include <stdint.h>

#define SCENARIO_SET_MAX 128   /* indices 0..127; the catalog checks it fits */
#define SCENARIO_SET_WORDS (SCENARIO_SET_MAX / 64)
struct scenario_set {
    uint64_t w[SCENARIO_SET_WORDS];
};

static inline int sset_has(const struct scenario_set *s, unsigned i)
{
    return i < SCENARIO_SET_MAX && ((s->w[i / 64] >> (i % 64)) & 1);
}
static inline void sset_add(struct scenario_set *s, unsigned i)
{
    if (i < SCENARIO_SET_MAX)
        s->w[i / 64] |= 1ull << (i % 64);
}
static inline void sset_remove(struct scenario_set *s, unsigned i)
{
    if (i < SCENARIO_SET_MAX)
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
    for (unsigned i = 0; i < SCENARIO_SET_MAX; i++)
        n += (unsigned)sset_has(s, i);
    return n;
}
static inline int sset_empty(const struct scenario_set *s)
{
    return sset_count(s) == 0;
}

#endif
