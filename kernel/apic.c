#include "apic.h"

#include "cpu.h"
#include "idt.h"

#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define X2APIC_MSR_BASE 0x800u

#define REG_EOI 0x0b0
#define REG_SVR 0x0f0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INITIAL 0x380
#define REG_TIMER_DIVIDE 0x3e0
#define REG_TIMER_CURRENT 0x390
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define TIMER_DIVIDE_BY_16 0x3

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define PIC1_VECTOR_BASE 0x20
#define PIC2_VECTOR_BASE 0x28

static void apic_write(uint32_t reg, uint32_t v)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (base & APIC_BASE_X2APIC)
        wrmsr(X2APIC_MSR_BASE + (reg >> 4), v);
    else
        *(volatile uint32_t *)(uintptr_t)((base & APIC_BASE_ADDR_MASK) + reg) = v;
}

void apic_quiet_legacy_pic(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    outb(PIC1_DATA, PIC1_VECTOR_BASE);
    outb(PIC2_DATA, PIC2_VECTOR_BASE);
    outb(PIC1_DATA, 4);   /* slave on IRQ2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, ICW4_8086);
    outb(PIC2_DATA, ICW4_8086);
    outb(PIC1_DATA, 0xff);
    outb(PIC2_DATA, 0xff);
}

void apic_timer_start(uint32_t initial_count)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    apic_write(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic_write(REG_LVT_TIMER, LVT_TIMER_PERIODIC | VECTOR_TIMER);
    apic_write(REG_TIMER_INITIAL, initial_count);
}

void apic_timer_stop(void)
{
    apic_write(REG_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    apic_write(REG_TIMER_INITIAL, 0);
}

void apic_eoi(void)
{
    apic_write(REG_EOI, 0);
}

static uint32_t apic_read(uint32_t reg)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (base & APIC_BASE_X2APIC)
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
    return *(volatile uint32_t *)(uintptr_t)((base & APIC_BASE_ADDR_MASK) + reg);
}

void apic_timer_count_down(uint32_t initial_count)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_write(REG_SVR, SVR_ENABLE | VECTOR_SPURIOUS);
    apic_write(REG_TIMER_DIVIDE, TIMER_DIVIDE_BY_16);
    apic_write(REG_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);   /* one-shot, no interrupt */
    apic_write(REG_TIMER_INITIAL, initial_count);
}

uint32_t apic_timer_current(void)
{
    return apic_read(REG_TIMER_CURRENT);
}
