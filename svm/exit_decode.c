#include "exit_decode.h"

#include "kernel/lib/fmt.h"

#define CR0_PE_BIT (1ull << 0)   /* guest CR0: protected mode */

#define EFER_SVME_BIT (1ull << 12)
#define EFER_LME_BIT (1ull << 8)
#define CR0_PE_BIT (1ull << 0)
#define CR0_NW_BIT (1ull << 29)
#define CR0_CD_BIT (1ull << 30)
#define CR0_PG_BIT (1ull << 31)
#define CR4_PAE_BIT (1ull << 5)
#define EFER_ALLOWED 0x0000000000fffd01ull /* SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR, TCE, ... */
#define PAT_VALID_TYPES 0x00f3u            /* memory types 0, 1, 4, 5, 6, 7 */
#define MSRPM_BYTES 0x2000ull
#define IOPM_BYTES 0x3000ull

struct named { uint64_t code; const char *name; };

static const struct named exit_names[] = {
    { VMEXIT_INTR, "INTR" }, { VMEXIT_NMI, "NMI" }, { VMEXIT_SMI, "SMI" }, { VMEXIT_INIT, "INIT" },
    { 0x064, "VINTR" }, { 0x065, "CR0_SEL_WRITE" }, { 0x066, "IDTR_READ" }, { 0x067, "GDTR_READ" },
    { 0x068, "LDTR_READ" }, { 0x069, "TR_READ" }, { 0x06a, "IDTR_WRITE" }, { 0x06b, "GDTR_WRITE" },
    { 0x06c, "LDTR_WRITE" }, { 0x06d, "TR_WRITE" }, { 0x06e, "RDTSC" }, { 0x06f, "RDPMC" },
    { 0x070, "PUSHF" }, { 0x071, "POPF" }, { VMEXIT_CPUID, "CPUID" }, { 0x073, "RSM" },
    { 0x074, "IRET" }, { 0x075, "SWINT" }, { 0x076, "INVD" }, { 0x077, "PAUSE" },
    { VMEXIT_HLT, "HLT" }, { 0x079, "INVLPG" }, { 0x07a, "INVLPGA" }, { VMEXIT_IOIO, "IOIO" },
    { VMEXIT_MSR, "MSR" }, { 0x07d, "TASK_SWITCH" }, { 0x07e, "FERR_FREEZE" },
    { VMEXIT_SHUTDOWN, "SHUTDOWN" }, { VMEXIT_VMRUN, "VMRUN" }, { VMEXIT_VMMCALL, "VMMCALL" },
    { 0x082, "VMLOAD" }, { 0x083, "VMSAVE" }, { 0x084, "STGI" }, { 0x085, "CLGI" },
    { 0x086, "SKINIT" }, { 0x087, "RDTSCP" }, { 0x088, "ICEBP" }, { 0x089, "WBINVD" },
    { 0x08a, "MONITOR" }, { 0x08b, "MWAIT" }, { 0x08c, "MWAIT_CONDITIONAL" }, { 0x08d, "XSETBV" },
    { 0x08e, "RDPRU" }, { 0x08f, "EFER_WRITE_TRAP" }, { 0x0a0, "INVLPGB" }, { 0x0a1, "INVLPGB_ILLEGAL" },
    { 0x0a2, "INVPCID" }, { 0x0a3, "MCOMMIT" }, { 0x0a4, "TLBSYNC" }, { 0x0a5, "BUSLOCK" },
    { 0x0a6, "IDLE_HLT" }, { VMEXIT_NPF, "NPF" }, { 0x401, "AVIC_INCOMPLETE_IPI" },
    { 0x402, "AVIC_NOACCEL" }, { 0x403, "VMGEXIT" }, { VMEXIT_INVALID, "INVALID" },
    { (uint64_t)-2, "BUSY" }, { (uint64_t)-3, "IDLE_REQUIRED" }, { (uint64_t)-4, "INVALID_PMC" },
};

static const char *const exception_names[32] = {
    "EXCP_DE", "EXCP_DB", "EXCP_NMI", "EXCP_BP", "EXCP_OF", "EXCP_BR", "EXCP_UD", "EXCP_NM",
    "EXCP_DF", "EXCP_9", "EXCP_TS", "EXCP_NP", "EXCP_SS", "EXCP_GP", "EXCP_PF", "EXCP_15",
    "EXCP_MF", "EXCP_AC", "EXCP_MC", "EXCP_XF", "EXCP_VE", "EXCP_CP", "EXCP_22", "EXCP_23",
    "EXCP_24", "EXCP_25", "EXCP_26", "EXCP_27", "EXCP_HV", "EXCP_VC", "EXCP_SX", "EXCP_31",
};

static const char *const cr_read_names[16] = {
    "CR0_READ", "CR1_READ", "CR2_READ", "CR3_READ", "CR4_READ", "CR5_READ", "CR6_READ", "CR7_READ",
    "CR8_READ", "CR9_READ", "CR10_READ", "CR11_READ", "CR12_READ", "CR13_READ", "CR14_READ", "CR15_READ",
};
static const char *const cr_write_names[16] = {
    "CR0_WRITE", "CR1_WRITE", "CR2_WRITE", "CR3_WRITE", "CR4_WRITE", "CR5_WRITE", "CR6_WRITE", "CR7_WRITE",
    "CR8_WRITE", "CR9_WRITE", "CR10_WRITE", "CR11_WRITE", "CR12_WRITE", "CR13_WRITE", "CR14_WRITE", "CR15_WRITE",
};
static const char *const dr_names[32] = {
    "DR0_READ", "DR1_READ", "DR2_READ", "DR3_READ", "DR4_READ", "DR5_READ", "DR6_READ", "DR7_READ",
    "DR8_READ", "DR9_READ", "DR10_READ", "DR11_READ", "DR12_READ", "DR13_READ", "DR14_READ", "DR15_READ",
    "DR0_WRITE", "DR1_WRITE", "DR2_WRITE", "DR3_WRITE", "DR4_WRITE", "DR5_WRITE", "DR6_WRITE", "DR7_WRITE",
    "DR8_WRITE", "DR9_WRITE", "DR10_WRITE", "DR11_WRITE", "DR12_WRITE", "DR13_WRITE", "DR14_WRITE", "DR15_WRITE",
};
static const char *const cr_trap_names[16] = {
    "CR0_WRITE_TRAP", "CR1_WRITE_TRAP", "CR2_WRITE_TRAP", "CR3_WRITE_TRAP", "CR4_WRITE_TRAP",
    "CR5_WRITE_TRAP", "CR6_WRITE_TRAP", "CR7_WRITE_TRAP", "CR8_WRITE_TRAP", "CR9_WRITE_TRAP",
    "CR10_WRITE_TRAP", "CR11_WRITE_TRAP", "CR12_WRITE_TRAP", "CR13_WRITE_TRAP", "CR14_WRITE_TRAP",
    "CR15_WRITE_TRAP",
};

int exit_code_is_invalid(uint64_t code)
{
    return code == VMEXIT_INVALID || code == VMEXIT_INVALID_32;
}

const char *exit_code_name(uint64_t code)
{
    if (exit_code_is_invalid(code))
        return "INVALID";
    if (code < 0x10)
        return cr_read_names[code];
    if (code < 0x20)
        return cr_write_names[code - 0x10];
    if (code < 0x40)
        return dr_names[code - 0x20];
    if (code < 0x60)
        return exception_names[code - VMEXIT_EXCP_BASE];
    if (code >= 0x90 && code < 0xa0)
        return cr_trap_names[code - 0x90];
    for (size_t i = 0; i < sizeof exit_names / sizeof exit_names[0]; i++)
        if (exit_names[i].code == code)
            return exit_names[i].name;
    return "UNKNOWN";
}

int npf_describe(uint64_t e, char *buf, size_t size)
{
    return fmt_snprintf(buf, size, "[%s%s%s%s%s%s%s%s]",
                        e & NPF_PRESENT ? "present" : "not-present",
                        e & NPF_WRITE ? " write" : "",
                        e & NPF_USER ? " user" : "",
                        e & NPF_RESERVED ? " reserved-bit" : "",
                        e & NPF_FETCH ? " fetch" : "",
                        e & NPF_SHADOW_STACK ? " shadow-stack" : "",
                        e & NPF_FINAL_TRANSLATION ? " final" : "",
                        e & NPF_PAGE_TABLE_WALK ? " page-table-walk" : "");
}

/* A permission map "extends to" MAXPHYADDR when its last byte is at or
 * above it; the CPU ignores bits 11:0 of the base. */
static int map_beyond(uint64_t base, uint64_t bytes, uint64_t max_phys_addr)
{
    base &= ~0xfffull;
    return base >= max_phys_addr || bytes > max_phys_addr - base;
}

static int pat_valid(uint64_t pat)
{
    for (int i = 0; i < 8; i++) {
        unsigned type = (unsigned)(pat >> (i * 8)) & 0xff;
        if (type > 7 || !(PAT_VALID_TYPES & (1u << type)))
            return 0;
    }
    return 1;
}

const char *vmcb_broken_rule(const struct vmcb *v, const struct vmcb_check_env *env)
{
    const struct vmcb_save_area *s = &v->save;
    const struct vmcb_control_area *c = &v->control;
    int long_paging = (s->efer & EFER_LME_BIT) && (s->cr0 & CR0_PG_BIT);

    if (!(s->efer & EFER_SVME_BIT))
        return "EFER.SVME is zero";
    if (!(s->cr0 & CR0_CD_BIT) && (s->cr0 & CR0_NW_BIT))
        return "CR0.CD is zero and CR0.NW is set";
    if (s->cr0 >> 32)
        return "CR0[63:32] are not zero";
    if (long_paging && (s->cr3 & ~0xfffull) >= env->max_phys_addr)
        return "CR3 has MBZ bits set (beyond MAXPHYADDR)";
    if (s->cr4 & ~env->cr4_allowed)
        return "CR4 has reserved or unsupported bits set";
    if (s->dr6 >> 32)
        return "DR6[63:32] are not zero";
    if (s->dr7 >> 32)
        return "DR7[63:32] are not zero";
    if (s->efer & ~EFER_ALLOWED)
        return "EFER has MBZ bits set";
    if (long_paging && !(s->cr4 & CR4_PAE_BIT))
        return "EFER.LME and CR0.PG are set and CR4.PAE is zero";
    if (long_paging && !(s->cr0 & CR0_PE_BIT))
        return "EFER.LME and CR0.PG are set and CR0.PE is zero";
    if (long_paging && (s->cr4 & CR4_PAE_BIT) && (s->cs.attrib & SEG_ATTR_L) &&
        (s->cs.attrib & SEG_ATTR_DB))
        return "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all set";
    if (!(c->intercept_misc4 & INTERCEPT_VMRUN))
        return "the VMRUN intercept bit is clear";
    if ((c->intercept_misc3 & INTERCEPT_MSR_PROT) &&
        map_beyond(c->msrpm_base_pa, MSRPM_BYTES, env->max_phys_addr))
        return "the MSR permission map is beyond MAXPHYADDR";
    if ((c->intercept_misc3 & INTERCEPT_IOIO_PROT) &&
        map_beyond(c->iopm_base_pa, IOPM_BYTES, env->max_phys_addr))
        return "the IO permission map is beyond MAXPHYADDR";
    if (c->guest_asid == 0)
        return "ASID is zero";
    if ((c->nested_ctl & NESTED_CTL_NP_ENABLE) && !env->npt_supported)
        return "nested paging enabled on a CPU without it";
    if ((c->nested_ctl & NESTED_CTL_NP_ENABLE) && !pat_valid(s->g_pat))
        return "G_PAT holds an invalid memory type (nested paging enabled)";
    if ((c->nested_ctl & NESTED_CTL_NP_ENABLE) && c->n_cr3 >= env->max_phys_addr)
        return "N_CR3 is beyond MAXPHYADDR";
    return 0;
}

int exit_shows_intercepted_event(const struct exit_event_env *e, unsigned *vector,
                                 const char **through)
{
    int real_mode = !(e->guest_cr0 & CR0_PE_BIT);
    *through = real_mode ? "IVT" : "IDT";
    if (e->exitintinfo & EVENT_VALID) {
        unsigned v = (unsigned)(e->exitintinfo & EVENT_VECTOR_MASK);
        unsigned type = (unsigned)(e->exitintinfo >> EVENT_TYPE_SHIFT) & EVENT_TYPE_MASK;
        int intercepted = (type == EVENT_TYPE_EXCEPTION && v < 32 &&
                           (e->intercepted_exceptions >> v & 1)) ||
                          (type == EVENT_TYPE_NMI && (e->intercept_misc3 & INTERCEPT_NMI)) ||
                          (type == EVENT_TYPE_INTR && (e->intercept_misc3 & INTERCEPT_INTR));
        if (intercepted) {
            *vector = v;
            return 1;
        }
    }
    if (e->exitcode == VMEXIT_NPF && real_mode && e->exitinfo2 < REAL_MODE_IVT_SIZE) {
        unsigned v = (unsigned)(e->exitinfo2 / REAL_MODE_IVT_ENTRY);
        if (v < 32 ? (e->intercepted_exceptions >> v & 1) : (e->intercept_misc3 & INTERCEPT_INTR) != 0) {
            *vector = v;
            return 1;
        }
    }
    return 0;
}
