/* svm/exit_decode.c: exit code names, #NPF EXITINFO1 bits, and the VMRUN
 * consistency rule a VMCB breaks (APM vol. 2, "Canonicalization and
 * Consistency Checks"). */
#include <stdint.h>

#include "check.h"
#include "svm/exit_decode.h"

static void test_names(void)
{
    CHECK_STR(exit_code_name(0x400), "NPF");
    CHECK_STR(exit_code_name(VMEXIT_NPF), "NPF");
    CHECK_STR(exit_code_name(0x81), "VMMCALL");
    CHECK_STR(exit_code_name(0x80), "VMRUN");
    CHECK_STR(exit_code_name(0x7f), "SHUTDOWN");
    CHECK_STR(exit_code_name(0x60), "INTR");
    CHECK_STR(exit_code_name(0x61), "NMI");
    CHECK_STR(exit_code_name(0x72), "CPUID");
    CHECK_STR(exit_code_name(0x78), "HLT");
    CHECK_STR(exit_code_name(0x7b), "IOIO");
    CHECK_STR(exit_code_name(0x7c), "MSR");
    CHECK_STR(exit_code_name(0x4e), "EXCP_PF");
    CHECK_STR(exit_code_name(0x40), "EXCP_DE");
    CHECK_STR(exit_code_name(0x46), "EXCP_UD");
    CHECK_STR(exit_code_name(0x48), "EXCP_DF");
    CHECK_STR(exit_code_name(0x4d), "EXCP_GP");
    CHECK_STR(exit_code_name(0x5f), "EXCP_31");
    CHECK_STR(exit_code_name(0x00), "CR0_READ");
    CHECK_STR(exit_code_name(0x03), "CR3_READ");
    CHECK_STR(exit_code_name(0x0f), "CR15_READ");
    CHECK_STR(exit_code_name(0x10), "CR0_WRITE");
    CHECK_STR(exit_code_name(0x13), "CR3_WRITE");
    CHECK_STR(exit_code_name(0x1f), "CR15_WRITE");
    CHECK_STR(exit_code_name(0x20), "DR0_READ");
    CHECK_STR(exit_code_name(0x27), "DR7_READ");
    CHECK_STR(exit_code_name(0x37), "DR7_WRITE");
    CHECK_STR(exit_code_name(0x3f), "DR15_WRITE");
    CHECK_STR(exit_code_name(0x90), "CR0_WRITE_TRAP");
    CHECK_STR(exit_code_name(0x93), "CR3_WRITE_TRAP");
    CHECK_STR(exit_code_name(0x9f), "CR15_WRITE_TRAP");
    CHECK_STR(exit_code_name(0x8f), "EFER_WRITE_TRAP");
    CHECK_STR(exit_code_name(0x403), "VMGEXIT");
    CHECK_STR(exit_code_name(0x3ff), "UNKNOWN");
    CHECK_STR(exit_code_name(0xa7), "UNKNOWN");
    CHECK_STR(exit_code_name(0x404), "UNKNOWN");
    CHECK_STR(exit_code_name(0x100000400ull), "UNKNOWN");
    CHECK_STR(exit_code_name((uint64_t)-2), "BUSY");

    /* VMEXIT_INVALID: -1, and QEMU TCG's 32-bit -1 */
    CHECK_STR(exit_code_name(0xffffffffffffffffull), "INVALID");
    CHECK_STR(exit_code_name(0x00000000ffffffffull), "INVALID");
    CHECK(exit_code_is_invalid(0xffffffffffffffffull));
    CHECK(exit_code_is_invalid(0x00000000ffffffffull));
    CHECK(!exit_code_is_invalid(0x400));
    CHECK(!exit_code_is_invalid(0));
    CHECK(!exit_code_is_invalid(0xfffffffeull));
    CHECK(!exit_code_is_invalid((uint64_t)-2));
}

static void check_npf(int line, uint64_t exitinfo1, const char *want)
{
    char buf[128];
    memset(buf, 'Z', sizeof buf);
    int n = npf_describe(exitinfo1, buf, sizeof buf);
    CHECK_AT(__FILE__, line, strcmp(buf, want) == 0, "npf_describe(0x%llx) == \"%s\" (got \"%s\")",
             (unsigned long long)exitinfo1, want, buf);
    CHECK_AT(__FILE__, line, n == (int)strlen(want), "npf_describe(0x%llx) returns %d, want %zu",
             (unsigned long long)exitinfo1, n, strlen(want));
}

static void test_npf(void)
{
    /* the KVM storm: not present, user, fetch, final translation */
    check_npf(__LINE__, 0x100000014ull, "[not-present user fetch final]");
    /* gptfault: a write during the guest's page-table walk (A/D update) */
    check_npf(__LINE__, 0x200000006ull, "[not-present write user page-table-walk]");
    check_npf(__LINE__, 0x200000004ull, "[not-present user page-table-walk]");
    check_npf(__LINE__, 0x100000009ull, "[present reserved-bit final]");
    check_npf(__LINE__, 0x10000000full, "[present write user reserved-bit final]");
    check_npf(__LINE__, 0x000000041ull, "[present shadow-stack]");
    check_npf(__LINE__, 0, "[not-present]");
    check_npf(__LINE__, 0x30000005full,
              "[present write user reserved-bit fetch shadow-stack final page-table-walk]");

    /* bounded */
    char buf[16];
    memset(buf, 'Z', sizeof buf);
    int n = npf_describe(0x100000014ull, buf, 8);
    CHECK_STR(buf, "[not-pr");
    CHECK_EQ(buf[8], 'Z');
    CHECK_EQ(n, strlen("[not-present user fetch final]"));
}

/* ---- vmcb_broken_rule ---- */

#define RESET_CR0 0x60000010ull
#define EFER_SVME (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define CR0_PE (1ull << 0)
#define CR0_ET (1ull << 4)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_KNOWN_BITS 0x01f70fffull   /* as svm/vcpu.c: architectural bits but LA57 */
#define ATTR_CODE (SEG_ATTR_P | SEG_ATTR_S | 0xb)
#define ATTR_DATA (SEG_ATTR_P | SEG_ATTR_S | 0x3)
#define IOPM_PA 0x00200000ull
#define NCR3 0x40000000ull

static struct vmcb vmcb;
static struct vmcb_check_env env;

/* The guest as vcpu_reset leaves it: the reset vector, NPT on. */
static void reset_vmcb(void)
{
    memset(&vmcb, 0, sizeof vmcb);
    struct vmcb_control_area *c = &vmcb.control;
    c->intercept_exceptions = 0xffffffffu;
    c->intercept_misc3 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_SMI | INTERCEPT_INIT |
                         INTERCEPT_HLT | INTERCEPT_IOIO_PROT | INTERCEPT_SHUTDOWN;
    c->intercept_misc4 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                         INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI | INTERCEPT_SKINIT;
    c->iopm_base_pa = IOPM_PA;
    c->guest_asid = 1;
    c->tlb_control = TLB_CONTROL_FLUSH_ALL;
    c->int_ctl = INT_CTL_V_INTR_MASKING;
    c->nested_ctl = NESTED_CTL_NP_ENABLE;
    c->n_cr3 = NCR3;
    struct vmcb_save_area *s = &vmcb.save;
    s->cs = (struct vmcb_seg){ 0xf000, ATTR_CODE, 0xffff, 0xffff0000ull };
    s->ds = s->es = s->ss = s->fs = s->gs = (struct vmcb_seg){ 0, ATTR_DATA, 0xffff, 0 };
    s->gdtr = s->idtr = (struct vmcb_seg){ 0, 0, 0xffff, 0 };
    s->ldtr = (struct vmcb_seg){ 0, SEG_ATTR_P | 0x2, 0xffff, 0 };
    s->tr = (struct vmcb_seg){ 0, SEG_ATTR_P | 0xb, 0xffff, 0 };
    s->efer = EFER_SVME;
    s->cr0 = RESET_CR0;
    s->rflags = 0x2;
    s->rip = 0xfff0;
    s->dr6 = 0xffff0ff0ull;
    s->dr7 = 0x400ull;
    s->g_pat = 0x0007040600070406ull;
    env = (struct vmcb_check_env){
        .max_phys_addr = 1ull << 48,
        .cr4_allowed = CR4_KNOWN_BITS,
        .npt_supported = 1,
    };
}

/* The guest in 64-bit long mode, as the group guest code runs it. */
static void long_mode_vmcb(void)
{
    reset_vmcb();
    vmcb.save.efer = EFER_SVME | EFER_LME | EFER_LMA | EFER_NXE;
    vmcb.save.cr0 = CR0_PG | CR0_ET | CR0_PE;
    vmcb.save.cr4 = CR4_PAE;
    vmcb.save.cr3 = 0x10000;
    vmcb.save.cs.attrib = ATTR_CODE | SEG_ATTR_L;
}

#define RULE_IS(expect)                                                        \
    do {                                                                       \
        const char *r_ = vmcb_broken_rule(&vmcb, &env);                        \
        const char *e_ = (expect);                                             \
        if (e_)                                                                \
            CHECK_STR(r_, e_);                                                 \
        else                                                                   \
            CHECK_AT(__FILE__, __LINE__, r_ == 0, "no broken rule (got \"%s\")", r_); \
    } while (0)

static void test_vmcb_rules(void)
{
    reset_vmcb();
    RULE_IS(0);
    long_mode_vmcb();
    RULE_IS(0);

    reset_vmcb();
    vmcb.save.efer = 0;
    RULE_IS("EFER.SVME is zero");

    reset_vmcb();
    vmcb.save.cr0 = CR0_ET | (1ull << 29);   /* NW without CD */
    RULE_IS("CR0.CD is zero and CR0.NW is set");
    vmcb.save.cr0 = CR0_ET | (1ull << 30);   /* CD without NW: fine */
    RULE_IS(0);
    vmcb.save.cr0 = CR0_ET;
    RULE_IS(0);

    reset_vmcb();
    vmcb.save.cr0 = RESET_CR0 | (1ull << 32);
    RULE_IS("CR0[63:32] are not zero");
    vmcb.save.cr0 = RESET_CR0 | (1ull << 63);
    RULE_IS("CR0[63:32] are not zero");

    reset_vmcb();
    vmcb.save.dr6 = 0xffff0ff0ull | (1ull << 32);
    RULE_IS("DR6[63:32] are not zero");
    reset_vmcb();
    vmcb.save.dr7 = 0x400ull | (1ull << 40);
    RULE_IS("DR7[63:32] are not zero");

    reset_vmcb();
    vmcb.save.efer = EFER_SVME | (1ull << 1);
    RULE_IS("EFER has MBZ bits set");
    vmcb.save.efer = EFER_SVME | (1ull << 9);
    RULE_IS("EFER has MBZ bits set");
    vmcb.save.efer = EFER_SVME | (1ull << 63);
    RULE_IS("EFER has MBZ bits set");
    vmcb.save.efer = EFER_SVME | EFER_NXE | 1;   /* SCE, NXE: allowed */
    RULE_IS(0);

    long_mode_vmcb();
    vmcb.save.cr4 = 0;
    RULE_IS("EFER.LME and CR0.PG are set and CR4.PAE is zero");
    vmcb.save.cr0 = CR0_ET | CR0_PE;             /* LME without PG: not long mode yet */
    RULE_IS(0);

    long_mode_vmcb();
    vmcb.save.cr0 = CR0_PG | CR0_ET;
    RULE_IS("EFER.LME and CR0.PG are set and CR0.PE is zero");

    long_mode_vmcb();
    vmcb.save.cs.attrib = ATTR_CODE | SEG_ATTR_L | SEG_ATTR_DB;
    RULE_IS("EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all set");
    vmcb.save.cs.attrib = ATTR_CODE | SEG_ATTR_DB;  /* compatibility mode */
    RULE_IS(0);
    reset_vmcb();                                   /* not in long mode: L+D ignored */
    vmcb.save.cs.attrib = ATTR_CODE | SEG_ATTR_L | SEG_ATTR_DB;
    RULE_IS(0);

    long_mode_vmcb();
    vmcb.save.cr3 = 1ull << 48;
    RULE_IS("CR3 has MBZ bits set (beyond MAXPHYADDR)");
    vmcb.save.cr3 = (1ull << 48) - 0x1000;
    RULE_IS(0);

    reset_vmcb();
    vmcb.control.guest_asid = 0;
    RULE_IS("ASID is zero");

    reset_vmcb();
    vmcb.control.intercept_misc4 &= ~INTERCEPT_VMRUN;
    RULE_IS("the VMRUN intercept bit is clear");

    reset_vmcb();
    vmcb.save.g_pat = 0x0007040600070402ull;    /* type 2 */
    RULE_IS("G_PAT holds an invalid memory type (nested paging enabled)");
    vmcb.save.g_pat = 0x0307040600070406ull;    /* type 3, top byte */
    RULE_IS("G_PAT holds an invalid memory type (nested paging enabled)");
    vmcb.save.g_pat = 0x0007040600080406ull;    /* type 8 */
    RULE_IS("G_PAT holds an invalid memory type (nested paging enabled)");
    vmcb.save.g_pat = 0x0706050401000706ull;    /* all valid types */
    RULE_IS(0);
    vmcb.save.g_pat = 0x0007040600070402ull;
    vmcb.control.nested_ctl = 0;                /* G_PAT only counts with NPT */
    RULE_IS(0);

    reset_vmcb();
    vmcb.save.cr4 = CR4_LA57;
    RULE_IS("CR4 has reserved or unsupported bits set");
    env.cr4_allowed = CR4_KNOWN_BITS | CR4_LA57;
    RULE_IS(0);
    vmcb.save.cr4 = 1ull << 32;
    RULE_IS("CR4 has reserved or unsupported bits set");

    reset_vmcb();
    env.npt_supported = 0;
    RULE_IS("nested paging enabled on a CPU without it");
    vmcb.control.nested_ctl = 0;
    RULE_IS(0);

    reset_vmcb();
    vmcb.control.n_cr3 = 1ull << 48;
    RULE_IS("N_CR3 is beyond MAXPHYADDR");

    reset_vmcb();
    vmcb.control.iopm_base_pa = 1ull << 48;
    RULE_IS("the IO permission map is beyond MAXPHYADDR");
    vmcb.control.intercept_misc3 &= ~INTERCEPT_IOIO_PROT;   /* not used: not checked */
    RULE_IS(0);
    reset_vmcb();
    vmcb.control.intercept_misc3 |= INTERCEPT_MSR_PROT;
    vmcb.control.msrpm_base_pa = 1ull << 48;
    RULE_IS("the MSR permission map is beyond MAXPHYADDR");
    /* APM: the tables may not *extend* to MAXPHYADDR: the 12 KiB IOPM and
     * the 8 KiB MSRPM end below their base + size */
    vmcb.control.msrpm_base_pa = (1ull << 48) - 0x1000;
    RULE_IS("the MSR permission map is beyond MAXPHYADDR");
    vmcb.control.msrpm_base_pa = (1ull << 48) - 0x2000;
    RULE_IS(0);
    reset_vmcb();
    vmcb.control.iopm_base_pa = (1ull << 48) - 0x2000;
    RULE_IS("the IO permission map is beyond MAXPHYADDR");
    vmcb.control.iopm_base_pa = (1ull << 48) - 0x3000;
    RULE_IS(0);
    vmcb.control.iopm_base_pa = (1ull << 48) - 0x3000 + 0x800;   /* bits 11:0 ignored */
    RULE_IS(0);

    /* the first rule broken is the one named */
    reset_vmcb();
    vmcb.save.efer = 0;
    vmcb.control.guest_asid = 0;
    RULE_IS("EFER.SVME is zero");
    reset_vmcb();
    vmcb.save.dr7 = 1ull << 32;
    vmcb.control.intercept_misc4 = 0;
    RULE_IS("DR7[63:32] are not zero");
}

/* An event the VMCB intercepts, taken by the guest anyway (QEMU's TCG and
 * an injected #MC): named, whatever the NPT. */
static void test_intercepted_event(void)
{
    unsigned v = 0;
    const char *through = "";
    struct exit_event_env e = {
        .exitcode = VMEXIT_NPF, .exitinfo2 = 0x48, .guest_cr0 = 0x60000010,
        .intercepted_exceptions = 0xffffffffu, .intercept_misc3 = INTERCEPT_INTR | INTERCEPT_NMI,
    };
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 1);    /* IVT entry of vector 18 */
    CHECK_EQ(v, 18);
    CHECK_STR(through, "IVT");
    e.exitinfo2 = 0xfffffff0;                                        /* the reset fetch: not one */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    e.exitinfo2 = 0x400;                                             /* past the IVT */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    e.exitinfo2 = 0x3fc;                                             /* vector 255: an interrupt */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 1);
    CHECK_EQ(v, 255);
    e.intercept_misc3 = 0;
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    e.exitinfo2 = 0x48;
    e.intercepted_exceptions = ~(1u << 18);                          /* #MC not intercepted */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    e.guest_cr0 = 0x60000011;                                        /* protected mode: no IVT */
    e.intercepted_exceptions = 0xffffffffu;
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    /* EXITINTINFO: an exception being delivered (type 3, valid) */
    e.exitintinfo = EVENT_VALID | (EVENT_TYPE_EXCEPTION << EVENT_TYPE_SHIFT) | 18;
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 1);
    CHECK_EQ(v, 18);
    CHECK_STR(through, "IDT");
    e.exitintinfo = EVENT_VALID | (4u << EVENT_TYPE_SHIFT) | 0x80;   /* software INT n: not intercepted */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
    e.exitintinfo = EVENT_VALID | (EVENT_TYPE_NMI << EVENT_TYPE_SHIFT) | 2;
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);     /* NMI intercept off (above) */
    e.intercept_misc3 = INTERCEPT_NMI;
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 1);
    CHECK_EQ(v, 2);
    e.exitintinfo = (EVENT_TYPE_EXCEPTION << EVENT_TYPE_SHIFT) | 18; /* not valid */
    CHECK_EQ(exit_shows_intercepted_event(&e, &v, &through), 0);
}

SUITE(exit)
{
    test_intercepted_event();
    test_names();
    test_npf();
    test_vmcb_rules();
}
