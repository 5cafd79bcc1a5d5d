; Hostile loader: multiboot1 entry (32-bit protected mode, paging off), a
; round trip through long mode (to leave CR4.LA57 and friends set as a 64-bit
; firmware does) and the jump to the loaded kernel.

%define MB1_MAGIC          0x1BADB002
%define MB1_PAGE_ALIGN     (1 << 0)
%define MB1_MEMORY_INFO    (1 << 1)
%define MB1_FLAGS          (MB1_PAGE_ALIGN | MB1_MEMORY_INFO)
%define MB1_LOADER_MAGIC   0x2BADB002

%define SEL_CODE32         0x08
%define SEL_DATA           0x10
%define SEL_CODE64         0x18

%define CR0_PG             (1 << 31)
%define MSR_EFER           0xC0000080
%define EFER_LME           (1 << 8)
%define STACK_SIZE         (16 * 1024)

global _start, la57_roundtrip, enter_kernel, long_mode_cr4, long_mode_efer
extern loader_main, __bss_start, __bss_end

section .multiboot
align 4
        dd MB1_MAGIC
        dd MB1_FLAGS
        dd -(MB1_MAGIC + MB1_FLAGS)

section .text
bits 32
_start:
        cli
        cld
        mov     esi, eax                ; loader magic
        mov     ebp, ebx                ; multiboot information
        lgdt    [gdt_ptr]
        jmp     SEL_CODE32:.flat
.flat:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     edi, __bss_start        ; the stack lives in .bss
        mov     ecx, __bss_end
        sub     ecx, edi
        xor     eax, eax
        rep stosb
        mov     esp, stack_top
        push    ebp
        push    esi
        call    loader_main             ; does not return
.halt:
        cli
        hlt
        jmp     .halt

; void la57_roundtrip(uint32_t root, uint32_t cr4): enter long mode with CR4 =
; cr4 (PAE and, when set, LA57) and CR3 = root, note CR4 and EFER as seen in
; 64-bit mode, then leave long mode again: paging off, EFER.LME clear, CR4
; untouched. Interrupts are off throughout.
la57_roundtrip:
        push    ebx
        mov     eax, [esp + 8]
        mov     edx, [esp + 12]
        mov     cr4, edx
        mov     cr3, eax
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        wrmsr
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        jmp     SEL_CODE64:.long64
bits 64
.long64:
        mov     rax, cr4
        mov     [long_mode_cr4], eax
        mov     ecx, MSR_EFER
        rdmsr
        mov     [long_mode_efer], eax
        push    SEL_CODE32              ; back to compatibility mode
        mov     eax, .compat
        push    rax
        retfq
bits 32
.compat:
        mov     eax, cr0
        and     eax, ~CR0_PG            ; leaves long mode (EFER.LMA = 0)
        mov     cr0, eax
        mov     ecx, MSR_EFER
        rdmsr
        and     eax, ~EFER_LME
        wrmsr
        pop     ebx
        ret

; void enter_kernel(uint32_t entry, uint32_t info): the multiboot1 handoff
; (EAX = magic, EBX = info, flat 32-bit segments, paging off, IF = 0).
enter_kernel:
        mov     ecx, [esp + 4]
        mov     ebx, [esp + 8]
        mov     eax, MB1_LOADER_MAGIC
        cli
        jmp     ecx

section .rodata
align 8
gdt:
        dq 0
        dq 0x00cf9a000000ffff           ; 0x08 code, 32-bit, flat
        dq 0x00cf92000000ffff           ; 0x10 data, flat
        dq 0x00af9a000000ffff           ; 0x18 code, 64-bit
gdt_end:
gdt_ptr:
        dw gdt_end - gdt - 1
        dd gdt

section .bss
alignb 16
long_mode_cr4:  resd 1
long_mode_efer: resd 1
alignb 16
stack:  resb STACK_SIZE
stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
