# Host unit tests and bounded fuzzing of the pure-C kernel modules.
# Included by the top Makefile; standalone: make -f tests/unit.mk unit|fuzz
#   make fuzz FUZZ_TIME=60   fuzz each target longer (seconds)

BUILD ?= build

# one per line: code that runs on the bare metal and on the host alike
HOST_MODULES := \
	kernel/acpi/acpi.c \
	kernel/acpi/fadt.c \
	kernel/acpi/madt.c \
	kernel/acpi/spcr.c \
	kernel/bootinfo.c \
	kernel/config.c \
	kernel/console/console_guard.c \
	kernel/console/uart_divisor.c \
	kernel/cpu/cpuinfo.c \
	kernel/interrupts/vectors.c \
	kernel/lib/fmt.c \
	kernel/mce/mce_decode.c \
	kernel/report/ktap.c \
	kernel/report/reboot.c \
	kernel/timecalc.c \
	npt/guest_mem.c \
	npt/pt.c \
	svm/bench_stats.c \
	svm/bits_model.c \
	svm/catalog.c \
	svm/exit_decode.c \
	svm/fingerprint.c \
	svm/gptfault_model.c \
	tests/hostile/mb1_image.c \
	tools/kvm-trace/trace_summary.c
HOST_HEADERS := $(filter-out svm/bench_stats.h,$(HOST_MODULES:.c=.h)) svm/bench.h kernel/scenario_set.h

SRC_INCLUDES ?= -I.
UNIT_CC     ?= gcc
UNIT_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all $(SRC_INCLUDES) -I$(BUILD)/gen
# a new suite: a new tests/unit/test_*.c file with SUITE(name) { ... }
UNIT_SRC    := tests/unit/main.c $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    := $(BUILD)/tests/unit_tests

FUZZ_CC     ?= clang
FUZZ_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all $(SRC_INCLUDES)
FUZZ_TIME   ?= 20
FUZZ_NAMES  := cmdline mb2
FUZZ_BIN    := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz_%)

.PHONY: unit fuzz

unit: $(UNIT_BIN)
	$(UNIT_BIN)

$(UNIT_BIN): $(UNIT_SRC) tests/unit/check.h $(HOST_MODULES) $(HOST_HEADERS)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRC) $(HOST_MODULES)

$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c $(HOST_MODULES) $(HOST_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(HOST_MODULES)

# Each target runs FUZZ_TIME seconds on a corpus in $(BUILD) seeded from
# tests/fuzz/corpus_*; a crash leaves $(BUILD)/tests/fuzz/<name>-crash-* and
# fails the target. The log is $(BUILD)/tests/fuzz/<name>.log.
fuzz: $(FUZZ_BIN)
	@pass=0; fail=0; \
	for t in $(FUZZ_NAMES); do \
		dir=$(BUILD)/tests/fuzz; corpus=$$dir/corpus_$$t; log=$$dir/$$t.log; \
		mkdir -p $$corpus; cp tests/fuzz/corpus_$$t/* $$corpus/; \
		if $(BUILD)/tests/fuzz_$$t -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=10 \
			-print_final_stats=1 -artifact_prefix=$$dir/$$t- $$corpus > $$log 2>&1; then \
			pass=$$((pass + 1)); \
			echo "fuzz_$$t: ok, $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log) runs"; \
		else \
			fail=$$((fail + 1)); tail -n 40 $$log; echo "fuzz_$$t: FAILED (log: $$log)"; \
		fi; \
	done; \
	echo "$$pass passed, $$fail failed"; test $$fail = 0
