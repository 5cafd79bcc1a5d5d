/* Group guest: guest<G>_host<H>. The guest goes from the reset vector to
 * long mode with G-level paging through tables whose root serves both
 * depths: GVA_DUAL_DEPTH reaches a page holding 4 by a 4-level walk and one
 * holding 5 by a 5-level walk; the guest reports what it read. Model: G.
 * Group gptfault: gptfault_host<H>. The guest's last-level table for
 * GVA_UNBACKED_TABLE is left out of the NPT, so its own walk takes the #NPF:
 * EXITINFO1 bit 33, not present, EXITINFO2 in that table page. */
#include "scenario.h"

#include "../kernel/cpu.h"
#include "../kernel/fmt.h"
#include "../kernel/report.h"

#define GUEST_LEAF_FLAGS (PTE_P | PTE_W)

static int guest_map(struct scenario *s, uint64_t root, int levels, uint64_t va, uint64_t gpa)
{
    struct pt_space g = guest_table_space(&s->mem);
    return pt_map(&g, root, levels, va, gpa, GUEST_LEAF_FLAGS) == PT_MAPPED;
}

/* The long-mode guest: its code page (paging depth from the scenario, read
 * address read_va) and a fresh page-table root mapping the code page at
 * itself for walks of depths first..last. Returns the root's GPA, or 0. */
static uint64_t longmode_guest(struct scenario *s, uint32_t read_va, int first, int last)
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
        if (!guest_map(s, root, depth, GPA_CODE_PAGE, GPA_CODE_PAGE))
            return 0;
    return root;
}

static enum result build_error(struct scenario *s)
{
    fmt_snprintf(s->reason, sizeof s->reason, "could not build guest memory and tables");
    return RESULT_ERROR;
}

static int add_value_page(struct scenario *s, uint64_t gpa, const char *what, uint32_t value)
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
    uint64_t root = longmode_guest(s, GVA_DUAL_DEPTH, 4, 5);
    if (!root || !add_value_page(s, GPA_DEPTH4_PAGE, "depth-4 data", 4) ||
        !add_value_page(s, GPA_DEPTH5_PAGE, "depth-5 data", 5))
        return build_error(s);
    for (int depth = 4; depth <= 5; depth++)
        if (!guest_map(s, root, depth, GVA_DUAL_DEPTH,
                       depth == 4 ? GPA_DEPTH4_PAGE : GPA_DEPTH5_PAGE))
            return build_error(s);
    if (npt_map_all(&s->mem, s->ncr3, d->npt) != PT_MAPPED)
        return build_error(s);
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

enum result scenario_gptfault(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    uint64_t root = longmode_guest(s, GVA_UNBACKED_TABLE, d->guest, d->guest);
    if (!root || !add_value_page(s, GPA_READ_PAGE, "read target", 0) ||
        !guest_map(s, root, d->guest, GVA_UNBACKED_TABLE, GPA_READ_PAGE))
        return build_error(s);

    /* leave the last-level table of GVA_UNBACKED_TABLE out of the NPT */
    struct pt_space g = guest_table_space(&s->mem);
    struct pt_walk w;
    pt_walk(&g, root, d->guest, GVA_UNBACKED_TABLE, &w);
    uint64_t table = w.step[w.steps - 2].entry & PTE_ADDR_MASK;
    struct guest_page *left_out = guest_mem_find(&s->mem, table);
    if (w.status != PT_WALK_OK || !left_out)
        return build_error(s);
    left_out->in_npt = 0;
    if (npt_map_all(&s->mem, s->ncr3, d->npt) != PT_MAPPED)
        return build_error(s);
    scenario_setup(s, "%s: host=%d npt=%d ncr3=0x%016lx guest=%d-level cr3=0x%lx "
                   "unbacked-table=0x%lx", d->name, d->host, d->npt, s->ncr3, d->guest, root,
                   table);

    struct run_result r;
    scenario_run(s, 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    int npf = r.outcome == RUN_NPF;
    int walk_fault = (r.exitinfo1 & NPF_PAGE_TABLE_WALK) != 0;
    uint64_t page = r.exitinfo2 & ~(uint64_t)(PAGE_SIZE - 1);
    if (!npf)
        res = scenario_expected(s, "#NPF during the guest's page-table walk",
                                run_outcome_name(r.outcome));
    else if (!walk_fault)
        res = scenario_mismatch(s, "EXITINFO1 bit 33 (page-table walk)", NPF_PAGE_TABLE_WALK,
                                r.exitinfo1 & NPF_PAGE_TABLE_WALK);
    else if (r.exitinfo1 & NPF_PRESENT)
        res = scenario_mismatch(s, "EXITINFO1 present bit", 0, NPF_PRESENT);
    else if (page != table)
        res = scenario_mismatch(s, "EXITINFO2 page (the left-out table)", table, page);
    if (scenario_show_evidence(s, res)) {
        scenario_print_walks(s, "gwalk", root, GVA_UNBACKED_TABLE, 0);
        if (npf)
            scenario_print_walks(s, "walk", s->ncr3, r.exitinfo2, 1);
    }
    if (npf)
        diag("verdict: #NPF %s the guest's page-table walk at 0x%lx, table page 0x%lx "
             "(model: during, 0x%lx)", walk_fault ? "during" : "outside", r.exitinfo2, page,
             table);
    return scenario_finish(s, res);
}
