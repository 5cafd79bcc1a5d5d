#include "run.h"

#include "bench.h"
#include "scenario.h"
#include "../kernel/host_paging.h"
#include "../kernel/report.h"
#include "../kernel/selftest.h"

#define POOL_PAGES 256

static uint8_t pool_memory[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vmcb guest_vmcb __attribute__((aligned(PAGE_SIZE)));

/* bench=on measures on a 4-level host with a 4-level NPT */
static const struct scenario_desc bench_desc = { "bench", GROUP_RESET, 4, 4, 0, FILL_PREBUILT };

typedef enum result (*scenario_fn)(struct scenario *s);
static const scenario_fn group_runner[GROUP_COUNT] = {
    [GROUP_RESET] = scenario_reset,
    [GROUP_PROBE] = scenario_probe,
    [GROUP_GUEST] = scenario_guest,
    [GROUP_GPTFAULT] = scenario_gptfault,
};

static unsigned count_bits(uint32_t mask)
{
    unsigned n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

static const char *missing(const struct svm_caps *caps, const struct scenario_desc *d)
{
    return svm_caps_missing(caps, d->host == 5 || d->guest == 5);
}

void run_selected(const struct config *cfg, const struct svm_caps *caps)
{
    static struct page_pool pool;
    uint32_t selected = config_selected(cfg);
    int svm_on = 0, tripped = 0;

    pool_init(&pool, pool_memory, (uint64_t)pool_memory, POOL_PAGES);
    ktap_plan(&report, count_bits(selected));
    for (int i = 0; i < SCENARIO_COUNT; i++) {
        if (!(selected & (1u << i)))
            continue;
        const struct scenario_desc *d = &scenario_catalog[i];
        const char *why_not = missing(caps, d);
        if (why_not) {
            ktap_result(&report, d->name, RESULT_SKIP, why_not);
            continue;
        }
        report_set_current(d->name);
        if (!tripped && cfg->selftest != SELFTEST_NONE && cfg->selftest != SELFTEST_GUEST_HANG) {
            diag("selftest: tripping a kernel exception in %s", d->name);
            selftest_trip(cfg->selftest);
        }
        if (!svm_on)
            svm_on = !svm_enable();
        struct scenario s = {
            .desc = d,
            .cfg = cfg,
            .hang = !tripped && cfg->selftest == SELFTEST_GUEST_HANG,
            .pool = &pool,
            .vcpu = { .vmcb = &guest_vmcb },
        };
        if (s.hang)
            diag("selftest: the guest of %s spins without exiting", d->name);
        tripped = 1;
        enum result r = group_runner[d->group](&s);
        ktap_result(&report, d->name, r, s.reason);
        report_set_current(0);
    }
    if (cfg->bench) {
        struct scenario s = { .desc = &bench_desc, .cfg = cfg, .pool = &pool,
                              .vcpu = { .vmcb = &guest_vmcb } };
        if (!svm_on && !svm_caps_missing(caps, 0))
            svm_enable();
        bench_run(&s, caps);
    }
    host_paging_set(4);
}
