# Hostile machine state at entry (issue 9). tests/hostile/ builds a multiboot1
# loader that QEMU boots with -kernel; it loads svmtest from a module, leaves
# the state its command line names (a firmware's or loader's leftovers) and
# jumps to svmtest. Each state must give the outcome of a clean direct boot
# of the same svmtest command line. Also: NMIs and a machine check injected
# through QMP while a report is running, and memory too small for svmtest.

HOSTILE_LOADER=${HOSTILE_LOADER:-build/tests/hostile-loader.elf}
HOSTILE_INJECT=tests/hostile/inject
# the svmtest command lines each state is tried with: the full matrix, and
# one whose first scenario runs with a 5-level host
HOSTILE_CMDLINES=("verbose=0" "host=5 verbose=0")
# slow enough (about 4 s of scenarios) that injected events land mid-run
HOSTILE_SLOW="-icount shift=8,align=on"
HOSTILE_MCE='0 9 0xbe00000000000175 0x4 0x1234000 0x86'   # VAL UC EN MISCV ADDRV PCC

have_loader() {
    [ -f "$HOSTILE_LOADER" ] || fail "no $HOSTILE_LOADER: run 'make $HOSTILE_LOADER' (make check builds it)"
}

# The lines that make a run's outcome: results, #NPF lines, verdicts, end marker.
outcome_of() { grep -E '^((not )?ok [0-9]+ |# npf: |# verdict: |# svmtest-end )' "$1"; }

# hostile_boot NAME CPU WORDS SVMTEST-ARGS: the loader, svmtest as its module
hostile_boot() {
    local svmtest=$ELF
    ELF=$HOSTILE_LOADER BOOT_INITRD="$svmtest $4" boot "$1" kernel "$2" "$3"
}

# same_outcome CLEAN-LOG CLEAN-STATUS: this boot ($LOG, $STATUS) ended as the clean one
same_outcome() {
    if [ "$STATUS" != "$2" ]; then
        fail "status $STATUS, the clean boot's $2 ($LOG):"
        grep -E '^(# exception|# vmexit|not ok )' "$LOG" | head -n 3 | sed 's/^/    /'
        return 1
    fi
    diff <(outcome_of "$1") <(outcome_of "$LOG") >"$LOG.diff" ||
        fail "outcome differs from the clean boot ($1 vs $LOG):" "$(head -8 "$LOG.diff")"
}

# The loader's own account (debug word) of the state it left.
loader_value() {  # loader_value LINE FIELD: FIELD=0x... on the loader's "LINE:" line
    sed -n -E "s/^hostile-loader: $1: (.* )?$2=(0x[0-9a-f]+).*/\2/p" "$LOG" | head -n 1
}
expect_bits() {   # expect_bits LINE FIELD MASK [clear]: MASK's bits all set (or all clear)
    local v mask
    v=$(loader_value "$1" "$2")
    mask=$(printf '0x%x' "$3")
    [ -n "$v" ] || fail "loader: no $2 on its '$1:' line" || return 1
    if [ "${4:-}" = clear ]; then
        (( (v & $3) == 0 )) || fail "loader: $1 $2=$v, expected bits $mask clear"
    else
        (( (v & $3) == $3 )) || fail "loader: $1 $2=$v, expected bits $mask set"
    fi
}
# architectural bits the loader's account is checked for
CR0_MP=0x2 CR0_NE=0x20 CR0_WP=0x10000 CR0_PG=0x80000000
CR4_PAE=0x20 CR4_PGE=0x80 CR4_OSFXSR=0x200 CR4_OSXMMEXCPT=0x400 CR4_LA57=0x1000
EFER_SCE=0x1 EFER_LME=0x100 EFER_LMA=0x400 EFER_NXE=0x800
PIC_IRQ0=0x1
check_la57() {   # long mode with 5-level paging and back: CR4.LA57 and firmware bits left on
    expect_bits cpu cr4 $((CR4_LA57 | CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT)) &&
        expect_bits cpu cr0 $((CR0_WP | CR0_NE | CR0_MP)) && expect_bits cpu cr0 $CR0_PG clear &&
        expect_bits cpu efer $EFER_LME clear &&
        expect_bits la57 cr4 $CR4_LA57 && expect_bits la57 efer $((EFER_LME | EFER_LMA))
}
check_efer() { expect_bits cpu efer $((EFER_NXE | EFER_SCE)); }
check_pic() {   # both 8259s unmasked, IRQ0 (the PIT, vector 8 = #DF) pending
    expect_line 'hostile-loader: pic: imr=0x00000000/0x00000000 irr=.*' && expect_bits pic irr $PIC_IRQ0
}
check_lapic_timer() {
    expect_line 'hostile-loader: apic: lvt_timer=0x00020040 .* timer=running irr\[0x00000040\]=1 .*'
}
check_lint0() { expect_line 'hostile-loader: apic: lvt_timer=.* lint0=0x00000700 .*'; }
check_selfipi() { expect_line 'hostile-loader: apic: .* irr\[0x00000041\]=1'; }
check_x2apic() { expect_line 'hostile-loader: apic: mode=x2apic .*'; }

# state_case NAME CPU WORDS APPLIED: for each svmtest command line, a clean
# direct boot and a boot through the loader; the loader must report every
# state of APPLIED in place, and svmtest must end as in the clean boot.
state_case() {
    local name=$1 cpu=$2 words=$3 applied=$4 i=0 args w
    have_loader || return 1
    for args in "${HOSTILE_CMDLINES[@]}"; do
        i=$((i + 1))
        boot "${name}_${i}_clean" kernel "$cpu" "$args"
        local clean_log=$LOG clean_status=$STATUS
        [ "$clean_status" = 33 ] || fail "clean boot: status $clean_status ($clean_log)" || return 1
        hostile_boot "${name}_$i" "$cpu" "debug $words" "$args"
        expect_line "hostile-loader: applied: $applied" || return 1
        for w in $applied; do
            "check_$w" || return 1
        done
        same_outcome "$clean_log" "$clean_status" && expect_wellformed ||
            { echo "  (svmtest: '$args', loader: '$words')"; return 1; }
    done
}

qemu10() { BOOT_QEMU=$(tools/ensure-qemu10) || fail "tools/ensure-qemu10 failed"; }

# The loader with no hostile word changes nothing: the whole report, byte for
# byte at verbose=1 (loader name, memory map and command line passed through).
t_hostile_neutral() {
    have_loader || return 1
    boot hostile_neutral_clean kernel max 'verbose=1'
    local clean_log=$LOG
    hostile_boot hostile_neutral max debug 'verbose=1'
    expect_status 33 && expect_line 'hostile-loader: applied: none' &&
        expect_line 'hostile-loader: kernel: cmdline "build/svmtest.elf verbose=1"' || return 1
    cmp -s <(report_of "$clean_log") <(report_of "$LOG") ||
        fail "report differs from the clean boot: $(diff <(report_of "$clean_log") <(report_of "$LOG") | head -5)"
}

# The loader refuses a word it does not know (a typo must not boot a neutral
# machine and pass): its own error on COM1, status 41, svmtest never entered.
t_hostile_loader_unknown_word() {
    have_loader || return 1
    hostile_boot hostile_loader_unknown_word max 'debug la75' 'verbose=0'
    expect_status 41 && expect_line "hostile-loader: error: unknown word 'la75' .*" &&
        expect_no_line '# svmtest-begin .*'
}

t_hostile_la57() { state_case hostile_la57 max la57 la57; }
t_hostile_efer() { state_case hostile_efer max efer efer; }
t_hostile_pic() { state_case hostile_pic max pic pic; }
t_hostile_lapic_timer() { state_case hostile_lapic_timer max lapic_timer lapic_timer; }
t_hostile_lint0() { state_case hostile_lint0 max lint0 lint0; }
t_hostile_selfipi() { state_case hostile_selfipi max selfipi selfipi; }
# QEMU 7.2's TCG has no x2APIC; QEMU 10's has
t_hostile_x2apic() {
    local BOOT_QEMU
    qemu10 && state_case hostile_x2apic max,x2apic=on x2apic x2apic
}
t_hostile_all() {
    local BOOT_QEMU
    qemu10 && state_case hostile_all max,x2apic=on all 'la57 efer pic lapic_timer lint0 selfipi x2apic'
}
t_hostile_all_qemu7() {
    state_case hostile_all_qemu7 max all 'la57 efer pic lapic_timer lint0 selfipi' &&
        expect_line 'hostile-loader: x2apic: CPU has no x2APIC: left out'
}

# The pending LAPIC timer and self-IPI really reach svmtest: counted as stray
# vectors at verbose=1 (kernel/interrupts/vectors.c), results unchanged.
t_hostile_pending_counted() {
    have_loader || return 1
    hostile_boot hostile_pending_counted max 'debug lapic_timer selfipi' 'verbose=1 only=probe'
    expect_status 33 && expect_wellformed && expect_names "probe_host4 probe_host5" &&
        expect_line 'hostile-loader: apic: .* irr\[0x00000040\]=1 irr\[0x00000041\]=1' &&
        expect_line '# interrupts: nmi=0 stray=2 \[vector 0x40 x[0-9]+, vector 0x41 x1\]'
}

# inject_boot NAME ARGS INJECT-ARGS...: a direct boot slowed down, with a QMP
# socket, and tests/hostile/inject sending events once the report has begun
inject_boot() {
    local name=$1 args=$2
    shift 2
    local sock=$OUT/$name.qmp
    rm -f "$sock"
    "$HOSTILE_INJECT" --qmp "$sock" --serial "$OUT/$name.raw" "$@" >"$OUT/$name.inject" 2>&1 &
    local injector=$!
    BOOT_EXTRA="$HOSTILE_SLOW -qmp unix:$sock,server=on,wait=off" boot "$name" kernel max "$args"
    wait "$injector"
    INJECT_STATUS=$?
    sed 's/^/  /' "$OUT/$name.inject"
}

# Ten NMIs while the full matrix runs (verbose=1, slowed): same outcome, status 33.
t_hostile_nmi() {
    boot hostile_nmi_clean kernel max 'verbose=1'
    local clean_log=$LOG clean_status=$STATUS
    inject_boot hostile_nmi 'verbose=1' --delay 0.3 --count 10 --interval 0.15 nmi
    if [ "$INJECT_STATUS" != 0 ]; then
        fail "the report ended before the tenth NMI (inject status $INJECT_STATUS, status $STATUS):"
        grep -E '^(# exception|# vmexit|not ok )' "$LOG" | head -n 3 | sed 's/^/    /'
        return 1
    fi
    same_outcome "$clean_log" "$clean_status" || return 1
    # they reached svmtest's NMI handler (counted at verbose>=1; NMIs held
    # while GIF=0 may coalesce)
    expect_line '# interrupts: nmi=([1-9]|10) stray=0'
}

# svmtest's loaded image, LO-HI in hex: the host kernel's RIPs
image_range() {
    local type off vaddr paddr filesz memsz lo= hi=
    while read -r type off vaddr paddr filesz memsz _; do
        [ "$type" = LOAD ] || continue
        (( ${lo:-vaddr} <= vaddr )) || lo=$((vaddr))
        [ -n "$lo" ] || lo=$((vaddr))
        (( ${hi:-0} >= vaddr + memsz )) || hi=$((vaddr + memsz))
    done < <(readelf -lW "$ELF")
    [ -n "$hi" ] && printf '%x-%x\n' "$lo" "$hi"
}

# A machine check in bank 9 while scenarios run, injected while CPU 0 is in
# the host kernel (QEMU's TCG would hand it to a running guest's own IDT): an
# ERROR that shows MCG_STATUS and the bank's STATUS/ADDR/MISC, the end
# marker, status 39.
t_hostile_mce() {
    local range
    range=$(image_range)
    [ -n "$range" ] || fail "no LOAD segment in $ELF" || return 1
    inject_boot hostile_mce 'verbose=2' --delay 0.5 --host-rip "$range" mce "$HOSTILE_MCE"
    [ "$INJECT_STATUS" = 0 ] || fail "the machine check was not injected while the report ran" || return 1
    [ "$STATUS" = 39 ] || fail "expected QEMU status 39, got $STATUS (0: QEMU shut down on a triple fault)" || return 1
    [ "$(count_lines '# svmtest-begin .*')" = 1 ] && [ "$(count_lines '# svmtest-end .*')" = 1 ] ||
        fail "markers: begin $(count_lines '# svmtest-begin .*'), end $(count_lines '# svmtest-end .*')" || return 1
    expect_line 'not ok [0-9]+ [a-z0-9_]+ # ERROR .*([Mm]achine check|#MC).*' || return 1
    local report
    report=$(report_of "$LOG")
    grep -Eiq 'mcg_status[=: ]+0x0*4\b' <<<"$report" || fail "no MCG_STATUS=0x4 in the report" || return 1
    grep -Eiq '(bank|mc)[ =_#]?9\b' <<<"$report" || fail "bank 9 not named in the report" || return 1
    grep -Eiq 'status[=: ]+0x0*be00000000000175\b' <<<"$report" || fail "no MC9_STATUS=0xbe00000000000175" || return 1
    grep -Eiq 'addr[=: ]+0x0*1234000\b' <<<"$report" || fail "no MC9_ADDR=0x1234000" || return 1
    grep -Eiq 'misc[=: ]+0x0*86\b' <<<"$report" || fail "no MC9_MISC=0x86"
}

# Memory the loader's map does not provide for svmtest: a configuration error
# on COM1, both markers, status 39, never a hang.
expect_memory_error() {
    [ "$STATUS" != 124 ] || fail "hung (killed after ${BOOT_LIMIT} s)" || return 1
    expect_status 39 && expect_wellformed && expect_line 'not ok 1 [a-z0-9_]+ # ERROR .*[Mm]emory.*'
}
# (QEMU's -m 2 is t_memory_too_small in cases_hardening.sh)
# QEMU has 512 MiB; the loader's map (and mem_upper) stops inside svmtest's
# .bss, or inside its loaded image
t_hostile_mem_cut() {
    have_loader || return 1
    local end
    for end in 0x00200000 0x00110000; do
        BOOT_LIMIT=10 hostile_boot "hostile_mem_cut_$end" max "debug mem_end=$end" 'only=probe'
        expect_line "hostile-loader: kernel: memory map cut at $end" &&
            BOOT_LIMIT=10 expect_memory_error || return 1
    done
}
