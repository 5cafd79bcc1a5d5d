; rdmsr_safe: RDMSR that survives a #GP (an MSR the CPU or a hypervisor does
; not implement). The faulting instruction's address is a known label:
; kernel/cpu/msr_safe.c's msr_safe_fixup() sends a #GP raised there to the
; recovery label, which returns -1.
;
; int rdmsr_safe(uint32_t msr, uint64_t *value): 0 and *value set, or -1.

global rdmsr_safe, rdmsr_safe_insn, rdmsr_safe_recover

section .text
bits 64

rdmsr_safe:
        mov     ecx, edi
rdmsr_safe_insn:
        rdmsr
        shl     rdx, 32
        mov     eax, eax
        or      rax, rdx
        mov     [rsi], rax
        xor     eax, eax
        ret
rdmsr_safe_recover:
        mov     eax, -1
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
