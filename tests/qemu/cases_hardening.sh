# QEMU boot cases for what a physical machine may throw at svmtest (issue 9):
# too little memory, a loader that puts the kernel elsewhere, NMIs and a
# machine check at exact points of a run (tests/qemu/inject-at).

# -m 2: the image fits, its .bss does not: a clear error on COM1 with both
# markers, status 39, instead of a hang.
t_memory_too_small() {
    BOOT_MEM=2 boot mem2 kernel max
    expect_status 39 && expect_wellformed &&
        expect_line "not ok 1 memory # ERROR the loader's memory map does not hold svmtest's image and working memory 0x100000-0x[0-9a-f]+ \(1535 KiB of RAM in 2 ranges\)"
}

# Just enough memory: the run completes.
t_memory_just_enough() {
    BOOT_MEM=4 boot mem4 kernel max 'only=probe'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5"
}

# The relocatable multiboot2 image GRUB must load at 64 MiB or above: the same
# results as the default image; its NPT pages (in .bss) lie above 64 MiB.
reloc64_case() {  # reloc64_case FIRMWARE
    local ref
    boot reloc-ref-$1 kernel max
    ref=$(grep -E '^(not )?ok ' "$LOG")
    ISO=build/tests/reloc64/svmtest.iso boot reloc64-$1 "$1" max
    expect_status 33 && expect_wellformed || return 1
    [ "$ref" = "$(grep -E '^(not )?ok ' "$LOG")" ] || fail "results differ from the default image's" || return 1
    local addr
    addr=$(sed -n -E 's/^# walk5 0xfffff000: L5\[0\]=0x([0-9a-f]{16}) .*/\1/p' "$LOG" | head -n 1)
    [ -n "$addr" ] && [ $((16#$addr)) -ge $((0x4000000)) ] ||
        fail "NPT root entry 0x$addr: not above 64 MiB, the image was not moved"
}
t_reloc64_bios() { reloc64_case bios; }
t_reloc64_uefi() { reloc64_case uefi; }

# boot_injected NAME APPEND ADDR:COUNT:COMMAND...: a -kernel boot (-smp BOOT_SMP, 1) stopped at
# the given breakpoints, where the monitor commands run (tests/qemu/inject-at)
boot_injected() {
    local name=$1 append=$2; shift 2
    LOG=$OUT/$name.log
    local raw=$OUT/$name.raw sock=$OUT/$name.mon port
    port=$(( 20000 + (RANDOM % 20000) ))
    rm -f "$sock"
    timeout "$BOOT_LIMIT" "${BOOT_QEMU:-qemu-system-x86_64}" -accel tcg -cpu max -m "${BOOT_MEM:-3G}" -smp "${BOOT_SMP:-1}" \
        -nodefaults -no-reboot -display none -serial "file:$raw" \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$ELF" -append "$append" \
        -S -gdb "tcp:127.0.0.1:$port" -monitor "unix:$sock,server,nowait" \
        </dev/null >"$OUT/$name.qemu" 2>&1 &
    local pid=$!
    timeout 120 tests/qemu/inject-at "$port" "$sock" "$@" >"$OUT/$name.inject" 2>&1 ||
        { cat "$OUT/$name.inject"; kill "$pid" 2>/dev/null; }
    wait "$pid"
    STATUS=$?
    tr -d '\r' <"$raw" >"$LOG"
}

symbol() { nm "$ELF" | awk -v s="$1" '$3 == s { print $1 }'; }

# Ten NMIs: five in the host (at svm_vmrun, GIF=1) and five held by GIF=0
# until the guest runs (at the VMRUN instruction: #VMEXIT NMI, re-entered,
# then taken by the host). Pending NMIs coalesce (QEMU 7.2 TCG takes only
# the first of those held across VMRUN), so the count is at least six.
# The results are those of a clean run.
t_nmi_injected() {
    boot nmi-ref kernel max 'verbose=1'
    local ref
    ref=$(grep -E '^(not )?ok ' "$LOG")
    expect_line '# interrupts: nmi=0 stray=0' || return 1
    boot_injected nmi-injected 'verbose=1' "$(symbol svm_vmrun):5:nmi" \
        "$(symbol svm_vmrun.enter_guest):5:nmi"
    expect_status 33 && expect_wellformed || return 1
    local nmis
    nmis=$(sed -n -E 's/^# interrupts: nmi=([0-9]+) stray=0$/\1/p' "$LOG")
    [ -n "$nmis" ] && [ "$nmis" -ge 6 ] && [ "$nmis" -le 10 ] ||
        fail "expected 6 to 10 NMIs counted, got '$nmis'" || return 1
    [ "$ref" = "$(grep -E '^(not )?ok ' "$LOG")" ] || fail "results differ from a run without NMIs"
}

# At verbose=0 NMIs change no byte of the report.
t_nmi_injected_quiet() {
    boot nmi-quiet-ref kernel max
    local ref
    ref=$(report_of "$LOG")
    boot_injected nmi-quiet 'exit=qemu' "$(symbol svm_vmrun.enter_guest):10:nmi"
    expect_status 33 || return 1
    [ "$ref" = "$(report_of "$LOG" | sed 's/ exit=qemu//')" ] || fail "NMIs changed the report at verbose=0"
}

# A machine check (uncorrected, bank 1, address and misc valid): ERROR with
# MCG_STATUS and the bank's registers, end marker, status 39.
t_mce_injected() {
    boot_injected mce 'only=reset' "$(symbol run_selected):1:mce 0 1 0xbe00000000000175 0x5 0x1234000 0x86"
    expect_status 39 && expect_wellformed &&
        expect_line '# machine check: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+ rip=0x[0-9a-f]{16}' &&
        expect_line '# machine check: bank 1 MCi_STATUS=0xbe00000000000175 \[VAL UC EN MISCV ADDRV PCC\] MCi_ADDR=0x0000000001234000 MCi_MISC=0x0000000000000086' &&
        expect_line 'not ok 1 kernel # ERROR machine check \(MCG_STATUS=0x0000000000000005\)'
}

# An NMI at the final halt (exit=halt: QEMU keeps running until the bound)
# prints nothing after the end marker.
t_nmi_at_final_halt() {
    BOOT_LIMIT=6 boot_injected nmi-halt 'only=probe exit=halt' "$(symbol machine_exit):1:nmi"
    expect_status 124 && expect_wellformed || return 1
    [ "$(tail -n 1 "$LOG")" = "# svmtest-end pass=2 fail=0 skip=0 error=0" ] ||
        fail "the log does not end with the end marker: $(tail -n 1 "$LOG")"
}
