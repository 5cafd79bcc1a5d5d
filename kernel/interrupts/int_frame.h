/* What an interrupt or exception hands its handler: the registers
 * kernel/interrupts/isr.asm saves and what the CPU pushed. */
#ifndef SVMTEST_INT_FRAME_H
#define SVMTEST_INT_FRAME_H

#include <stdint.h>

/* Lowest address first. */
struct int_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

#endif
