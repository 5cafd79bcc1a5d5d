/* Group bits: bits<D>_l<k>_<bit>, bits<D>_2m, bits<D>_1g, bits<D>_ad. Host
 * paging D, an NPT of depth D built before VMRUN, the reset-vector guest of
 * group reset (code page at 0xfffff000, a data page it writes); one entry
 * of one walk changed per scenario, or large leaves, or the A/D bits the
 * run leaves. The models and their AMD APM sections: svm/bits_model.c. */
#include "scenario.h"

#include <string.h>

#include "bits_model.h"
#include "exit_decode.h"
#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

/* boot/entry.asm maps 0..4 GiB write-back but the fourth GiB (MMIO) */
#define LARGE_FRAME_BELOW (3ull << 30)

extern uint8_t __image_start[], __bss_end[];

static enum result error(struct scenario *s, const char *what)
{
    fmt_snprintf(s->reason, sizeof s->reason, "%s", what);
    return RESULT_ERROR;
}

static struct guest_params reset_params(const struct scenario *s)
{
    struct guest_params params = scenario_params(s);
    params.data_gpa = GPA_DATA_PAGE;
    params.data_marker = DATA_MARKER;
    return params;
}

/* Code and data pages in 4 KiB leaves from the pool, as group reset has
 * them; returns the data page's host pointer, or NULL. */
static volatile uint32_t *small_pages(struct scenario *s)
{
    struct guest_page *data = guest_mem_add(&s->mem, GPA_DATA_PAGE, "data");
    if (!data || !scenario_code_page(s, guest_realmode_image, reset_params(s)) ||
        npt_map_all(&s->mem, s->ncr3, s->desc->npt) != PT_MAPPED)
        return 0;
    return pool_ptr(s->pool, data->hpa);
}

/* Code and data pages in one large host frame, both mapped by leaves of
 * leaf_level (2: 2 MiB, 3: 1 GiB): the frame must be RAM the loader's map
 * lists (only the two pages are written), outside svmtest's image and the
 * boot information. Returns the data page's pointer; NULL with a SKIP
 * reason in s->reason when no such frame exists, or an ERROR reason. */
static volatile uint32_t *large_pages(struct scenario *s, int leaf_level, enum result *res)
{
    uint64_t size = pt_level_size(leaf_level), mask = size - 1;
    uint64_t offset[2] = { GPA_CODE_PAGE & mask, GPA_DATA_PAGE & mask };
    struct mem_range avoid[2] = {
        { (uint64_t)__image_start, (uint64_t)(__bss_end - __image_start) },
        s->boot ? s->boot->block : (struct mem_range){ 0, 0 },
    };
    uint64_t frame;
    if (!s->boot || !bootinfo_find_frame(s->boot, size, LARGE_FRAME_BELOW, offset, 2, avoid, 2,
                                         &frame)) {
        fmt_snprintf(s->reason, sizeof s->reason,
                     "no RAM for %s leaves: needs 0x%lx and 0x%lx of a %s-aligned frame below "
                     "3 GiB (e.g. -m 3G)",
                     size >> 30 ? "1 GiB" : "2 MiB", offset[1], offset[0],
                     size >> 30 ? "1 GiB" : "2 MiB");
        *res = RESULT_SKIP;
        return 0;
    }
    uint8_t *code = (uint8_t *)(uintptr_t)(frame + offset[0]);
    uint32_t *data = (uint32_t *)(uintptr_t)(frame + offset[1]);
    struct guest_params params = reset_params(s);
    memcpy(code, guest_realmode_image, PAGE_SIZE);
    memcpy(code + GUEST_PARAMS_OFFSET, &params, sizeof params);
    memset(data, 0, PAGE_SIZE);
    struct pt_space npt = pool_space(s->pool);
    for (int i = 0; i < 2; i++) {
        uint64_t gpa = (i ? GPA_DATA_PAGE : GPA_CODE_PAGE) & ~mask;
        if (pt_map_leaf(&npt, s->ncr3, s->desc->npt, gpa, frame, leaf_level, PTE_NPT_FLAGS) !=
            PT_MAPPED) {
            *res = error(s, "could not build the large-leaf NPT");
            return 0;
        }
    }
    scenario_setup(s, "%s: frame=0x%lx (%s leaves at level %d)", s->desc->name, frame,
                   size >> 30 ? "1 GiB" : "2 MiB", leaf_level);
    return data;
}

/* "level-5 entry's NX bit", "level-3 entry's reserved bit 40" */
static void entry_text(const struct scenario_desc *d, const struct bits_model *m, char *buf,
                       size_t size)
{
    if (d->bit == BIT_RSVD && d->level < 4)
        fmt_snprintf(buf, size, "level-%d entry's reserved bit %u", d->level,
                     (unsigned)__builtin_ctzll(m->set));
    else
        fmt_snprintf(buf, size, "level-%d entry's %s bit", d->level, m->bit_name);
}

/* The A/D check after a run to VMMCALL: both walks, D on the data leaf. */
static enum result judge_ad(struct scenario *s, char *verdict, size_t size)
{
    struct pt_space npt = pool_space(s->pool);
    for (int i = 0; i < 2; i++) {
        uint64_t gpa = i ? GPA_DATA_PAGE : GPA_CODE_PAGE;
        struct pt_walk w;
        uint64_t bit;
        pt_walk(&npt, s->ncr3, s->desc->npt, gpa, &w);
        int level = w.status == PT_WALK_OK ? pt_walk_lacks_ad(&w, i, &bit) : -1;
#ifdef SVMTEST_WRONG_MODEL
        if (!level && !i && !(w.step[w.steps - 1].entry & PTE_D)) {   /* D on the code leaf too */
            level = 1;
            bit = PTE_D;
        }
#endif
        if (level) {
            fmt_snprintf(verdict, size, "the level-%d entry of the %s page's walk lacks %s "
                         "(model: A on every entry, D on the data leaf)", level,
                         i ? "data" : "code", bit == PTE_D ? "D" : "A");
            return scenario_expected(s, bit == PTE_D ? "D set" : "A set",
                                     bit == PTE_D ? "D clear" : "A clear");
        }
    }
    fmt_snprintf(verdict, size, "A set on every entry of both walks, D on the data leaf "
                 "(model: A on every entry, D on the data leaf)");
    return RESULT_PASS;
}

/* The faulting cases; a known deviation (bits_compare) passes, with its
 * line in deviation (printed with the verdict) */
static enum result judge_fault(struct scenario *s, const struct bits_model *m,
                               const struct run_result *r, const char *entry, char *verdict,
                               size_t size, char *deviation, size_t dsize)
{
    if (r->outcome != RUN_NPF) {
        fmt_snprintf(verdict, size, "%s despite the %s (model: %s)", run_outcome_name(r->outcome),
                     entry, m->model_text);
        return scenario_expected(s, "#NPF", run_outcome_name(r->outcome));
    }
    enum result res = RESULT_PASS;
    enum bits_match match = bits_compare(m, r->exitinfo1);
    if (r->exitinfo2 != m->gpa)
        res = scenario_mismatch(s, "#NPF EXITINFO2 (gpa)", m->gpa, r->exitinfo2);
    else if (match == BITS_DIFFERENT)
        res = scenario_mismatch(s, "#NPF EXITINFO1", m->exitinfo1, r->exitinfo1);
    else if (match == BITS_DEVIATION)
        fmt_snprintf(deviation, dsize, "deviation: %s: exitinfo1=0x%016lx (model 0x%016lx)",
                     m->deviation_text, r->exitinfo1, m->exitinfo1);
    if (res == RESULT_PASS) {
        fmt_snprintf(verdict, size, "#NPF at the %s (model: %s)", entry, m->model_text);
    } else {
        char bits[96];
        npf_describe(r->exitinfo1, bits, sizeof bits);
        fmt_snprintf(verdict, size, "#NPF %s at 0x%lx (model: %s at the %s)", bits, r->exitinfo2,
                     m->model_text, entry);
    }
    return res;
}

enum result scenario_bits(struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    struct bits_model m;
    int nxe = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
    const char *why_not = bits_model_of(d, nxe, s->caps ? s->caps->maxphyaddr : 36, &m);
    if (!why_not && d->bit == BIT_LEAF_1G && !(s->caps && s->caps->page1gb))
        why_not = "CPU has no 1 GiB pages (CPUID 0x80000001 EDX.Page1GB=0)";
    if (why_not) {
        fmt_snprintf(s->reason, sizeof s->reason, "%s", why_not);
        return RESULT_SKIP;
    }
    enum result res = scenario_prepare(s);
    if (res != RESULT_PASS)
        return res;
    int large = d->bit == BIT_LEAF_2M || d->bit == BIT_LEAF_1G;
    volatile uint32_t *data = large ? large_pages(s, d->level, &res) : small_pages(s);
    if (!data)
        return res != RESULT_PASS ? res : error(s, "could not build guest memory and NPT");
    struct pt_space npt = pool_space(s->pool);
    if ((m.set || m.clear) &&
        pt_edit(&npt, s->ncr3, d->npt, m.walk_gpa, d->level, m.set, m.clear, 0))
        return error(s, "could not edit the NPT entry");
    scenario_setup(s, "%s: host=%d npt=%d ncr3=0x%016lx guest=reset-vector", d->name, d->host,
                   d->npt, s->ncr3);

    struct run_result r;
    scenario_run(s, 0, &r);
    if ((res = scenario_judge_abnormal(s, &r)) != RESULT_PASS)
        return res;
    char entry[64], verdict[SCENARIO_LINE_MAX], deviation[SCENARIO_LINE_MAX] = "";
    entry_text(d, &m, entry, sizeof entry);
    if (m.faults) {
        res = judge_fault(s, &m, &r, entry, verdict, sizeof verdict, deviation, sizeof deviation);
    } else if (r.outcome != RUN_VMMCALL) {
        res = scenario_expected(s, "VMMCALL", run_outcome_name(r.outcome));
        fmt_snprintf(verdict, sizeof verdict, "%s (model: %s)", run_outcome_name(r.outcome),
                     m.model_text);
    } else if ((uint32_t)r.rax != VMMCALL_MARKER || *data != DATA_MARKER) {
        res = (uint32_t)r.rax != VMMCALL_MARKER
            ? scenario_mismatch(s, "VMMCALL marker in RAX", VMMCALL_MARKER, (uint32_t)r.rax)
            : scenario_mismatch(s, "data page marker", DATA_MARKER, *data);
        fmt_snprintf(verdict, sizeof verdict, "VMMCALL without the markers (model: %s)",
                     m.model_text);
    } else if (d->bit == BIT_AD) {
        res = judge_ad(s, verdict, sizeof verdict);
    } else {
        fmt_snprintf(verdict, sizeof verdict, "ran to VMMCALL through %s leaves (model: %s)",
                     d->bit == BIT_LEAF_1G ? "1 GiB" : "2 MiB", m.model_text);
    }
    if (scenario_show_evidence(s, res)) {
        if (r.outcome == RUN_VMMCALL)
            diag("vmmcall: rax=0x%08lx data[0x%lx]=0x%08x", r.rax, GPA_DATA_PAGE, *data);
        scenario_print_walks(s, "walk", s->ncr3, m.walk_gpa, 1);
        if (d->bit == BIT_AD)
            scenario_print_walks(s, "walk", s->ncr3, GPA_CODE_PAGE, 1);
        if (deviation[0])
            diag("%s", deviation);
        diag("verdict: %s", verdict);
    }
    return scenario_finish(s, res);
}
