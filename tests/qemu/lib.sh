# Helpers for QEMU boot tests (sourced). Every boot runs under TCG with a
# wall-clock bound; the serial log is kept in $OUT/<case>.log (CR stripped).

ELF=${ELF:-build/svmtest.elf}
ISO=${ISO:-build/svmtest.iso}
OUT=${OUT:-build/tests/qemu}
BOOT_LIMIT=${BOOT_LIMIT:-180}

# boot NAME KIND CPU [APPEND]: KIND is kernel, bios or uefi. Sets LOG, STATUS.
boot() {
    local name=$1 kind=$2 cpu=$3 append=${4-}
    LOG=$OUT/$name.log
    local raw=$OUT/$name.raw
    # BOOT_COM2=1: the log is on COM2 (COM1 goes nowhere); BOOT_EXTRA: more
    # QEMU arguments (word-split)
    local serial=(-serial "file:$raw")
    [ -n "${BOOT_COM2:-}" ] && serial=(-serial null -serial "file:$raw")
    # BOOT_NO_UART=1: no serial port at all; the log is QEMU's debug console
    [ -n "${BOOT_NO_UART:-}" ] && serial=(-debugcon "file:$raw")
    # BOOT_QEMU: another QEMU binary (e.g. tools/ensure-qemu10); BOOT_MEM,
    # BOOT_SMP: -m and -smp
    local args=(-accel tcg -cpu "$cpu" -m "${BOOT_MEM:-3G}" -smp "${BOOT_SMP:-1}" -nodefaults -no-reboot -display none
                "${serial[@]}" -device isa-debug-exit,iobase=0xf4,iosize=0x04 ${BOOT_EXTRA:-})
    case $kind in
        kernel) args+=(-kernel "$ELF")
                [ -n "$append" ] && args+=(-append "$append")
                # BOOT_INITRD: a multiboot module, "FILE ARGS" (QEMU splits modules at commas)
                [ -n "${BOOT_INITRD:-}" ] && args+=(-initrd "$BOOT_INITRD") ;;
        bios) args+=(-cdrom "$ISO") ;;
        uefi) cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/$name.vars"
              args+=(-cdrom "$ISO"
                     -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
                     -drive if=pflash,format=raw,file="$OUT/$name.vars") ;;
    esac
    timeout "$BOOT_LIMIT" "${BOOT_QEMU:-qemu-system-x86_64}" "${args[@]}" </dev/null >"$OUT/$name.qemu" 2>&1
    STATUS=$?
    tr -d '\r' <"$raw" >"$LOG"
}

fail() { echo "  $*"; return 1; }

expect_status() {
    [ "$STATUS" = "$1" ] || fail "expected QEMU status $1, got $STATUS"
}

expect_line() {  # an extended regex that must match a whole line
    grep -Eq "^$1\$" "$LOG" || fail "no line matching: $1"
}

expect_no_line() {
    ! grep -Eq "^$1\$" "$LOG" || fail "unexpected line matching: $1"
}

count_lines() { grep -Ec "^$1\$" "$LOG"; }

# The report's framing: each marker once, plan count equal to result count,
# results numbered 1..N in order, the end marker's counts match the results.
expect_wellformed() {
    local begins ends plan results
    begins=$(count_lines '# svmtest-begin version=[0-9]+\.[0-9]+\.[0-9]+')
    ends=$(count_lines '# svmtest-end pass=[0-9]+ fail=[0-9]+ skip=[0-9]+ error=[0-9]+')
    [ "$begins" = 1 ] || fail "begin marker seen $begins times" || return 1
    [ "$ends" = 1 ] || fail "end marker seen $ends times" || return 1
    plan=$(sed -n -E 's/^1\.\.([0-9]+)$/\1/p' "$LOG")
    [ -n "$plan" ] || fail "no plan line" || return 1
    results=$(count_lines '(not )?ok [0-9]+ [a-z0-9_]+( # .*)?')
    [ "$plan" = "$results" ] || fail "plan 1..$plan but $results results" || return 1
    local n=0 line
    while read -r line; do
        n=$((n + 1))
        [ "$line" = "$n" ] || fail "result $n numbered $line" || return 1
    done < <(sed -n -E 's/^(not )?ok ([0-9]+) .*/\2/p' "$LOG")
    local pass fail_ skip error
    pass=$(count_lines 'ok [0-9]+ [a-z0-9_]+')
    skip=$(count_lines 'ok [0-9]+ [a-z0-9_]+ # SKIP.*')
    error=$(count_lines 'not ok [0-9]+ [a-z0-9_]+ # ERROR.*')
    fail_=$(( $(count_lines 'not ok [0-9]+ [a-z0-9_]+( # .*)?') - error ))
    expect_line "# svmtest-end pass=$pass fail=$fail_ skip=$skip error=$error"
}

# The report between the markers, for comparing boots.
report_of() { sed -n '/^# svmtest-begin/,/^# svmtest-end/p' "$1"; }
