; 32-bit entry from a multiboot loader (multiboot1 and multiboot2 alike).
; Trusts nothing the firmware or the loader left: loads CR0, CR4 and EFER
; with svmtest's own values (never OR-ing into what it found; CR4.LA57 is
; cleared while paging is off, CR4.MCE is set), builds identity-mapped host
; page tables (first 4 GiB, 2 MiB pages) with a 4-level root and a 5-level
; root over the same tables, enters long mode and, still on a stack inside
; the loaded image, asks boot_check_memory() whether the loader's memory map
; holds svmtest's image and working memory (.bss). Only then is .bss zeroed
; and kmain(loader_magic, info_address) called on the kernel stack. A CPU
; without long mode gets its report from 32-bit code (boot/early32.asm).
;
; Before anything else the image is relocated to where the loader put it
; (boot/relocate.inc): that code runs position-independent.

%include "boot/gdt.inc"

%define CR0_PE          (1 << 0)
%define CR0_ET          (1 << 4)
%define CR0_NE          (1 << 5)
%define CR0_PG          (1 << 31)
%define CR4_PAE         (1 << 5)
%define CR4_MCE         (1 << 6)
%define MSR_EFER        0xC0000080
%define EFER_LME        (1 << 8)
%define EFER_NXE        (1 << 11)
%define CPUID_EXT_NX    (1 << 20)

; svmtest's own control state: caching on (CD, NW clear), no write protect,
; no FPU/SSE state (the kernel is built without them), only what it uses
%define KERNEL_CR0_NOPAGING (CR0_PE | CR0_ET | CR0_NE)
%define KERNEL_CR4      (CR4_PAE | CR4_MCE)

%define PTE_P           (1 << 0)
%define PTE_W           (1 << 1)
%define PTE_PWT         (1 << 3)
%define PTE_PCD         (1 << 4)
%define PTE_PS          (1 << 7)
%define HOST_MAP_GIB    4               ; identity map 0..4 GiB
%define MMIO_GIB        3               ; the fourth GiB holds MMIO: uncached

%define STACK_SIZE      (64 * 1024)
%define BOOT_STACK_SIZE (16 * 1024)

global _start32, boot_gdt, boot_gdt_ptr, host_pml4, host_pml5, kernel_stack_top
extern kmain, boot_check_memory, early32_require_long_mode, __image_start, __bss_start, __bss_end

section .text
bits 32
_start32:
        cli
        cld
        mov     esi, eax                ; loader magic
        mov     edi, ebx                ; boot information
%include "boot/relocate.inc"
        lgdt    [boot_gdt_ptr]
        jmp     SEL_CODE32:.flat
.flat:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, boot_stack_top
        mov     [boot_loader_magic], esi
        mov     [boot_info_addr], edi

        ; long mode is required: without it, the report says so on COM1
        ; (boot/early32.asm), before CR4 is written (an old CPU may lack it)
        call    early32_require_long_mode

        ; paging off, caching on, whatever the loader left
        mov     eax, KERNEL_CR0_NOPAGING
        mov     cr0, eax
        ; CR4 exactly svmtest's: LA57 clear (a loader that ran in 5-level
        ; paging leaves it set, and these 4-level tables would be walked
        ; as 5-level), MCE set so a machine check reaches its handler
        mov     eax, KERNEL_CR4
        mov     cr4, eax

        mov     eax, 0x80000001         ; exists: early32_require_long_mode checked
        cpuid

        ; EFER exactly svmtest's: LME, and NXE when the CPU has NX (the
        ; #NPF error code's fetch bit depends on it); SCE, SVME and the rest off
        mov     ebx, EFER_LME
        test    edx, CPUID_EXT_NX
        jz      .efer
        or      ebx, EFER_NXE
.efer:
        mov     ecx, MSR_EFER
        rdmsr
        mov     eax, ebx
        xor     edx, edx
        wrmsr

        call    build_host_tables
        mov     eax, host_pml4
        mov     cr3, eax
        mov     eax, KERNEL_CR0_NOPAGING | CR0_PG
        mov     cr0, eax
        jmp     SEL_CODE64:long_entry

; Host tables (in the loaded image, not .bss, so they exist before the
; memory map is checked): pml5[0] -> pml4, pml4[0] -> pdpt, pdpt[i] -> pd[i],
; pd[i][j] = 2 MiB page at i GiB + j * 2 MiB.
build_host_tables:
        mov     edi, host_pml5
        mov     ecx, (host_tables_end - host_pml5) / 4
        xor     eax, eax
        rep stosd
        mov     dword [host_pml5], host_pml4 + PTE_P + PTE_W
        mov     dword [host_pml4], host_pdpt + PTE_P + PTE_W
        xor     ecx, ecx
.pdpt:
        mov     eax, ecx
        shl     eax, 12
        add     eax, host_pd + PTE_P + PTE_W
        mov     [host_pdpt + ecx * 8], eax
        inc     ecx
        cmp     ecx, HOST_MAP_GIB
        jb      .pdpt
        xor     ecx, ecx
.pd:
        mov     eax, ecx
        shl     eax, 21
        or      eax, PTE_P | PTE_W | PTE_PS
        cmp     ecx, MMIO_GIB * 512
        jb      .cached
        or      eax, PTE_PCD | PTE_PWT
.cached:
        mov     [host_pd + ecx * 8], eax
        inc     ecx
        cmp     ecx, HOST_MAP_GIB * 512
        jb      .pd
        ret

bits 64
long_entry:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     esp, boot_stack_top     ; zero-extends: RSP's upper half is clean
        xor     ebp, ebp
        xor     eax, eax                ; DR7: no breakpoint a debugger left
        mov     dr7, rax
        mov     edi, [boot_loader_magic]
        mov     esi, [boot_info_addr]
        call    boot_check_memory       ; returns only if .bss is RAM

        mov     rdi, __bss_start        ; zero .bss (the kernel stack lives there)
        mov     rcx, __bss_end
        sub     rcx, rdi
        shr     rcx, 3
        xor     eax, eax
        rep stosq
        mov     rsp, kernel_stack_top
        mov     edi, [boot_loader_magic]
        mov     esi, [boot_info_addr]
        call    kmain
.halt:
        cli
        hlt
        jmp     .halt

section .data
align 16
boot_gdt:
        dq 0                            ; null
        dq 0x00cf9a000000ffff           ; SEL_CODE32: 32-bit code, flat
        dq 0x00cf92000000ffff           ; SEL_DATA: data, flat
        dq 0x00af9a000000ffff           ; SEL_CODE64: 64-bit code
        dq 0, 0                         ; SEL_TSS: filled in by kernel/interrupts/gdt.c
boot_gdt_end:
align 8
        dw 0
boot_gdt_ptr:
        dw boot_gdt_end - boot_gdt - 1
        dq boot_gdt
boot_loader_magic:      dd 0
boot_info_addr:         dd 0

; in the loaded image (zero-filled in the file): usable before .bss is
; known to be RAM
section .data.boot progbits alloc noexec write align=4096
align 4096
host_pml5:      times 4096 db 0
host_pml4:      times 4096 db 0
host_pdpt:      times 4096 db 0
host_pd:        times 4096 * HOST_MAP_GIB db 0
host_tables_end:
boot_stack:     times BOOT_STACK_SIZE db 0
boot_stack_top:

section .bss
align 16
kernel_stack:   resb STACK_SIZE
kernel_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
