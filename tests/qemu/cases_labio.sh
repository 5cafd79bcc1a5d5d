# Lab I/O (issue 11): consoles as ACPI SPCR describes them, the guest time
# bound in milliseconds, exit=reboot. SPCR tables are given to QEMU with
# -acpitable (tests/qemu/spcr-body builds them); QEMU models a 1.8432 MHz
# UART, so -trace serial_update_parameters shows the divisor svmtest
# programs as 115200/divisor baud (divisor 26: 4430).

# spcr_boot NAME REV APPEND SPCR-BODY-ARGS...: boot with that SPCR table, the
# report expected on COM2 (COM1 goes to $OUT/NAME.com1); sets LOG, STATUS,
# TRACE (the serial_update_parameters lines).
spcr_boot() {
    local name=$1 rev=$2 append=$3
    shift 3
    tests/qemu/spcr-body "$OUT/$name.spcr" "$@" || return 1
    BOOT_COM2=1 BOOT_EXTRA="-acpitable sig=SPCR,rev=$rev,data=$OUT/$name.spcr -trace serial_update_parameters" \
        boot "$name" kernel max "$append"
    TRACE=$(grep -E '^([0-9]+@[0-9.]+:)?serial_update_parameters ' "$OUT/$name.qemu" |
            sed -E 's/^[0-9]+@[0-9.]+://')
}

# the baud rate QEMU was left at (the last parameter update, 8 data bits)
last_baud() { echo "$TRACE" | tail -n 1 | sed -n -E 's/.*baudrate=([0-9]+) .*data=8 .*/\1/p'; }

t_labio_spcr_rev4_48mhz_clock() {
    spcr_boot labio_spcr_rev4 4 'console=spcr only=probe' 0x2f8 --rev 4 --type 0x12 --clock 48000000
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5" &&
        expect_line '# console: spcr: UART at I/O port 0x2f8 baud=115200 uart_clock=48000000 divisor=26' &&
        [ "$(last_baud)" = 4430 ] || fail "divisor 26 should show as 4430 baud; trace: $TRACE"
}

# revision 2: offset 76 is reserved, a clock there is not used
t_labio_spcr_rev2_no_clock() {
    spcr_boot labio_spcr_rev2 2 'console=spcr only=probe' 0x2f8 --rev 2 --clock 48000000
    expect_status 33 && expect_wellformed &&
        expect_line '# console: spcr: UART at I/O port 0x2f8 baud=115200' &&
        [ "$(last_baud)" = 115200 ] || fail "expected divisor 1 (115200); trace: $TRACE"
}

# revision 4: the precise baud rate overrides the baud code
t_labio_spcr_rev4_precise_baud() {
    spcr_boot labio_spcr_precise 4 'console=spcr only=probe' 0x2f8 --rev 4 --baud-code 7 --precise-baud 57600
    expect_status 33 && expect_wellformed &&
        expect_line '# console: spcr: UART at I/O port 0x2f8 baud=57600' &&
        [ "$(last_baud)" = 57600 ] || fail "expected divisor 2 (57600); trace: $TRACE"
}

# uart_clock= on the command line wins over the table's clock
t_labio_spcr_uart_clock_override() {
    spcr_boot labio_spcr_override 4 'console=spcr only=probe uart_clock=1843200' 0x2f8 --rev 4 --clock 48000000
    expect_status 33 && expect_wellformed &&
        expect_line '# console: spcr: UART at I/O port 0x2f8 baud=115200' &&
        [ "$(last_baud)" = 115200 ] || fail "expected divisor 1 (115200); trace: $TRACE"
}

# baud 0 ("as is"): the divisor stays what it was (QEMU resets it to 12,
# 9600 baud); svmtest only sets 8N1
t_labio_spcr_baud_as_is() {
    spcr_boot labio_spcr_as_is 2 'console=spcr only=probe' 0x2f8 --baud-code 0
    expect_status 33 && expect_wellformed &&
        expect_line '# console: spcr: UART at I/O port 0x2f8 baud=as-is \(divisor left as the firmware set it\)' &&
        [ -n "$TRACE" ] && ! echo "$TRACE" | grep -qv 'baudrate=9600 ' ||
        fail "the divisor was reprogrammed; trace: $TRACE"
}

# not a 16550 (3 = ARM PL011): nothing is written to it, COM1 carries the report
t_labio_spcr_not_16550() {
    tests/qemu/spcr-body "$OUT/labio_pl011.spcr" 0x2f8 --rev 4 --type 3
    BOOT_EXTRA="-serial file:$OUT/labio_pl011.com2 -acpitable sig=SPCR,rev=4,data=$OUT/labio_pl011.spcr" \
        boot labio_pl011 kernel max 'console=spcr only=probe'
    expect_status 33 && expect_wellformed &&
        expect_line '# console: SPCR interface type 3 not supported, using com1' &&
        [ ! -s "$OUT/labio_pl011.com2" ] || fail "the port SPCR names received output"
}

# a uart_clock= no divisor suits is a configuration error, readable on COM1
# (the firmware's divisor is kept)
t_labio_uart_clock_error() {
    boot labio_clock_error kernel max 'uart_clock=1000000'
    expect_status 39 && expect_wellformed &&
        expect_line 'not ok 1 cmdline # ERROR uart_clock=1000000 with baud=115200: no divisor gives this baud rate within 5% from this UART clock \(word 1\)'
}

# console=mmio: at an address with no UART: bounded, the run goes on (the
# report on QEMU's debug console)
t_labio_mmio_console_absent() {
    BOOT_NO_UART=1 boot labio_mmio_absent kernel max 'console=mmio:0xfebff000 only=probe'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5"
}

# exit=reboot under -no-reboot: QEMU ends on the reset; the UART was drained
# so the end marker's line is the log's last, complete line
t_labio_exit_reboot() {
    boot labio_reboot kernel max 'only=probe exit=reboot verbose=1'
    expect_status 0 && expect_wellformed &&
        expect_line '# exit: reboot tries port-0xcf9, keyboard-controller, triple-fault' &&
        tail -n 1 "$LOG" | grep -Eq '^# svmtest-end pass=2 fail=0 skip=0 error=0$' &&
        [ "$(tail -c 2 "$OUT/labio_reboot.raw" | od -An -c | tr -d ' ')" = '\r\n' ] ||
        fail "the log does not end with the end marker's full line"
}

# q35's FADT names a reset register (I/O 0xcf9 = 0x0f): tried first
t_labio_exit_reboot_fadt() {
    BOOT_EXTRA="-machine q35" boot labio_reboot_q35 kernel max 'only=probe exit=reboot verbose=1'
    expect_status 0 && expect_wellformed &&
        expect_line '# exit: reboot tries fadt-reset-register \(I/O 0xcf9 = 0xf\), port-0xcf9, keyboard-controller, triple-fault' &&
        tail -n 1 "$LOG" | grep -Eq '^# svmtest-end pass=2 fail=0 skip=0 error=0$' ||
        fail "the log does not end with the end marker"
}

# hang_ms MS: wall time of a boot whose one scenario hangs, in ms
hang_ms() {
    local t0 t1
    t0=$(date +%s%N)
    boot "labio_hang_$1" kernel max "selftest=guest-hang only=host4_npt4_prebuilt guest_timeout_ms=$1"
    t1=$(date +%s%N)
    expect_status 35 || return 1
    expect_line "# guest made no report within $1 ms \(by the TSC, at timer ticks every 10 ms; last rip=0x[0-9a-f]{16}\)" || return 1
    HANG_MS=$(( (t1 - t0) / 1000000 ))
}

# the bound is wall time: 5000 ms boots 4500 ms longer than 500 ms, within 20%
t_labio_guest_timeout_wall_time() {
    hang_ms 500 || return 1
    local short=$HANG_MS
    hang_ms 5000 || return 1
    local grown=$(( HANG_MS - short ))
    echo "  guest_timeout_ms=500: ${short} ms, =5000: ${HANG_MS} ms, grown by ${grown} ms (want 4500 +-20%)"
    [ "$grown" -ge 3600 ] && [ "$grown" -le 5400 ] || fail "grown by $grown ms, not 4500 ms +-20%"
}

# no ACPI: the PIT calibrates; verbose=1 says so
t_labio_timer_pit() {
    BOOT_EXTRA="-machine pc,acpi=off" boot labio_pit kernel max \
        'selftest=guest-hang only=host4_npt4_prebuilt guest_timeout_ms=300 verbose=1'
    expect_status 35 && expect_wellformed &&
        expect_line '# timer: calibrated against PIT channel 2; guest bound 300 ms by the TSC, checked every 10 ms' &&
        expect_line '# guest made no report within 300 ms \(by the TSC, at timer ticks every 10 ms; last rip=0x[0-9a-f]{16}\)'
}

# neither PM timer nor PIT: the old tick bound, said at verbose=0
t_labio_timer_no_reference() {
    BOOT_EXTRA="-machine pc,acpi=off,pit=off" boot labio_no_ref kernel max \
        'selftest=guest-hang only=host4_npt4_prebuilt'
    expect_status 35 && expect_wellformed &&
        expect_line '# timer: no reference clock \(no ACPI FADT; PIT channel 2 output is high before its count ran \(no PIT\)\): guest runs bounded by 120 ticks of an uncalibrated APIC timer, not guest_timeout_ms' &&
        expect_line '# guest made no report within 120 timer ticks \(uncalibrated; last rip=0x[0-9a-f]{16}\)'
}

# bench=on prints the calibrated clocks; QEMU's APIC timer runs at 1 GHz, so
# 62500 kHz after the divide-by-16 (within 5%)
t_labio_bench_clocks() {
    boot labio_bench kernel max 'bench=on only=probe'
    expect_status 33 && expect_wellformed &&
        expect_line '# bench: clocks tsc_khz=[0-9]+ apic_timer_khz=[0-9]+ \(divide by 16\) against acpi-pm-timer' || return 1
    local khz
    khz=$(sed -n -E 's/^# bench: clocks .* apic_timer_khz=([0-9]+) .*/\1/p' "$LOG")
    [ "$khz" -ge 59375 ] && [ "$khz" -le 65625 ] || fail "APIC timer at $khz kHz, not 62500 +-5%"
}

# verbose=1 shows the reference, not the measured (run-varying) rates: two
# boots print the same bytes
t_labio_verbose1_deterministic() {
    boot labio_det_a kernel max 'only=probe,gptfault verbose=1'
    local a=$LOG
    boot labio_det_b kernel max 'only=probe,gptfault verbose=1'
    expect_line '# timer: calibrated against the ACPI PM timer \(I/O port 0x608, 24-bit\); guest bound 2000 ms by the TSC, checked every 10 ms' &&
        cmp -s <(report_of "$a") <(report_of "$LOG") ||
        fail "two boots differ: $(diff <(report_of "$a") <(report_of "$LOG") | head -5)"
}
