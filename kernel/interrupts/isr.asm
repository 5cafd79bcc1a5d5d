; Interrupt entry stubs for all 256 vectors. Each pushes a vector number
; (and a zero where the CPU pushes no error code), then the common path
; pushes the general registers in the order of struct int_frame
; (kernel/interrupts/idt.h) and calls interrupt_dispatch(frame), which decides what the
; vector means (kernel/interrupts/idt.c). Every vector has a handler: firmware or a
; loader may leave any of them armed.

extern interrupt_dispatch
global isr_stub_table

section .text
bits 64

%macro STUB_NOERR 1
isr_%1:
        push    0
        push    %1
        jmp     isr_common
%endmacro
%macro STUB_ERR 1
isr_%1:
        push    %1
        jmp     isr_common
%endmacro

; exceptions that push an error code: 8, 10-14, 17, 21, 29, 30
%assign v 0
%rep 256
  %if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
    STUB_ERR v
  %else
    STUB_NOERR v
  %endif
  %assign v v + 1
%endrep

isr_common:
        push    rax
        push    rbx
        push    rcx
        push    rdx
        push    rsi
        push    rdi
        push    rbp
        push    r8
        push    r9
        push    r10
        push    r11
        push    r12
        push    r13
        push    r14
        push    r15
        mov     rdi, rsp
        mov     rbx, rsp                ; callee-saved: the frame
        and     rsp, -16
        cld
        call    interrupt_dispatch
        mov     rsp, rbx
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     r11
        pop     r10
        pop     r9
        pop     r8
        pop     rbp
        pop     rdi
        pop     rsi
        pop     rdx
        pop     rcx
        pop     rbx
        pop     rax
        add     rsp, 16                 ; vector, error code
        iretq

section .rodata
align 8
isr_stub_table:
%assign v 0
%rep 256
        dq isr_ %+ v
  %assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
