#include "apic.h"

#include "kernel/cpu/cpu.h"
#include "vectors.h"

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define X2APIC_MSR_BASE 0x800u
#define XAPIC_ID_SHIFT 24
#define CPUID_1_EDX_APIC (1u << 9)

#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_DIVIDE 0x3e0
#define REG_TIMER_CURRENT 0x390
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_DELIVERY_NMI (4u << 8)
#define TIMER_DIVIDE_BY_16 0x3
#define ISR_REGISTERS 8
#define DRAIN_LIMIT 256              /* at most one EOI per vector */

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0b
#define PIC_CASCADE_IRQ 2
#define PIC2_VECTOR_BASE (LEGACY_PIC_VECTOR_BASE + 8)

static int apic_present(void)
{
    return (cpuid(1, 0).edx & CPUID_1_EDX_APIC) != 0;
}

/* present and enabled: its registers can be read */
static int apic_usable(void)
{
    return apic_present() && (rdmsr(MSR_APIC_BASE) & APIC_BASE_ENABLE);
}

int apic_x2apic_mode(void)
{
    return (rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC) != 0;
}

static volatile uint32_t *xapic_reg(uint32_t reg)
{
    return (volatile uint32_t *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK) + reg);
}

uint32_t apic_read(uint32_t reg)
{
    if (apic_x2apic_mode())
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
    return *xapic_reg(reg);
}

uint32_t apic_current_id(void)
{
    if (!apic_usable())
        return 0;
    uint32_t id = apic_read(APIC_REG_ID);
    return apic_x2apic_mode() ? id : id >> XAPIC_ID_SHIFT;
}

void apic_write(uint32_t reg, uint32_t v)
{
    if (apic_x2apic_mode())
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
    else
        *xapic_reg(reg) = v;
}

static int pic_in_service(uint16_t cmd_port, unsigned bit)
{
    outb(cmd_port, OCW3_READ_ISR);
    return (inb(cmd_port) >> bit) & 1;
}

void legacy_pic_eoi_if_in_service(unsigned irq)
{
    if (irq >= 8) {
        if (!pic_in_service(PIC2_CMD, irq - 8))
            return;
        outb(PIC2_CMD, OCW2_EOI);
        outb(PIC1_CMD, OCW2_EOI);   /* the cascade line on the master */
        return;
    }
    if (pic_in_service(PIC1_CMD, irq))
        outb(PIC1_CMD, OCW2_EOI);
}

void apic_quiet_legacy_pic(void)
{
    outb(PIC1_DATA, 0xff);          /* masked first, while being reprogrammed */
    outb(PIC2_DATA, 0xff);
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, LEGACY_PIC_VECTOR_BASE);
    outb(PIC2_DATA, PIC2_VECTOR_BASE);
    outb(PIC1_DATA, 1 << PIC_CASCADE_IRQ);
    outb(PIC2_DATA, PIC_CASCADE_IRQ);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
    /* an IRQ firmware took and never acknowledged */
    for (unsigned irq = 0; irq < LEGACY_PIC_VECTORS; irq++)
        legacy_pic_eoi_if_in_service(irq);
}

static int apic_any_in_service(void)
{
    for (unsigned i = 0; i < ISR_REGISTERS; i++)
        if (apic_read(APIC_REG_ISR0 + 0x10 * i))
            return 1;
    return 0;
}

void apic_init(void)
{
    if (!apic_present())
        return;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    int x2apic = apic_x2apic_mode();
    uint32_t version = apic_read(APIC_REG_VERSION);
    uint32_t ext = !x2apic && (version & APIC_VERSION_EXT_SPACE) ? apic_read(APIC_REG_EXT_FEATURE) : 0;
    uint16_t lvts[APIC_LVT_MAX_ENTRIES];
    unsigned n = apic_lvts_to_mask(version, ext, x2apic, lvts);
    for (unsigned i = 0; i < n; i++)
        apic_write(lvts[i], LVT_MASKED);
    /* LINT1 is where the platform's NMI line arrives (and QEMU's monitor
     * `nmi`): an NMI, edge-triggered, never masked, so that NMIs are seen
     * and counted rather than lost */
    apic_write(APIC_REG_LVT_LINT1, LVT_DELIVERY_NMI);
    apic_write(REG_TIMER_INITIAL, 0);
    apic_write(APIC_REG_ESR, 0);     /* errors firmware left: cleared */
    apic_write(APIC_REG_ESR, 0);
    apic_write(APIC_REG_TPR, 0);
    apic_write(APIC_REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    for (unsigned i = 0; i < DRAIN_LIMIT && apic_any_in_service(); i++)
        apic_eoi();
}

/* The timer at divide-by-16 with this LVT entry and initial count; the
 * APIC enabled first if firmware left it off. */
static void timer_program(uint32_t lvt, uint32_t initial_count)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_write(APIC_REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    apic_write(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic_write(APIC_REG_LVT_TIMER, lvt);
    apic_write(REG_TIMER_INITIAL, initial_count);
}

void apic_timer_start(uint32_t initial_count)
{
    timer_program(LVT_TIMER_PERIODIC | VECTOR_TIMER, initial_count);
}

void apic_timer_stop(void)
{
    apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    apic_write(REG_TIMER_INITIAL, 0);
}

void apic_eoi(void)
{
    apic_write(APIC_REG_EOI, 0);
}

void apic_eoi_if_in_service(unsigned vector)
{
    if (!apic_usable())
        return;
    if ((apic_read(APIC_REG_ISR0 + 0x10 * (vector / 32)) >> (vector % 32)) & 1)
        apic_eoi();
}

void apic_timer_count_down(uint32_t initial_count)
{
    timer_program(LVT_MASKED | VECTOR_TIMER, initial_count);   /* one-shot, no interrupt */
}

uint32_t apic_timer_current(void)
{
    return apic_read(REG_TIMER_CURRENT);
}
