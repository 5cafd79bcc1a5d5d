# svmtest: see README.md. `make run` boots the full matrix in QEMU,
# `make check` runs every test.

BUILD    := build
ELF      := $(BUILD)/svmtest.elf
ISO      := $(BUILD)/svmtest.iso

CC       := gcc
NASM     := nasm
LD       := ld

KERNEL_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pic -fno-pie -mcmodel=small \
	-mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP -Ikernel -I$(BUILD)/gen
LDFLAGS  := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T boot/kernel.ld
NASMFLAGS := -f elf64 -I.

KERNEL_C := $(wildcard kernel/*.c) $(wildcard svm/*.c) $(wildcard npt/*.c)
KERNEL_ASM := $(wildcard boot/*.asm) $(wildcard kernel/*.asm) $(filter-out svm/guest_%.asm,$(wildcard svm/*.asm))
GUEST_ASM := $(wildcard svm/guest_*.asm)
GUEST_BIN := $(patsubst svm/%.asm,$(BUILD)/svm/%.bin,$(GUEST_ASM))
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.asm,$(BUILD)/%.o,$(KERNEL_ASM))

.PHONY: all iso run check bench lava-check clean deps
all: $(ELF)

# Two links: the first (with an empty table) tells tools/relocs where the
# absolute addresses are; the second embeds that table in section .relocs,
# last in the image, so no address moves. The check proves the fixed point;
# GRUB refuses ELF files with relocation sections, so they are dropped.
RELOCS_EMPTY := $(BUILD)/gen/relocs_empty.o
RELOCS       := $(BUILD)/gen/relocs.o

$(BUILD)/svmtest.pass1.elf: $(KERNEL_OBJ) $(RELOCS_EMPTY) boot/kernel.ld
	$(LD) $(LDFLAGS) --emit-relocs -o $@ $(KERNEL_OBJ) $(RELOCS_EMPTY)

$(BUILD)/gen/relocs.asm: $(BUILD)/svmtest.pass1.elf tools/relocs
	tools/relocs table $< $@

$(RELOCS_EMPTY): | $(BUILD)/gen
	printf 'section .relocs progbits alloc noexec nowrite align=4\nglobal reloc_table\nreloc_table: dd 0, 0\nsection .note.GNU-stack noalloc noexec nowrite progbits\n' > $(BUILD)/gen/relocs_empty.asm
	$(NASM) $(NASMFLAGS) -o $@ $(BUILD)/gen/relocs_empty.asm

$(RELOCS): $(BUILD)/gen/relocs.asm
	$(NASM) $(NASMFLAGS) -o $@ $<

$(BUILD)/gen:
	mkdir -p $@

# link-relocated ELF: $(call link_relocated,OUT,OBJECTS)
define link_relocated
	$(LD) $(LDFLAGS) --emit-relocs -o $(1).full $(2) $(RELOCS)
	tools/relocs check $(1).full
	objcopy --remove-section='.rela*' $(1).full $(1)
endef

$(ELF): $(KERNEL_OBJ) $(RELOCS) boot/kernel.ld tools/relocs
	$(call link_relocated,$@,$(KERNEL_OBJ))

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -MD $(BUILD)/$*.d -MP -o $@ $<

# the screen mirror's font: GRUB's 8x16 ASCII glyphs (grub-common)
GRUB_ASCII_H := /usr/share/grub/ascii.h
$(BUILD)/gen/grub_ascii.h: $(GRUB_ASCII_H)
	@mkdir -p $(dir $@)
	cp $< $@
$(BUILD)/kernel/font.o: $(BUILD)/gen/grub_ascii.h

$(BUILD)/svm/%.bin: svm/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I. -MD $(BUILD)/svm/$*.bin.d -MP -o $@ $<

# the guest images are incbin'd by svm/images.asm
$(BUILD)/svm/images.o: $(GUEST_BIN)

# A test image GRUB must load at 64 MiB or above (relocatable tag's
# minimum), to prove the kernel runs wherever it is put: same objects and
# relocation table, another multiboot header.
RELOC_TEST := $(BUILD)/tests/reloc64
$(RELOC_TEST)/multiboot.o: boot/multiboot.asm
	@mkdir -p $(dir $@)
	$(NASM) $(NASMFLAGS) -DRELOC_MIN_ADDR=0x4000000 -o $@ $<
$(RELOC_TEST)/svmtest.elf: $(filter-out $(BUILD)/boot/multiboot.o,$(KERNEL_OBJ)) $(RELOC_TEST)/multiboot.o $(RELOCS) boot/kernel.ld tools/relocs
	$(call link_relocated,$@,$(filter-out $(BUILD)/boot/multiboot.o,$(KERNEL_OBJ)) $(RELOC_TEST)/multiboot.o)
$(RELOC_TEST)/svmtest.iso: $(RELOC_TEST)/svmtest.elf iso/grub.cfg
	rm -rf $(RELOC_TEST)/isoroot
	mkdir -p $(RELOC_TEST)/isoroot/boot/grub
	cp $< $(RELOC_TEST)/isoroot/boot/svmtest.elf
	cp iso/grub.cfg $(RELOC_TEST)/isoroot/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(RELOC_TEST)/isoroot 2> $(RELOC_TEST)/grub-mkrescue.log || \
		{ cat $(RELOC_TEST)/grub-mkrescue.log; exit 1; }

# ---- ISO: GRUB, serial console, BIOS + UEFI hybrid --------------------------
iso: $(ISO)
$(ISO): $(ELF) iso/grub.cfg
	rm -rf $(BUILD)/isoroot
	mkdir -p $(BUILD)/isoroot/boot/grub
	cp $(ELF) $(BUILD)/isoroot/boot/svmtest.elf
	cp iso/grub.cfg $(BUILD)/isoroot/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/isoroot 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# ---- running and testing ----------------------------------------------------
deps:
	@tools/ensure-deps

# ends 0 when QEMU's status is 33 (all ok) or 37 (all skipped: no SVM here),
# else with QEMU's status; tools/run-qemu prints what it means
run: deps
	@$(MAKE) --no-print-directory $(ISO)
	@tools/run-qemu $(ISO); st=$$?; [ $$st = 33 ] || [ $$st = 37 ] || exit $$st

check: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO) $(RELOC_TEST)/svmtest.iso
	@tests/run-all

bench: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO)
	@tools/bench

# LAVA: run lava/jobs/ locally with lava-run (root; installs lava-dispatcher)
lava-check: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO) $(RELOC_TEST)/svmtest.iso
	@tools/lava-check

clean:
	rm -rf $(BUILD)

-include tests/unit.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
