; Guest code page at GPA 0xfffff000: the CPU starts at the reset vector
; (CS.base 0xffff0000, IP 0xfff0, real mode). It writes a marker to a
; low-RAM data page (a data access through the NPT) and reports with VMMCALL:
; RAX = vmmcall_marker, RBX = report_value. Parameters: guest_params.inc.
%include "svm/guest_params.inc"

bits 16
org 0xf000                      ; offset of the page in the reset CS segment
start:
        cmp     dword [cs:P + params.hang], 0
        jne     hang
        mov     ebx, [cs:P + params.data_gpa]
        test    ebx, ebx
        jz      report
        mov     eax, [cs:P + params.data_marker]
        mov     [ebx], eax      ; DS.base is 0 at reset: GPA = ebx (< 64 KiB)
report:
        mov     eax, [cs:P + params.vmmcall_marker]
        mov     ebx, [cs:P + params.report_value]
        vmmcall
hang:
        jmp     hang

        times GUEST_PARAMS_OFFSET - ($ - $$) db 0
P:      times params_size db 0
        times 0xff0 - ($ - $$) db 0
reset_vector:
        jmp     start
        times 0x1000 - ($ - $$) db 0xf4
