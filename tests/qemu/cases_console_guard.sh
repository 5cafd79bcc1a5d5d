# Issue 19, items 1, 8, 9: a CPU without long mode, console addresses that
# are not a UART (svmtest's own memory, RAM, chipset ports) and SPCR UARTs
# that do not answer. Every run ends with a well-formed report on COM1.

# nothing but empty lines before the begin marker or after the end marker
expect_nothing_outside() {
    local outside
    outside=$(sed -e '/^# svmtest-begin/,/^# svmtest-end/d' "$LOG" | grep -v '^$')
    [ -z "$outside" ] || fail "outside the markers: $(echo "$outside" | head -3)"
}

expect_report() {  # expect_report STATUS: status, framing, nothing outside
    expect_status "$1" && expect_wellformed && expect_nothing_outside
}

# --- item 8: no long mode, reported from 32-bit code ------------------------

# no_long_mode NAME CPU REASON-REGEX: the whole report, exactly, on COM1
no_long_mode() {
    boot "$1" kernel "$2" 'only=probe'
    expect_report 39 || return 1
    [ "$(report_of "$LOG" | wc -l)" = 5 ] || fail "expected a 5-line report: $(report_of "$LOG")" || return 1
    expect_line '# svmtest-begin version=[0-9]+\.[0-9]+\.[0-9]+' && expect_line 'KTAP version 1' &&
        expect_line '1\.\.1' && expect_line "not ok 1 cpu # ERROR no long mode \\($3\\)" &&
        expect_line '# svmtest-end pass=0 fail=0 skip=0 error=1' || return 1
    [ "$(head -c 2 "$OUT/$1.raw" | od -An -c | tr -d ' ')" = '\r\n' ] ||
        fail "the report does not start with CRLF (a fresh line)"
}
t_early32_no_lm() { no_long_mode early32_no_lm max,-lm 'CPUID 0x80000001 EDX\.LM=0'; }
t_early32_pentium3() { no_long_mode early32_pentium3 pentium3 'no CPUID leaf 0x80000001'; }
t_early32_486() { no_long_mode early32_486 486 'no CPUID leaf 0x80000001'; }
t_early32_no_ext_leaf() { no_long_mode early32_no_ext_leaf qemu64,xlevel=0x80000000 'no CPUID leaf 0x80000001'; }

# the version is the 64-bit report's
t_early32_same_version() {
    boot early32_version_64 kernel max 'only=probe_host4'
    local want
    want=$(grep -E '^# svmtest-begin ' "$LOG")
    boot early32_version_32 kernel max,-lm
    [ -n "$want" ] && [ "$(grep -E '^# svmtest-begin ' "$LOG")" = "$want" ] ||
        fail "32-bit begin marker differs from '$want'"
}

# the report also on QEMU's debug console (no UART at all here)
t_early32_debugcon() {
    BOOT_NO_UART=1 boot early32_debugcon kernel max,-lm
    expect_report 39 && expect_line 'not ok 1 cpu # ERROR no long mode \(CPUID 0x80000001 EDX\.LM=0\)'
}

# no hypervisor signature (as on hardware): the report, then halt, not the
# debug-exit port (QEMU stays until killed: status 124)
t_early32_halts_without_hypervisor() {
    BOOT_LIMIT=4 boot early32_halt kernel qemu32,-hypervisor
    expect_report 124 && expect_line 'not ok 1 cpu # ERROR no long mode \(CPUID 0x80000001 EDX\.LM=0\)'
}

# --- item 1: a console address in svmtest's own memory or in listed RAM ------

# guard_address SYM: where -kernel puts it (the link address), as svmtest prints it
# (symbol: tests/qemu/cases_hardening.sh)
guard_address() { printf '0x%x' "$((16#$(symbol "$1")))"; }

# mmio_refused NAME ADDR WHAT-REGEX: console=mmio:ADDR is a configuration error on COM1
mmio_refused() {
    boot "$1" kernel max "console=mmio:$2 only=probe"
    expect_report 39 &&
        expect_line "not ok 1 cmdline # ERROR console=mmio:$2 is not a UART: $2-0x[0-9a-f]+ is $3 \(word 1, column 1\)"
}
OWN_MEMORY_RE="svmtest's own memory \(image, page tables, stacks 0x100000-0x[0-9a-f]+\)"
# the host PML4 (in the image): main triple-faulted here
t_guard_mmio_page_tables() { mmio_refused guard_mmio_pml4 "$(guard_address host_pml4)" "$OWN_MEMORY_RE"; }
# the kernel stack, in .bss: main wrote the report into it, printed nowhere
t_guard_mmio_bss() { mmio_refused guard_mmio_bss "$(guard_address kernel_stack)" "$OWN_MEMORY_RE"; }
# VGA text memory, which the screen mirror writes
t_guard_mmio_screen() {
    mmio_refused guard_mmio_screen 0xb8000 "the screen svmtest mirrors the report to \(0xb8000-0xb8f9f\)"
}
t_guard_mmio_ram() {
    mmio_refused guard_mmio_ram 0x1000 "RAM the loader's memory map lists as available \(0x0-0x9fbff\)"
}

# a 16550 SPCR names, console=spcr, the report expected on COM1 (COM2 to
# NAME.com2; BOOT_EXTRA: more QEMU arguments)
guard_spcr() {  # guard_spcr NAME REV SPCR-BODY-ARGS...
    local name=$1 rev=$2
    shift 2
    tests/qemu/spcr-body "$OUT/$name.spcr" "$@" || return 1
    BOOT_EXTRA="${BOOT_EXTRA:-} -serial file:$OUT/$name.com2 -acpitable sig=SPCR,rev=$rev,data=$OUT/$name.spcr" \
        boot "$name" kernel max 'console=spcr only=probe'
    expect_report 33 && expect_names "probe_host4 probe_host5"
}
SPCR_MMIO=(--rev 4 --type 0x12 --space mmio --bit-width 32 --access 3)

t_guard_spcr_mmio_page_tables() {
    local a
    a=$(guard_address host_pml4)
    guard_spcr guard_spcr_pml4 4 "$a" "${SPCR_MMIO[@]}" &&
        expect_line "# console: spcr: no UART can be at MMIO $a: $a-0x[0-9a-f]+ is $OWN_MEMORY_RE, using com1"
}
t_guard_spcr_mmio_image() {
    guard_spcr guard_spcr_image 4 0x100000 "${SPCR_MMIO[@]}" &&
        expect_line "# console: spcr: no UART can be at MMIO 0x100000: 0x100000-0x10001f is $OWN_MEMORY_RE, using com1"
}
t_guard_spcr_mmio_ram() {
    guard_spcr guard_spcr_ram 4 0x1000 "${SPCR_MMIO[@]}" &&
        expect_line "# console: spcr: no UART can be at MMIO 0x1000: 0x1000-0x101f is RAM the loader's memory map lists as available \(0x0-0x9fbff\), using com1"
}

# The relocated image (GRUB loads it at 64 MiB): its own memory is where it
# was loaded, not where it was linked; 1 MiB is then plain RAM.
guard_reloc_iso() {  # guard_reloc_iso NAME COMMAND-LINE...: boot the relocated image with it
    local name=$1
    shift
    GRUB_TIMEOUT=0 tools/make-iso "${RELOC_ELF:-build/tests/reloc64/svmtest.elf}" "$OUT/$name.iso" "$@" \
        >"$OUT/$name.make-iso" 2>&1 || fail "make-iso failed: $(tail -n 3 "$OUT/$name.make-iso")" || return 1
    ISO=$OUT/$name.iso boot "$name" bios max
    expect_line '# boot: image at 0x4000000-0x[0-9a-f]+ \(linked at 0x100000: moved by the loader if they differ\)' &&
        [ -z "$(sed -n '/^# svmtest-end/,$p' "$LOG" | tail -n +2 | grep -v '^$')" ] ||
        fail "not loaded at 64 MiB, or output after the end marker"
}
t_guard_reloc_mmio_own() {
    guard_reloc_iso guard_reloc_own console=mmio:0x4001000 verbose=1 || return 1
    expect_status 39 && expect_wellformed &&
        expect_line "not ok 1 cmdline # ERROR console=mmio:0x4001000 is not a UART: 0x4001000-0x400101f is svmtest's own memory \(image, page tables, stacks 0x4000000-0x[0-9a-f]+\) \(word 1, column 1\)"
}
t_guard_reloc_spcr_link_address() {
    tests/qemu/spcr-body "$OUT/guard_reloc_link.spcr" 0x101000 "${SPCR_MMIO[@]}" || return 1
    BOOT_EXTRA="-acpitable sig=SPCR,rev=4,data=$OUT/guard_reloc_link.spcr" \
        guard_reloc_iso guard_reloc_link console=spcr only=probe verbose=1 || return 1
    expect_status 33 && expect_wellformed &&
        expect_line "# console: spcr: no UART can be at MMIO 0x101000: 0x101000-0x10101f is RAM the loader's memory map lists as available \(0x100000-0x[0-9a-f]+\), using com1"
}

# --- item 9: SPCR UARTs that do not answer, ports no UART can be at ----------

# COM1's base with a 16-bit stride: registers 0x3f8-0x407, not a UART
t_guard_spcr_com1_16bit_stride() {
    guard_spcr guard_spcr_stride 2 0x3f8 --bit-width 16 --access 2 &&
        expect_line '# console: spcr: UART at I/O port 0x3f8 \(16-bit access, 2-byte stride\) does not answer, using com1'
}
# the probe touches the UART's 8 registers and nothing beside them: QEMU's
# trace of accesses to unassigned ports (region 'io') near the top
t_guard_spcr_top_port() {
    BOOT_EXTRA="-trace memory_region_ops_read -trace memory_region_ops_write" \
        guard_spcr guard_spcr_fff8 2 0xfff8 &&
        expect_line '# console: spcr: UART at I/O port 0xfff8 does not answer, using com1' || return 1
    local near
    near=$(grep -E "^([0-9]+@[0-9.]+:)?memory_region_ops_(read|write) .* addr 0xff[0-9a-f]{2} .*name 'io'" \
           "$OUT/guard_spcr_fff8.qemu" | sed -E 's/.* addr (0x[0-9a-f]+) .*/\1/' | sort -u)
    echo "$near" | grep -qx 0xffff || fail "the scratch register 0xffff was not probed" || return 1
    [ -z "$(echo "$near" | grep -vE '^0xfff[89a-f]$')" ] ||
        fail "ports outside 0xfff8-0xffff touched: $(echo "$near" | tr '\n' ' ')"
}
# an MMIO address with nothing there (reads all ones)
t_guard_spcr_mmio_absent() {
    guard_spcr guard_spcr_mmio_absent 4 0xfebff000 "${SPCR_MMIO[@]}" &&
        expect_line '# console: spcr: UART at MMIO 0xfebff000 \(32-bit access, 4-byte stride\) does not answer, using com1'
}
# refused before any access: main's probe wrote the debug-exit port (status 181)
t_guard_spcr_debug_exit_port() {
    guard_spcr guard_spcr_f0 2 0xf0 &&
        expect_line '# console: spcr: no UART can be at I/O port 0xf0: ports 0xf0-0xf7 overlap the debug-exit port \(0xf4-0xf7\), using com1'
}
t_guard_spcr_pci_config() {
    guard_spcr guard_spcr_cf8 2 0xcf8 &&
        expect_line '# console: spcr: no UART can be at I/O port 0xcf8: ports 0xcf8-0xcff overlap the PCI configuration ports \(0xcf8-0xcff\), using com1'
}
# a UART that answers is still used (the loopback test passes on QEMU's 16550)
t_guard_spcr_answers() {
    tests/qemu/spcr-body "$OUT/guard_spcr_ok.spcr" 0x2f8 --bit-width 8 --access 1 || return 1
    BOOT_COM2=1 BOOT_EXTRA="-acpitable sig=SPCR,rev=2,data=$OUT/guard_spcr_ok.spcr" \
        boot guard_spcr_ok kernel max 'console=spcr only=probe'
    expect_report 33 && expect_line '# console: spcr: UART at I/O port 0x2f8 baud=115200'
}
t_guard_console_port_pci_config() {
    boot guard_port_cf8 kernel max 'only=probe console=0xcf8'
    expect_report 39 &&
        expect_line "not ok 1 cmdline # ERROR no UART can be at '0xcf8': ports 0xcf8-0xcff overlap the PCI configuration ports \(0xcf8-0xcff\) \(word 2, column 12\)"
}
