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
