#include "idt.h"

#include "apic.h"
#include "gdt.h"
#include "kernel/console/console.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/msr_safe.h"
#include "vectors.h"

#define IDT_ENTRIES 256
#define GATE_INTERRUPT_PRESENT 0x8e
#define NO_CPU 0xffffffffu

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

extern const uint64_t isr_stub_table[IDT_ENTRIES];

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static timer_handler on_timer;
static exception_handler on_exception;
static machine_check_handler on_machine_check;
static struct interrupt_counts counts;

void idt_init(void)
{
    for (unsigned v = 0; v < IDT_ENTRIES; v++) {
        uint64_t handler = isr_stub_table[v];
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)handler,
            .selector = SEL_CODE64,
            .ist = (uint8_t)vector_ist(v),
            .type_attr = GATE_INTERRUPT_PRESENT,
            .offset_mid = (uint16_t)(handler >> 16),
            .offset_high = (uint32_t)(handler >> 32),
        };
    }
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
        sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}

void idt_set_timer_handler(timer_handler h) { on_timer = h; }
void idt_set_exception_handler(exception_handler h) { on_exception = h; }
void idt_set_machine_check_handler(machine_check_handler h) { on_machine_check = h; }
const struct interrupt_counts *interrupt_counts(void) { return &counts; }

static void count_stray(unsigned vector)
{
    counts.stray[vector]++;
    counts.stray_total++;
}

void interrupt_dispatch(struct int_frame *f);
void interrupt_dispatch(struct int_frame *f)
{
    /* the CPU reporting an exception, so that an exception while it reports
     * is seen as nested (per CPU: an AP's contained exception must not make
     * a later one on the boot CPU look nested) */
    static volatile uint32_t reporting_cpu = NO_CPU;
    unsigned vector = (unsigned)f->vector;
    switch (vector_kind(vector)) {
    case VECTOR_KIND_NMI:
        counts.nmi++;
        return;
    case VECTOR_KIND_TIMER:
        if (on_timer)
            on_timer();
        else
            apic_eoi_if_in_service(vector);
        return;
    case VECTOR_KIND_WAKE:
        apic_eoi();
        return;
    case VECTOR_KIND_SPURIOUS:
        count_stray(vector);
        return;
    case VECTOR_KIND_LEGACY_PIC:
        count_stray(vector);
        legacy_pic_eoi_if_in_service(vector - LEGACY_PIC_VECTOR_BASE);
        return;
    case VECTOR_KIND_STRAY:
        count_stray(vector);
        apic_eoi_if_in_service(vector);
        return;
    case VECTOR_KIND_MACHINE_CHECK:
        if (on_machine_check) {
            on_machine_check(f);   /* returns only for one that arrives while one is reported */
            return;
        }
        break;   /* before kmain registers it: an exception like the others */
    case VECTOR_KIND_EXCEPTION:
        break;
    }
    if (msr_safe_fixup(vector, &f->rip))
        return;      /* a #GP rdmsr_safe expects: it returns -1 */
    uint32_t cpu = apic_current_id();
    if (reporting_cpu == cpu || !on_exception) {
        /* an exception while reporting one: say so and stop */
        console_printf("\n# nested exception %s at rip=0x%016lx: halted\n",
                       exception_mnemonic(vector), f->rip);
        cpu_halt_forever();
    }
    reporting_cpu = cpu;
    on_exception(f);
    cpu_halt_forever();
}
