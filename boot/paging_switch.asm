; host_paging_switch(root, la57): reload the host paging mode.
; CR4.LA57 can change only while paging is off, and paging can be turned off
; only outside 64-bit mode: drop to the 32-bit code segment (compatibility
; mode), clear CR0.PG (long mode goes inactive, EFER.LME stays set), set or
; clear CR4.LA57, load the root, set CR0.PG (long mode active again) and
; return to the 64-bit segment. Kernel code, data and stack are identity
; mapped below 4 GiB by both roots, so they stay valid across the switch.
;
; The upper halves of the general registers are undefined after a stay in
; compatibility mode, so every callee-saved register (RBX, RBP, R12-R15) is
; kept on the stack and RSP is zero-extended before it is used again.
; Called with interrupts off and, when SVM is on, GIF clear (CLGI: no NMI or
; other event may arrive while the 64-bit IDT is unusable); root (rdi) must
; be below 4 GiB, and so must the stack.

%include "boot/gdt.inc"

%define CR0_PG          (1 << 31)
%define CR4_LA57        (1 << 12)

global host_paging_switch

section .text
bits 64
host_paging_switch:
        push    rbx
        push    rbp
        push    r12
        push    r13
        push    r14
        push    r15
        mov     ebx, esi                ; la57 flag
        push    SEL_CODE32
        lea     rax, [rel .compat]
        push    rax
        retfq
bits 32
.compat:
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax
        mov     eax, cr4
        and     eax, ~CR4_LA57
        test    ebx, ebx
        jz      .set_cr4
        or      eax, CR4_LA57
.set_cr4:
        mov     cr4, eax
        mov     cr3, edi
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        push    SEL_CODE64
        push    .long
        retf
bits 64
.long:
        mov     esp, esp                ; zero-extends: RSP's upper half is clean
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbp
        pop     rbx
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
