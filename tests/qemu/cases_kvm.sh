# KVM in the loop (tools/kvm-nested, tools/kvm-table): svmtest as L2 under a
# real Linux KVM, the L1 kernel booted in QEMU TCG. The kernels are Debian's
# (tools/ensure-kernel downloads each once into ~/.cache/svmtest). The
# scenarios are read from the reference's own report, never listed here.
# 5.10 built with 5-level paging has its own target (make kvm-la57,
# tests/kvm/la57-storm): its build takes minutes.

# kvm_table NAME KERNEL: tools/kvm-table --exact for one kernel; LOG is its
# table, SCENARIOS the reference's scenario names
kvm_table() {
    local name=$1 kernel=$2
    LOG=$OUT/$name.table
    TIMEOUT=$BOOT_LIMIT SMP=2 JOBS=1 tools/kvm-table --kernels "$kernel" --exact --out "$OUT/$name" >"$LOG" 2>&1
    STATUS=$?
    SCENARIOS=$(tr -d '\r' <"$OUT/$name/reference.log" 2>/dev/null | sed -n -E 's/^(not )?ok [0-9]+ ([a-z0-9_]+).*/\2/p')
    [ -n "$SCENARIOS" ] || fail "the reference printed no results" || return 1
    [ "$STATUS" = 0 ] || { sed 's/^/    /' "$LOG"; fail "tools/kvm-table --kernels $kernel: status $STATUS"; }
}

kvm_row() {  # kvm_row SCENARIO REF-RESULT CELL-REGEX
    grep -Eq "^$1 +$2 +\| $3\$" "$LOG" || fail "no row: $1 $2 | $3"
}

# Debian 12's 6.1 (5-level paging in L1, its KVM builds 5-level NPT): the
# whole matrix as the reference has it, all_cpus too (-smp 2)
t_kvm_61_matrix() {
    kvm_table kvm_61_matrix 6.1 || return 1
    local n
    n=$(wc -w <<<"$SCENARIOS")
    expect_line "kvm-6\.1\.[0-9]+: $n results; other lines that differ from qemu-7\.2 \(not compared\): none" &&
    expect_line 'kvm-table: every kernel agrees with the reference \(known bugs aside\)' || return 1
    for s in $SCENARIOS; do
        kvm_row "$s" ok 'ok +=  +=' || return 1
    done
    grep -Eq '^all_cpus +ok +\| ok ' "$LOG" || fail "all_cpus is not ok under 6.1 with -smp 2"
}

# Debian 11's 5.10 (4-level L1): its deviations are exactly those listed in
# tests/emulators/known-bugs-kvm.tsv (--exact: none unlisted, none missing)
t_kvm_510_known_bugs() {
    kvm_table kvm_510_known_bugs 5.10 || return 1
    local n
    n=$(wc -w <<<"$SCENARIOS")
    expect_line "kvm-5\.10\.[0-9]+: $n results; .*" &&
    expect_line 'kvm-table: every kernel agrees with the reference \(known bugs aside\)' || return 1
    ! grep -q 'DIFF' "$LOG" || fail "a deviation not listed as known"
    grep -q 'KNOWN' "$LOG" || fail "no known deviation shown"
}

# An L2 that never prints (tests/kvm/spin.asm): status 52 and KVM's trace
# summarised, naming where it spins (the RIP of its jmp-to-itself, read from
# the binary); SeaBIOS's own exits come first, the spin ends the trace
t_kvm_silent_l2() {
    local bin=$OUT/spin.bin err=$OUT/kvm_silent_l2.err
    nasm -f bin -o "$bin" tests/kvm/spin.asm || return 1
    local off rip
    off=$(od -An -tx1 -v "$bin" | tr -s ' \n' ' ' | awk '{ for (i = 1; i < NF; i++) if ($i == "eb" && $(i+1) == "fe") { print i - 1; exit } }')
    [ -n "$off" ] || fail "no jmp \$ in $bin" || return 1
    rip=$(printf '0x%x' $((0x100000 + off)))
    LOG=$err
    KERNEL=6.1 SMP=1 SILENT=10 TIMEOUT=10 KVM_OUT=$OUT/kvm_silent_l2 tools/kvm-nested "$bin" \
        >"$OUT/kvm_silent_l2.out" 2>"$err"
    STATUS=$?
    expect_status 52 &&
    expect_line "svmtest-kvm: L2 printed nothing within 10s under L1 .*" &&
    expect_line "svmtest-kvm: the trace ends with [0-9]+ identical exits: INTR rip=0x0*${rip#0x} exitinfo1=0x0+ exitinfo2=0x0+" &&
    expect_line "svmtest-kvm: pattern: L2 spins in guest mode at RIP $rip: only host interrupts make it exit \(no I/O, no fault\), so it never reaches its serial port" &&
    [ ! -s "$OUT/kvm_silent_l2.out" ] || fail "stdout (L2's serial) is not empty"
}

# The statuses of tools/kvm-nested's own: L1 that does not boot (50, with
# its console's end), kvm_amd that does not load (51, with the kernel's
# message)
t_kvm_own_statuses() {
    LOG=$OUT/kvm_own_statuses.err
    KERNEL=6.1 L1_APPEND=rdinit=/no-such-init L1_BOOT_TIMEOUT=60 KVM_OUT=$OUT/kvm_l1_fails \
        tools/kvm-nested "$ELF" >/dev/null 2>"$LOG"
    STATUS=$?
    expect_status 50 &&
    expect_line 'svmtest-kvm: L1 \(.*\) did not boot .*' &&
    grep -q 'Kernel panic' "$LOG" || fail "L1's panic is not shown" || return 1
    LOG=$OUT/kvm_own_statuses.err2
    KERNEL=6.1 KVM_AMD=nested=banana KVM_OUT=$OUT/kvm_amd_fails tools/kvm-nested "$ELF" >/dev/null 2>"$LOG"
    STATUS=$?
    expect_status 51 &&
    expect_line "svmtest-kvm: kvm_amd did not load in L1 .*insmod kvm-amd\.ko nested=1 nested=banana.*" &&
    expect_line ".*kvm_amd: .banana' invalid for parameter .nested'.*"
}

# usage errors and a kernel name tools/ensure-kernel does not know: no boot
t_kvm_usage() {
    LOG=$OUT/kvm_usage.err
    BOOT=floppy tools/kvm-nested >/dev/null 2>"$LOG"; STATUS=$?
    expect_status 2 && expect_line "svmtest-kvm: BOOT='floppy': kernel or iso" || return 1
    KERNEL=/no/such/bzImage tools/kvm-nested "$ELF" >/dev/null 2>"$LOG"; STATUS=$?
    expect_status 2 && expect_line "svmtest-kvm: KERNEL='/no/such/bzImage': no such file" || return 1
    SILENT=soon tools/kvm-nested "$ELF" >/dev/null 2>"$LOG"; STATUS=$?
    expect_status 2 && expect_line "svmtest-kvm: SILENT='soon': a positive number" || return 1
    KERNEL=4.19 tools/kvm-nested "$ELF" >/dev/null 2>"$LOG"; STATUS=$?
    expect_status 53 &&
    expect_line "ensure-kernel: unknown kernel '4.19': 6.1, 6.12, 5.10 or 5.10-la57 .*" || return 1
    BOOT=iso tools/kvm-nested "$ISO" only=reset >/dev/null 2>"$LOG"; STATUS=$?
    expect_status 2 && expect_line "svmtest-kvm: BOOT=iso takes its command line from the ISO's menu; ARGS need BOOT=kernel"
}
