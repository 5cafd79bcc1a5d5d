# QEMU boot cases for machine checks wherever they arrive (issue 19): in the
# guest (QEMU's TCG hands an injected #MC to the guest, ignoring the
# intercept), on the boot CPU while an application processor runs its
# matrix, on an AP running or parked, broadcast to every CPU, and after the
# end marker. Each is injected through the monitor at a chosen RIP
# (tests/qemu/inject-at, boot_injected in cases_hardening.sh).

MCE_BANK1='1 0xbe00000000000175 0x5 0x1234000 0x86'
MCE_BANK1_LINE='bank 1 MCi_STATUS=0xbe00000000000175 \[VAL UC EN MISCV ADDRV PCC\] MCi_ADDR=0x0000000001234000 MCi_MISC=0x0000000000000086'

plan_of() { sed -n -E 's/^1\.\.([0-9]+)$/\1/p' "$LOG"; }

# The #MC arrives at VMRUN (held by GIF=0 until the guest runs): QEMU delivers
# it through the guest's IVT (#NPF at GPA 0x48); svmtest reads MCG_STATUS
# after the exit and reports the machine check, naming the broken intercept.
t_mce_in_guest() {
    boot_injected mce-guest 'only=host4_npt4_prebuilt' "$(symbol svm_vmrun.enter_guest):1:mce 0 $MCE_BANK1"
    expect_status 39 && expect_wellformed &&
        expect_line '# verdict: the guest took vector 18 through its IVT although svmtest intercepts it' &&
        expect_line '# machine check: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+ found after #VMEXIT NPF' &&
        expect_line "# machine check: $MCE_BANK1_LINE" &&
        expect_line 'not ok 1 host4_npt4_prebuilt # ERROR machine check \(MCG_STATUS=0x0000000000000005\)' &&
        expect_no_line '# verdict: CPU walked .*'
}

# After the end marker nothing is printed: the machine check is counted and
# the CPU halts (exit=halt: QEMU runs on until the bound).
t_mce_after_end() {
    BOOT_LIMIT=5 boot_injected mce-after-end 'only=probe_host4 exit=halt' \
        "$(symbol machine_exit):1:mce 0 $MCE_BANK1"
    expect_status 124 && expect_wellformed || return 1
    [ "$(tail -n 1 "$LOG")" = "# svmtest-end pass=1 fail=0 skip=0 error=0" ] ||
        fail "the log does not end with the end marker: $(tail -n 1 "$LOG")"
}

# mce_during_ap CASE SMP SKIP COMMAND [SYMBOL]: the monitor command runs when
# the SKIP+1-th AP starts its matrix (ap_run) or, with SYMBOL, when a CPU
# first reaches SYMBOL after that; the report must stay one KTAP stream of
# the boot CPU's, ending in an ERROR of all_cpus.
mce_during_ap() {
    local name=$1 smp=$2 skip=$3 command=$4 triples=()
    [ "$skip" -gt 0 ] && triples+=("$(symbol ap_run):$skip:info status")
    if [ -n "${5:-}" ]; then
        triples+=("$(symbol ap_run):1:info status" "$(symbol "$5"):1:$command")
    else
        triples+=("$(symbol ap_run):1:$command")
    fi
    BOOT_SMP=$smp boot_injected "$name" 'only=probe,cpus' "${triples[@]}"
    expect_status 39 && expect_wellformed || return 1
    local n
    n=$(plan_of)
    expect_line 'ok 1 probe_host4' && expect_line 'ok 2 probe_host5' &&
        [ "$(count_lines '(not )?ok [0-9]+ .*')" = "$n" ] || fail "AP results leaked into the report"
}

# On the boot CPU while AP 1 runs: the ERROR names all_cpus, the AP is stopped
t_mce_bsp_while_ap_runs() {
    mce_during_ap mce-bsp-ap 2 0 "mce 0 $MCE_BANK1" || return 1
    expect_line "# machine check: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+ rip=0x[0-9a-f]{16}" &&
        expect_line "not ok $(plan_of) all_cpus # ERROR machine check \(MCG_STATUS=0x0000000000000005\)"
}

# On AP 1 while it runs its matrix: recorded by the AP, reported by the boot CPU
t_mce_on_running_ap() {
    mce_during_ap mce-ap-run 2 0 "mce 1 $MCE_BANK1" || return 1
    expect_line "# machine check on APIC 1: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+ rip=0x[0-9a-f]{16}" &&
        expect_line "# machine check on APIC 1: $MCE_BANK1_LINE" &&
        expect_line "not ok $(plan_of) all_cpus # ERROR machine check on APIC 1 \(MCG_STATUS=0x0000000000000005\)"
}

# On AP 1 at its first VMRUN (its guest takes it through its IVT under
# QEMU's TCG): AP 1 finds it after the exit and records it
t_mce_in_ap_guest() {
    mce_during_ap mce-ap-guest 2 0 "mce 1 $MCE_BANK1" svm_vmrun.enter_guest || return 1
    expect_line "# machine check on APIC 1: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+" &&
        expect_line "# machine check on APIC 1: $MCE_BANK1_LINE" &&
        expect_line "not ok $(plan_of) all_cpus # ERROR machine check on APIC 1 \(MCG_STATUS=0x0000000000000005\)"
}

# On AP 1, parked in svmtest's page (CR4.MCE, its own IDT), while AP 2 runs
t_mce_on_parked_ap() {
    mce_during_ap mce-ap-park 3 1 "mce 1 $MCE_BANK1" || return 1
    expect_line "# machine check on APIC 1: MCG_STATUS=0x0000000000000005 \[RIPV MCIP\] MCG_CAP=0x[0-9a-f]{16} banks=[0-9]+ rip=0x[0-9a-f]{16}" &&
        expect_line "# machine check on APIC 1: $MCE_BANK1_LINE" &&
        expect_line "not ok $(plan_of) all_cpus # ERROR machine check on APIC 1 \(MCG_STATUS=0x0000000000000005\)"
}

# Broadcast, as real uncorrected errors are: every CPU (the boot CPU
# waiting, AP 1 parked, AP 2 running) takes it; no shutdown, one report
t_mce_broadcast() {
    mce_during_ap mce-broadcast 3 1 "mce -b 0 $MCE_BANK1" || return 1
    expect_line "# machine check: $MCE_BANK1_LINE" &&
        expect_line "not ok $(plan_of) all_cpus # ERROR machine check \(MCG_STATUS=0x0000000000000005\)"
}

# NMIs in a -smp 4 run, at VMRUN on whichever CPU runs a guest (the boot CPU
# and each AP), parked APs taking them too: the report at verbose=0 is byte
# for byte the one of a run without them.
t_nmi_smp4_quiet() {
    BOOT_SMP=4 boot nmi-smp4-ref kernel max 'exit=qemu'
    expect_status 33 || return 1
    local ref
    ref=$(report_of "$LOG")
    BOOT_SMP=4 boot_injected nmi-smp4 'exit=qemu' "$(symbol svm_vmrun.enter_guest):40:nmi"
    expect_status 33 && expect_wellformed || return 1
    [ "$ref" = "$(report_of "$LOG")" ] || fail "NMIs changed the -smp 4 report: $(diff <(echo "$ref") <(report_of "$LOG") | head -5)"
}
