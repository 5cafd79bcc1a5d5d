; The guest code pages, assembled from svm/guest_*.asm by the Makefile.
global guest_realmode_image, guest_longmode_image
section .rodata
align 4096
guest_realmode_image:   incbin "build/svm/guest_realmode.bin"
align 4096
guest_longmode_image:   incbin "build/svm/guest_longmode.bin"

section .note.GNU-stack noalloc noexec nowrite progbits
