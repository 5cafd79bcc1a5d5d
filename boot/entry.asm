; 32-bit entry from a multiboot loader: keep the boot information, load the
; GDT, build identity-mapped host page tables (first 4 GiB, 2 MiB pages) with
; a 4-level root and a 5-level root over the same tables, enter long mode with
; EFER.NXE=1 and call kmain(loader_magic, info_address).

%include "boot/gdt.inc"

%define CR0_PE          (1 << 0)
%define CR0_PG          (1 << 31)
%define CR4_PAE         (1 << 5)
%define MSR_EFER        0xC0000080
%define EFER_LME        (1 << 8)
%define EFER_NXE        (1 << 11)
%define CPUID_EXT_NX    (1 << 20)
%define CPUID_EXT_LM    (1 << 29)

%define PTE_P           (1 << 0)
%define PTE_W           (1 << 1)
%define PTE_PWT         (1 << 3)
%define PTE_PCD         (1 << 4)
%define PTE_PS          (1 << 7)
%define HOST_MAP_GIB    4               ; identity map 0..4 GiB
%define MMIO_GIB        3               ; the fourth GiB holds MMIO: uncached

%define COM1            0x3f8
%define STACK_SIZE      (64 * 1024)

global _start32, boot_gdt, boot_gdt_ptr, host_pml4, host_pml5, kernel_stack_top
extern kmain, __bss_start, __bss_end

section .text
bits 32
_start32:
        cli
        cld
        mov     [boot_loader_magic], eax
        mov     [boot_info_addr], ebx
        lgdt    [boot_gdt_ptr]
        jmp     SEL_CODE32:.flat
.flat:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, kernel_stack_top

        ; long mode is required; say so on COM1 rather than fault silently
        mov     eax, 0x80000000
        cpuid
        cmp     eax, 0x80000001
        jb      no_long_mode
        mov     eax, 0x80000001
        cpuid
        test    edx, CPUID_EXT_LM
        jz      no_long_mode
        mov     [ext_features_edx], edx

        ; zero .bss (the stack and page tables live there)
        mov     edi, __bss_start
        mov     ecx, __bss_end
        sub     ecx, edi
        shr     ecx, 2
        xor     eax, eax
        rep stosd

        call    build_host_tables

        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, host_pml4
        mov     cr3, eax
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        test    dword [ext_features_edx], CPUID_EXT_NX
        jz      .no_nx
        or      eax, EFER_NXE
.no_nx:
        wrmsr
        mov     eax, cr0
        or      eax, CR0_PG | CR0_PE
        mov     cr0, eax
        jmp     SEL_CODE64:long_entry

; Host tables: pml5[0] -> pml4, pml4[0] -> pdpt, pdpt[i] -> pd[i],
; pd[i][j] = 2 MiB page at i GiB + j * 2 MiB.
build_host_tables:
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

no_long_mode:
        mov     esi, no_long_mode_msg
.next:
        lodsb
        test    al, al
        jz      .halt
        mov     ah, al
        mov     ecx, 100000             ; bounded wait for the transmitter
        mov     dx, COM1 + 5
.wait:
        in      al, dx
        test    al, 0x20
        jnz     .send
        loop    .wait
.send:
        mov     al, ah
        mov     dx, COM1
        out     dx, al
        jmp     .next
.halt:
        cli
        hlt
        jmp     .halt

bits 64
long_entry:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     rsp, kernel_stack_top
        xor     ebp, ebp
        mov     edi, [boot_loader_magic]
        mov     esi, [boot_info_addr]
        call    kmain
.halt:
        cli
        hlt
        jmp     .halt

section .rodata
no_long_mode_msg:
        db "svmtest: this CPU has no long mode; halted", 13, 10, 0

section .data
align 16
boot_gdt:
        dq 0                            ; null
        dq 0x00cf9a000000ffff           ; SEL_CODE32: 32-bit code, flat
        dq 0x00cf92000000ffff           ; SEL_DATA: data, flat
        dq 0x00af9a000000ffff           ; SEL_CODE64: 64-bit code
        dq 0, 0                         ; SEL_TSS: filled in by kernel/gdt.c
boot_gdt_end:
align 8
        dw 0
boot_gdt_ptr:
        dw boot_gdt_end - boot_gdt - 1
        dq boot_gdt
boot_loader_magic:      dd 0
boot_info_addr:         dd 0
ext_features_edx:       dd 0

section .bss
align 4096
host_pml5:      resb 4096
host_pml4:      resb 4096
host_pdpt:      resb 4096
host_pd:        resb 4096 * HOST_MAP_GIB
align 16
kernel_stack:   resb STACK_SIZE
kernel_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
