; An L2 that never prints: a flat multiboot1 kernel (the a.out kludge,
; flags bit 16) that spins in place with interrupts off. Under KVM it never
; exits but for the host's own interrupts, so tools/kvm-nested must call it
; silent and name what KVM's trace shows (tests/qemu/cases_kvm.sh).
;   nasm -f bin -o spin.bin tests/kvm/spin.asm
bits 32
org 0x100000
MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010000                 ; the address fields below are valid
header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header                           ; header_addr
    dd header                           ; load_addr
    dd 0                                ; load_end_addr: the whole file
    dd 0                                ; bss_end_addr: none
    dd entry                            ; entry_addr
entry:
    cli
spin:
    jmp spin                            ; SPIN_RIP: the test expects this address
