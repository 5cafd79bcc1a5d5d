/* Scenario sets for the unit tests, built from catalog names (not from the
 * parser under test): by name, by name pattern, or as old-style masks of
 * the first 32 catalog entries. */
#ifndef SVMTEST_TEST_SETS_H
#define SVMTEST_TEST_SETS_H

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "svm/catalog.h"

/* Every scenario whose name starts with prefix and ends with suffix. */
static inline struct scenario_set set_named(const char *prefix, const char *suffix)
{
    struct scenario_set s = { { 0 } };
    for (unsigned i = 0; i < SCENARIO_COUNT; i++) {
        const char *n = scenario_catalog[i].name;
        size_t nl = strlen(n), pl = strlen(prefix), sl = strlen(suffix);
        if (nl >= pl + sl && !strncmp(n, prefix, pl) && !strcmp(n + nl - sl, suffix))
            sset_add(&s, i);
    }
    return s;
}

/* Bit i of mask: catalog scenario i (the first 32 only). */
static inline struct scenario_set set_mask(uint32_t mask)
{
    struct scenario_set s = { { 0 } };
    for (unsigned i = 0; i < 32; i++)
        if (mask & (1u << i))
            sset_add(&s, i);
    return s;
}

static inline struct scenario_set set_union(struct scenario_set a, struct scenario_set b)
{
    sset_or(&a, &b);
    return a;
}

static inline void set_text(const struct scenario_set *s, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int w = SCENARIO_SET_WORDS - 1; w >= 0 && n < size; w--)
        n += (size_t)snprintf(buf + n, size - n, "%s%016llx", n ? ":" : "",
                              (unsigned long long)s->w[w]);
}

#define CHECK_SET(a, b)                                                        \
    do {                                                                       \
        struct scenario_set a_ = (a), b_ = (b);                                \
        char at_[80], bt_[80];                                                 \
        set_text(&a_, at_, sizeof at_);                                        \
        set_text(&b_, bt_, sizeof bt_);                                        \
        CHECK_AT(__FILE__, __LINE__, sset_equal(&a_, &b_), "%s == %s (%s vs %s)", #a, #b, \
                 at_, bt_);                                                    \
    } while (0)

#endif
