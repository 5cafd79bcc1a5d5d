#include "run.h"

#include "cpu.h"
#include "host_paging.h"
#include "report.h"
#include "selftest.h"

static volatile uint64_t probe_word;

static enum result host_paging_check(const char **reason)
{
    static const int sequence[] = { 4, 5, 4, 5, 4 };
    if (!host_paging_la57_supported()) {
        *reason = "CPU has no LA57";
        return RESULT_SKIP;
    }
    for (unsigned i = 0; i < sizeof sequence / sizeof sequence[0]; i++) {
        int depth = sequence[i];
        if (host_paging_set(depth)) {
            diag("host_paging: switch to %d levels refused", depth);
            return RESULT_FAIL;
        }
        int la57 = (read_cr4() & CR4_LA57) != 0;
        probe_word = 0x5a5a0000u + i;
        int touched = probe_word == 0x5a5a0000u + i;
        diag("host_paging: depth=%d cr4.la57=%d memory=%s", depth, la57, touched ? "ok" : "bad");
        if (la57 != (depth == 5) || !touched)
            return RESULT_FAIL;
    }
    return RESULT_PASS;
}

void run_selected(const struct config *cfg, const struct svm_caps *caps)
{
    (void)caps;
    const char *reason = 0;
    ktap_plan(&report, 1);
    report_set_current("host_paging");
    selftest_trip(cfg->selftest);
    enum result r = host_paging_check(&reason);
    report_set_current(0);
    ktap_result(&report, "host_paging", r, reason);
}
