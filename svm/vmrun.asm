; svm_vmrun(guest_vmcb_pa, host_save_pa, regs): run the guest until #VMEXIT.
; Saves the host's VMSAVE state (FS, GS, TR, LDTR, syscall MSRs) in the host
; save VMCB, loads the guest's with VMLOAD, exchanges the general registers
; the VMCB does not hold (struct guest_regs, svm/vcpu.h) and enters the guest
; with GIF=0 and IF=1, so that a physical interrupt (the timer that bounds
; the run) exits with VMEXIT_INTR; it is delivered to the host after STGI.

global svm_vmrun

struc guest_regs
    .rbx:   resq 1
    .rcx:   resq 1
    .rdx:   resq 1
    .rsi:   resq 1
    .rdi:   resq 1
    .rbp:   resq 1
    .r8:    resq 1
    .r9:    resq 1
    .r10:   resq 1
    .r11:   resq 1
    .r12:   resq 1
    .r13:   resq 1
    .r14:   resq 1
    .r15:   resq 1
endstruc

; stack slots after the prologue
%define HOST_SAVE_PA    0
%define GUEST_VMCB_PA   8
%define REGS            16

section .text
bits 64
svm_vmrun:
        push    rbx
        push    rbp
        push    r12
        push    r13
        push    r14
        push    r15
        push    rdx
        push    rdi
        push    rsi
        clgi
        mov     rax, rsi
        vmsave
        mov     rax, rdx
        mov     rbx, [rax + guest_regs.rbx]
        mov     rcx, [rax + guest_regs.rcx]
        mov     rdx, [rax + guest_regs.rdx]
        mov     rsi, [rax + guest_regs.rsi]
        mov     rdi, [rax + guest_regs.rdi]
        mov     rbp, [rax + guest_regs.rbp]
        mov     r8,  [rax + guest_regs.r8]
        mov     r9,  [rax + guest_regs.r9]
        mov     r10, [rax + guest_regs.r10]
        mov     r11, [rax + guest_regs.r11]
        mov     r12, [rax + guest_regs.r12]
        mov     r13, [rax + guest_regs.r13]
        mov     r14, [rax + guest_regs.r14]
        mov     r15, [rax + guest_regs.r15]
        mov     rax, [rsp + GUEST_VMCB_PA]
        vmload
        sti
.enter_guest:
        vmrun
        vmsave                          ; rax: the guest VMCB again
        mov     rax, [rsp + REGS]
        mov     [rax + guest_regs.rbx], rbx
        mov     [rax + guest_regs.rcx], rcx
        mov     [rax + guest_regs.rdx], rdx
        mov     [rax + guest_regs.rsi], rsi
        mov     [rax + guest_regs.rdi], rdi
        mov     [rax + guest_regs.rbp], rbp
        mov     [rax + guest_regs.r8],  r8
        mov     [rax + guest_regs.r9],  r9
        mov     [rax + guest_regs.r10], r10
        mov     [rax + guest_regs.r11], r11
        mov     [rax + guest_regs.r12], r12
        mov     [rax + guest_regs.r13], r13
        mov     [rax + guest_regs.r14], r14
        mov     [rax + guest_regs.r15], r15
        mov     rax, [rsp + HOST_SAVE_PA]
        vmload
        cli
        stgi
        add     rsp, 24
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbp
        pop     rbx
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
