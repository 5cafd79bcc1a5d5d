/* IDT: all 256 vectors. Exceptions end the run (reported by kernel/report.c)
 * except NMI, which is counted, and #MC, which is reported with the machine
 * check banks (kernel/mce.c); the guest-bounding timer has a handler of its
 * own; every other vector (firmware's or a loader's leftovers, the APIC
 * spurious vector) is counted, acknowledged where it came from, and ignored. */
#ifndef SVMTEST_IDT_H
#define SVMTEST_IDT_H

#include <stdint.h>

#define VECTOR_NMI 2
#define VECTOR_MC 18
#define VECTOR_TIMER 0xf0
#define VECTOR_WAKE 0xf1       /* ends the boot CPU's nap while an AP runs (kernel/smp.c) */
#define VECTOR_SPURIOUS 0xff

/* Pushed by kernel/isr.asm, lowest address first. */
struct int_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

typedef void (*timer_handler)(void);

void idt_init(void);
void idt_set_timer_handler(timer_handler h);
/* Called by kernel/main.c's reporting code when an exception ends the run. */
typedef void (*exception_handler)(const struct int_frame *f); /* must not return */
void idt_set_exception_handler(exception_handler h);
const char *exception_mnemonic(unsigned vector);

/* What arrived that svmtest did not ask for: NMIs and stray vectors. */
struct interrupt_counts {
    uint32_t nmi;
    uint32_t stray_total;
    uint32_t stray[256];    /* by vector; VECTOR_SPURIOUS included */
};
const struct interrupt_counts *interrupt_counts(void);
/* "nmi=N stray=M [0x40 x3, 0xff x1]" into buf (the verbose=1 line). */
void interrupt_counts_describe(const struct interrupt_counts *c, char *buf, unsigned size);

#endif
