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

$(ELF): $(KERNEL_OBJ) boot/kernel.ld
	$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJ)

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
	@$(MAKE) --no-print-directory $(ELF) $(ISO) $(HOSTILE_LOADER)
	@tests/run-all

bench: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO)
	@tools/bench

# LAVA: run lava/jobs/ locally with lava-run (root; installs lava-dispatcher)
lava-check: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO)
	@tools/lava-check

clean:
	rm -rf $(BUILD)

-include tests/unit.mk
-include tests/hostile/hostile.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
