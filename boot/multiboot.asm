; Multiboot headers. GRUB boots the ELF as multiboot2; QEMU -kernel and
; iPXE boot it as multiboot1, which for a 64-bit ELF needs the address
; fields (flag bit 16): the loader then copies the file as a flat image.

%define MB2_MAGIC        0xE85250D6
%define MB2_ARCH_I386    0
%define MB2_TAG_END      0
%define MB2_TAG_INFO_REQUEST 1
%define MB2_TAG_FRAMEBUFFER 5
%define MB2_TAG_RELOCATABLE 10
%define MB2_TAG_OPTIONAL 1
%define MB2_INFO_LOAD_BASE_ADDR 21
%define MB2_LOAD_PREFERENCE_LOW 1
; where GRUB may load the image (boot/relocate.inc moves it there); a
; build for tests may ask for a higher minimum (-DRELOC_MIN_ADDR=...)
%ifndef RELOC_MIN_ADDR
%define RELOC_MIN_ADDR   0x100000
%endif
%define RELOC_MAX_ADDR   0x40000000     ; below 1 GiB: 32-bit sign-extended sites stay valid
%define RELOC_ALIGN      0x1000

%define MB1_MAGIC        0x1BADB002
%define MB1_PAGE_ALIGN   (1 << 0)
%define MB1_MEMORY_INFO  (1 << 1)
%define MB1_AOUT_KLUDGE  (1 << 16)
%define MB1_FLAGS        (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)

extern __image_start, __load_end, __bss_end, _start32

section .multiboot
align 8
mb2_header:
        dd MB2_MAGIC
        dd MB2_ARCH_I386
        dd mb2_header_end - mb2_header
        dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        ; a framebuffer for the screen mirror under UEFI; optional, and GRUB
        ; keeps VGA text under BIOS (gfxpayload=text in iso/grub.cfg)
        align 8
        dw MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
        dd 20
        dd 0, 0, 32                     ; width, height: any; depth 32
        ; relocatable: GRUB may load svmtest wherever the firmware left room
        align 8
        dw MB2_TAG_RELOCATABLE, 0
        dd 24
        dd RELOC_MIN_ADDR, RELOC_MAX_ADDR, RELOC_ALIGN, MB2_LOAD_PREFERENCE_LOW
        ; and the load base address tag, which says where it did
        align 8
        dw MB2_TAG_INFO_REQUEST, 0
        dd 12
        dd MB2_INFO_LOAD_BASE_ADDR
        align 8
        dw MB2_TAG_END, 0
        dd 8
mb2_header_end:

align 4
mb1_header:
        dd MB1_MAGIC
        dd MB1_FLAGS
        dd -(MB1_MAGIC + MB1_FLAGS)
        dd mb1_header                   ; header_addr
        dd __image_start                ; load_addr
        dd __load_end                   ; load_end_addr
        dd __bss_end                    ; bss_end_addr
        dd _start32                     ; entry_addr

section .note.GNU-stack noalloc noexec nowrite progbits
