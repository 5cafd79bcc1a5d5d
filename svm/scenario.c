#include "scenario.h"

#include <stdarg.h>
#include <string.h>

#include "exit_decode.h"
#include "kernel/cpu/host_paging.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"
#include "kernel/timer.h"

#define WALK_TEXT_MAX 200

enum result scenario_prepare(struct scenario *s)
{
    if (host_paging_set(s->desc->host)) {
        fmt_snprintf(s->reason, sizeof s->reason, "cannot switch the host to %d-level paging",
                     s->desc->host);
        return RESULT_ERROR;
    }
    pool_reset(s->pool);
    guest_mem_init(&s->mem, s->pool, GPA_GUEST_TABLES);
    s->ncr3 = pool_alloc(s->pool);
    if (!s->ncr3) {
        fmt_snprintf(s->reason, sizeof s->reason, "out of pages for the NPT root");
        return RESULT_ERROR;
    }
    vcpu_reset(&s->vcpu, s->ncr3);
    return RESULT_PASS;
}

struct guest_params scenario_params(const struct scenario *s)
{
    return (struct guest_params){ .vmmcall_marker = VMMCALL_MARKER, .hang = (uint32_t)s->hang };
}

static void load_image(void *page, const uint8_t *image, struct guest_params params)
{
    memcpy(page, image, PAGE_SIZE);
    memcpy((uint8_t *)page + GUEST_PARAMS_OFFSET, &params, sizeof params);
}

struct guest_page *scenario_code_page(struct scenario *s, const uint8_t *image,
                                      struct guest_params params)
{
    struct guest_page *p = guest_mem_add(&s->mem, GPA_CODE_PAGE, "code");
    if (p)
        load_image(pool_ptr(s->pool, p->hpa), image, params);
    return p;
}

uint64_t scenario_loose_code_page(struct scenario *s, const uint8_t *image,
                                  struct guest_params params)
{
    uint64_t hpa = pool_alloc(s->pool);
    if (hpa)
        load_image(pool_ptr(s->pool, hpa), image, params);
    return hpa;
}

int scenario_detailed(const struct scenario *s)
{
    const struct scenario_desc *d = s->desc;
    int kvm_case = d->group == GROUP_RESET && d->host == 5 && d->npt == 4 &&
                   d->fill == FILL_DEMAND;
    return s->cfg->verbose >= 1 || kvm_case;
}

static void show_setup(struct scenario *s)
{
    for (; s->setup_shown < (int)s->setup_lines; s->setup_shown++)
        diag("%s", s->setup[s->setup_shown]);
}

void scenario_setup(struct scenario *s, const char *fmt, ...)
{
    if (s->setup_lines == SCENARIO_SETUP_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(s->setup[s->setup_lines++], SCENARIO_LINE_MAX, fmt, ap);
    va_end(ap);
    if (scenario_detailed(s))
        show_setup(s);
}

/* Groups whose passing scenarios print their result line only at verbose=0. */
static int terse(const struct scenario *s)
{
    return (s->desc->group == GROUP_GPTFAULT || s->desc->group == GROUP_BITS) &&
           !scenario_detailed(s);
}

int scenario_show_evidence(struct scenario *s, enum result res)
{
    if (res == RESULT_PASS && !scenario_detailed(s))
        return 0;
    show_setup(s);
    if (s->vcpu.quiet_npf && s->run && s->run->npf_count) {
        vcpu_describe_npf(s->run);
        s->vcpu.quiet_npf = 0;
    }
    return 1;
}

static struct pt_space space_for(struct scenario *s, int nested)
{
    return nested ? pool_space(s->pool) : guest_table_space(&s->mem);
}

void scenario_print_walks(struct scenario *s, const char *prefix, uint64_t root, uint64_t addr,
                          int nested)
{
    struct pt_space space = space_for(s, nested);
    uint64_t page = addr & ~(uint64_t)(PAGE_SIZE - 1);
    for (int levels = 5; levels >= 4; levels--) {
        struct pt_walk w;
        char text[WALK_TEXT_MAX];
        pt_walk(&space, root, levels, page, &w);
        struct pt_walk masked = w;
        pt_walk_clear_hw_set(&masked);
        pt_walk_format(&masked, text, sizeof text);
        diag("%s%d 0x%08lx: %s", prefix, levels, page, text);
        if (s->cfg->verbose >= 2) {
            pt_walk_format_ad(&w, text, sizeof text);
            diag("ad %s%d 0x%08lx: %s (set by the CPU; informative only)", prefix, levels, page,
                 text);
        }
    }
}

int scenario_depth_explaining_npf(struct scenario *s, uint64_t gpa)
{
    struct pt_space space = pool_space(s->pool);
    struct pt_walk w4, w5;
    pt_walk(&space, s->ncr3, 4, gpa, &w4);
    pt_walk(&space, s->ncr3, 5, gpa, &w5);
    int missing4 = w4.status != PT_WALK_OK, missing5 = w5.status != PT_WALK_OK;
    if (missing4 && !missing5)
        return 4;
    if (missing5 && !missing4)
        return 5;
    return 0;
}

void scenario_run(struct scenario *s, npf_handler on_npf, struct run_result *r)
{
    if (s->cfg->verbose >= 1)
        for (unsigned i = 0; i < s->mem.count; i++) {
            const struct guest_page *p = &s->mem.page[i];
            diag("page: gpa=0x%08lx hpa=0x%016lx %s%s", p->gpa, p->hpa, p->what,
                 p->in_npt ? "" : " (left out of the NPT)");
        }
    if (s->cfg->verbose >= 2) {
        const struct vmcb *b = s->vcpu.vmcb;
        diag("vmcb: intercepts cr=0x%08x dr=0x%08x exceptions=0x%08x misc3=0x%08x misc4=0x%08x",
             b->control.intercept_cr, b->control.intercept_dr, b->control.intercept_exceptions,
             b->control.intercept_misc3, b->control.intercept_misc4);
        diag("vmcb: asid=%u int_ctl=0x%08x nested_ctl=0x%lx n_cr3=0x%016lx g_pat=0x%016lx",
             b->control.guest_asid, b->control.int_ctl, b->control.nested_ctl, b->control.n_cr3,
             b->save.g_pat);
        diag("vmcb: cs=0x%04x base=0x%08lx limit=0x%x attrib=0x%04x rip=0x%lx rflags=0x%lx",
             b->save.cs.selector, b->save.cs.base, b->save.cs.limit, b->save.cs.attrib,
             b->save.rip, b->save.rflags);
        diag("vmcb: cr0=0x%lx cr3=0x%lx cr4=0x%lx efer=0x%lx dr6=0x%lx dr7=0x%lx rdx=0x%lx",
             b->save.cr0, b->save.cr3, b->save.cr4, b->save.efer, b->save.dr6, b->save.dr7,
             s->vcpu.regs.rdx);
    }
    s->vcpu.quiet_npf = terse(s);
    s->run = r;
    vcpu_run(&s->vcpu, on_npf, s, s->cfg->npf_limit, r);
}

enum result scenario_judge_abnormal(struct scenario *s, const struct run_result *r)
{
    if (r->outcome == RUN_TIMEOUT || r->outcome == RUN_UNEXPECTED ||
        r->outcome == RUN_INTERCEPT_IGNORED)
        show_setup(s);
    switch (r->outcome) {
    case RUN_TIMEOUT:
        if (timer_guest_bound()->tsc_cycles)
            diag("guest made no report within %u ms (by the TSC, at timer ticks every %u ms; "
                 "last rip=0x%016lx)", timer_guest_bound()->ms, GUEST_TICK_MS, s->vcpu.vmcb->save.rip);
        else if (timer_guest_bound()->ms)
            diag("guest made no report within %u ms (%u timer ticks; last rip=0x%016lx)",
                 timer_guest_bound()->ms, timer_guest_bound()->ticks, s->vcpu.vmcb->save.rip);
        else
            diag("guest made no report within %u timer ticks (uncalibrated; last rip=0x%016lx)",
                 timer_guest_bound()->ticks, s->vcpu.vmcb->save.rip);
        fmt_snprintf(s->reason, sizeof s->reason, "guest never exited (rip=0x%016lx)",
                     s->vcpu.vmcb->save.rip);
        return RESULT_TIMEOUT;
    case RUN_UNEXPECTED:
        vcpu_explain_exit(&s->vcpu, r);
        diag("expected: %s; observed: #VMEXIT %s", s->desc->group == GROUP_GPTFAULT ?
             "#NPF" : "VMMCALL or #NPF", exit_code_name(r->exitcode));
        return RESULT_FAIL;
    case RUN_INTERCEPT_IGNORED:
        /* not an NPT depth question: the CPU (an emulator) broke the intercept */
        vcpu_explain_exit(&s->vcpu, r);
        vcpu_say_intercept_ignored(r);
        return RESULT_FAIL;
    default:
        return RESULT_PASS;
    }
}

enum result scenario_mismatch(struct scenario *s, const char *what, uint64_t expected,
                              uint64_t observed)
{
    if (!s->why[0])
        fmt_snprintf(s->why, sizeof s->why, "%s: expected 0x%lx, observed 0x%lx", what,
                     expected, observed);
    return RESULT_FAIL;
}

enum result scenario_expected(struct scenario *s, const char *want, const char *got)
{
    if (!s->why[0])
        fmt_snprintf(s->why, sizeof s->why, "expected: %s; observed: %s", want, got);
    return RESULT_FAIL;
}

enum result scenario_finish(struct scenario *s, enum result res)
{
    if (s->why[0])
        diag("%s", s->why);
    return res;
}
