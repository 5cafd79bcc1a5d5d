#include "states.h"

#include <stdint.h>

#include "console.h"
#include "hw.h"

const struct state_word state_words[] = {
    { "la57", STATE_LA57 }, { "efer", STATE_EFER }, { "pic", STATE_PIC },
    { "lapic_timer", STATE_LAPIC_TIMER }, { "lint0", STATE_LINT0 },
    { "selfipi", STATE_SELFIPI }, { "x2apic", STATE_X2APIC }, { 0, 0 },
};

/* ---- CPUID ------------------------------------------------------------------ */
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_7_ECX_LA57 (1u << 16)
#define CPUID_EXT_EDX_SYSCALL (1u << 11)
#define CPUID_EXT_EDX_NX (1u << 20)

static int has_la57(void)
{
    return cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ecx & CPUID_7_ECX_LA57);
}

/* ---- long mode round trip ------------------------------------------------------ */
#define PTE_P (1u << 0)
#define PTE_W (1u << 1)
#define PTE_PS (1u << 7)
#define PAGE_ENTRIES 512
#define MAP_GIB 4             /* identity map of the low 4 GiB, 2 MiB pages */
#define GIB_SHIFT 30
#define PAGE_2M_SHIFT 21

void la57_roundtrip(uint32_t root, uint32_t cr4);
extern uint32_t long_mode_cr4, long_mode_efer;

static uint64_t pml5[PAGE_ENTRIES] __attribute__((aligned(4096)));
static uint64_t pml4[PAGE_ENTRIES] __attribute__((aligned(4096)));
static uint64_t pdpt[PAGE_ENTRIES] __attribute__((aligned(4096)));
static uint64_t pd[MAP_GIB][PAGE_ENTRIES] __attribute__((aligned(4096)));

static void leave_long_mode_traces(void)
{
    int five = has_la57();
    pml5[0] = (uint32_t)pml4 | PTE_P | PTE_W;
    pml4[0] = (uint32_t)pdpt | PTE_P | PTE_W;
    for (uint32_t g = 0; g < MAP_GIB; g++) {
        pdpt[g] = (uint32_t)pd[g] | PTE_P | PTE_W;
        for (uint32_t i = 0; i < PAGE_ENTRIES; i++)
            pd[g][i] = ((uint64_t)g << GIB_SHIFT | (uint64_t)i << PAGE_2M_SHIFT) | PTE_P | PTE_W | PTE_PS;
    }
    /* what a 64-bit firmware runs with; none of it is cleared by leaving
     * paging, only EFER.LME by the round trip itself */
    uint32_t cr4 = read_cr4() | CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpuid(1, 0).ecx & CPUID_1_ECX_XSAVE)
        cr4 |= CR4_OSXSAVE;
    if (five)
        cr4 |= CR4_LA57;
    else
        say("la57: CPU has no LA57: 4-level long mode round trip only");
    write_cr0(read_cr0() | CR0_MP | CR0_NE | CR0_WP);
    la57_roundtrip(five ? (uint32_t)pml5 : (uint32_t)pml4, cr4);
}

/* ---- 8259 pair and PIT ---------------------------------------------------------- */
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define PIC1_REAL_MODE_BASE 0x08   /* IRQ0 arrives as vector 8, the #DF vector */
#define PIC2_REAL_MODE_BASE 0x70
#define ICW3_SLAVE_ON_IRQ2 0x04
#define ICW3_SLAVE_ID 0x02
#define ICW4_8086 0x01
#define OCW3_READ_IRR 0x0a
#define PIT_CH0 0x40
#define PIT_CMD 0x43
#define PIT_CH0_RATE_GENERATOR 0x34   /* channel 0, lo/hi byte, mode 2, binary */
#define PIT_INPUT_HZ 1193182u
#define PIT_TICK_HZ 1000u
#define PENDING_POLLS 10000000u       /* bounded wait for an interrupt to become pending */

static void unmask_legacy_pic(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, PIC1_REAL_MODE_BASE);
    outb(PIC2_DATA, PIC2_REAL_MODE_BASE);
    outb(PIC1_DATA, ICW3_SLAVE_ON_IRQ2);
    outb(PIC2_DATA, ICW3_SLAVE_ID);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0x00);
    outb(PIC2_DATA, 0x00);
    uint16_t divisor = PIT_INPUT_HZ / PIT_TICK_HZ;
    outb(PIT_CMD, PIT_CH0_RATE_GENERATOR);
    outb(PIT_CH0, (uint8_t)divisor);
    outb(PIT_CH0, (uint8_t)(divisor >> 8));
}

static uint8_t pic_irr(uint16_t cmd)
{
    outb(cmd, OCW3_READ_IRR);
    return inb(cmd);
}

/* ---- local APIC (xAPIC MMIO or x2APIC MSRs) --------------------------------------- */
#define APIC_BASE_EXTD (1u << 10)
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_ADDR_MASK 0xfffff000u
#define X2APIC_MSR_BASE 0x800u
#define REG_TPR 0x080
#define REG_SVR 0x0f0
#define REG_IRR 0x200
#define REG_ICR 0x300
#define REG_LVT_TIMER 0x320
#define REG_LVT_LINT0 0x350
#define REG_LVT_LINT1 0x360
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_CURRENT 0x390
#define REG_TIMER_DIVIDE 0x3e0
#define SVR_ENABLE (1u << 8)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_DELIVERY_EXTINT (7u << 8)
#define ICR_DEST_SELF (1u << 18)
#define TIMER_DIVIDE_BY_1 0xb
#define HOSTILE_TIMER_COUNT 0x100000u

static int x2apic_on(void) { return (rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD) != 0; }

static volatile uint32_t *xapic_reg(uint32_t reg)
{
    return (volatile uint32_t *)((uint32_t)rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK) + reg / 4;
}

static uint32_t apic_read(uint32_t reg)
{
    return x2apic_on() ? (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4)) : *xapic_reg(reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
    if (x2apic_on())
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
    else
        *xapic_reg(reg) = v;
}

static int apic_irr_has(unsigned vector)
{
    return (apic_read(REG_IRR + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

static void wait_pending(const char *what, int (*pending)(void))
{
    for (uint32_t i = 0; i < PENDING_POLLS; i++)
        if (pending())
            return;
    say("%s: not pending after %u polls", what, PENDING_POLLS);
}

static int timer_pending(void) { return apic_irr_has(HOSTILE_TIMER_VECTOR); }
static int ipi_pending(void) { return apic_irr_has(HOSTILE_IPI_VECTOR); }
static int irq0_pending(void) { return pic_irr(PIC1_CMD) & 1; }

static void apic_enable(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_write(REG_SVR, SVR_ENABLE | HOSTILE_SPURIOUS_VECTOR);
}

unsigned states_apply(unsigned states)
{
    unsigned applied = 0;
    if (states & STATE_LA57) {
        leave_long_mode_traces();
        applied |= STATE_LA57;
    }
    if (states & STATE_EFER) {
        struct cpuid_regs ext = cpuid(0x80000001u, 0);
        uint64_t efer = rdmsr(MSR_EFER);
        if (ext.edx & CPUID_EXT_EDX_NX)
            efer |= EFER_NXE;
        if (ext.edx & CPUID_EXT_EDX_SYSCALL)
            efer |= EFER_SCE;
        wrmsr(MSR_EFER, efer);
        applied |= STATE_EFER;
    }
    if (states & STATE_PIC) {
        unmask_legacy_pic();
        wait_pending("pic: IRQ0", irq0_pending);
        applied |= STATE_PIC;
    }
    if (states & STATE_X2APIC) {
        if (cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC) {
            /* xAPIC first: the architectural way into x2APIC mode */
            wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
            wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE | APIC_BASE_EXTD);
            applied |= STATE_X2APIC;
        } else {
            say("x2apic: CPU has no x2APIC: left out");
        }
    }
    if (states & (STATE_LAPIC_TIMER | STATE_LINT0 | STATE_SELFIPI))
        apic_enable();
    if (states & STATE_LAPIC_TIMER) {
        apic_write(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
        apic_write(REG_LVT_TIMER, LVT_TIMER_PERIODIC | HOSTILE_TIMER_VECTOR);
        apic_write(REG_TIMER_INITIAL, HOSTILE_TIMER_COUNT);
        wait_pending("lapic_timer", timer_pending);
        applied |= STATE_LAPIC_TIMER;
    }
    if (states & STATE_LINT0) {
        apic_write(REG_LVT_LINT0, LVT_DELIVERY_EXTINT);
        applied |= STATE_LINT0;
    }
    if (states & STATE_SELFIPI) {
        apic_write(REG_ICR, ICR_DEST_SELF | HOSTILE_IPI_VECTOR);
        wait_pending("selfipi", ipi_pending);
        applied |= STATE_SELFIPI;
    }
    return applied;
}

void states_report(unsigned applied)
{
    char words[96];
    unsigned n = 0;
    for (const struct state_word *w = state_words; w->word; w++) {
        if (!(applied & w->state))
            continue;
        for (const char *c = w->word; *c && n + 2 < sizeof words; c++)
            words[n++] = *c;
        words[n++] = ' ';
    }
    words[n ? n - 1 : 0] = 0;
    say("applied: %s", n ? words : "none");
    say("cpu: cr0=%x cr4=%x efer=%x", read_cr0(), read_cr4(), (uint32_t)rdmsr(MSR_EFER));
    if (applied & STATE_LA57)
        say("la57: in long mode cr4=%x efer=%x", long_mode_cr4, long_mode_efer);
    say("pic: imr=%x/%x irr=%x/%x", inb(PIC1_DATA), inb(PIC2_DATA), pic_irr(PIC1_CMD), pic_irr(PIC2_CMD));
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE)) {
        say("apic: mode=off base=%x", (uint32_t)base);
        return;
    }
    say("apic: mode=%s base=%x svr=%x tpr=%x", x2apic_on() ? "x2apic" : "xapic", (uint32_t)base,
        apic_read(REG_SVR), apic_read(REG_TPR));
    say("apic: lvt_timer=%x lint0=%x lint1=%x timer=%s irr[%x]=%u irr[%x]=%u",
        apic_read(REG_LVT_TIMER), apic_read(REG_LVT_LINT0), apic_read(REG_LVT_LINT1),
        apic_read(REG_TIMER_CURRENT) ? "running" : "stopped",
        HOSTILE_TIMER_VECTOR, timer_pending(), HOSTILE_IPI_VECTOR, ipi_pending());
}
