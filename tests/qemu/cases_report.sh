# QEMU cases for the report itself (issue 10, kernel side): the command line
# read whole or refused, npf_limit's lowest value, the begin marker on a
# fresh line after GRUB (a check the ISO cases run), the 6144-byte budget of
# the default report, and byte-identical boots at every verbose level.

# The report's bytes as they went over the wire (CRLF), markers included.
raw_report() { sed -n '/^# svmtest-begin/,/^# svmtest-end/p' "$OUT/$1.raw"; }

# multiboot1 (-kernel): QEMU passes "<kernel file> <append>", 4096 bytes at most.
cmdline_of_length() {  # cmdline_of_length TOTAL FIRST LAST: an -append whose whole line is TOTAL bytes
    local pad=$(( $1 - ${#ELF} - 1 - ${#2} - 1 - ${#3} ))
    printf '%s %*s%s' "$2" "$pad" '' "$3"
}

t_report_cmdline_too_long() {
    # the issue's reproducer: never cut silently, whatever lies past the limit
    local spaces
    spaces=$(printf '%4100s' '')
    boot report_cmdline_too_long kernel max "only=reset ${spaces} bogus=1"
    expect_status 39 && expect_wellformed &&
        expect_line 'not ok 1 cmdline # ERROR multiboot1 command line longer than the 4096-byte limit'
}

t_report_cmdline_4096_read_whole() {
    # exactly 4096 bytes: read whole, so the last word counts
    boot report_cmdline_4096 kernel max "$(cmdline_of_length 4096 only=probe npf_limit=7)"
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5" &&
        expect_line '# cmdline: only=probe host=all npt=all fill=all guest=all npf_limit=7'
}

t_report_cmdline_4097_refused() {
    boot report_cmdline_4097 kernel max "$(cmdline_of_length 4097 only=probe npf_limit=7)"
    expect_status 39 && expect_wellformed &&
        expect_line 'not ok 1 cmdline # ERROR multiboot1 command line longer than the 4096-byte limit'
}

t_report_cmdline_wording() {
    boot report_cmdline_control kernel max $'only=probe host=\x01'
    expect_status 39 && expect_line "not ok 1 cmdline # ERROR control character 0x01 in 'host=\\\\x01' \(word 2, column 12\)" || return 1
    boot report_cmdline_hex kernel max 'npf_limit=0x10'
    expect_status 39 && expect_line "not ok 1 cmdline # ERROR malformed value '0x10': npf_limit is a decimal number 2\.\.1000 \(word 1, column 1\)" || return 1
    boot report_cmdline_plus kernel max 'npf_limit=+16'
    expect_status 39 && expect_line "not ok 1 cmdline # ERROR malformed value '\+16': npf_limit is a decimal number 2\.\.1000 \(word 1, column 1\)" || return 1
    # tabs separate words, as the README says
    boot report_cmdline_tab kernel max $'only=probe\thost=5'
    expect_status 33 && expect_names "probe_host5"
}

t_report_npf_limit_lowest() {
    # the lowest accepted value: the first fault is fixed, the second
    # identical one is the storm; a correct CPU is all ok
    boot report_npf_limit_2 kernel max 'only=reset fill=demand npf_limit=2'
    expect_status 33 && expect_wellformed &&
        expect_names "host4_npt4_demand host4_npt5_demand host5_npt4_demand host5_npt5_demand" &&
        [ "$(count_lines 'ok [0-9]+ host[45]_npt[45]_demand')" = 4 ] &&
        section_has host4_npt5_demand '# npf: same fault 2 times: storm' &&
        section_has host5_npt4_demand '# npf: same fault 2 times: storm' &&
        section_has host4_npt4_demand '# vmmcall: rax=0x544d5653 data\[0x1000\]=0x600dda7a after 2 #NPF' &&
        section_has host5_npt5_demand '# vmmcall: rax=0x544d5653 data\[0x1000\]=0x600dda7a after 2 #NPF'
}

# The begin marker on a fresh line after GRUB, which leaves "\n\r": in the
# raw log (lib.sh's LOG strips every CR), strip nothing but one CR at each
# line end and the marker must still start its line. Called by the ISO cases
# of cases.sh (t_iso_bios, t_iso_uefi) on their boots.
check_begin_on_fresh_line() {  # check_begin_on_fresh_line CASE
    local raw=$OUT/$1.raw
    grep -aq 'GRUB\|Booting' "$raw" || fail "no GRUB output before the report: the check proves nothing" || return 1
    [ "$(sed 's/\r$//' "$raw" | grep -ac '^# svmtest-begin version=[0-9.]*$')" = 1 ] ||
        fail "begin marker not at the start of a line: $(grep -a svmtest-begin "$raw" | od -c | head -3)"
}

t_report_size_budget() {
    # the default report at verbose=0: at most 6144 bytes on the wire (CRLF),
    # also with the longest brand string a CPU can have (48 bytes)
    boot report_size kernel max
    expect_status 33 && expect_wellformed || return 1
    local bytes name worst
    bytes=$(raw_report report_size | wc -c)
    name=$(sed -n 's/^# cpu: .* name="\(.*\)"$/\1/p' "$LOG")
    worst=$(( bytes + 48 - ${#name} ))
    echo "  report: $bytes bytes ($worst with a 48-byte CPU name)"
    [ "$bytes" -le 6144 ] || fail "default report is $bytes bytes, more than 6144" || return 1
    [ "$worst" -le 6144 ] || fail "with a 48-byte CPU name the report is $worst bytes, more than 6144"
}

# Two boots, byte for byte the same report (CRs included).
deterministic_at() {  # deterministic_at VERBOSE
    boot "report_det$1_a" kernel max "verbose=$1"
    expect_status 33 || return 1
    boot "report_det$1_b" kernel max "verbose=$1"
    expect_status 33 && expect_wellformed || return 1
    cmp -s <(raw_report "report_det$1_a") <(raw_report "report_det$1_b") ||
        fail "verbose=$1: two boots differ: $(diff <(raw_report "report_det$1_a") <(raw_report "report_det$1_b") | head -5)"
}
t_report_deterministic_v0() { deterministic_at 0; }
t_report_deterministic_v1() { deterministic_at 1 && check_full_matrix 16 1; }
t_report_deterministic_v2() {
    deterministic_at 2 || return 1
    # the A/D bits apart, with their note; the walks themselves without them
    expect_line '# ad walk5 0xfffff000: L5\[0\]=A L4\[0\]=- \(set by the CPU; informative only\)' &&
        [ "$(count_lines '# ad g?walk[45] .* \(set by the CPU; informative only\)')" = \
          "$(count_lines '# g?walk[45] .*')" ] || fail "not one ad line per walk line" || return 1
    check_kvm_case
}
