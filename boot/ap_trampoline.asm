; The application processors' start-up and park code. kernel/smp.c copies
; the bytes from ap_trampoline_start to ap_trampoline_end into a free page
; below 1 MiB, writes the parameter block (struct ap_trampoline_params,
; kernel/smp.c: the addresses of this copy, CR0/CR3/CR4/EFER, the 64-bit GDT
; and IDT, stack, entry point and its argument, the roll call and the
; machine-check record) and the page's own interrupt tables, and sends
; INIT-SIPI-SIPI with that page as the start vector. The AP starts here in
; real mode at CS:IP = page:0 and goes through protected mode: the CPU the
; block names (P_APIC_ID) goes on into long mode on svmtest's own page
; tables; every other one checks in (during the roll call) and parks here,
; halted in protected mode. From its first instructions the AP has CR4.MCE
; set and an interrupt table of svmtest's: a machine check in real mode is
; counted (P_EARLY_MCE), one in protected mode, parked included, is
; recorded with MCG_STATUS and the banks (struct mce_record,
; kernel/mce/mce_decode.h) for the boot CPU, which alone prints; MCG_STATUS is
; then cleared so that a later one is counted too instead of shutting the
; CPU down. Nothing here holds a link-time address: every address the code
; needs is read from the parameter block, which C fills in at run time.

%include "boot/gdt.inc"

%define CR0_PE          (1 << 0)
%define MSR_EFER        0xC0000080
%define MSR_APIC_BASE   0x1B
%define MSR_X2APIC_ID   0x802
%define APIC_BASE_X2APIC (1 << 10)
%define APIC_BASE_ADDR  0xfffff000
%define XAPIC_REG_ID    0x20
%define XAPIC_ID_SHIFT  24
%define CR4_MCE         (1 << 6)
%define MSR_MCG_CAP     0x179
%define MSR_MCG_STATUS  0x17a
%define MSR_MC0_STATUS  0x401
%define MCG_CAP_COUNT   0xff
%define MCI_HI_VAL      (1 << 31)       ; MCi_STATUS bits 63, 58, 59 in EDX
%define MCI_HI_ADDRV    (1 << 26)
%define MCI_HI_MISCV    (1 << 27)
; struct mce_record (kernel/mce/mce_decode.h checks these offsets)
%define MR_COUNT        0
%define MR_COMPLETE     4
%define MR_APIC_ID      8
%define MR_BANKS        12
%define MR_MCG_STATUS   16
%define MR_MCG_CAP      24
%define MR_RIP          32
%define MR_BANK         40
%define MR_BANK_SIZE    24
%define MR_BANKS_MAX    32

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
%define P_ROLL_CALL     128     ; dd: nonzero while the CPUs check in
%define P_CHECKIN_COUNT 132     ; dd: CPUs checked in (incremented by each)
%define P_CHECKIN_MAX   136     ; dd: entries the check-in array holds
%define P_CHECKIN       140     ; dd: the array of checked-in APIC IDs
%define P_MCE_RECORD    144     ; dd: struct mce_record
%define P_EARLY_MCE     148     ; dd: machine checks taken in real mode
%define P_IVT16         152     ; dw limit, dd base: the real-mode table
%define P_IDT32         160     ; dw limit, dd base: the protected-mode table
%define P_GDT           192     ; 4 descriptors: null, code32, data, code64
%define P_CODE          224
%define PAGE_STACK_TOP  0x1000  ; shared: the handlers here never return

global ap_trampoline_start, ap_trampoline_end
global ap_trampoline_gdt, ap_trampoline_pm32, ap_trampoline_lm64
global ap_trampoline_mc16, ap_trampoline_park16, ap_trampoline_mc32, ap_trampoline_park32

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
        mov     ss, ax
        mov     sp, PAGE_STACK_TOP
        o32 lidt [P_IVT16]
        mov     eax, CR4_MCE            ; after INIT CR4 is 0: a machine check
        mov     cr4, eax                ; would shut the CPU down
        mov     ax, cs
        xor     ebx, ebx
        mov     bx, ax
        shl     ebx, 4                  ; ebx = this page's address, kept to the end
        o32 lgdt [P_GDT32]
        mov     eax, CR0_PE             ; CD and NW clear (INIT sets them): the
        mov     cr0, eax                ; check-in and records are written cached, as Linux does
        jmp     dword far [P_FAR32]

; real mode: a machine check is counted; any other vector parks the CPU
ap_trampoline_mc16:
        lock inc dword [cs:P_EARLY_MCE]
        mov     ecx, MSR_MCG_STATUS
        xor     eax, eax
        xor     edx, edx
        wrmsr
ap_trampoline_park16:
        cli
        hlt
        jmp     ap_trampoline_park16

bits 32
ap_trampoline_pm32:
        mov     ax, SEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        lea     esp, [ebx + PAGE_STACK_TOP]
        lidt    [ebx + P_IDT32]
        ; only the CPU this copy is for goes on, before it touches any memory
        ; but this page: another one started here (the roll call, a park, or
        ; a start-up IPI QEMU kept pending across the INIT) checks in and parks
        call    read_apic_id
        cmp     eax, [ebx + P_APIC_ID]
        jne     .not_mine
        mov     eax, [ebx + P_CR4]      ; PAE, MCE, LA57 clear: a 4-level root
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
        cmp     dword [ebx + P_ROLL_CALL], 0
        je      ap_trampoline_park32
        mov     edx, 1
        lock xadd [ebx + P_CHECKIN_COUNT], edx
        cmp     edx, [ebx + P_CHECKIN_MAX]
        jae     ap_trampoline_park32
        mov     edi, [ebx + P_CHECKIN]
        mov     [edi + edx * 4], eax
ap_trampoline_park32:
        cli
        hlt
        jmp     ap_trampoline_park32

; this CPU's APIC ID in eax, in the mode its APIC is in (ecx, edx clobbered)
read_apic_id:
        mov     ecx, MSR_APIC_BASE
        rdmsr
        test    eax, APIC_BASE_X2APIC
        jz      .xapic
        mov     ecx, MSR_X2APIC_ID
        rdmsr
        ret
.xapic:
        and     eax, APIC_BASE_ADDR
        mov     eax, [eax + XAPIC_REG_ID]
        shr     eax, XAPIC_ID_SHIFT
        ret

; protected mode, parked included: the first machine check is recorded
; (MCG_STATUS, MCG_CAP, the legacy banks' STATUS and, where valid, ADDR and
; MISC), every one counted; MCG_STATUS cleared; then park (never returns)
ap_trampoline_mc32:
        call    .here
.here:
        pop     esi
        sub     esi, .here - ap_trampoline_start
        mov     edi, [esi + P_MCE_RECORD]
        mov     eax, 1
        lock xadd [edi + MR_COUNT], eax
        test    eax, eax
        jnz     .clear
        call    read_apic_id
        mov     [edi + MR_APIC_ID], eax
        mov     eax, [esp]              ; the interrupted EIP (#MC has no error code)
        mov     [edi + MR_RIP], eax
        mov     dword [edi + MR_RIP + 4], 0
        mov     ecx, MSR_MCG_STATUS
        rdmsr
        mov     [edi + MR_MCG_STATUS], eax
        mov     [edi + MR_MCG_STATUS + 4], edx
        mov     ecx, MSR_MCG_CAP
        rdmsr
        mov     [edi + MR_MCG_CAP], eax
        mov     [edi + MR_MCG_CAP + 4], edx
        and     eax, MCG_CAP_COUNT
        cmp     eax, MR_BANKS_MAX
        jbe     .count
        mov     eax, MR_BANKS_MAX
.count:
        mov     [edi + MR_BANKS], eax
        mov     ebp, eax
        lea     esi, [edi + MR_BANK]
        mov     ecx, MSR_MC0_STATUS
.bank:
        test    ebp, ebp
        jz      .done
        rdmsr
        mov     [esi], eax
        mov     [esi + 4], edx
        mov     ebx, edx
        test    ebx, MCI_HI_VAL
        jz      .next
        test    ebx, MCI_HI_ADDRV
        jz      .misc
        inc     ecx                     ; MCi_ADDR
        rdmsr
        mov     [esi + 8], eax
        mov     [esi + 12], edx
        dec     ecx
.misc:
        test    ebx, MCI_HI_MISCV
        jz      .next
        add     ecx, 2                  ; MCi_MISC
        rdmsr
        mov     [esi + 16], eax
        mov     [esi + 20], edx
        sub     ecx, 2
.next:
        add     ecx, 4
        add     esi, MR_BANK_SIZE
        dec     ebp
        jmp     .bank
.done:
        mov     dword [edi + MR_COMPLETE], 1
.clear:
        mov     ecx, MSR_MCG_STATUS
        xor     eax, eax
        xor     edx, edx
        wrmsr
        jmp     ap_trampoline_park32

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
%if $ - ap_trampoline_start > 0xc00
  %error "the code runs into the interrupt tables kernel/smp.c writes at 0xc00"
%endif
ap_trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
