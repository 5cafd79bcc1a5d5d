# The hostile loader (tests/hostile): a 32-bit multiboot1 ELF that loads
# svmtest from a module and leaves a chosen hostile machine state. Included by
# the top Makefile; tests/qemu/cases_hostile.sh boots it.

HOSTILE_LOADER := $(BUILD)/tests/hostile-loader.elf
HOSTILE_C      := $(wildcard tests/hostile/*.c)
HOSTILE_OBJ    := $(patsubst %.c,$(BUILD)/%.o,$(HOSTILE_C)) $(BUILD)/tests/hostile/entry.o
HOSTILE_CFLAGS := -std=c11 -O2 -g -m32 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only \
	-fno-builtin -Wall -Wextra -Werror -MMD -MP

$(HOSTILE_LOADER): $(HOSTILE_OBJ) tests/hostile/loader.ld
	$(LD) -m elf_i386 -nostdlib -static -no-pie -z noexecstack --no-warn-rwx-segments \
		-T tests/hostile/loader.ld -o $@ $(HOSTILE_OBJ)

$(BUILD)/tests/hostile/%.o: tests/hostile/%.c
	@mkdir -p $(dir $@)
	$(CC) $(HOSTILE_CFLAGS) -c -o $@ $<

$(BUILD)/tests/hostile/entry.o: tests/hostile/entry.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -MD $(BUILD)/tests/hostile/entry.d -MP -o $@ $<
