; Guest code page at GPA 0xfffff000 that goes from the reset vector through
; protected mode to long mode with 4- or 5-level paging (CR4 from the host),
; reads the linear address read_va and reports with VMMCALL: RAX =
; vmmcall_marker, RBX = the value read. Everything it touches before paging
; is on this page; after paging the page is identity mapped by the guest
; tables. Parameters: guest_params.inc.
%include "svm/guest_params.inc"

%define PAGE_LINEAR     0xfffff000
%define PAGE_IN_RESET_CS 0xf000     ; the page's offset in the reset CS segment
%define CR0_PE          (1 << 0)
%define CR0_PG          (1 << 31)
%define MSR_EFER        0xC0000080
%define EFER_LME        (1 << 8)
%define SEL_CODE32      0x08
%define SEL_CODE64      0x10
%define SEL_DATA        0x18

bits 16
org PAGE_LINEAR
start16:
        cmp     dword [cs:PAGE_IN_RESET_CS + (P - $$) + params.hang], 0
        jne     hang
        o32 lgdt [cs:PAGE_IN_RESET_CS + (gdt_ptr - $$)]
        mov     eax, cr0
        or      eax, CR0_PE
        mov     cr0, eax
        jmp     dword SEL_CODE32:start32

bits 32
start32:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     eax, [P + params.cr4]
        mov     cr4, eax
        mov     eax, [P + params.cr3]
        mov     cr3, eax
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        wrmsr
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        jmp     SEL_CODE64:start64

bits 64
start64:
        mov     rbx, [rel P + params.read_va]
        mov     ebx, [rbx]
        mov     eax, [rel P + params.vmmcall_marker]
        vmmcall
.hang:
        jmp     .hang

align 8
gdt:
        dq 0
        dq 0x00cf9a000000ffff           ; SEL_CODE32
        dq 0x00af9a000000ffff           ; SEL_CODE64
        dq 0x00cf92000000ffff           ; SEL_DATA
gdt_end:
gdt_ptr:
        dw gdt_end - gdt - 1
        dd gdt

bits 16
hang:
        jmp     hang

        times GUEST_PARAMS_OFFSET - ($ - $$) db 0
P:      times params_size db 0
        times 0xff0 - ($ - $$) db 0
bits 16
reset_vector:
        jmp     start16
        times 0x1000 - ($ - $$) db 0xf4
