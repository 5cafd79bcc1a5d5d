#include "vcpu.h"

#include <string.h>

#include "caps.h"
#include "exit_decode.h"
#include "kernel/cpu/cpu.h"
#include "kernel/interrupts/apic.h"
#include "kernel/interrupts/idt.h"
#include "kernel/lib/fmt.h"
#include "kernel/mce/mce.h"
#include "kernel/report/report.h"
#include "kernel/timer.h"

#define RESET_CS_SELECTOR 0xf000
#define RESET_CS_BASE 0xffff0000ull
#define RESET_RIP 0xfff0
#define RESET_CR0 (CR0_CD | CR0_NW | CR0_ET)
#define RESET_RFLAGS 0x2
#define RESET_DR6 0xffff0ff0ull
#define RESET_DR7 0x400ull
#define RESET_PAT 0x0007040600070406ull
#define REAL_MODE_LIMIT 0xffff
#define ATTR_CODE (SEG_ATTR_P | SEG_ATTR_S | 0xb)   /* present, code, read, accessed */
#define ATTR_DATA (SEG_ATTR_P | SEG_ATTR_S | 0x3)   /* present, data, write, accessed */
#define ATTR_LDT (SEG_ATTR_P | 0x2)
#define ATTR_TSS_BUSY (SEG_ATTR_P | 0xb)
#define GUEST_ASID 1
#define ALL_EXCEPTIONS 0xffffffffu
#define IOPM_SIZE (3 * 4096)
#define EXIT_LIMIT 100000u
#define CPUID_ADDRESS_SIZES 0x80000008u
#define CR4_KNOWN_BITS 0x01f70fffull      /* architectural CR4 bits other than LA57 */

static uint8_t iopm[IOPM_SIZE] __attribute__((aligned(4096)));
static volatile unsigned timer_ticks;

static void on_timer_tick(void)
{
    timer_ticks++;
    apic_eoi();
}

int svm_enable(struct svm_host *h)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, (uint64_t)h->hsave);
    memset(iopm, 0xff, sizeof iopm);    /* every guest port access exits */
    idt_set_timer_handler(on_timer_tick);
    return 0;
}

static struct vmcb_seg seg(uint16_t selector, uint64_t base, uint32_t limit, uint16_t attrib)
{
    return (struct vmcb_seg){ selector, attrib, limit, base };
}

void vcpu_reset(struct vcpu *v, uint64_t ncr3)
{
    struct vmcb *b = v->vmcb;
    memset(b, 0, sizeof *b);
    memset(&v->regs, 0, sizeof v->regs);

    struct vmcb_control_area *c = &b->control;
    c->intercept_exceptions = ALL_EXCEPTIONS;
    c->intercept_misc3 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI | INTERCEPT_INIT |
                         INTERCEPT_HLT | INTERCEPT_IOIO_PROT | INTERCEPT_SHUTDOWN;
    c->intercept_misc4 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                         INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT;
    c->iopm_base_pa = (uint64_t)iopm;
    c->guest_asid = GUEST_ASID;
    c->tlb_control = TLB_CONTROL_FLUSH_ALL;
    c->int_ctl = INT_CTL_V_INTR_MASKING;
    c->nested_ctl = NESTED_CTL_NP_ENABLE;
    c->n_cr3 = ncr3;

    struct vmcb_save_area *s = &b->save;
    s->cs = seg(RESET_CS_SELECTOR, RESET_CS_BASE, REAL_MODE_LIMIT, ATTR_CODE);
    s->ds = s->es = s->ss = s->fs = s->gs = seg(0, 0, REAL_MODE_LIMIT, ATTR_DATA);
    s->gdtr = s->idtr = seg(0, 0, REAL_MODE_LIMIT, 0);
    s->ldtr = seg(0, 0, REAL_MODE_LIMIT, ATTR_LDT);
    s->tr = seg(0, 0, REAL_MODE_LIMIT, ATTR_TSS_BUSY);
    s->efer = EFER_SVME;      /* VMRUN requires it; the guest sees the rest as at reset */
    s->cr0 = RESET_CR0;
    /* the one bit beyond the power-on state, as KVM sets it: a machine check
     * while the guest runs must reach svmtest (#VMEXIT MC), not shut the
     * CPU down because the guest's CR4.MCE is clear */
    s->cr4 = CR4_MCE;
    s->rflags = RESET_RFLAGS;
    s->rip = RESET_RIP;
    s->dr6 = RESET_DR6;
    s->dr7 = RESET_DR7;
    s->g_pat = RESET_PAT;
    v->regs.rdx = cpuid(1, 0).eax;
}

void svm_vmrun(uint64_t guest_vmcb, uint64_t host_save, struct guest_regs *regs);

uint64_t vcpu_enter(struct vcpu *v)
{
    svm_vmrun((uint64_t)v->vmcb, (uint64_t)&v->host->save_area, &v->regs);
    v->vmcb->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
    return v->vmcb->control.exitcode;
}

void vcpu_describe_npf(const struct run_result *r)
{
    char bits[96];
    npf_describe(r->exitinfo1, bits, sizeof bits);
    diag("npf: gpa=0x%016lx exitinfo1=0x%016lx rip=0x%016lx %s", r->exitinfo2, r->exitinfo1,
         r->rip, bits);
}

/* An event the VMCB intercepts that the guest took anyway (QEMU's TCG
 * hands an injected #MC to the guest): r->outcome RUN_INTERCEPT_IGNORED. */
static int intercepted_event_taken(const struct vcpu *v, struct run_result *r)
{
    const struct vmcb *b = v->vmcb;
    struct exit_event_env e = {
        .exitcode = b->control.exitcode, .exitinfo2 = b->control.exitinfo2,
        .exitintinfo = b->control.exitintinfo, .guest_cr0 = b->save.cr0,
        .intercepted_exceptions = b->control.intercept_exceptions,
        .intercept_misc3 = b->control.intercept_misc3,
    };
    if (!exit_shows_intercepted_event(&e, &r->event_vector, &r->event_through))
        return 0;
    r->outcome = RUN_INTERCEPT_IGNORED;
    return 1;
}

void vcpu_say_intercept_ignored(const struct run_result *r)
{
    diag("verdict: the guest took vector %u through its %s although svmtest intercepts it",
         r->event_vector, r->event_through);
}

void vcpu_run(struct vcpu *v, npf_handler on_npf, void *ctx, unsigned npf_limit,
              struct run_result *r)
{
    struct vmcb_control_area *c = &v->vmcb->control;
    uint64_t last_gpa = 0, last_info = 0;
    int have_last = 0;

    const struct guest_bound *bound = timer_guest_bound();

    memset(r, 0, sizeof *r);
    r->outcome = RUN_UNEXPECTED;
    timer_ticks = 0;
    uint64_t started = rdtsc();
    apic_timer_start(bound->initial_count);
    for (unsigned exits = 0; exits < EXIT_LIMIT; exits++) {
        vcpu_enter(v);
        if (c->exitcode == VMEXIT_SMI || c->exitcode == VMEXIT_NMI)
            continue;        /* the SMI or NMI is taken once GIF is set again: re-enter */
        if (c->exitcode == VMEXIT_EXCP_BASE + VECTOR_MC)
            mce_report(0);   /* the machine check is the host's, not the guest's */
        if (c->exitcode == VMEXIT_INTR) {
            irq_window();    /* the host takes the interrupt: a timer tick */
            if (bound->tsc_cycles ? rdtsc() - started < bound->tsc_cycles : timer_ticks < bound->ticks)
                continue;
        }
        r->exitcode = c->exitcode;
        r->exitinfo1 = c->exitinfo1;
        r->exitinfo2 = c->exitinfo2;
        r->rip = v->vmcb->save.rip;
        r->rax = v->vmcb->save.rax;
        r->rbx = v->regs.rbx;
        if (r->exitcode == VMEXIT_INTR) {
            r->outcome = RUN_TIMEOUT;
            break;
        }
        if (r->exitcode == VMEXIT_VMMCALL) {
            r->outcome = RUN_VMMCALL;
            break;
        }
        if (intercepted_event_taken(v, r))
            break;
        if (r->exitcode != VMEXIT_NPF) {
            r->outcome = RUN_UNEXPECTED;
            break;
        }
        r->npf_count++;
        int same = have_last && last_gpa == r->exitinfo2 && last_info == r->exitinfo1;
        r->npf_repeats = same ? r->npf_repeats + 1 : 1;
        have_last = 1;
        last_gpa = r->exitinfo2;
        last_info = r->exitinfo1;
        if (!same && !v->quiet_npf)
            vcpu_describe_npf(r);
        if (on_npf && r->npf_repeats >= npf_limit) {
            r->outcome = RUN_STORM;
            break;
        }
        if (!on_npf || !on_npf(ctx, r->exitinfo2, r->exitinfo1)) {
            r->outcome = RUN_NPF;
            break;
        }
    }
    apic_timer_stop();
    /* whatever exit ended the run: a machine check the exit did not name
     * (delivered into the guest, or a bank written meanwhile) is one */
    if (mce_pending()) {
        if (r->outcome == RUN_INTERCEPT_IGNORED) {
            vcpu_explain_exit(v, r);
            vcpu_say_intercept_ignored(r);
        }
        char after[48];
        fmt_snprintf(after, sizeof after, "#VMEXIT %s", exit_code_name(c->exitcode));
        mce_report_pending(after);
    }
}

const char *run_outcome_name(enum run_outcome o)
{
    switch (o) {
    case RUN_VMMCALL: return "VMMCALL";
    case RUN_NPF: return "#NPF";
    case RUN_STORM: return "#NPF storm";
    case RUN_TIMEOUT: return "no exit within the time bound";
    case RUN_UNEXPECTED: return "another #VMEXIT";
    case RUN_INTERCEPT_IGNORED: return "an intercepted event taken by the guest";
    }
    return "?";
}

static uint64_t max_phys_addr(void)
{
    if (cpuid(0x80000000u, 0).eax < CPUID_ADDRESS_SIZES)
        return 1ull << 36;
    return 1ull << (cpuid(CPUID_ADDRESS_SIZES, 0).eax & 0xff);
}

void vcpu_explain_exit(const struct vcpu *v, const struct run_result *r)
{
    const struct vmcb *b = v->vmcb;
    const struct vmcb_save_area *s = &b->save;
    diag("vmexit: code=0x%lx %s exitinfo1=0x%016lx exitinfo2=0x%016lx exitintinfo=0x%016lx",
         r->exitcode, exit_code_name(r->exitcode), r->exitinfo1, r->exitinfo2,
         b->control.exitintinfo);
    diag("vmcb: cs=0x%04x base=0x%016lx attrib=0x%04x rip=0x%016lx rflags=0x%lx cpl=%u",
         s->cs.selector, s->cs.base, s->cs.attrib, s->rip, s->rflags, s->cpl);
    diag("vmcb: cr0=0x%016lx cr3=0x%016lx cr4=0x%016lx efer=0x%016lx", s->cr0, s->cr3, s->cr4,
         s->efer);
    diag("vmcb: rax=0x%016lx rbx=0x%016lx cr2=0x%016lx n_cr3=0x%016lx", s->rax, v->regs.rbx,
         s->cr2, b->control.n_cr3);
    if (exit_code_is_invalid(r->exitcode)) {
        struct svm_caps caps;
        svm_caps_read(&caps);
        struct vmcb_check_env env = {
            .max_phys_addr = max_phys_addr(),
            .cr4_allowed = CR4_KNOWN_BITS | (caps.la57 ? CR4_LA57 : 0),
            .npt_supported = caps.npt,
        };
        const char *rule = vmcb_broken_rule(b, &env);
        diag("vmexit: VMRUN refused the VMCB: %s",
             rule ? rule : "no consistency rule svmtest knows is broken (CPU-specific check)");
    }
}
