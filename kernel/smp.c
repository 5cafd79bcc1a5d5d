#include "smp.h"

#include <stddef.h>
#include <string.h>

#include "boot.h"
#include "kernel/acpi/acpi.h"
#include "kernel/acpi/madt.h"
#include "kernel/cpu/cpu.h"
#include "kernel/interrupts/apic.h"
#include "kernel/interrupts/gdt.h"
#include "kernel/interrupts/idt.h"
#include "kernel/interrupts/vectors.h"
#include "kernel/mce/mce.h"
#include "kernel/report/report.h"
#include "timer.h"

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_REG_ICR_LOW 0x300
#define APIC_REG_ICR_HIGH 0x310
#define APIC_REG_TIMER_INITIAL 0x380
#define APIC_REG_TIMER_DIVIDE 0x3e0
#define XAPIC_DEST_SHIFT 24
#define XAPIC_ID_MAX 0xfeu
#define MSR_X2APIC_ICR 0x830
#define LVT_MASKED (1u << 16)
#define TIMER_DIVIDE_BY_16 0x3
/* the boot CPU's nap between looks at the AP: a one-shot APIC timer of this
 * many counts (10 ms under QEMU, whose APIC counts nanoseconds; some tens of
 * ms on hardware); the AP ends it early with an IPI when it is done, and
 * the bounds are timed by the TSC */
#define NAP_TIMER_COUNT 625000u
#define ICR_FIXED 0x00000000u
#define X2APIC_DEST_SHIFT 32
#define CPUID_1_ECX_X2APIC (1u << 21)

/* ICR: delivery mode INIT or start-up, level assert, physical destination */
#define ICR_INIT 0x00000500u
#define ICR_STARTUP 0x00000600u
#define ICR_LEVEL_ASSERT 0x00004000u
#define ICR_DELIVERY_PENDING 0x00001000u

/* MP initialisation timing (Intel SDM vol. 3 "MP initialization protocol
 * algorithm", AMD APM vol. 2 "Initializing processor state"): INIT, 10 ms,
 * SIPI, 200 us, SIPI; for the roll call that starts every CPU at once.
 * Later INITs (to start a parked CPU's work, to park it again) wait only
 * REINIT_DELAY_US, as Linux does for every AMD CPU of family 0xf and later
 * (arch/x86/kernel/smpboot.c, init_udelay = 0) and so every CPU with SVM:
 * the CPU is without CR4.MCE only that long. */
#define INIT_DELAY_US 10000u
#define REINIT_DELAY_US 10u
#define SIPI_DELAY_US 200u
#define MS_US 1000u
#define ICR_IDLE_WAIT_US 50u
#define ICR_IDLE_TRIES 200u          /* 10 ms */
#define AP_START_MS 1000u            /* from the second SIPI to the AP's first word */
/* the roll call's one wait for every CPU: 2 s and 1 ms per CPU listed, at most 10 s */
#define ROLL_CALL_BASE_MS 2000u
#define ROLL_CALL_PER_CPU_MS 1u
#define ROLL_CALL_MAX_MS 10000u
#define CHECKIN_WRITE_TRIES 100u     /* 10 ms for the last ID to land after the count */
#define CHECKIN_NONE 0xffffffffu
#define APIC_ID_NONE 0xffffffffu     /* P_APIC_ID of a park: no CPU goes on */
#define MCE_COMPLETE_TRIES 1000u     /* 100 ms for a recorded machine check's registers */
#define AP_QUIET_MS 10000u           /* no progress this long: the AP is stalled */
#define OFF_STACK_WAIT_US 100u
#define OFF_STACK_TRIES 1000u        /* 100 ms from its last word to its halt */

#define TRAMPOLINE_LOW 0x1000u       /* page 0 holds the real-mode IVT and BDA */
#define TRAMPOLINE_HIGH 0xa0000u     /* SIPI vectors 0xa0-0xbf are not RAM */
#define PAGE_IVT16 0xc00u            /* boot/ap_trampoline.asm: its interrupt tables */
#define PAGE_IDT32 0xc80u
#define TABLE_VECTORS 32u
#define GATE32_INTERRUPT 0x8e00u     /* present, DPL 0, 32-bit interrupt gate */
#define AP_STACK_SIZE (64u * 1024)

enum slot_state { SLOT_SENT = 1, SLOT_STARTED, SLOT_DONE, SLOT_FAULT };

/* Shared with the AP being started. */
struct ap_slot {
    volatile uint32_t state;
    volatile uint32_t off_stack;  /* the AP no longer uses its stack: it only halts */
    uint32_t apic_id;
    smp_work work;
    void *ctx;
    uint64_t vector, error_code, rip, cr2;
};

/* boot/ap_trampoline.asm's parameter block (its P_* offsets) */
struct __attribute__((packed)) ap_trampoline_params {
    uint8_t code[16];
    uint16_t gdt32_limit;
    uint32_t gdt32_base;
    uint16_t pad0;
    uint32_t far32_offset;
    uint16_t far32_selector;
    uint16_t pad1;
    uint32_t far64_offset;
    uint16_t far64_selector;
    uint16_t pad2;
    uint16_t gdt64_limit;
    uint64_t gdt64_base;
    uint16_t pad3;
    uint32_t apic_id;
    uint16_t idt_limit;
    uint64_t idt_base;
    uint8_t pad4[6];
    uint64_t cr3, cr4, efer, cr0, stack_top, entry, arg;
    uint32_t roll_call, checkin_count, checkin_max, checkin;
    uint32_t mce_record, early_mce;
    uint16_t ivt16_limit;
    uint32_t ivt16_base;
    uint16_t pad5;
    uint16_t idt32_limit;
    uint32_t idt32_base;
    uint8_t pad6[26];
};
_Static_assert(offsetof(struct ap_trampoline_params, gdt32_limit) == 16, "P_GDT32");
_Static_assert(offsetof(struct ap_trampoline_params, far32_offset) == 24, "P_FAR32");
_Static_assert(offsetof(struct ap_trampoline_params, far64_offset) == 32, "P_FAR64");
_Static_assert(offsetof(struct ap_trampoline_params, gdt64_limit) == 40, "P_GDT64");
_Static_assert(offsetof(struct ap_trampoline_params, apic_id) == 52, "P_APIC_ID");
_Static_assert(offsetof(struct ap_trampoline_params, idt_limit) == 56, "P_IDT64");
_Static_assert(offsetof(struct ap_trampoline_params, cr3) == 72, "P_CR3");
_Static_assert(offsetof(struct ap_trampoline_params, arg) == 120, "P_ARG");
_Static_assert(offsetof(struct ap_trampoline_params, roll_call) == 128, "P_ROLL_CALL");
_Static_assert(offsetof(struct ap_trampoline_params, checkin) == 140, "P_CHECKIN");
_Static_assert(offsetof(struct ap_trampoline_params, early_mce) == 148, "P_EARLY_MCE");
_Static_assert(offsetof(struct ap_trampoline_params, ivt16_limit) == 152, "P_IVT16");
_Static_assert(offsetof(struct ap_trampoline_params, idt32_limit) == 160, "P_IDT32");
_Static_assert(sizeof(struct ap_trampoline_params) == 192, "P_GDT");

struct __attribute__((packed)) gate32 { uint16_t offset_low, selector, type, offset_high; };

extern const uint8_t ap_trampoline_start[], ap_trampoline_end[];
extern const uint8_t ap_trampoline_gdt[], ap_trampoline_pm32[], ap_trampoline_lm64[];
extern const uint8_t ap_trampoline_mc16[], ap_trampoline_park16[];
extern const uint8_t ap_trampoline_mc32[], ap_trampoline_park32[];
extern uint8_t host_pml4[];

static struct madt_info madt;
static const char *unavailable;
static uint32_t bsp_apic_id;
static int x2apic;              /* the boot CPU's APIC is in x2APIC mode */
static int use_x2apic;          /* ... or will be when the first AP starts */
static uint64_t trampoline_page;
static unsigned ap_list[MADT_CPUS_MAX], ap_count;
static unsigned idle_list[MADT_CPUS_MAX], idle_count;
static const char *idle_why[MADT_CPUS_MAX];
static const char online_capable_why[] = "online-capable but disabled in the MADT";

static struct ap_slot slot;
/* the roll call: who answered */
static uint32_t checkin[MADT_CPUS_MAX];
static uint8_t answered[MADT_CPUS_MAX];       /* by ap_list index */
static unsigned answered_count, rolled;       /* answered of the first rolled APs */
static unsigned roll_call_ms;
static int started;                           /* APs were started: they may be running */
static struct mce_record ap_mce;              /* an AP's machine check, for the boot CPU */
static int current_ap = -1;                   /* the AP running work, or -1 */
static uint8_t ap_stack[AP_STACK_SIZE] __attribute__((aligned(16)));

/* This CPU's APIC ID, in the mode its own APIC is in. */
/* TSC ticks per millisecond: kernel/timer.c's calibration (against the
 * ACPI PM timer or the PIT); 0 = no clock. */
static uint64_t tsc_per_ms;

/* Wait us microseconds by the TSC; -1 (no wait) when its rate is unknown:
 * kernel/timer.c found neither the ACPI PM timer nor the PIT. */
static int delay_us(unsigned us)
{
    if (!tsc_per_ms)
        return -1;
    uint64_t start = rdtsc(), ticks = tsc_per_ms * us / MS_US;
    while (rdtsc() - start < ticks)
        cpu_pause();
    return 0;
}

/* Halt until the APIC timer's one-shot ends or the AP's wake-up IPI comes
 * (both on VECTOR_WAKE, acknowledged by kernel/interrupts/idt.c and not counted): the
 * boot CPU leaves the host CPU to the AP while under emulation. The same
 * APIC timer bounds every guest run (svm/vcpu.c). */
static void nap(void)
{
    apic_write(APIC_REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic_write(APIC_REG_LVT_TIMER, VECTOR_WAKE);
    apic_write(APIC_REG_TIMER_INITIAL, NAP_TIMER_COUNT);
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | VECTOR_WAKE);
    apic_write(APIC_REG_TIMER_INITIAL, 0);
}

/* Send one IPI from this CPU, in its own APIC's mode; 0, or -1 when the
 * xAPIC never reported it delivered. */
static int send_ipi(uint32_t apic_id, uint32_t icr)
{
    if (apic_x2apic_mode()) {
        wrmsr(MSR_X2APIC_ICR, ((uint64_t)apic_id << X2APIC_DEST_SHIFT) | icr);
        return 0;
    }
    apic_write(APIC_REG_ICR_HIGH, apic_id << XAPIC_DEST_SHIFT);
    apic_write(APIC_REG_ICR_LOW, icr);
    for (unsigned i = 0; i < ICR_IDLE_TRIES; i++) {
        if (!(apic_read(APIC_REG_ICR_LOW) & ICR_DELIVERY_PENDING))
            return 0;
        delay_us(ICR_IDLE_WAIT_US);
    }
    return -1;
}

static void add_idle(unsigned madt_index, const char *why)
{
    idle_why[idle_count] = why;
    idle_list[idle_count++] = madt_index;
}

static uint64_t pick_trampoline_page(const struct boot_info *info)
{
    for (uint64_t page = TRAMPOLINE_HIGH - LOW_PAGE_SIZE; page >= TRAMPOLINE_LOW;
         page -= LOW_PAGE_SIZE)
        if (bootinfo_low_page_free(info, page))
            return page;
    return 0;
}

void smp_discover(const struct boot_info *info)
{
    struct acpi_root root;
    const char *why = 0;
    uint32_t len = 0;
    uint64_t base = rdmsr(MSR_APIC_BASE);

    ap_count = idle_count = 0;
    x2apic = (base & APIC_BASE_X2APIC) != 0;
    /* x2APIC mode where the CPU has it (IDs above 254 need it; Linux does
     * the same), switched to when the first AP starts */
    use_x2apic = x2apic || (cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC);
    bsp_apic_id = apic_current_id();
    if (!(base & APIC_BASE_ENABLE)) {
        unavailable = "the boot CPU's local APIC is disabled";
        return;
    }
    if (acpi_open(&root, info->rsdp, info->rsdp_len, identity, 0, &why)) {
        unavailable = why;
        return;
    }
    const uint8_t *t = acpi_find(&root, "APIC", &len);
    if (!t) {
        unavailable = "no ACPI MADT";
        return;
    }
    if (madt_parse(t, len, &madt, &why)) {
        unavailable = why;
        return;
    }
    for (unsigned i = 0; i < madt.count; i++) {
        const struct madt_cpu *c = &madt.cpu[i];
        if (c->apic_id == bsp_apic_id)
            continue;
        if (c->state == MADT_CPU_ONLINE_CAPABLE)
            add_idle(i, online_capable_why);
        else if (c->apic_id > XAPIC_ID_MAX && !use_x2apic)
            add_idle(i, "x2APIC ID out of the xAPIC's reach (no x2APIC)");
        else
            ap_list[ap_count++] = i;
    }
    trampoline_page = pick_trampoline_page(info);
    if (ap_count && !trampoline_page)
        unavailable = "the memory map names no free page below 1 MiB for the start-up code";
}

const char *smp_unavailable(void) { return unavailable; }
unsigned smp_ap_count(void) { return unavailable ? 0 : ap_count; }
uint32_t smp_ap_apic_id(unsigned i) { return madt.cpu[ap_list[i]].apic_id; }
unsigned smp_idle_count(void) { return unavailable ? 0 : idle_count; }
uint32_t smp_idle_apic_id(unsigned i) { return madt.cpu[idle_list[i]].apic_id; }
const char *smp_idle_reason(unsigned i) { return idle_why[i]; }
int smp_idle_online_capable(unsigned i) { return idle_why[i] == online_capable_why; }
const char *smp_apic_mode(void) { return use_x2apic ? "x2APIC" : "xAPIC"; }
unsigned smp_madt_unusable(void) { return madt.unusable; }
unsigned smp_madt_dropped(void) { return madt.dropped; }

static uint8_t *page(void) { return (uint8_t *)(uintptr_t)trampoline_page; }
static struct ap_trampoline_params *params(void) { return (struct ap_trampoline_params *)page(); }

/* On an application processor svmtest started (the boot CPU is not one). */
static int on_ap(void)
{
    return started && apic_current_id() != bsp_apic_id;
}

/* Where the AP lands in 64-bit mode, on its own stack (boot/ap_trampoline.asm). */
static _Noreturn void ap_entry(struct ap_slot *s)
{
    s->apic_id = apic_current_id();
    mce_enable();
    __atomic_store_n(&s->state, SLOT_STARTED, __ATOMIC_RELEASE);
    s->work(s->ctx);
    __atomic_store_n(&s->state, SLOT_DONE, __ATOMIC_RELEASE);
    send_ipi(bsp_apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | VECTOR_WAKE);   /* end its nap */
    __atomic_store_n(&s->off_stack, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

/* A machine check on an AP in 64-bit mode (kernel/mce/mce.c calls this first):
 * recorded for the boot CPU, which alone prints; the AP stops. */
static void ap_machine_check(uint64_t rip)
{
    if (!on_ap())
        return;
    mce_record_here(&ap_mce, apic_current_id(), rip);
    send_ipi(bsp_apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | VECTOR_WAKE);
    __atomic_store_n(&slot.off_stack, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

/* The IDT is shared: an exception on the AP is written to the slot and the
 * AP stops; one on the boot CPU takes the kernel's own path. */
static _Noreturn void on_exception(const struct int_frame *f)
{
    if (apic_current_id() == bsp_apic_id) {
        idt_set_exception_handler(report_exception);
        report_exception(f);
    }
    slot.vector = f->vector;
    slot.error_code = f->error_code;
    slot.rip = f->rip;
    slot.cr2 = read_cr2();
    __atomic_store_n(&slot.state, SLOT_FAULT, __ATOMIC_RELEASE);
    send_ipi(bsp_apic_id, ICR_FIXED | ICR_LEVEL_ASSERT | VECTOR_WAKE);
    __atomic_store_n(&slot.off_stack, 1, __ATOMIC_RELEASE);
    cpu_halt_forever();
}

static uint32_t page_address(const uint8_t *symbol)
{
    return (uint32_t)(trampoline_page + (uint64_t)(symbol - ap_trampoline_start));
}

/* The page, once: code, the constant parameters, and its own interrupt
 * tables (real mode: #MC counted, the rest park; protected mode: #MC
 * recorded, the rest park). */
static void install_trampoline(void)
{
    size_t size = (size_t)(ap_trampoline_end - ap_trampoline_start);
    memcpy(page(), ap_trampoline_start, size);
    struct ap_trampoline_params *p = params();
    uint16_t segment = (uint16_t)(trampoline_page >> 4);
    uint32_t *ivt = (uint32_t *)(page() + PAGE_IVT16);
    struct gate32 *idt = (struct gate32 *)(page() + PAGE_IDT32);
    for (unsigned v = 0; v < TABLE_VECTORS; v++) {
        const uint8_t *real = v == VECTOR_MC ? ap_trampoline_mc16 : ap_trampoline_park16;
        const uint8_t *prot = v == VECTOR_MC ? ap_trampoline_mc32 : ap_trampoline_park32;
        ivt[v] = (uint32_t)segment << 16 | (uint32_t)(real - ap_trampoline_start);
        uint32_t off = page_address(prot);
        idt[v] = (struct gate32){ (uint16_t)off, SEL_CODE32, GATE32_INTERRUPT, (uint16_t)(off >> 16) };
    }
    p->ivt16_limit = TABLE_VECTORS * 4 - 1;
    p->ivt16_base = (uint32_t)trampoline_page + PAGE_IVT16;
    p->idt32_limit = TABLE_VECTORS * sizeof(struct gate32) - 1;
    p->idt32_base = (uint32_t)trampoline_page + PAGE_IDT32;

    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr;
    __asm__ volatile("sidt %0" : "=m"(idtr));
    p->gdt32_limit = 4 * 8 - 1;
    p->gdt32_base = page_address(ap_trampoline_gdt);
    p->far32_offset = page_address(ap_trampoline_pm32);
    p->far32_selector = SEL_CODE32;
    p->far64_offset = page_address(ap_trampoline_lm64);
    p->far64_selector = SEL_CODE64;
    p->gdt64_limit = GDT_BYTES - 1;
    p->gdt64_base = (uint64_t)gdt_prepare_ap();
    p->apic_id = APIC_ID_NONE;
    p->idt_limit = idtr.limit;
    p->idt_base = idtr.base;
    p->cr3 = (uint64_t)host_pml4;                 /* 4-level: the AP starts with LA57 off */
    p->cr4 = (read_cr4() & ~CR4_LA57) | CR4_MCE;
    p->efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
    p->cr0 = read_cr0();
    p->stack_top = (uint64_t)(ap_stack + sizeof ap_stack);
    p->entry = (uint64_t)ap_entry;
    p->arg = (uint64_t)&slot;
    p->checkin = (uint32_t)(uintptr_t)checkin;
    p->checkin_max = MADT_CPUS_MAX;
    p->checkin_count = 0;
    p->mce_record = (uint32_t)(uintptr_t)&ap_mce;
    p->early_mce = 0;
}

static uint32_t slot_state(void)
{
    return __atomic_load_n(&slot.state, __ATOMIC_ACQUIRE);
}

static int ap_machine_check_seen(void)
{
    return __atomic_load_n(&ap_mce.count, __ATOMIC_ACQUIRE) ||
           __atomic_load_n(&params()->early_mce, __ATOMIC_ACQUIRE);
}

/* Wait until the slot leaves state from, an AP takes a machine check, or
 * the progress counter has not moved for limit_ms (TSC time). */
static void wait_state_change(uint32_t from, unsigned limit_ms, const volatile unsigned *progress)
{
    unsigned last = progress ? *progress : 0;
    uint64_t limit = limit_ms * tsc_per_ms, since = rdtsc();
    while (slot_state() == from && !ap_machine_check_seen() && rdtsc() - since < limit) {
        nap();
        if (progress && *progress != last) {
            last = *progress;
            since = rdtsc();
        }
    }
}

static int clock_bad;

static void start_up(uint32_t id, uint32_t vector)
{
    send_ipi(id, ICR_STARTUP | ICR_LEVEL_ASSERT | vector);
}

static uint32_t sipi_vector(void)
{
    return (uint32_t)(trampoline_page / LOW_PAGE_SIZE);
}

/* INIT, a short wait, SIPI: the CPU runs the page again; the parameter
 * block says whether it goes on (P_APIC_ID) or parks. */
static void restart(uint32_t id)
{
    send_ipi(id, ICR_INIT | ICR_LEVEL_ASSERT);
    delay_us(REINIT_DELAY_US);
    start_up(id, sipi_vector());
}

static void park(uint32_t id)
{
    __atomic_store_n(&params()->apic_id, APIC_ID_NONE, __ATOMIC_RELEASE);
    restart(id);
}

/* The report's stop hook: an error on the boot CPU while an AP works
 * parks that AP before the report goes on. */
static void stop_working_ap(void)
{
    if (current_ap >= 0)
        park(smp_ap_apic_id((unsigned)current_ap));
    current_ap = -1;
}

unsigned smp_roll_call_ms(void) { return roll_call_ms; }
int smp_answered(unsigned i) { return i < rolled && answered[i]; }

unsigned smp_start_all(unsigned n)
{
    if (n > smp_ap_count())
        n = smp_ap_count();
    rolled = n;
    answered_count = 0;
    tsc_per_ms = timer_calibration()->tsc_hz / MS_US;
    if (!n)
        return 0;
    if (use_x2apic && !x2apic) {
        wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_X2APIC);
        x2apic = 1;
        bsp_apic_id = apic_current_id();   /* as on_ap will read it */
    }
    for (unsigned i = 0; i < MADT_CPUS_MAX; i++)
        checkin[i] = CHECKIN_NONE;
    install_trampoline();
    params()->roll_call = 1;
    mce_set_ap_handler(ap_machine_check, on_ap);
    started = 1;
    /* every IPI before any wait, then one bounded wait for all */
    for (unsigned i = 0; i < n; i++)
        send_ipi(smp_ap_apic_id(i), ICR_INIT | ICR_LEVEL_ASSERT);
    clock_bad = delay_us(INIT_DELAY_US);
    for (unsigned i = 0; i < n; i++)
        start_up(smp_ap_apic_id(i), sipi_vector());
    delay_us(SIPI_DELAY_US);
    for (unsigned i = 0; i < n; i++)
        start_up(smp_ap_apic_id(i), sipi_vector());
    roll_call_ms = ROLL_CALL_BASE_MS + ROLL_CALL_PER_CPU_MS * n;
    if (roll_call_ms > ROLL_CALL_MAX_MS)
        roll_call_ms = ROLL_CALL_MAX_MS;
    if (!clock_bad) {
        uint64_t limit = roll_call_ms * tsc_per_ms, since = rdtsc();
        while (__atomic_load_n(&params()->checkin_count, __ATOMIC_ACQUIRE) < n &&
               !ap_machine_check_seen() && rdtsc() - since < limit)
            nap();
    }
    params()->roll_call = 0;
    unsigned count = __atomic_load_n(&params()->checkin_count, __ATOMIC_ACQUIRE);
    if (count > MADT_CPUS_MAX)
        count = MADT_CPUS_MAX;
    for (unsigned k = 0; k < count; k++) {
        for (unsigned t = 0; t < CHECKIN_WRITE_TRIES &&
                             __atomic_load_n(&checkin[k], __ATOMIC_ACQUIRE) == CHECKIN_NONE; t++)
            delay_us(OFF_STACK_WAIT_US);
        for (unsigned i = 0; i < n; i++)
            if (!answered[i] && smp_ap_apic_id(i) == checkin[k]) {
                answered[i] = 1;
                answered_count++;
                break;
            }
    }
    return answered_count;
}

const struct mce_record *smp_machine_check(void)
{
    static struct mce_record early;
    if (!started)
        return 0;
    if (__atomic_load_n(&ap_mce.count, __ATOMIC_ACQUIRE)) {
        for (unsigned t = 0; t < MCE_COMPLETE_TRIES && !__atomic_load_n(&ap_mce.complete, __ATOMIC_ACQUIRE); t++)
            delay_us(OFF_STACK_WAIT_US);
        return &ap_mce;
    }
    uint32_t n = __atomic_load_n(&params()->early_mce, __ATOMIC_ACQUIRE);
    if (!n)
        return 0;
    /* in real mode, before its registers could be read */
    early = (struct mce_record){ .count = n, .apic_id = APIC_ID_NONE };
    return &early;
}

void smp_run_on(unsigned i, smp_work work, void *ctx, const volatile unsigned *progress,
                struct smp_outcome *out)
{
    uint32_t id = smp_ap_apic_id(i);
    *out = (struct smp_outcome){ .status = SMP_NO_START, .apic_id = id };
    slot = (struct ap_slot){ .state = SLOT_SENT, .work = work, .ctx = ctx };
    idt_set_exception_handler(on_exception);
    current_ap = (int)i;
    report_set_stop_others(stop_working_ap);

    params()->gdt64_base = (uint64_t)gdt_prepare_ap();   /* a fresh TSS: ltr marks it busy */
    __atomic_store_n(&params()->apic_id, id, __ATOMIC_RELEASE);
    restart(id);
    delay_us(SIPI_DELAY_US);
    if (slot_state() == SLOT_SENT)
        start_up(id, sipi_vector());
    if (!clock_bad)
        wait_state_change(SLOT_SENT, AP_START_MS, 0);
    if (!clock_bad && slot_state() == SLOT_STARTED)
        wait_state_change(SLOT_STARTED, AP_QUIET_MS, progress);

    switch (slot_state()) {
    case SLOT_SENT: out->status = SMP_NO_START; break;
    case SLOT_STARTED: out->status = SMP_STALLED; break;
    case SLOT_DONE: out->status = SMP_DONE; break;
    case SLOT_FAULT: out->status = SMP_FAULT; break;
    }
    if (clock_bad && out->status != SMP_DONE && out->status != SMP_FAULT)
        out->status = SMP_NO_CLOCK;
    if (slot_state() != SLOT_SENT)
        out->apic_id = slot.apic_id;
    out->vector = slot.vector;
    out->error_code = slot.error_code;
    out->rip = slot.rip;
    out->cr2 = slot.cr2;
    /* the next AP gets the same stack: this one must be done with it (under
     * emulation its last steps may lag behind the state it wrote) */
    int stopped = out->status == SMP_DONE || out->status == SMP_FAULT || ap_machine_check_seen();
    for (unsigned k = 0; k < OFF_STACK_TRIES && stopped &&
                         !__atomic_load_n(&slot.off_stack, __ATOMIC_ACQUIRE); k++)
        delay_us(OFF_STACK_WAIT_US);
    /* park it again in the page, halted with CR4.MCE and the page's own
     * interrupt table. The AP's wake-up IPI may still be pending here:
     * taken in this window. */
    report_set_stop_others(0);
    current_ap = -1;
    park(id);
    delay_us(SIPI_DELAY_US);
    irq_window();
    idt_set_exception_handler(report_exception);
}
