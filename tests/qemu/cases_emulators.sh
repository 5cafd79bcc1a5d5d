# Emulator agreement (tools/emulators, `make emulators`): the same svmtest
# image on QEMU 10 and Bochs 2.7 must give the reference's (QEMU 7.2) results,
# "# npf:" and "# verdict:" lines. tools/emulators --kernel boots the ELF
# (same report as the ISO, no GRUB menu delay): QEMU with -kernel, Bochs in
# a GRUB ISO without menu delay (tools/make-iso); `make emulators` boots the
# ISO itself.

# emulator_agreement NAME ID: run tools/emulators for one emulator; sets LOG
# to its table
emulator_agreement() {
    local name=$1 id=$2
    LOG=$OUT/$name.table
    EMULATOR_TIMEOUT=$BOOT_LIMIT tools/emulators --only "$id" --kernel --out "$OUT/$name" >"$LOG" 2>&1
    STATUS=$?
    [ "$STATUS" = 0 ] || { sed 's/^/    /' "$LOG"; fail "tools/emulators --only $id: status $STATUS"; }
}

# a table row: scenario, the reference's result, the emulator's cell
expect_row() {  # expect_row SCENARIO REF-RESULT CELL-REGEX
    grep -Eq "^$1 +$2 +\| $3\$" "$LOG" || fail "no row: $1 $2 | $3"
}

t_emulators_qemu10() {
    emulator_agreement emulators_qemu10 qemu10-seabios || return 1
    expect_line "qemu-10\\.[0-9.]+/seabios: $SCENARIO_TOTAL results; .*" &&
    expect_line 'emulators: every emulator agrees with the reference \(known bugs aside\)' || return 1
    for s in $ALL_SCENARIOS; do
        case $s in
            all_cpus) expect_row "$s" SKIP 'SKIP = +-  +-' ;;   # one CPU on every emulator
            *) expect_row "$s" ok 'ok +=  +=' ;;
        esac || return 1
    done
}

# Bochs 2.7: SVM and NPT, no LA57: every 5-level host or guest SKIPs (la57=0
# in its features line), the rest agrees (groups gptfault and bits too:
# its reserved-bit #NPFs have P set, as the model says)
t_emulators_bochs27() {
    emulator_agreement emulators_bochs27 bochs27 || return 1
    expect_line "bochs-2\\.7: $SCENARIO_TOTAL results; .*" &&
    expect_line 'emulators: every emulator agrees with the reference \(known bugs aside\)' || return 1
    for s in $ALL_SCENARIOS; do
        case $s in
            host5_*|*_host5|guest5_host4|gptfault5_*|bits5_*) expect_row "$s" ok 'SKIP la57=0 +-  +-' ;;
            all_cpus) expect_row "$s" SKIP 'SKIP = +-  +-' ;;
            *) expect_row "$s" ok 'ok +=  +=' ;;
        esac || return 1
    done
}

# the comparison itself, on synthetic logs: SKIPs, differences, known bugs,
# a run that stops (no boot)
t_emulators_compare() {
    python3 tests/emulators/test_compare.py
}
