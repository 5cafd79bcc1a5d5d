/* Group probe: probe_host<H>. One NPT root serves both depths: a 4-level
 * walk of GPA 0xfffff000 reaches one code page, a 5-level walk another, and
 * each reports its own depth by VMMCALL. The answer needs no inference.
 * Model: the CPU walks H levels. */
#include "scenario.h"

#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

enum result scenario_probe(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    struct pt_space npt = pool_space(s->pool);
    for (int depth = 4; depth <= 5; depth++) {
        struct guest_params params = scenario_params(s);
        params.report_value = (uint32_t)depth;
        uint64_t hpa = scenario_loose_code_page(s, guest_realmode_image, params);
        if (!hpa || pt_map(&npt, s->ncr3, depth, GPA_CODE_PAGE, hpa, PTE_NPT_FLAGS) != PT_MAPPED) {
            fmt_snprintf(s->reason, sizeof s->reason, "could not build the dual-depth NPT");
            return RESULT_ERROR;
        }
        scenario_setup(s, "%s: code page reporting %d at hpa=0x%016lx", d->name, depth, hpa);
    }
    scenario_setup(s, "%s: host=%d npt=4+5 ncr3=0x%016lx guest=reset-vector", d->name, d->host,
                   s->ncr3);

    struct run_result r;
    scenario_run(s, 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    if (r.outcome != RUN_VMMCALL)
        res = scenario_expected(s, "VMMCALL from one of the code pages",
                                run_outcome_name(r.outcome));
    else if ((uint32_t)r.rax != VMMCALL_MARKER)
        res = scenario_mismatch(s, "VMMCALL marker in RAX", VMMCALL_MARKER, (uint32_t)r.rax);
    else if (r.rbx != (uint64_t)d->host)
        res = scenario_mismatch(s, "levels walked", (uint64_t)d->host, r.rbx);
    /* the verdict restates RBX: the VMMCALL line is evidence, not the answer */
    if (scenario_show_evidence(s, res)) {
        if (r.outcome == RUN_VMMCALL)
            diag("vmmcall: rax=0x%08lx rbx=%lu", r.rax, r.rbx);
        scenario_print_walks(s, "walk", s->ncr3, GPA_CODE_PAGE, 1);
    }
    if (r.outcome == RUN_VMMCALL && (uint32_t)r.rax == VMMCALL_MARKER)
        diag("verdict: CPU walked %lu levels (model: %d)", r.rbx, d->host);
    return scenario_finish(s, res);
}
