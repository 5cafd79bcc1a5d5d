# QEMU boot test cases for group cpus (all_cpus): every CPU in the ACPI MADT
# runs groups 1-4 silently and must match the boot CPU (issue 12).

APS_MATCH='# all_cpus: ([0-9]+) of \1 application processors match the boot CPU'

# smp_case NAME SMP APPEND APS: full matrix ok, all_cpus ok with APS of APS
smp_case() {
    local verbose=0
    [[ $3 == *verbose=1* ]] && verbose=1
    BOOT_SMP=$2 boot "$1" kernel max "$3"
    expect_status 33 && check_full_matrix 16 $verbose && expect_line "ok $SCENARIO_TOTAL all_cpus" &&
        expect_line "# all_cpus: $4 of $4 application processors match the boot CPU" &&
        expect_no_line '# all_cpus: APIC .*'
}

t_smp1_skips() {
    BOOT_SMP=1 boot smp1 kernel max
    expect_status 33 && expect_wellformed && expect_line "1\.\.$SCENARIO_TOTAL" &&
        expect_line "ok $SCENARIO_TOTAL all_cpus # SKIP single CPU" && expect_no_line '# all_cpus: .*'
}
t_smp2() { smp_case smp2 2 '' 1; }
# two sockets of two cores: every core of both sockets; QEMU 7.2 has no
# x2APIC under TCG: the memory-mapped ICR
t_smp4_two_sockets() {
    smp_case smp4_sockets 4,sockets=2,cores=2 verbose=1 3 &&
        expect_line '# all_cpus: 3 application processors, xAPIC'
}
# SMT siblings: two threads per core
t_smp4_threads() { smp_case smp4_threads 4,sockets=1,cores=2,threads=2 '' 3; }

# x2APIC mode: QEMU 10's TCG has x2APIC (7.2's has not); the IPIs go
# through the ICR MSR. Then possible but absent CPUs: in the MADT with
# neither flag, not started. (One case: tools/ensure-qemu10 may download on
# first use, and two cases must not do that at once.)
t_smp_qemu10_x2apic_and_absent_cpus() {
    local q
    q=$(tools/ensure-qemu10) || { fail "no QEMU 10"; return 1; }
    BOOT_QEMU=$q BOOT_SMP=4 boot smp_x2apic kernel max,x2apic=on verbose=1
    expect_status 33 && check_full_matrix 16 1 &&
        expect_line '# all_cpus: 3 application processors, x2APIC' &&
        expect_line "ok $SCENARIO_TOTAL all_cpus" && expect_line "$APS_MATCH" || return 1
    BOOT_QEMU=$q BOOT_SMP=2,maxcpus=4 boot smp_absent kernel max 'verbose=1 only=probe,cpus'
    expect_status 33 && expect_wellformed &&
        expect_line '# all_cpus: 2 MADT entries neither enabled nor online-capable' &&
        expect_line '# all_cpus: 1 of 1 application processors match the boot CPU'
}
t_smp_cpus_1() {
    BOOT_SMP=4 boot smp_cpus_1 kernel max 'cpus=1 only=reset'
    # only=reset leaves all_cpus out: nothing starts
    expect_status 33 && expect_no_line '# all_cpus: .*' || return 1
    BOOT_SMP=4 boot smp_cpus_1 kernel max 'cpus=1'
    expect_status 33 && expect_wellformed && expect_line '# cmdline: .* cpus=1' &&
        expect_line '# all_cpus: 1 of 1 application processors match the boot CPU' &&
        expect_line "ok $SCENARIO_TOTAL all_cpus"
}
t_smp_cpus_bsp() {
    BOOT_SMP=4 boot smp_cpus_bsp kernel max 'cpus=bsp'
    expect_status 33 && expect_wellformed && expect_line '# cmdline: .* cpus=bsp' &&
        expect_line "ok $SCENARIO_TOTAL all_cpus # SKIP cpus=bsp" && expect_no_line '# all_cpus: [0-9]+ of .*'
}
t_smp_cpus_bad() {
    BOOT_SMP=2 bad_cmdline smp_cpus_bad 'cpus=4097' \
        "out of range '4097': expected all, bsp or a decimal number 1..4096 \(word 1, column 1\)" &&
    BOOT_SMP=2 bad_cmdline smp_cpus_bad2 'verbose=1 cpus=two' "bad value 'two': .* \(word 2, column 11\)"
}
# only= names the group and the test; the boot CPU's reference run is silent
t_smp_only_cpus() {
    BOOT_SMP=2 boot smp_only_cpus kernel max 'only=cpus'
    expect_status 33 && expect_wellformed && expect_names all_cpus &&
        expect_line 'ok 1 all_cpus' && expect_line '# all_cpus: 1 of 1 application processors match the boot CPU' &&
        expect_no_line '# npf: .*' || return 1
    BOOT_SMP=2 boot smp_only_all_cpus kernel max 'only=probe_host4,all_cpus'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 all_cpus" &&
        expect_line '# all_cpus: 1 of 1 application processors match the boot CPU'
}

# The ISO: SeaBIOS and GRUB (multiboot2) leave the APs parked in the firmware
t_smp_iso_bios() {
    BOOT_SMP=4 boot smp_iso_bios bios max
    expect_status 33 && check_full_matrix && expect_line "ok $SCENARIO_TOTAL all_cpus" &&
        expect_line '# all_cpus: 3 of 3 application processors match the boot CPU'
}

# -smp 4: the full matrix on 3 APs, twice, byte for byte the same report
t_smp4_deterministic() {
    smp_case smp4_a 4 '' 3 || return 1
    local a=$LOG
    BOOT_SMP=4 boot smp4_b kernel max
    cmp -s <(report_of "$a") <(report_of "$LOG") ||
        fail "two -smp 4 boots differ: $(diff <(report_of "$a") <(report_of "$LOG") | head -5)"
}

# A deviating core is caught and named; the others are not
t_smp_deviating_ap() {
    BOOT_SMP=4 boot smp_deviate kernel max 'selftest=ap-deviate verbose=1'
    expect_status 35 && expect_wellformed &&
        expect_line '# all_cpus: APIC 1 differs from the boot CPU' &&
        expect_line "# all_cpus: APIC 1 first difference: host4_npt4_prebuilt line 1 npt: boot CPU '4', APIC 1 '5'" &&
        expect_line '# all_cpus: 2 of 3 application processors match the boot CPU' &&
        expect_line "not ok $SCENARIO_TOTAL all_cpus" &&
        [ "$(count_lines '# all_cpus: APIC .*')" = 2 ] || fail "another APIC named"
}
# An exception on an AP is contained and reported by the boot CPU
t_smp_ap_exception() {
    BOOT_SMP=2 boot smp_ap_ud kernel max 'selftest=ap-ud only=probe,cpus'
    expect_status 35 && expect_wellformed &&
        expect_line '# all_cpus: APIC 1 exception #UD vector=6 error_code=0x0 rip=0x[0-9a-f]{16} cr2=0x[0-9a-f]{16}' &&
        expect_line '# all_cpus: 0 of 1 application processors match the boot CPU' &&
        expect_line 'not ok 3 all_cpus' && expect_line 'ok 1 probe_host4' && expect_line 'ok 2 probe_host5'
}

# No ACPI at all (so no MADT): the boot CPU only, said so, never a guess
t_smp_no_acpi() {
    BOOT_SMP=2 BOOT_EXTRA='-machine acpi=off' boot smp_no_acpi kernel max 'only=probe,cpus'
    expect_status 33 && expect_wellformed &&
        expect_line '# all_cpus: no valid ACPI RSDP: the boot CPU only' &&
        expect_line 'ok 3 all_cpus # SKIP boot CPU only: no valid ACPI RSDP'
}

# No PIT: the TSC, calibrated against the ACPI PM timer, times the start-up
t_smp_no_pit() {
    BOOT_SMP=2 BOOT_EXTRA='-machine pc,pit=off' boot smp_no_pit kernel max 'only=probe,cpus'
    expect_status 33 && expect_wellformed &&
        expect_line '# all_cpus: 1 of 1 application processors match the boot CPU' &&
        expect_line 'ok 3 all_cpus'
}

# The image GRUB loads at 64 MiB or above: the start-up page's addresses are
# written at run time, so the moved kernel starts its CPUs the same way
t_smp_reloc64_bios() {
    BOOT_SMP=4 ISO=build/tests/reloc64/svmtest.iso boot smp_reloc64 bios max
    expect_status 33 && expect_wellformed && expect_line "ok $SCENARIO_TOTAL all_cpus" &&
        expect_line '# all_cpus: 3 of 3 application processors match the boot CPU' &&
        expect_line '# walk5 0xfffff000: L5\[0\]=0x00000000040[0-9a-f]{5} .*'
}
