# QEMU boot cases for what an ACPI MADT may list (issue 19): CPUs svmtest does
# not start by design (online-capable, x2APIC IDs out of an xAPIC's reach),
# thousands of enabled CPUs that do not exist, a malformed table. QEMU's own
# MADT comes first (one given with -acpitable is ignored), so a GRUB ISO runs
# `acpi --exclude=APIC /boot/madt.aml` before multiboot2: svmtest sees only
# the table tests/acpi/make-madt wrote.

# madt_iso NAME APPEND MAKE-MADT-ARGS...: sets ISO to an ISO booting the
# kernel with APPEND after replacing the MADT
madt_iso() {
    local name=$1 append=$2; shift 2
    local stage=$OUT/$name.stage   # not *.d: the Makefile includes those
    rm -rf "$stage"
    mkdir -p "$stage/boot/grub"
    cp "$ELF" "$stage/boot/svmtest.elf"
    tests/acpi/make-madt "$stage/boot/madt.aml" "$@" || return 1
    cat >"$stage/boot/grub/grub.cfg" <<CFG
serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1
terminal_input serial
terminal_output serial
set timeout=0
menuentry "svmtest with a synthetic MADT" {
    acpi --exclude=APIC /boot/madt.aml
    multiboot2 /boot/svmtest.elf $append
    set gfxpayload=text
}
CFG
    ISO=$OUT/$name.iso
    grub-mkrescue -o "$ISO" "$stage" >"$OUT/$name.mkrescue" 2>&1 || { cat "$OUT/$name.mkrescue"; return 1; }
    rm -rf "$stage"
}

# the report as the serial line carries it (CR LF) must fit the contract's bound
expect_report_within() {
    local bytes
    bytes=$(report_of "$LOG" | sed 's/$/\r/' | wc -c)
    [ "$bytes" -le "$1" ] || fail "report is $bytes bytes, more than $1"
}

# 2 enabled CPUs and 253 online-capable entries: counted on one line at
# verbose=0, listed at verbose=1
t_madt_online_capable() {
    local madt=(lapic:0-1:1 lapic:2-254:2)
    madt_iso madt-online 'only=probe,cpus' "${madt[@]}" || return 1
    BOOT_SMP=2 boot madt-online bios max
    expect_status 33 && expect_wellformed &&
        expect_line '# all_cpus: 253 online-capable entries not started' &&
        expect_line '# all_cpus: 1 of 1 application processors match the boot CPU' &&
        expect_no_line '# all_cpus: APIC .*' && expect_report_within 6144 || return 1
    madt_iso madt-online-v1 'only=probe,cpus verbose=1' "${madt[@]}" || return 1
    BOOT_SMP=2 boot madt-online-v1 bios max
    expect_status 33 && expect_wellformed &&
        [ "$(count_lines '# all_cpus: APIC [0-9]+ not started: online-capable but disabled in the MADT')" = 253 ] ||
        fail "verbose=1 does not list the 253 online-capable entries"
}

# 253 enabled xAPIC CPUs and 3745 x2APIC ones that do not exist (QEMU 7.2's
# TCG has no x2APIC: out of reach): the roll call starts every reachable one
# at once and waits once (2 s + 1 ms per AP listed); the default report stays
# within its bound, the silent CPUs summarised on one line.
t_madt_many_absent() {
    madt_iso madt-absent '' lapic:0-1:1 lapic:2-254:1 x2apic:255-3999:1 || return 1
    local start=$SECONDS
    BOOT_SMP=2 boot madt-absent bios max
    expect_status 35 && expect_wellformed &&
        expect_line '# all_cpus: 3745 x2APIC IDs out of the xAPIC.s reach not started \(no x2APIC\)' &&
        expect_line '# all_cpus: 253 silent \(no answer to INIT-SIPI-SIPI within 2254 ms\): APIC 2, 3, 4, 5, 6 and 248 more' &&
        expect_line '# all_cpus: 1 of 254 application processors match the boot CPU' &&
        expect_line "not ok $(sed -n -E 's/^1\.\.([0-9]+)$/\1/p' "$LOG") all_cpus" &&
        expect_report_within 6144 || return 1
    [ $((SECONDS - start)) -le 60 ] || fail "took $((SECONDS - start)) s"
}

# The same with x2APIC (QEMU 10's TCG has it; make check's deps install it):
# 3998 absent CPUs, every IPI through the ICR MSR, one wait of 2 s + 1 ms each
t_madt_many_absent_x2apic() {
    local q
    q=$(tools/ensure-qemu10) || { fail "no QEMU 10"; return 1; }
    madt_iso madt-absent-x2 'only=probe,cpus' lapic:0-1:1 x2apic:2-3999:1 || return 1
    local start=$SECONDS
    BOOT_QEMU=$q BOOT_SMP=2 boot madt-absent-x2 bios max,x2apic=on
    expect_status 35 && expect_wellformed &&
        expect_line '# all_cpus: 3998 silent \(no answer to INIT-SIPI-SIPI within 5999 ms\): APIC 2, 3, 4, 5, 6 and 3993 more' &&
        expect_line '# all_cpus: 1 of 3999 application processors match the boot CPU' &&
        expect_report_within 6144 || return 1
    [ $((SECONDS - start)) -le 60 ] || fail "took $((SECONDS - start)) s"
}

# A malformed MADT (an entry runs past the table): nothing in it is trusted
t_madt_overrun() {
    madt_iso madt-overrun 'only=probe,cpus' lapic:0-1:1 --overrun || return 1
    BOOT_SMP=2 boot madt-overrun bios max
    expect_status 33 && expect_wellformed &&
        expect_line '# all_cpus: MADT entry runs past the table: the boot CPU only' &&
        expect_line 'ok 3 all_cpus # SKIP boot CPU only: MADT entry runs past the table'
}
