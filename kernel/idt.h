/* IDT: the 32 exception vectors, the guest-bounding timer and the APIC
 * spurious vector. */
#ifndef SVMTEST_IDT_H
#define SVMTEST_IDT_H

#include <stdint.h>

#define VECTOR_TIMER 0xf0
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

#endif
