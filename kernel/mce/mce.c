#include "mce.h"

#include "kernel/cpu/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/report/report.h"

#define CPUID_1_EDX_MCE (1u << 7)
#define CPUID_1_EDX_MCA (1u << 14)
#define CPUID_RAS_LEAF 0x80000007u
#define CPUID_RAS_EBX_SMCA (1u << 3)
#define ALL_ERRORS_ENABLED (~0ull)
#define LINE_MAX 160

static uint64_t boot_status[MCE_BANKS_MAX];   /* the boot CPU's banks at mce_init */
static volatile int reporting;
static mce_ap_handler on_ap;
static int (*is_ap)(void);

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

static uint64_t bank_status(unsigned i, int smca)
{
    uint32_t msr = mce_bank_msr(i, MCE_REG_STATUS, smca);
    return msr ? rdmsr(msr) : 0;
}

void mce_enable(void)
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

void mce_init(void)
{
    mce_enable();
    if (!mca_present())
        return;
    int smca = smca_present();
    for (unsigned i = 0; i < bank_count(); i++)
        boot_status[i] = bank_status(i, smca);
}

void mce_set_ap_handler(mce_ap_handler h, int (*ap)(void))
{
    on_ap = h;
    is_ap = ap;
}

int mce_pending(void)
{
    if (!mca_present())
        return 0;
    if (rdmsr(MSR_MCG_STATUS) & MCG_STATUS_MCIP)
        return 1;
    if (is_ap && is_ap())
        return 0;      /* boot_status holds the boot CPU's banks */
    int smca = smca_present();
    for (unsigned i = 0; i < bank_count(); i++)
        if (mce_bank_is_new_uncorrected(bank_status(i, smca), boot_status[i]))
            return 1;
    return 0;
}

static void clear_in_progress(void)
{
    if (mca_present())
        wrmsr(MSR_MCG_STATUS, 0);
}

/* This CPU's MCG registers and valid banks into r (the first
 * MCE_RECORD_BANKS banks). */
static void read_state(struct mce_record *r, uint64_t rip)
{
    r->rip = rip;
    r->banks = 0;
    if (!mca_present())
        return;
    int smca = smca_present();
    r->mcg_cap = rdmsr(MSR_MCG_CAP);
    r->mcg_status = rdmsr(MSR_MCG_STATUS);
    unsigned n = bank_count() < MCE_RECORD_BANKS ? bank_count() : MCE_RECORD_BANKS;
    for (unsigned i = 0; i < n; i++) {
        struct mce_bank b = { .status = bank_status(i, smca) };
        if ((b.status & MCI_STATUS_VAL) && (b.status & MCI_STATUS_ADDRV))
            b.addr = rdmsr(mce_bank_msr(i, MCE_REG_ADDR, smca));
        if ((b.status & MCI_STATUS_VAL) && (b.status & MCI_STATUS_MISCV))
            b.misc = rdmsr(mce_bank_msr(i, MCE_REG_MISC, smca));
        r->bank[i] = b;
    }
    r->banks = n;
}

void mce_record_here(struct mce_record *shared, uint32_t apic_id, uint64_t rip)
{
    if (__atomic_fetch_add(&shared->count, 1, __ATOMIC_ACQ_REL) == 0) {
        shared->apic_id = apic_id;
        read_state(shared, rip);
        __atomic_store_n(&shared->complete, 1, __ATOMIC_RELEASE);
    }
    clear_in_progress();
}

/* The diagnostics: MCG_STATUS, where, each valid bank. who: "" for the boot
 * CPU, " on APIC <n>" for another. */
static void print_record(const struct mce_record *r, const char *who, const char *where)
{
    char line[LINE_MAX];
    if (!mca_present()) {
        diag("machine check%s: the CPU reports no MCA banks", who);
        return;
    }
    mce_format_global(line, sizeof line, r->mcg_status, r->mcg_cap);
    diag("machine check%s: %s%s%s", who, line, where[0] ? " " : "", where);
    unsigned valid = 0;
    for (unsigned i = 0; i < r->banks; i++) {
        if (!(r->bank[i].status & MCI_STATUS_VAL))
            continue;
        mce_format_bank(line, sizeof line, i, &r->bank[i]);
        diag("machine check%s: %s", who, line);
        valid++;
    }
    if (!valid)
        diag("machine check%s: no bank holds a valid error", who);
}

static _Noreturn void report_this_cpu(uint64_t rip, const char *where)
{
    static struct mce_record r;
    read_state(&r, rip);
    clear_in_progress();
    report_open_console_early();
    print_record(&r, "", where);
    report_fatal("machine check (MCG_STATUS=0x%016lx)", r.mcg_status);
}

void mce_report(const struct int_frame *f)
{
    uint64_t rip = f ? f->rip : 0;
    if (on_ap)
        on_ap(rip);               /* an application processor's: recorded, no return */
    if (report.ended || reporting) {
        /* after the end marker nothing is printed (counted, the CPU
         * halts); while one is reported, another is ignored and the
         * report goes on */
        clear_in_progress();
        if (report.ended)
            report_after_end();
        return;
    }
    reporting = 1;
    char where[40];
    if (f)
        fmt_snprintf(where, sizeof where, "rip=0x%016lx", rip);
    else
        fmt_snprintf(where, sizeof where, "during the guest (#VMEXIT MC)");
    report_this_cpu(rip, where);
}

_Noreturn void mce_report_pending(const char *after)
{
    if (on_ap)
        on_ap(0);                 /* an application processor's: recorded, no return */
    reporting = 1;
    char where[80];
    fmt_snprintf(where, sizeof where, "found after %s", after);
    report_this_cpu(0, where);
}

_Noreturn void mce_report_record(const struct mce_record *r)
{
    reporting = 1;
    char who[32], where[40] = "";
    fmt_snprintf(who, sizeof who, " on APIC %u", r->apic_id);
    if (r->rip)
        fmt_snprintf(where, sizeof where, "rip=0x%016lx", r->rip);
    report_open_console_early();
    if (r->count > 1)
        diag("machine check%s: %u machine checks on other CPUs, the first one's registers follow",
             who, r->count);
    print_record(r, who, where);
    report_fatal("machine check on APIC %u (MCG_STATUS=0x%016lx)", r->apic_id, r->mcg_status);
}
