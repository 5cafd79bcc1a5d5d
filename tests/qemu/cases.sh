# QEMU boot test cases: each t_* function boots once and checks the report.
# Status 33 all ok, 35 not ok, 37 all skipped, 39 error (../shared/SPEC.md).

# The contract's scenario list (SPEC "Scenarios"), in run order.
spec_scenarios() {
    local h n f g k d b
    for h in 4 5; do for n in 4 5; do for f in prebuilt demand; do echo "host${h}_npt${n}_$f"; done; done; done
    echo probe_host4 probe_host5
    for g in 4 5; do for h in 4 5; do echo "guest${g}_host$h"; done; done
    for g in 4 5; do for ((k = g; k >= 1; k--)); do for h in 4 5; do echo "gptfault${g}_l${k}_host$h"; done; done; done
    for d in 4 5; do
        for ((k = d; k >= 1; k--)); do for b in nx user write rsvd; do echo "bits${d}_l${k}_$b"; done; done
        echo "bits${d}_2m bits${d}_1g bits${d}_ad"
    done
    echo all_cpus
}
ALL_SCENARIOS=$(spec_scenarios | xargs)
SCENARIO_TOTAL=$(echo $ALL_SCENARIOS | wc -w)
GPTFAULT_SCENARIOS=$(echo $ALL_SCENARIOS | tr ' ' '\n' | grep '^gptfault' | xargs)
BITS_SCENARIOS=$(echo $ALL_SCENARIOS | tr ' ' '\n' | grep '^bits' | xargs)

# The names of the results, in order, one line.
result_names() { sed -n -E 's/^(not )?ok [0-9]+ ([a-z0-9_]+).*/\2/p' "$LOG" | xargs; }

expect_names() {
    local want got
    want=$(echo $1)
    got=$(result_names)
    [ "$want" = "$got" ] || fail "results: expected [$want], got [$got]"
}

# The lines a scenario printed: after the previous result line (or the
# plan) through its own result line.
section() {
    awk -v name="$1" '
        /^(not )?ok [0-9]+ / { nm = $1 == "not" ? $4 : $3
                               if (nm == name) { printf "%s", buf; print; exit }
                               buf = ""; next }
        /^1\.\.[0-9]+$/ { buf = ""; next }
        { buf = buf $0 "\n" }' "$LOG"
}

section_has() {  # section_has SCENARIO REGEX
    section "$1" | grep -Eq "^$2\$" || fail "$1: no line matching: $2"
}

MISMATCH_NPF='# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 rip=0x000000000000fff0 \[not-present user fetch final\]'

# The KVM case exactly as the contract shows it, at every verbose level
# (verbose=1 and 2 add # page:, # vmcb: and # ad lines in between).
KVM_CASE_LINES=(
    '# host5_npt4_demand: host=5 npt=4 ncr3=0x[0-9a-f]{16} guest=reset-vector'
    "$MISMATCH_NPF"
    '# npf: same fault 16 times: storm'
    '# walk5 0xfffff000: L5\[0\]=0x[0-9a-f]{13}007 L4\[0\]=0x0000000000000000 not-present'
    '# walk4 0xfffff000: L4\[0\]=0x[0-9a-f]{13}007 L3\[3\]=0x[0-9a-f]{13}007 L2\[511\]=0x[0-9a-f]{13}007 L1\[511\]=0x[0-9a-f]{13}007 -> 0x[0-9a-f]{16}'
    '# verdict: CPU walked 5 levels, NPT has 4 \(model: 5\)'
    'ok [0-9]+ host5_npt4_demand'
)
check_kvm_case() {
    local got
    got=$(section host5_npt4_demand | grep -Ev '^# (page:|vmcb:|ad g?walk)')
    [ "$(echo "$got" | wc -l)" = ${#KVM_CASE_LINES[@]} ] ||
        fail "host5_npt4_demand: expected ${#KVM_CASE_LINES[@]} lines, got: $got" || return 1
    local i=0 line
    while IFS= read -r line; do
        echo "$line" | grep -Eq "^${KVM_CASE_LINES[$i]}\$" ||
            fail "host5_npt4_demand line $((i + 1)): '$line' does not match ${KVM_CASE_LINES[$i]}" || return 1
        i=$((i + 1))
    done <<<"$got"
}

# The full matrix on a CPU with SVM, NPT and LA57: every scenario ok and
# each one showing what the contract says it shows at that verbose level
# (check_full_matrix [NPF_LIMIT [VERBOSE]]): at verbose=0 the #NPFs, the
# VMMCALL of group reset, the verdict and the result, setup lines and walks
# only for host5_npt4_demand; at verbose=1 setup lines and walks everywhere.
check_full_matrix() {
    local limit=${1:-16} verbose=${2:-0}
    expect_wellformed && expect_names "$ALL_SCENARIOS" || return 1
    for s in $ALL_SCENARIOS; do
        case $s in
            all_cpus) expect_line "ok [0-9]+ all_cpus( # SKIP single CPU)?" || return 1 ;;
            *) expect_line "ok [0-9]+ $s" || return 1 ;;
        esac
    done
    for h in 4 5; do for n in 4 5; do for f in prebuilt demand; do
        local s=host${h}_npt${n}_$f
        section_has $s "# verdict: CPU walked $h levels, NPT has $n \(model: $h\)" || return 1
        if [ $h = $n ]; then
            section_has $s '# vmmcall: rax=0x544d5653 data\[0x1000\]=0x600dda7a after [0-9]+ #NPF' || return 1
        else
            section_has $s "$MISMATCH_NPF" || return 1
            if [ $f = demand ]; then
                section_has $s "# npf: same fault $limit times: storm" || return 1
            else
                ! section "$s" | grep -q storm || fail "$s: prebuilt must stop at the first #NPF" || return 1
            fi
        fi
        if [ "$verbose" -ge 1 ]; then
            section_has $s "# $s: host=$h npt=$n ncr3=0x[0-9a-f]{16} guest=reset-vector" &&
            section_has $s "# walk5 0xfffff000: L5\[0\]=.*" && section_has $s "# walk4 0xfffff000: L4\[0\]=.*" || return 1
            [ $h = $n ] || section_has $s "# walk$h 0xfffff000: .* not-present" || return 1
        fi
    done; done; done
    check_kvm_case || return 1
    for h in 4 5; do
        section_has probe_host$h "# verdict: CPU walked $h levels \(model: $h\)" || return 1
        for g in 4 5; do
            section_has guest${g}_host$h "# verdict: guest walked $g levels \(model: $g\)" || return 1
        done
        if [ "$verbose" -ge 1 ]; then
            section_has probe_host$h '# walk4 0xfffff000: .* -> 0x[0-9a-f]{16}' &&
            section_has probe_host$h '# walk5 0xfffff000: .* -> 0x[0-9a-f]{16}' &&
            section_has probe_host$h "# vmmcall: rax=0x544d5653 rbx=$h" || return 1
            for g in 4 5; do
                section_has guest${g}_host$h "# vmmcall: rax=0x544d5653 rbx=$g \(read at 0xffffe000\)" &&
                section_has guest${g}_host$h "# gwalk$g 0xffffe000: .* -> 0x000000000000$((g - 2))000" ||
                    return 1
            done
        fi
    done
    check_gptfault_bits "$verbose" || return 1
    # no printed table entry carries the accessed or dirty bit (bits 5, 6)
    local bad
    bad=$(grep -Eo '^# g?walk[45] .*' "$LOG" | grep -Eo '=0x[0-9a-f]{16}' |
          while read -r e; do (( (16#${e#=0x} >> 5) & 3 )) && echo "$e"; done | head -3)
    [ -z "$bad" ] || fail "walk entries with A/D bits: $bad" || return 1
    if [ "$verbose" = 0 ]; then
        # compact: walks and setup lines only in the KVM case
        [ "$(count_lines '# g?walk[45] .*')" = 2 ] || fail "walk lines outside host5_npt4_demand at verbose=0" || return 1
        [ "$(count_lines "# ($(echo $ALL_SCENARIOS | sed 's/ *all_cpus//; s/ /|/g')): .*")" = 1 ] || fail "setup lines outside host5_npt4_demand at verbose=0" || return 1
    fi
}

# Groups gptfault and bits (check_gptfault_bits VERBOSE): at verbose=0 a
# passing scenario prints its result line only; at verbose=1 its #NPF,
# walks and verdict (and a reserved-bit case its deviation line where the
# CPU reports the fault without P: QEMU's TCG does, README "Group bits").
RSVD_DEVIATION='# deviation: reserved-bit #NPF without P: exitinfo1=0x000000010000001c \(model 0x000000010000001d\)'
check_gptfault_bits() {
    local verbose=$1 s g k h d b lines npf verdict ei gpa
    for s in $GPTFAULT_SCENARIOS; do
        g=${s:8:1} k=${s:11:1} h=${s: -1}
        lines=$(section "$s" | wc -l)
        if [ "$verbose" = 0 ]; then
            [ "$lines" = 1 ] || fail "$s: $lines lines at verbose=0, expected its result line only" || return 1
            continue
        fi
        section_has "$s" "# $s: host=$h npt=$h ncr3=0x[0-9a-f]{16} guest=$g-level cr3=0x[0-9a-f]+ read=0x[0-9a-f]+ unbacked-table=0x[0-9a-f]+ \(level $k\)" &&
        section_has "$s" '# npf: gpa=0x[0-9a-f]{16} exitinfo1=0x00000002000000[0-9a-f]{2} .*\[not-present.* page-table-walk\]' &&
        section_has "$s" "# verdict: #NPF during the guest.s page-table walk at 0x[0-9a-f]+, table page 0x[0-9a-f]+ \(model: during, the level-$k table 0x[0-9a-f]+\)" &&
        section_has "$s" "# gwalk$g 0x[0-9a-f]{8,}: .*" && section_has "$s" '# walk[45] 0x[0-9a-f]{8}: .* not-present' || return 1
    done
    for s in $BITS_SCENARIOS; do
        d=${s:4:1} b=${s##*_} k=
        [[ $s =~ _l([1-5])_ ]] && k=${BASH_REMATCH[1]}
        lines=$(section "$s" | wc -l)
        if [ "$verbose" = 0 ]; then
            [ "$lines" = 1 ] || fail "$s: $lines lines at verbose=0, expected its result line only" || return 1
            continue
        fi
        gpa=0x00000000fffffff0 ei=0x0000000100000015 npf='present user fetch final'
        case $b in
            nx) verdict="#NPF at the level-$k entry's NX bit \(model: fetch fault\)" ;;
            user) if [ "$k" -ge 4 ]; then verdict="#NPF at the level-$k entry's U/S bit \(model: fetch fault\)"
                  else gpa=0x0000000000001000 ei=0x0000000100000007 npf='present write user final'
                       verdict="#NPF at the level-$k entry's U/S bit \(model: write fault\)"; fi ;;
            write) gpa=0x0000000000001000 ei=0x0000000100000007 npf='present write user final'
                   verdict="#NPF at the level-$k entry's R/W bit \(model: write fault\)" ;;
            rsvd) ei='0x000000010000001[cd]' npf='(not-)?present user reserved-bit fetch final'
                  # P clear: QEMU's known deviation, then said on its own line
                  if section "$s" | grep -q '^# npf: .*exitinfo1=0x000000010000001c '; then
                      section_has "$s" "$RSVD_DEVIATION" || return 1
                  fi
                  if [ "$k" -ge 4 ]; then verdict="#NPF at the level-$k entry's PS bit \(model: reserved-bit fault on the fetch\)"
                  else verdict="#NPF at the level-$k entry's reserved bit [0-9]+ \(model: reserved-bit fault on the fetch\)"; fi ;;
            2m) verdict='ran to VMMCALL through 2 MiB leaves \(model: runs\)' npf= ;;
            1g) verdict='ran to VMMCALL through 1 GiB leaves \(model: runs\)' npf= ;;
            ad) verdict='A set on every entry of both walks, D on the data leaf \(model: A on every entry, D on the data leaf\)' npf= ;;
        esac
        section_has "$s" "# verdict: $verdict" || return 1
        if [ -n "$npf" ]; then
            section_has "$s" "# npf: gpa=$gpa exitinfo1=$ei rip=0x[0-9a-f]{16} \[$npf\]" || return 1
        else
            section_has "$s" '# vmmcall: rax=0x544d5653 data\[0x1000\]=0x600dda7a' && ! section "$s" | grep -q '^# npf:' ||
                fail "$s: expected a run to VMMCALL without #NPF" || return 1
        fi
    done
}

# A model that lacks the bit telling its kind apart fails, with both values
# and the whole evidence at verbose=0 (the build of make's WRONG_MODEL,
# -DSVMTEST_WRONG_MODEL): NX without the fetch bit, U/S without the user
# bit (both of its accesses), R/W without the write bit, reserved without
# the reserved bit, A/D asking D of the code page's leaf too.
t_bits_wrong_model_fails() {
    local want s
    ELF=build/tests/wrong-model/svmtest.elf boot bits_wrong_model kernel max \
        'only=bits4_l4_nx,bits4_l4_user,bits4_l1_user,bits4_l2_write,bits4_l4_rsvd,bits4_l1_rsvd,bits4_ad,bits5_l5_nx,bits5_l1_rsvd'
    expect_status 35 && expect_wellformed && expect_line '# svmtest-end pass=0 fail=9 skip=0 error=0' || return 1
    while read -r s want; do
        section_has "$s" "# $s: host=[45] npt=[45] ncr3=0x[0-9a-f]{16} guest=reset-vector" &&
        section_has "$s" "$want" && section_has "$s" 'not ok [0-9]+ '"$s" &&
        section_has "$s" '# walk5 0x[0-9a-f]{8}: .*' && section_has "$s" '# verdict: .*' || return 1
    done <<'EOF_WANT'
bits4_l4_nx # #NPF EXITINFO1: expected 0x100000005, observed 0x100000015
bits5_l5_nx # #NPF EXITINFO1: expected 0x100000005, observed 0x100000015
bits4_l4_user # #NPF EXITINFO1: expected 0x100000011, observed 0x100000015
bits4_l1_user # #NPF EXITINFO1: expected 0x100000003, observed 0x100000007
bits4_l2_write # #NPF EXITINFO1: expected 0x100000005, observed 0x100000007
bits4_l4_rsvd # #NPF EXITINFO1: expected 0x100000015, observed 0x10000001[cd]
bits4_l1_rsvd # #NPF EXITINFO1: expected 0x100000015, observed 0x10000001[cd]
bits5_l1_rsvd # #NPF EXITINFO1: expected 0x100000015, observed 0x10000001[cd]
bits4_ad # expected: D set; observed: D clear
EOF_WANT
}

# verbose=1: setup lines and walks in every section (the ISO cases and
# cases_report.sh check the compact verbose=0 report)
t_kernel_max() {
    boot kernel_max kernel max 'verbose=1'
    expect_status 33 && check_full_matrix 16 1
}

t_iso_bios() {
    boot iso_bios bios max
    expect_status 33 && check_full_matrix && expect_line 'KTAP version 1' &&
        check_begin_on_fresh_line iso_bios
}

t_iso_uefi() {
    boot iso_uefi uefi max
    # serial-only GRUB terminal: the report is not doubled (expect_wellformed
    # counts each marker once)
    expect_status 33 && check_full_matrix && check_begin_on_fresh_line iso_uefi
}

t_milan_skips_la57() {
    boot milan kernel EPYC-Milan
    expect_status 33 && expect_wellformed && expect_names "$ALL_SCENARIOS" || return 1
    for s in $ALL_SCENARIOS; do
        case $s in
            host5_*|*_host5|guest5_*|gptfault5_*|bits5_*) expect_line "ok [0-9]+ $s # SKIP .*LA57.*" || return 1 ;;
            all_cpus) expect_line "ok [0-9]+ all_cpus # SKIP single CPU" || return 1 ;;
            *) expect_line "ok [0-9]+ $s" || return 1 ;;
        esac
    done
}

t_qemu64_skips_npt() {
    boot qemu64 kernel qemu64
    expect_status 37 && expect_wellformed &&
        [ "$(count_lines 'ok [0-9]+ [a-z0-9_]+ # SKIP CPU has no nested paging.*')" = "$SCENARIO_TOTAL" ] ||
        fail "not every scenario skipped for NPT"
}

t_nosvm_skips_svm() {
    boot nosvm kernel max,-svm
    expect_status 37 && expect_wellformed &&
        [ "$(count_lines 'ok [0-9]+ [a-z0-9_]+ # SKIP CPU has no SVM.*')" = "$SCENARIO_TOTAL" ] ||
        fail "not every scenario skipped for SVM"
}

t_npf_limit() {
    boot npf_limit kernel max 'only=reset fill=demand npf_limit=5'
    expect_status 33 && expect_wellformed &&
        expect_names "host4_npt4_demand host4_npt5_demand host5_npt4_demand host5_npt5_demand" &&
        section_has host5_npt4_demand '# npf: same fault 5 times: storm' &&
        section_has host4_npt5_demand '# npf: same fault 5 times: storm'
}

# Filters select exactly what they say.
filter_case() {  # filter_case NAME APPEND EXPECTED-NAMES
    boot "filter_$1" kernel max "$2"
    expect_status 33 && expect_wellformed && expect_names "$3"
}
t_filter_group_reset() { filter_case group_reset 'only=reset' "host4_npt4_prebuilt host4_npt4_demand host4_npt5_prebuilt host4_npt5_demand host5_npt4_prebuilt host5_npt4_demand host5_npt5_prebuilt host5_npt5_demand"; }
t_filter_groups() { filter_case groups 'only=gptfault,probe' "probe_host4 probe_host5 $GPTFAULT_SCENARIOS"; }
t_filter_bits() {
    filter_case bits5 'only=bits5' "$(echo $BITS_SCENARIOS | tr ' ' '\n' | grep '^bits5_' | xargs)" || return 1
    filter_case bits_npt 'only=bits,gptfault npt=4 guest=5' \
        "$(echo $GPTFAULT_SCENARIOS $BITS_SCENARIOS | tr ' ' '\n' | grep -E '^(gptfault5_|bits4_)' | xargs)"
}
t_filter_names() { filter_case names 'only=guest5_host4,host5_npt4_demand' "host5_npt4_demand guest5_host4"; }
t_filter_host() { filter_case host 'host=5' "$(echo $ALL_SCENARIOS | tr ' ' '\n' | grep -E 'host5|^bits5_|^all_cpus$' | xargs)"; }
t_filter_npt_fill() { filter_case npt_fill 'only=reset npt=4 fill=prebuilt' "host4_npt4_prebuilt host5_npt4_prebuilt"; }
t_filter_guest() { filter_case guest 'only=guest guest=5' "guest5_host4 guest5_host5"; }

# A bad command line is an ERROR with the end marker and status 39.
bad_cmdline() {
    boot "$1" kernel max "$2"
    expect_status 39 && expect_wellformed &&
        expect_line "not ok 1 cmdline # ERROR $3"
}
t_cmdline_unknown_key() { bad_cmdline cmdline_unknown 'verbose=1 colour=red' "unknown key 'colour' \(word 2, column 11\)"; }
t_cmdline_repeated_key() { bad_cmdline cmdline_repeated 'host=4 host=5' "repeated key 'host'.*word 2.*"; }
t_cmdline_bad_value() { bad_cmdline cmdline_bad_value 'npf_limit=1' "out of range '1': npf_limit is a decimal number 2\.\.1000: the first #NPF is the one demand fill fixes, so one fault cannot be a storm \(word 1, column 1\)"; }
t_cmdline_no_scenario() { bad_cmdline cmdline_none 'only=probe_host5,guest5_host5 host=4' ".*select no scenario.*"; }
t_cmdline_malformed() { bad_cmdline cmdline_malformed 'verbose' "malformed word 'verbose'.*"; }

# A kernel exception ends the run: registers, ERROR, end marker, status 39.
selftest_exception() {
    boot "selftest_$1" kernel max "selftest=$1"
    expect_status 39 && expect_line "# exception $2 .*" && expect_line '# cr0=.* cr2=.*' &&
        expect_line "not ok 1 host4_npt4_prebuilt # ERROR kernel exception $2 at rip=0x[0-9a-f]{16}" &&
        expect_line '# svmtest-end pass=0 fail=0 skip=0 error=1'
}
t_selftest_ud() { selftest_exception ud '#UD'; }
t_selftest_gp() { selftest_exception gp '#GP'; }
t_selftest_pf() { selftest_exception pf '#PF' && expect_line '# cr0=.* cr2=0x0000000100000000 .*'; }

# A guest that never exits: TIMEOUT for its scenario, the others still run.
t_selftest_guest_hang() {
    boot selftest_guest_hang kernel max 'selftest=guest-hang only=reset,probe'
    expect_status 35 && expect_wellformed &&
        expect_line 'not ok 1 host4_npt4_prebuilt # TIMEOUT guest never exited.*' &&
        [ "$(count_lines 'ok [0-9]+ [a-z0-9_]+')" = 9 ] || fail "the other scenarios did not all pass"
}

t_deterministic() {
    boot determinism_a kernel max
    local a=$LOG
    boot determinism_b kernel max
    cmp -s <(report_of "$a") <(report_of "$LOG") ||
        fail "two boots differ: $(diff <(report_of "$a") <(report_of "$LOG") | head -5)"
}

# Consoles: com2 by name, com2 through the ACPI SPCR table, and a clean
# fallback to com1 on a machine without SPCR.
t_console_com2() {
    BOOT_COM2=1 boot console_com2 kernel max 'console=com2 only=probe'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5"
}

t_console_spcr_com2() {
    tests/qemu/spcr-body "$OUT/spcr.bin" 0x2f8
    BOOT_COM2=1 BOOT_EXTRA="-acpitable sig=SPCR,rev=2,data=$OUT/spcr.bin" \
        boot console_spcr kernel max 'console=spcr only=probe'
    expect_status 33 && expect_wellformed && expect_line '# console: spcr: UART at I/O port 0x2f8 baud=115200' &&
        expect_names "probe_host4 probe_host5"
}

t_console_spcr_missing() {
    boot console_spcr_missing kernel max 'console=spcr only=probe'
    expect_status 33 && expect_wellformed && expect_line '# console: spcr: no ACPI SPCR table, using com1'
}

# The screen mirror: VGA text with a multiboot1 boot and from the ISO under
# SeaBIOS, the GRUB framebuffer under UEFI (the end marker's row drawn pixel
# for pixel with the kernel's font).
t_screen_vga_text() {
    local raw=$OUT/screen_text.raw
    tests/qemu/screen-check text "$raw" "$OUT/screen_text.png" -- \
        timeout "$BOOT_LIMIT" qemu-system-x86_64 -accel tcg -cpu max -m 512 -nodefaults -no-reboot \
        -display none -device VGA -serial "file:$raw" -kernel "$ELF" -append 'only=probe exit=halt'
}

t_screen_bios_iso_vga_text() {
    local raw=$OUT/screen_bios.raw
    tests/qemu/screen-check text "$raw" "$OUT/screen_bios.png" -- \
        timeout "$BOOT_LIMIT" qemu-system-x86_64 -accel tcg -cpu max -m 512 -nodefaults -no-reboot \
        -display none -device VGA -serial "file:$raw" -cdrom "$ISO"
}

t_screen_uefi_framebuffer() {
    local raw=$OUT/screen_fb.raw
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$OUT/screen_fb.vars"
    tests/qemu/screen-check pixels "$raw" "$OUT/screen_fb.png" -- \
        timeout "$BOOT_LIMIT" qemu-system-x86_64 -accel tcg -cpu max -m 512 -nodefaults -no-reboot \
        -display none -device VGA -serial "file:$raw" -cdrom "$ISO" \
        -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
        -drive if=pflash,format=raw,file="$OUT/screen_fb.vars"
}

# verbose adds diagnostics and never changes results.
t_verbose_same_results() {
    boot verbose0 kernel max 'only=reset,gptfault'
    local quiet
    quiet=$(grep -E '^(not )?ok ' "$LOG")
    boot verbose2 kernel max 'only=reset,gptfault verbose=2'
    expect_status 33 && expect_wellformed &&
        expect_line '# page: gpa=0xfffff000 hpa=0x[0-9a-f]{16} code' &&
        expect_line '# page: gpa=0x[0-9a-f]{8} hpa=0x[0-9a-f]{16} guest page table \(left out of the NPT\)' &&
        expect_line '# vmcb: cr0=0x60000010 cr3=0x0 cr4=0x40 efer=0x1000 dr6=0xffff0ff0 dr7=0x400 rdx=0x[0-9a-f]+' &&
        [ "$quiet" = "$(grep -E '^(not )?ok ' "$LOG")" ] || fail "results differ between verbose=0 and verbose=2"
}

# No UART at all: every poll is bounded, the run completes; QEMU's debug
# console carries the report.
t_no_uart() {
    BOOT_NO_UART=1 boot no_uart kernel max 'only=probe,gptfault'
    expect_status 33 && expect_wellformed &&
        expect_names "probe_host4 probe_host5 $GPTFAULT_SCENARIOS"
}

# bench=on: timing diagnostics with units, results unchanged.
t_bench() {
    boot bench kernel max 'bench=on only=probe'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5" &&
        expect_line '# cmdline: .* bench=on' &&
        for what in vmrun_vmmcall_roundtrip npf_roundtrip host_paging_switch_4_to_5; do
            expect_line "# bench: $what median=[0-9]+ cycles p10=[0-9]+ p90=[0-9]+ min=[0-9]+ max=[0-9]+ n=101 \(TSC\)" || return 1
        done
}
