/* Group gptfault: gptfault<G>_l<k>_host<H>. A long-mode guest with G-level
 * paging reads GVA_GPTFAULT_READ(G), whose tables below the root are its
 * own; the page holding the guest's level-k table on that walk (k = G: the
 * root guest CR3 names, which every access walks) is left out of the NPT.
 * Model (AMD APM vol. 2, 15.25.6 "Nested versus Guest Page Faults, Fault
 * Ordering"): the guest's own walk takes the #NPF: EXITINFO1 bit 33 (a
 * guest page-table access), not present, EXITINFO2 in that table page. */
#include "scenario.h"

#include "gptfault_model.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

enum result scenario_gptfault(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    uint64_t va = GVA_GPTFAULT_READ(d->guest);
    uint64_t root = scenario_longmode_guest(s, va, d->guest, d->guest);
    if (!root || !scenario_value_page(s, GPA_READ_PAGE, "read target", 0) ||
        !scenario_guest_map(s, root, d->guest, va, GPA_READ_PAGE))
        return scenario_build_error(s);

    struct pt_space g = guest_table_space(&s->mem);
    struct pt_walk w;
    pt_walk(&g, root, d->guest, va, &w);
    uint64_t table = pt_walk_table(&w, root, d->level);
    struct guest_page *left_out = guest_mem_find(&s->mem, table);
    if (w.status != PT_WALK_OK || !table || !left_out)
        return scenario_build_error(s);
    left_out->in_npt = 0;
    if (npt_map_all(&s->mem, s->ncr3, d->npt) != PT_MAPPED)
        return scenario_build_error(s);
    scenario_setup(s, "%s: host=%d npt=%d ncr3=0x%016lx guest=%d-level cr3=0x%lx read=0x%lx "
                   "unbacked-table=0x%lx (level %d)", d->name, d->host, d->npt, s->ncr3,
                   d->guest, root, va, table, d->level);

    struct run_result r;
    scenario_run(s, 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    int npf = r.outcome == RUN_NPF;
    int walk_fault = (r.exitinfo1 & NPF_PAGE_TABLE_WALK) != 0;
    uint64_t page = r.exitinfo2 & ~(uint64_t)(PAGE_SIZE - 1);
    if (!npf) {
        res = scenario_expected(s, "#NPF during the guest's page-table walk",
                                run_outcome_name(r.outcome));
    } else {
        switch (gptfault_compare(r.exitinfo1, r.exitinfo2, table)) {
        case GPTFAULT_MATCH:
            break;
        case GPTFAULT_NOT_WALK:
            res = scenario_mismatch(s, "EXITINFO1 bit 33 (page-table walk)", NPF_PAGE_TABLE_WALK,
                                    r.exitinfo1 & NPF_PAGE_TABLE_WALK);
            break;
        case GPTFAULT_PRESENT:
            res = scenario_mismatch(s, "EXITINFO1 present bit", 0, NPF_PRESENT);
            break;
        case GPTFAULT_OTHER_PAGE:
            res = scenario_mismatch(s, "EXITINFO2 page (the left-out table)", table, page);
            break;
        }
    }
    if (scenario_show_evidence(s, res)) {
        scenario_print_walks(s, "gwalk", root, va, 0);
        if (npf)
            scenario_print_walks(s, "walk", s->ncr3, r.exitinfo2, 1);
        if (npf)
            diag("verdict: #NPF %s the guest's page-table walk at 0x%lx, table page 0x%lx "
                 "(model: during, the level-%d table 0x%lx)", walk_fault ? "during" : "outside",
                 r.exitinfo2, page, d->level, table);
    }
    return scenario_finish(s, res);
}
