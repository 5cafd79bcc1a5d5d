#include "idt.h"

#include "console.h"
#include "cpu.h"
#include "gdt.h"
#include "msr_safe.h"

#define IDT_ENTRIES 256
#define GATE_INTERRUPT_PRESENT 0x8e
#define IST_EMERGENCY 1
#define VECTOR_NMI 2
#define VECTOR_DF 8
#define VECTOR_MC 18

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

extern const uint64_t isr_stub_table[32];
extern void isr_timer(void);
extern void isr_spurious(void);

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static timer_handler on_timer;
static exception_handler on_exception;

static void set_gate(unsigned vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_gate){
        .offset_low = (uint16_t)handler,
        .selector = SEL_CODE64,
        .ist = ist,
        .type_attr = GATE_INTERRUPT_PRESENT,
        .offset_mid = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 32; v++) {
        int emergency = v == VECTOR_NMI || v == VECTOR_DF || v == VECTOR_MC;
        set_gate(v, isr_stub_table[v], emergency ? IST_EMERGENCY : 0);
    }
    set_gate(VECTOR_TIMER, (uint64_t)isr_timer, 0);
    set_gate(VECTOR_SPURIOUS, (uint64_t)isr_spurious, 0);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
        sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}

void idt_set_timer_handler(timer_handler h) { on_timer = h; }
void idt_set_exception_handler(exception_handler h) { on_exception = h; }

const char *exception_mnemonic(unsigned vector)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP",
        "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
        "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
    };
    return vector < 32 ? names[vector] : "interrupt";
}

void interrupt_dispatch(struct int_frame *f);
void interrupt_dispatch(struct int_frame *f)
{
    static int in_exception;
    if (f->vector == VECTOR_TIMER) {
        if (on_timer)
            on_timer();
        return;
    }
    if (msr_safe_fixup(f))
        return;      /* a #GP rdmsr_safe expects: it returns -1 */
    if (in_exception || !on_exception) {
        /* an exception while reporting one: say so and stop */
        console_printf("\n# nested exception %s at rip=0x%016lx: halted\n",
                       exception_mnemonic((unsigned)f->vector), f->rip);
        cpu_halt_forever();
    }
    in_exception = 1;
    on_exception(f);
    cpu_halt_forever();
}
