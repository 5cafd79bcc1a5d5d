# svmtest: see README.md. `make run` boots the full matrix in QEMU,
# `make check` runs every test.

BUILD    := build
ELF      := $(BUILD)/svmtest.elf
ISO      := $(BUILD)/svmtest.iso

CC       := gcc
NASM     := nasm
LD       := ld

# every include but a same-folder one names its path from the root
# (tests/layers/include_layers.py checks it)
SRC_INCLUDES := -I.
KERNEL_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-pic -fno-pie -mcmodel=small \
	-mno-red-zone -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP $(SRC_INCLUDES) -I$(BUILD)/gen $(KERNEL_DEFINES)
LDFLAGS  := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T boot/kernel.ld
NASMFLAGS := -f elf64 -I.

KERNEL_C := $(wildcard kernel/*.c kernel/*/*.c) $(wildcard svm/*.c) $(wildcard npt/*.c)
KERNEL_ASM := $(wildcard boot/*.asm) $(wildcard kernel/*/*.asm) $(filter-out svm/guest_%.asm,$(wildcard svm/*.asm))
GUEST_ASM := $(wildcard svm/guest_*.asm)
GUEST_BIN := $(patsubst svm/%.asm,$(BUILD)/svm/%.bin,$(GUEST_ASM))
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.asm,$(BUILD)/%.o,$(KERNEL_ASM))

.PHONY: all iso run help check bench lava-check clean deps emulators
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
$(BUILD)/kernel/console/font.o: $(BUILD)/gen/grub_ascii.h

$(BUILD)/svm/%.bin: svm/%.asm
	@mkdir -p $(dir $@)
	$(NASM) -f bin -I. -MD $(BUILD)/svm/$*.bin.d -MP -o $@ $<

# the report a CPU without long mode gets from 32-bit code: its text made by
# kernel/report/ktap.c itself, on the host (tools/early32-report.c)
EARLY32_REPORT_SRC := tools/early32-report.c kernel/report/ktap.c kernel/lib/fmt.c
$(BUILD)/gen/early32_report.inc: $(EARLY32_REPORT_SRC) kernel/report/ktap.h kernel/lib/fmt.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -Wall -Wextra -Werror $(SRC_INCLUDES) -o $(BUILD)/gen/early32-report $(EARLY32_REPORT_SRC)
	$(BUILD)/gen/early32-report > $@
$(BUILD)/boot/early32.o: $(BUILD)/gen/early32_report.inc
$(BUILD)/boot/early32.o: NASMFLAGS += -I$(BUILD)/gen/

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
$(RELOC_TEST)/svmtest.iso: $(RELOC_TEST)/svmtest.elf iso/grub.cfg tools/make-iso
	GRUB_TIMEOUT=0 tools/make-iso $< $@

# A test image whose group bits models lack, on purpose, the EXITINFO1 bit
# that tells each kind of case apart (SVMTEST_WRONG_MODEL, svm/bits_model.c):
# tests/qemu proves that each kind can fail. A build of its own.
WRONG_MODEL := $(BUILD)/tests/wrong-model/svmtest.elf
$(WRONG_MODEL): FORCE
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/tests/wrong-model KERNEL_DEFINES=-DSVMTEST_WRONG_MODEL $@

# ---- ISO: GRUB, serial console, BIOS + UEFI hybrid --------------------------
# make iso GRUB_TIMEOUT=0: no menu delay (labs); the menu itself stays
iso: $(ISO)
ISO_OPTIONS := grub_timeout=$(GRUB_TIMEOUT)
$(BUILD)/iso.options: FORCE
	@mkdir -p $(BUILD)
	@echo '$(ISO_OPTIONS)' | cmp -s - $@ || echo '$(ISO_OPTIONS)' > $@
$(ISO): $(ELF) iso/grub.cfg tools/make-iso $(BUILD)/iso.options
	GRUB_TIMEOUT='$(GRUB_TIMEOUT)' tools/make-iso $(ELF) $@
FORCE:

# ---- running and testing ----------------------------------------------------
deps:
	@tools/ensure-deps

# ends 0 when QEMU's status is 33 (all ok) or 37 (all skipped: no SVM here),
# else with QEMU's status; tools/run-qemu prints what it means. The knobs
# (`make help`) reach tools/run-qemu as environment variables.
#help make run [KNOB=value ...]   build, boot in QEMU, show the report live
#help   BOOT=iso|kernel      the ISO through GRUB (default) or the ELF with -kernel
#help   QEMU=PATH            QEMU binary (default qemu-system-x86_64 on PATH), e.g.
#help                        QEMU=~/qemu/build/qemu-system-x86_64 or QEMU=$$(tools/ensure-qemu10)
#help   QEMU_DATA=DIR        its -L firmware dir (default: pc-bios/ beside the binary, if any)
#help   ACCEL=tcg|kvm        accelerator (default tcg); kvm needs an AMD host with
#help                        kvm_amd nested=1, checked first (status 40 if not)
#help   CPU=MODEL            -cpu (default max; host under ACCEL=kvm)
#help   SMP=N MEM=SIZE       -smp (default 2), -m (default 3G: room for 1 GiB leaves)
#help   FIRMWARE=bios|uefi   SeaBIOS (default) or OVMF (the ISO only)
#help   ARGS='k=v ...'       svmtest's command line, for the ISO too (no kernel rebuild)
#help   GRUB_TIMEOUT=S       the ISO's menu timeout (default 3; 0 skips the menu)
#help   QEMU_EXTRA='...'     more QEMU arguments, appended
#help   TIMEOUT=S            wall-clock bound (default 300; status 124)
#help   REPEAT=N             boot N times; fail (status 42) naming the first
#help                        differing line if two reports differ
#help   V=1                  print the QEMU command line first
#help make iso [GRUB_TIMEOUT=S]   build/svmtest.iso (GRUB_TIMEOUT=0: no menu delay, labs)
#help make check                  every test; make unit, make fuzz: one suite
#help make emulators [BOCHS30=1]  the ISO on QEMU 7.2, QEMU 10, Bochs 2.7 (3.0): agreement table
#help make kvm [KERNEL=6.1|6.12|5.10|5.10-la57|PATH MODULES=DIR L1_APPEND=.. KVM_AMD=..]
#help                            svmtest under a real Linux KVM (L1 in QEMU TCG; README
#help                            "For KVM developers"); also QEMU CPU ARGS SMP MEM BOOT TIMEOUT SILENT
#help make kvm-table [KERNELS='6.1 5.10']  the matrix under each kernel vs QEMU 7.2 TCG
#help make kvm-la57               5.10 with 5-level paging: the reset-vector #NPF storm, named
#help tools/svmtest-bisect --qemu PATH [--expect LOG] [ARGS]   for git bisect run (README)
RUN_IMAGE := $(if $(filter kernel elf,$(BOOT)),$(ELF),$(ISO))
run: deps
	@case '$(BOOT)' in ''|iso|kernel|elf) ;; *) echo "svmtest: BOOT='$(BOOT)': iso or kernel" >&2; exit 2 ;; esac
	@$(MAKE) --no-print-directory $(RUN_IMAGE)
	@tools/run-qemu $(RUN_IMAGE); st=$$?; [ $$st = 33 ] || [ $$st = 37 ] || exit $$st

help:
	@sed -n 's/^#help //p; s/^#help$$//p' $(firstword $(MAKEFILE_LIST)) | sed 's/\$$\$$/$$/'

check: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO) $(RELOC_TEST)/svmtest.iso $(HOSTILE_LOADER) $(WRONG_MODEL)
	@tests/run-all

bench: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO)
	@tools/bench

# the same ISO on QEMU 7.2, QEMU 10 (SeaBIOS, OVMF), Bochs 2.7 and, with
# BOCHS30=1, Bochs 3.0 built from source: one agreement table
emulators: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO)
	@BOCHS30=$(BOCHS30) tools/emulators

# LAVA: run lava/jobs/ locally with lava-run (root; installs lava-dispatcher)
lava-check: deps
	@$(MAKE) --no-print-directory $(ELF) $(ISO) $(RELOC_TEST)/svmtest.iso
	@tools/lava-check

# ---- KVM in the loop: svmtest under a real Linux KVM in QEMU TCG -------------
KVM_IMAGE := $(if $(filter iso,$(BOOT)),$(ISO),$(ELF))
KVM_TRACE_SUMMARY := $(BUILD)/tools/kvm-trace-summary
KVM_TRACE_SRC := tools/kvm-trace/main.c tools/kvm-trace/trace_summary.c svm/exit_decode.c kernel/lib/fmt.c
$(KVM_TRACE_SUMMARY): $(KVM_TRACE_SRC) tools/kvm-trace/trace_summary.h svm/exit_decode.h svm/vmcb.h kernel/lib/fmt.h
	@mkdir -p $(dir $@)
	$(UNIT_CC) -std=c11 -O2 -Wall -Wextra -Werror $(SRC_INCLUDES) -o $@ $(KVM_TRACE_SRC)

.PHONY: kvm kvm-table kvm-la57
kvm: deps $(KVM_TRACE_SUMMARY)
	@$(MAKE) --no-print-directory $(KVM_IMAGE)
	@tools/kvm-nested $(KVM_IMAGE); st=$$?; [ $$st = 33 ] || [ $$st = 37 ] || exit $$st

kvm-table: deps $(KVM_TRACE_SUMMARY)
	@$(MAKE) --no-print-directory $(ELF)
	@tools/kvm-table

# the reproduction svmtest exists for, with a real KVM (builds 5.10-la57 once)
kvm-la57: deps $(KVM_TRACE_SUMMARY)
	@$(MAKE) --no-print-directory $(ELF)
	@tests/kvm/la57-storm

clean:
	rm -rf $(BUILD)

-include tests/unit.mk
-include tests/hostile/hostile.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
