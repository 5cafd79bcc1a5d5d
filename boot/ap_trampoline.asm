; The application processors' start-up code. kernel/smp.c copies the bytes
; from ap_trampoline_start to ap_trampoline_end into a free page below 1 MiB,
; writes the parameter block (struct ap_trampoline_params, kernel/smp.c: the
; addresses of this copy, CR0/CR3/CR4/EFER, the 64-bit GDT and IDT, stack,
; entry point and its argument) and sends INIT-SIPI-SIPI with that page as
; the start vector. The AP starts here in real mode at CS:IP = page:0 and
; goes through protected mode into long mode on svmtest's own page tables.
; Nothing here holds a link-time address: every address the code needs is
; read from the parameter block, which C fills in at run time.

%include "boot/gdt.inc"

%define CR0_PE          (1 << 0)
%define MSR_EFER        0xC0000080
%define MSR_APIC_BASE   0x1B
%define MSR_X2APIC_ID   0x802
%define APIC_BASE_X2APIC (1 << 10)
%define APIC_BASE_ADDR  0xfffff000
%define XAPIC_REG_ID    0x20
%define XAPIC_ID_SHIFT  24

; the parameter block (kernel/smp.c mirrors it and checks the offsets)
%define P_GDT32         16      ; dw limit, dd base: this copy's own GDT
%define P_FAR32         24      ; dd offset, dw selector: the 32-bit code
%define P_FAR64         32      ; dd offset, dw selector: the 64-bit code
%define P_GDT64         40      ; dw limit, dq base: the AP's kernel GDT
%define P_APIC_ID       52      ; dd: the APIC ID of the CPU this copy is for
%define P_IDT64         56      ; dw limit, dq base: the kernel IDT
%define P_CR3           72
%define P_CR4           80
%define P_EFER          88
%define P_CR0           96
%define P_STACK         104
%define P_ENTRY         112
%define P_ARG           120
%define P_GDT           128     ; 4 descriptors: null, code32, data, code64
%define P_CODE          160

global ap_trampoline_start, ap_trampoline_end
global ap_trampoline_gdt, ap_trampoline_pm32, ap_trampoline_lm64

section .rodata
align 16
bits 16
ap_trampoline_start:
        cli
        cld
        jmp     near ap_trampoline_real
        times P_GDT - ($ - ap_trampoline_start) db 0
ap_trampoline_gdt:
        dq 0                            ; null
        dq 0x00cf9a000000ffff           ; SEL_CODE32
        dq 0x00cf92000000ffff           ; SEL_DATA
        dq 0x00af9a000000ffff           ; SEL_CODE64
%if $ - ap_trampoline_start != P_CODE
  %error "parameter block layout"
%endif
ap_trampoline_real:
        mov     ax, cs
        mov     ds, ax
        xor     ebx, ebx
        mov     bx, ax
        shl     ebx, 4                  ; ebx = this page's address, kept to the end
        o32 lgdt [P_GDT32]
        mov     eax, cr0
        or      eax, CR0_PE
        mov     cr0, eax
        jmp     dword far [P_FAR32]

bits 32
ap_trampoline_pm32:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        ; only the CPU this copy is for goes on, before it touches any memory
        ; but this page: another one started here (QEMU keeps a start-up IPI
        ; pending across the INIT that parks a CPU) halts
        mov     ecx, MSR_APIC_BASE
        rdmsr
        test    eax, APIC_BASE_X2APIC
        jz      .xapic
        mov     ecx, MSR_X2APIC_ID
        rdmsr
        jmp     .have_id
.xapic:
        and     eax, APIC_BASE_ADDR
        mov     eax, [eax + XAPIC_REG_ID]
        shr     eax, XAPIC_ID_SHIFT
.have_id:
        cmp     eax, [ebx + P_APIC_ID]
        jne     .not_mine
        mov     eax, [ebx + P_CR4]      ; PAE, LA57 clear: a 4-level root
        mov     cr4, eax
        mov     eax, [ebx + P_CR3]
        mov     cr3, eax
        mov     ecx, MSR_EFER
        mov     eax, [ebx + P_EFER]     ; LME (and NXE as the boot CPU has it)
        mov     edx, [ebx + P_EFER + 4]
        wrmsr
        mov     eax, [ebx + P_CR0]      ; the boot CPU's CR0: PG, caches on
        mov     cr0, eax
        jmp     far [ebx + P_FAR64]
.not_mine:
        cli
        hlt
        jmp     .not_mine

bits 64
ap_trampoline_lm64:
        mov     ebx, ebx                ; upper half undefined after compatibility mode
        lgdt    [rbx + P_GDT64]
        lidt    [rbx + P_IDT64]
        mov     rsp, [rbx + P_STACK]
        push    SEL_CODE64
        lea     rax, [rel .kernel_cs]
        push    rax
        retfq
.kernel_cs:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     ax, SEL_TSS
        ltr     ax
        mov     rdi, [rbx + P_ARG]
        mov     rax, [rbx + P_ENTRY]
        xor     ebp, ebp
        call    rax                     ; never returns
.halt:
        cli
        hlt
        jmp     .halt
ap_trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
