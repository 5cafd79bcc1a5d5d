; 32-bit code before long mode: does this CPU have long mode at all? If not,
; the report (markers, plan 1..1, "not ok 1 cpu # ERROR no long mode (...)")
; goes out on COM1 (and QEMU's debug console), then the run ends with status
; 39 through QEMU's isa-debug-exit port under QEMU or KVM, and the CPU halts
; with interrupts off (real hardware, or no such port). The report's text is
; generated from kernel/report/ktap.c at build time (tools/early32-report.c), so it
; is byte for byte what the 64-bit reporter prints, version included.
;
; Runs on the boot stack, after boot/relocate.inc (absolute addresses are
; the loaded ones), before CR4 or EFER is written: a CPU without long mode
; may lack CR4's PAE and MCE bits, an old one CPUID itself.
; AMD APM vol. 3, CPUID Fn8000_0001 EDX[29] LM; Fn8000_0000 EAX: the highest
; extended leaf. Intel SDM vol. 1, 3.4.3.3: EFLAGS.ID toggles iff CPUID exists.

%include "early32_report.inc"

%define EFLAGS_ID               (1 << 21)
%define CPUID_EXT_MAX           0x80000000
%define CPUID_EXT_FEATURES      0x80000001
%define CPUID_EXT_RANGE_MASK    0xffff0000
%define CPUID_EXT_LM            (1 << 29)
%define CPUID_1_ECX_HYPERVISOR  (1 << 31)
%define CPUID_HYPERVISOR_LEAF   0x40000000

; COM1 as kernel/console/serial.c programs it: 115200 baud (divisor 1 of 1.8432 MHz), 8N1
%define COM1                    0x3f8
%define UART_DATA               0
%define UART_IER                1       ; DLAB=1: divisor high
%define UART_FCR                2
%define UART_LCR                3
%define UART_MCR                4
%define UART_LSR                5
%define UART_SCR                7
%define LCR_DLAB                0x80
%define LCR_8N1                 0x03
%define FCR_ENABLE_CLEAR        0x07
%define MCR_DTR_RTS_OUT2        0x0b
%define LSR_THRE                0x20
%define LSR_TEMT                0x40
%define SCRATCH_A               0x5a
%define SCRATCH_B               0xa5
%define THRE_POLL_LIMIT         200000  ; as kernel/console/serial.c: bounded
%define DRAIN_POLL_LIMIT        4000000
%define DEBUGCON_PORT           0xe9
%define DEBUG_EXIT_PORT         0xf4

; ebp while reporting: where the text goes
%define OUT_COM1                (1 << 0)
%define OUT_DEBUGCON            (1 << 1)
%define OUT_QEMU_EXIT           (1 << 2)

global early32_require_long_mode

section .text
bits 32

; Returns (every register kept) when the CPU has long mode; never otherwise.
early32_require_long_mode:
        pushad
        call    has_cpuid
        mov     esi, early32_report_no_cpuid
        jz      early32_report
        mov     eax, CPUID_EXT_MAX
        cpuid
        mov     esi, early32_report_no_ext_leaf
        mov     ecx, eax                ; a CPU without extended leaves returns
        and     ecx, CPUID_EXT_RANGE_MASK ; something else than 0x8000xxxx here
        cmp     ecx, CPUID_EXT_MAX
        jne     early32_report
        cmp     eax, CPUID_EXT_FEATURES
        jb      early32_report
        mov     eax, CPUID_EXT_FEATURES
        cpuid
        mov     esi, early32_report_no_lm
        test    edx, CPUID_EXT_LM
        jz      early32_report
        popad
        ret

; ZF clear when CPUID exists (EFLAGS.ID can be changed); EFLAGS kept otherwise.
has_cpuid:
        pushfd
        pop     eax
        mov     ecx, eax
        xor     eax, EFLAGS_ID
        push    eax
        popfd
        pushfd
        pop     eax
        push    ecx
        popfd
        xor     eax, ecx
        test    eax, EFLAGS_ID
        ret

; esi: the report (NUL-terminated). Never returns.
early32_report:
        xor     ebp, ebp
        call    com1_open
        call    find_hypervisor
        cld
.next:
        lodsb
        test    al, al
        jz      .sent
        call    putc
        jmp     .next
.sent:
        test    ebp, OUT_COM1           ; drain: the last line gets out before the exit
        jz      .exit
        mov     ecx, DRAIN_POLL_LIMIT
        mov     dx, COM1 + UART_LSR
.drain:
        in      al, dx
        test    al, LSR_TEMT
        jnz     .exit
        pause
        loop    .drain
.exit:
        test    ebp, OUT_QEMU_EXIT
        jz      .halt
        mov     dx, DEBUG_EXIT_PORT
        mov     eax, EARLY32_DEBUG_EXIT_VALUE
        out     dx, eax
.halt:                                  ; no such port, or real hardware
        cli
        hlt
        jmp     .halt

; COM1 answers the scratch register test: program it, ebp |= OUT_COM1.
com1_open:
        mov     dx, COM1 + UART_SCR
        mov     al, SCRATCH_A
        out     dx, al
        in      al, dx
        cmp     al, SCRATCH_A
        jne     .absent
        mov     al, SCRATCH_B
        out     dx, al
        in      al, dx
        cmp     al, SCRATCH_B
        jne     .absent
        mov     dx, COM1 + UART_IER
        xor     al, al
        out     dx, al
        mov     dx, COM1 + UART_LCR
        mov     al, LCR_DLAB
        out     dx, al
        mov     dx, COM1 + UART_DATA    ; divisor 1
        mov     al, 1
        out     dx, al
        mov     dx, COM1 + UART_IER
        xor     al, al
        out     dx, al
        mov     dx, COM1 + UART_LCR
        mov     al, LCR_8N1
        out     dx, al
        mov     dx, COM1 + UART_FCR
        mov     al, FCR_ENABLE_CLEAR
        out     dx, al
        mov     dx, COM1 + UART_MCR
        mov     al, MCR_DTR_RTS_OUT2
        out     dx, al
        or      ebp, OUT_COM1
.absent:
        ret

; Under a hypervisor (CPUID.1:ECX[31]): QEMU's debug console when it reads
; back 0xe9, and the debug-exit port under QEMU (TCG) or KVM, as
; kernel/cpu/hypervisor.c and kernel/console/console.c decide.
find_hypervisor:
        call    has_cpuid
        jz      .done
        mov     eax, 1
        cpuid
        test    ecx, CPUID_1_ECX_HYPERVISOR
        jz      .done
        mov     eax, CPUID_HYPERVISOR_LEAF
        cpuid
        cmp     ebx, 'TCGT'
        jne     .kvm
        cmp     ecx, 'CGTC'
        jne     .kvm
        cmp     edx, 'GTCG'
        je      .qemu
.kvm:
        cmp     ebx, 'KVMK'
        jne     .debugcon
        cmp     ecx, 'VMKV'
        jne     .debugcon
        cmp     edx, 'M'
        jne     .debugcon
.qemu:
        or      ebp, OUT_QEMU_EXIT
.debugcon:
        in      al, DEBUGCON_PORT
        cmp     al, DEBUGCON_PORT
        jne     .done
        or      ebp, OUT_DEBUGCON
.done:
        ret

; al: one byte, to COM1 (bounded wait; a stuck UART is dropped, as
; kernel/console/serial.c does) and the debug console.
putc:
        mov     ah, al
        test    ebp, OUT_COM1
        jz      .debugcon
        mov     ecx, THRE_POLL_LIMIT
        mov     dx, COM1 + UART_LSR
.wait:
        in      al, dx
        test    al, LSR_THRE
        jnz     .send
        pause
        loop    .wait
        and     ebp, ~OUT_COM1
        jmp     .debugcon
.send:
        mov     al, ah
        mov     dx, COM1 + UART_DATA
        out     dx, al
.debugcon:
        test    ebp, OUT_DEBUGCON
        jz      .done
        mov     al, ah
        out     DEBUGCON_PORT, al
.done:
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
