#include "mce.h"

#include "cpu.h"
#include "mce_decode.h"
#include "report.h"

#define CPUID_1_EDX_MCE (1u << 7)
#define CPUID_1_EDX_MCA (1u << 14)
#define CPUID_RAS_LEAF 0x80000007u
#define CPUID_RAS_EBX_SMCA (1u << 3)
#define ALL_ERRORS_ENABLED (~0ull)

static int mca_present(void)
{
    uint32_t need = CPUID_1_EDX_MCE | CPUID_1_EDX_MCA;
    return (cpuid(1, 0).edx & need) == need;
}

static int smca_present(void)
{
    return cpuid(0x80000000u, 0).eax >= CPUID_RAS_LEAF &&
           (cpuid(CPUID_RAS_LEAF, 0).ebx & CPUID_RAS_EBX_SMCA);
}

static unsigned bank_count(void)
{
    unsigned n = MCG_CAP_COUNT(rdmsr(MSR_MCG_CAP));
    return n < MCE_BANKS_MAX ? n : MCE_BANKS_MAX;
}

void mce_init(void)
{
    if (!mca_present())
        return;
    int smca = smca_present();
    if (rdmsr(MSR_MCG_CAP) & MCG_CAP_CTL_P)
        wrmsr(MSR_MCG_CTL, ALL_ERRORS_ENABLED);
    for (unsigned i = 0; i < bank_count(); i++) {
        uint32_t ctl = mce_bank_msr(i, MCE_REG_CTL, smca);
        if (ctl)
            wrmsr(ctl, ALL_ERRORS_ENABLED);
    }
}

_Noreturn void mce_report(const struct int_frame *f)
{
    char line[160];
    report_open_console_early();
    if (!mca_present()) {
        diag("machine check: the CPU reports no MCA banks");
        report_fatal("machine check");
    }
    int smca = smca_present();
    uint64_t cap = rdmsr(MSR_MCG_CAP), status = rdmsr(MSR_MCG_STATUS);
    mce_format_global(line, sizeof line, status, cap);
    if (f)
        diag("machine check: %s rip=0x%016lx", line, f->rip);
    else
        diag("machine check: %s during the guest (#VMEXIT MC)", line);
    unsigned valid = 0;
    for (unsigned i = 0; i < bank_count(); i++) {
        uint32_t msr = mce_bank_msr(i, MCE_REG_STATUS, smca);
        if (!msr)
            continue;
        struct mce_bank b = { .status = rdmsr(msr) };
        if (!(b.status & MCI_STATUS_VAL))
            continue;
        if (b.status & MCI_STATUS_ADDRV)
            b.addr = rdmsr(mce_bank_msr(i, MCE_REG_ADDR, smca));
        if (b.status & MCI_STATUS_MISCV)
            b.misc = rdmsr(mce_bank_msr(i, MCE_REG_MISC, smca));
        mce_format_bank(line, sizeof line, i, &b);
        diag("machine check: %s", line);
        valid++;
    }
    if (!valid)
        diag("machine check: no bank holds a valid error");
    report_fatal("machine check (MCG_STATUS=0x%016lx)", status);
}
