/* Group guest: guest<G>_host<H>. The guest goes from the reset vector to
 * long mode with G-level paging through tables whose root serves both
 * depths: GVA_DUAL_DEPTH reaches a page holding 4 by a 4-level walk and one
 * holding 5 by a 5-level walk; the guest reports what it read. Model: G
 * (AMD APM vol. 2, 5.3 "Long-Mode Page Translation": CR4.LA57 selects
 * 5-level paging). The long-mode guest is shared with group gptfault. */
#include "scenario.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

#define GUEST_LEAF_FLAGS (PTE_P | PTE_W)

int scenario_guest_map(struct scenario *s, uint64_t root, int levels, uint64_t va, uint64_t gpa)
{
    struct pt_space g = guest_table_space(&s->mem);
    return pt_map(&g, root, levels, va, gpa, GUEST_LEAF_FLAGS) == PT_MAPPED;
}

uint64_t scenario_longmode_guest(struct scenario *s, uint64_t read_va, int first, int last)
{
    struct pt_space g = guest_table_space(&s->mem);
    uint64_t root = g.alloc_table(g.ctx);
    struct guest_params params = scenario_params(s);
    params.cr3 = (uint32_t)root;
    params.cr4 = (uint32_t)(CR4_PAE | CR4_MCE | (s->desc->guest == 5 ? CR4_LA57 : 0));
    params.read_va = read_va;
    if (!root || !scenario_code_page(s, guest_longmode_image, params))
        return 0;
    for (int depth = first; depth <= last; depth++)
        if (!scenario_guest_map(s, root, depth, GPA_CODE_PAGE, GPA_CODE_PAGE))
            return 0;
    return root;
}

enum result scenario_build_error(struct scenario *s)
{
    fmt_snprintf(s->reason, sizeof s->reason, "could not build guest memory and tables");
    return RESULT_ERROR;
}

int scenario_value_page(struct scenario *s, uint64_t gpa, const char *what, uint32_t value)
{
    struct guest_page *p = guest_mem_add(&s->mem, gpa, what);
    if (!p)
        return 0;
    *(uint32_t *)pool_ptr(s->pool, p->hpa) = value;
    return 1;
}

enum result scenario_guest(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    uint64_t root = scenario_longmode_guest(s, GVA_DUAL_DEPTH, 4, 5);
    if (!root || !scenario_value_page(s, GPA_DEPTH4_PAGE, "depth-4 data", 4) ||
        !scenario_value_page(s, GPA_DEPTH5_PAGE, "depth-5 data", 5))
        return scenario_build_error(s);
    for (int depth = 4; depth <= 5; depth++)
        if (!scenario_guest_map(s, root, depth, GVA_DUAL_DEPTH,
                       depth == 4 ? GPA_DEPTH4_PAGE : GPA_DEPTH5_PAGE))
            return scenario_build_error(s);
    if (npt_map_all(&s->mem, s->ncr3, d->npt) != PT_MAPPED)
        return scenario_build_error(s);
    scenario_setup(s, "%s: host=%d npt=%d ncr3=0x%016lx guest=%d-level cr3=0x%lx", d->name,
                   d->host, d->npt, s->ncr3, d->guest, root);

    struct run_result r;
    scenario_run(s, 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    if (r.outcome != RUN_VMMCALL)
        res = scenario_expected(s, "VMMCALL", run_outcome_name(r.outcome));
    else if ((uint32_t)r.rax != VMMCALL_MARKER)
        res = scenario_mismatch(s, "VMMCALL marker in RAX", VMMCALL_MARKER, (uint32_t)r.rax);
    else if (r.rbx != d->guest)
        res = scenario_mismatch(s, "guest levels walked", d->guest, r.rbx);
    /* the verdict restates RBX: the VMMCALL line is evidence, not the answer */
    if (scenario_show_evidence(s, res)) {
        if (r.outcome == RUN_VMMCALL)
            diag("vmmcall: rax=0x%08lx rbx=%lu (read at 0x%08x)", r.rax, r.rbx, GVA_DUAL_DEPTH);
        scenario_print_walks(s, "gwalk", root, GVA_DUAL_DEPTH, 0);
        if (r.outcome == RUN_NPF)
            scenario_print_walks(s, "walk", s->ncr3, r.exitinfo2, 1);
    }
    if (r.outcome == RUN_VMMCALL && (uint32_t)r.rax == VMMCALL_MARKER)
        diag("verdict: guest walked %lu levels (model: %d)", r.rbx, d->guest);
    return scenario_finish(s, res);
}
