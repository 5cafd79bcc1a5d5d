# QEMU boot test cases: each t_* function boots once and checks the report.
# Status 33 all ok, 35 not ok, 37 all skipped, 39 error (../shared/SPEC.md).

t_kernel_max() {
    boot kernel_max kernel max
    expect_status 33 && expect_wellformed && expect_line 'ok 1 host_paging'
}

t_kernel_milan_skips_la57() {
    boot kernel_milan kernel EPYC-Milan
    expect_status 37 && expect_wellformed && expect_line 'ok 1 host_paging # SKIP .*LA57.*'
}

t_iso_bios() {
    boot iso_bios bios max
    expect_status 33 && expect_wellformed && expect_line 'ok 1 host_paging'
}

t_iso_uefi() {
    boot iso_uefi uefi max
    expect_status 33 && expect_wellformed && expect_line 'ok 1 host_paging'
}

# A bad command line is an ERROR with the end marker and status 39.
bad_cmdline() {
    boot "$1" kernel max "$2"
    expect_status 39 && expect_wellformed &&
        expect_line "not ok 1 cmdline # ERROR $3"
}
t_cmdline_unknown_key() { bad_cmdline cmdline_unknown 'verbose=1 colour=red' "unknown key 'colour' \(word 2, column 11\)"; }
t_cmdline_repeated_key() { bad_cmdline cmdline_repeated 'host=4 host=5' "repeated key 'host'.*word 2.*"; }
t_cmdline_bad_value() { bad_cmdline cmdline_bad_value 'npf_limit=0' "out of range 'npf_limit=0'.*|out of range '0'.*"; }
t_cmdline_no_scenario() { bad_cmdline cmdline_none 'only=probe_host5,guest5_host5 host=4' ".*select no scenario.*"; }
t_cmdline_malformed() { bad_cmdline cmdline_malformed 'verbose' "malformed word 'verbose'.*"; }

# A kernel exception ends the run: registers, ERROR, end marker, status 39.
selftest_exception() {
    boot "selftest_$1" kernel max "selftest=$1"
    expect_status 39 && expect_line "# exception $2 .*" && expect_line '# cr0=.* cr2=.*' &&
        expect_line "not ok 1 [a-z0-9_]+ # ERROR kernel exception $2 at rip=0x[0-9a-f]{16}" &&
        expect_line '# svmtest-end pass=0 fail=0 skip=0 error=1'
}
t_selftest_ud() { selftest_exception ud '#UD'; }
t_selftest_gp() { selftest_exception gp '#GP'; }
t_selftest_pf() { selftest_exception pf '#PF' && expect_line '# cr0=.* cr2=0x0000000100000000 .*'; }

t_deterministic() {
    boot determinism_a kernel max
    local a=$LOG
    boot determinism_b kernel max
    cmp -s <(report_of "$a") <(report_of "$LOG") || fail "two boots differ: $(diff <(report_of "$a") <(report_of "$LOG") | head -5)"
}
