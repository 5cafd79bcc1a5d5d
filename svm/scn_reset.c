/* Group reset: host<H>_npt<N>_<fill>. A guest at the reset vector, NPT of
 * depth N built before VMRUN (prebuilt) or page by page in the #NPF handler
 * (demand, as KVM's MMU does). Model: the CPU walks H levels, so N == H runs
 * to VMMCALL and N != H takes a not-present #NPF at the first fetch. */
#include "scenario.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

/* The #NPF of a depth mismatch: the fetch at the reset vector, final
 * translation, user (nested walks are user accesses), not present; the I/D
 * bit is reported when the host has EFER.NXE=1, as svmtest's host does. */
static uint64_t expected_mismatch_exitinfo1(void)
{
    uint64_t fetch = (rdmsr(MSR_EFER) & EFER_NXE) ? NPF_FETCH : 0;
    return NPF_FINAL_TRANSLATION | NPF_USER | fetch;
}

static int demand_fill(void *ctx, uint64_t gpa, uint64_t exitinfo1)
{
    struct scenario *s = ctx;
    (void)exitinfo1;
    struct guest_page *p = guest_mem_find(&s->mem, gpa);
    if (!p)
        return 0;   /* not a guest page: nothing to fill */
    enum pt_map_status st = npt_map_page(s->pool, s->ncr3, s->desc->npt, p);
    return st == PT_MAPPED || st == PT_ALREADY_MAPPED;
}

static enum result judge_mismatch(struct scenario *s, const struct run_result *r)
{
    int demand = s->desc->fill == FILL_DEMAND;
    enum run_outcome want = demand ? RUN_STORM : RUN_NPF;
    if (r->outcome != want)
        return scenario_expected(s, run_outcome_name(want), run_outcome_name(r->outcome));
    if (r->exitinfo2 != GPA_RESET_FETCH)
        return scenario_mismatch(s, "#NPF EXITINFO2 (gpa)", GPA_RESET_FETCH, r->exitinfo2);
    if (r->exitinfo1 != expected_mismatch_exitinfo1())
        return scenario_mismatch(s, "#NPF EXITINFO1", expected_mismatch_exitinfo1(), r->exitinfo1);
    if (demand && r->npf_repeats != s->cfg->npf_limit)
        return scenario_mismatch(s, "identical #NPFs in the storm", s->cfg->npf_limit,
                                 r->npf_repeats);
    return RESULT_PASS;
}

static enum result judge_match(struct scenario *s, const struct run_result *r,
                               const volatile uint32_t *data)
{
    if (r->outcome != RUN_VMMCALL)
        return scenario_expected(s, "VMMCALL", run_outcome_name(r->outcome));
    if ((uint32_t)r->rax != VMMCALL_MARKER)
        return scenario_mismatch(s, "VMMCALL marker in RAX", VMMCALL_MARKER, (uint32_t)r->rax);
    if (*data != DATA_MARKER)
        return scenario_mismatch(s, "data page marker", DATA_MARKER, *data);
    if (s->desc->fill == FILL_PREBUILT && r->npf_count)
        return scenario_mismatch(s, "#NPFs with a prebuilt NPT", 0, r->npf_count);
    return RESULT_PASS;
}

enum result scenario_reset(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    struct guest_params params = scenario_params(s);
    params.data_gpa = GPA_DATA_PAGE;
    params.data_marker = DATA_MARKER;
    struct guest_page *data = guest_mem_add(&s->mem, GPA_DATA_PAGE, "data");
    if (!scenario_code_page(s, guest_realmode_image, params) || !data) {
        fmt_snprintf(s->reason, sizeof s->reason, "out of pages for guest memory");
        return RESULT_ERROR;
    }
    if (d->fill == FILL_PREBUILT && npt_map_all(&s->mem, s->ncr3, d->npt) != PT_MAPPED) {
        fmt_snprintf(s->reason, sizeof s->reason, "could not build the NPT");
        return RESULT_ERROR;
    }
    /* the fill mode is in the name; the line is the one the contract shows */
    scenario_setup(s, "%s: host=%d npt=%d ncr3=0x%016lx guest=reset-vector", d->name, d->host,
                   d->npt, s->ncr3);

    struct run_result r;
    scenario_run(s, d->fill == FILL_DEMAND ? demand_fill : 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    if (r.outcome == RUN_STORM)
        diag("npf: same fault %u times: storm", r.npf_repeats);

    const volatile uint32_t *marker = pool_ptr(s->pool, data->hpa);
    if (r.outcome == RUN_VMMCALL)
        diag("vmmcall: rax=0x%08lx data[0x%lx]=0x%08x after %u #NPF", r.rax, GPA_DATA_PAGE,
             *marker, r.npf_count);
    uint64_t gpa = r.outcome == RUN_VMMCALL ? GPA_RESET_FETCH : r.exitinfo2;
    int walked = r.outcome == RUN_VMMCALL ? d->npt
               : (r.exitinfo1 & NPF_PRESENT) ? 0 : scenario_depth_explaining_npf(s, gpa);
    res = d->npt == d->host ? judge_match(s, &r, marker) : judge_mismatch(s, &r);
    if (res == RESULT_PASS && walked != d->host)
        res = scenario_mismatch(s, "levels walked", (uint64_t)d->host, (uint64_t)walked);

    if (scenario_show_evidence(s, res))
        scenario_print_walks(s, "walk", s->ncr3, gpa, 1);
    if (walked)
        diag("verdict: CPU walked %d levels, NPT has %d (model: %d)", walked, d->npt, d->host);
    else
        diag("verdict: no single NPT depth explains what the CPU did, NPT has %d (model: %d)",
             d->npt, d->host);
    return scenario_finish(s, res);
}
