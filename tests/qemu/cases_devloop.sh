# The developer's loop (sourced by tests/qemu/run): tools/run-qemu's knobs,
# the ACCEL=kvm preflight, --repeat, tools/make-iso and tools/svmtest-bisect's
# exit codes. Every boot is TCG with a wall-clock bound (TIMEOUT).

# run the tools with none of the user's knobs leaking in from the environment
knobs_clear=(-u QEMU -u QEMU_DATA -u ACCEL -u CPU -u SMP -u MEM -u FIRMWARE -u ARGS
             -u GRUB_TIMEOUT -u QEMU_EXTRA -u REPEAT -u V -u BOOT -u SVMTEST_KVM_DEV
             -u SVMTEST_CPUINFO -u SVMTEST_KVM_AMD)
devloop() {  # devloop NAME [VAR=value ...] TOOL ARGS...: sets LOG (stdout), ERR, STATUS
    local name=$1; shift
    LOG=$OUT/$name.log ERR=$OUT/$name.err
    env "${knobs_clear[@]}" TIMEOUT=60 "$@" >"$OUT/$name.raw" 2>"$ERR" </dev/null
    STATUS=$?
    tr -d '\r' <"$OUT/$name.raw" >"$LOG"
}
expect_err() {  # an extended regex that must match a whole line of stderr
    grep -Eq "^$1\$" "$ERR" || fail "no stderr line matching: $1 (stderr: $(head -c 400 "$ERR"))"
}

t_devloop_knobs_reach_qemu() {
    devloop knobs SMP=2 MEM=1024 CPU=EPYC-Milan V=1 ARGS='only=probe verbose=1' \
        QEMU_EXTRA='-name svmtest-knobs' tools/run-qemu "$ELF"
    expect_status 33 || return 1
    expect_err "svmtest: running: qemu-system-x86_64 -accel tcg -cpu EPYC-Milan -m 1024 -smp 2 .* -kernel $ELF -append 'only=probe verbose=1' -name svmtest-knobs" || return 1
    expect_line '# cpu: vendor=AuthenticAMD .* name="AMD EPYC-Milan Processor" hypervisor=tcg' || return 1
    expect_line '# cmdline: only=probe .*' || return 1
    expect_line '# boot: loader=multiboot1 .* memory=10[0-9][0-9] MiB .*' || return 1
    expect_line 'ok 2 probe_host5 # SKIP .*LA57.*' || return 1
    expect_err 'svmtest: all ran ok \(status 33\)'
}

# the 2nd argument is the command line; ARGS= is the same for the ELF
t_devloop_args_elf() {
    devloop args_elf ARGS='only=reset npf_limit=3' tools/run-qemu "$ELF"
    expect_status 33 || return 1
    expect_line '# cmdline: only=reset host=all npt=all fill=all guest=all npf_limit=3' || return 1
    expect_line '# npf: same fault 3 times: storm' || return 1
    devloop args_elf2 ARGS='only=reset' tools/run-qemu "$ELF" 'only=probe_host4'
    expect_status 33 || return 1
    expect_line 'ok 1 probe_host4' && expect_line '1\.\.1'
}

# ARGS= for the ISO: a copy with that default entry, cached, the kernel untouched
t_devloop_args_iso() {
    local before after first
    before=$(stat -c %Y "$ELF")
    devloop args_iso GRUB_TIMEOUT=0 ARGS='only=probe_host5 npf_limit=7' V=1 tools/run-qemu "$ISO"
    expect_status 33 || return 1
    expect_line '# cmdline: only=probe_host5 host=all npt=all fill=all guest=all npf_limit=7' || return 1
    expect_line 'ok 1 probe_host5' || return 1
    first=$(sed -n 's/^svmtest: running: .* -cdrom \([^ ]*\).*/\1/p' "$ERR")
    [[ $first == $PWD/build/iso-cache/*.iso ]] || fail "booted '$first', not a cached copy" || return 1
    after=$(stat -c %Y "$ELF")
    [ "$before" = "$after" ] || fail "the kernel was rebuilt" || return 1
    # the same knobs again: the same copy, not rebuilt
    before=$(stat -c %Y "$first")
    devloop args_iso_again GRUB_TIMEOUT=0 ARGS='only=probe_host5 npf_limit=7' V=1 tools/run-qemu "$ISO"
    expect_status 33 || return 1
    expect_err "svmtest: running: .* -cdrom $first( .*)?" || return 1
    [ "$(stat -c %Y "$first")" = "$before" ] || fail "the cached copy was rebuilt"
}

# tools/make-iso: GRUB_TIMEOUT and a default entry; the menu's entries stay
t_devloop_make_iso() {
    local iso=$OUT/make_iso.iso cfg=$OUT/make_iso.cfg entries
    GRUB_TIMEOUT=0 tools/make-iso "$ELF" "$iso" 'only=reset verbose=1' || fail "make-iso failed" || return 1
    xorriso -osirrox on -indev "$iso" -extract /boot/grub/grub.cfg "$cfg" >/dev/null 2>&1 || fail "no grub.cfg in the ISO" || return 1
    xorriso -osirrox on -indev "$iso" -extract /boot/svmtest.elf "$OUT/make_iso.elf" >/dev/null 2>&1
    cmp -s "$ELF" "$OUT/make_iso.elf" ||
        fail "the ISO's kernel is not $ELF" || return 1
    grep -qx 'set timeout=0' "$cfg" || fail "no 'set timeout=0'" || return 1
    [ "$(grep -m1 '^menuentry' "$cfg")" = "menuentry 'svmtest: only=reset verbose=1' { svmtest 'only=reset' 'verbose=1' }" ] ||
        fail "first entry: $(grep -m1 '^menuentry' "$cfg")" || return 1
    entries=$(grep -c '^menuentry' iso/grub.cfg)
    [ "$(grep -c '^menuentry' "$cfg")" = $((entries + 1)) ] || fail "menu entries lost" || return 1
    grep -v '^set timeout=\|^menuentry .svmtest: only=reset' "$cfg" | cmp -s - <(grep -v '^set timeout=' iso/grub.cfg) ||
        fail "grub.cfg differs from iso/grub.cfg beyond the timeout and the new entry" || return 1
    # without arguments: iso/grub.cfg itself; a bad timeout is refused
    tools/make-iso "$ELF" "$iso" && xorriso -osirrox on -indev "$iso" -extract /boot/grub/grub.cfg "$cfg" >/dev/null 2>&1 &&
        cmp -s "$cfg" iso/grub.cfg || fail "plain make-iso changed grub.cfg" || return 1
    GRUB_TIMEOUT=soon tools/make-iso "$ELF" "$iso" 2>/dev/null
    [ $? = 2 ] || fail "GRUB_TIMEOUT=soon not refused with status 2"
}

t_devloop_qemu10() {
    local q10
    q10=$(tools/ensure-qemu10) || fail "tools/ensure-qemu10 failed" || return 1
    devloop qemu10 QEMU="$q10" V=1 ARGS='only=reset' tools/run-qemu "$ELF"
    expect_status 33 || return 1
    expect_err "svmtest: running: $q10 -accel tcg -cpu max .*" || return 1
    expect_line '# svmtest-end pass=8 fail=0 skip=0 error=0'
}

# a QEMU build tree: pc-bios/ beside the binary becomes -L; QEMU_DATA wins;
# a missing binary is status 44
t_devloop_qemu_data() {
    local tree=$OUT/qemu_tree
    rm -rf "$tree" && mkdir -p "$tree"
    ln -s "$(command -v qemu-system-x86_64)" "$tree/qemu-system-x86_64"
    ln -s /usr/share/qemu "$tree/pc-bios"
    devloop qemu_tree QEMU="$tree/qemu-system-x86_64" V=1 tools/run-qemu "$ELF" only=probe_host4
    expect_status 33 || return 1
    expect_err "svmtest: running: $tree/qemu-system-x86_64 -L $tree/pc-bios -accel tcg .*" || return 1
    devloop qemu_data QEMU="$tree/qemu-system-x86_64" QEMU_DATA=/usr/share/qemu V=1 tools/run-qemu "$ELF" only=probe_host4
    expect_status 33 || return 1
    expect_err "svmtest: running: $tree/qemu-system-x86_64 -L /usr/share/qemu -accel tcg .*" || return 1
    devloop qemu_missing QEMU="$tree/nothing" tools/run-qemu "$ELF"
    expect_status 44 && expect_err "svmtest: QEMU binary '$tree/nothing' not found .*"
}

# ACCEL=kvm on this machine: nested SVM here boots under KVM; anywhere else
# one line that names what is missing, status 40, at once
t_devloop_kvm_preflight() {
    local start ms
    start=$(date +%s%N)
    devloop kvm ACCEL=kvm ARGS='only=probe' tools/run-qemu "$ELF"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ "$STATUS" = 40 ]; then
        [ "$ms" -lt 5000 ] || fail "preflight took ${ms} ms" || return 1
        [ "$(wc -l <"$ERR")" = 1 ] || fail "not one line: $(cat "$ERR")" || return 1
        expect_err 'svmtest: ACCEL=kvm: .*(/dev/kvm is missing|cannot be opened|not AuthenticAMD|kvm_amd is not loaded: modprobe kvm_amd nested=1|without nested SVM .*modprobe kvm_amd nested=1).*' || return 1
        [ ! -s "$LOG" ] || fail "QEMU ran: $(head -c 200 "$LOG")" || return 1
        echo "  (this host: $(cat "$ERR"), ${ms} ms)"
    else
        expect_status 33 || return 1   # a host with nested SVM: a real KVM run
        expect_line '# cpu: .* hypervisor=kvm' || return 1
    fi
}

# each preflight step, on stand-in files; a fake QEMU shows what a passing
# preflight runs
t_devloop_kvm_preflight_steps() {
    local d=$OUT/kvm_steps
    rm -rf "$d" && mkdir -p "$d/amd/parameters" "$d/dir"
    : >"$d/dev"
    printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\n' >"$d/cpuinfo.amd"
    printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n' >"$d/cpuinfo.intel"
    printf '#!/bin/sh\necho "fake-qemu: $*"\nexit 33\n' >"$d/qemu" && chmod +x "$d/qemu"
    step() {  # step EXPECTED-STATUS STDERR-REGEX VAR=value...
        local st=$1 re=$2; shift 2
        devloop kvm_step ACCEL=kvm QEMU="$d/qemu" "$@" tools/run-qemu "$ELF"
        expect_status "$st" || return 1
        [ "$st" != 40 ] || [ "$(wc -l <"$ERR")" = 1 ] || fail "not one line: $(cat "$ERR")" || return 1
        expect_err "$re"
    }
    step 40 "svmtest: ACCEL=kvm: $d/none is missing: .*modprobe kvm_amd nested=1.*" SVMTEST_KVM_DEV="$d/none" || return 1
    step 40 "svmtest: ACCEL=kvm: $d/dir cannot be opened read-write .*" SVMTEST_KVM_DEV="$d/dir" || return 1
    step 40 'svmtest: ACCEL=kvm: the host CPU is GenuineIntel, not AuthenticAMD: .*' \
        SVMTEST_KVM_DEV="$d/dev" SVMTEST_CPUINFO="$d/cpuinfo.intel" || return 1
    step 40 'svmtest: ACCEL=kvm: kvm_amd is not loaded: modprobe kvm_amd nested=1' \
        SVMTEST_KVM_DEV="$d/dev" SVMTEST_CPUINFO="$d/cpuinfo.amd" SVMTEST_KVM_AMD="$d/none" || return 1
    echo 0 >"$d/amd/parameters/nested"
    step 40 'svmtest: ACCEL=kvm: kvm_amd is loaded without nested SVM \(nested=0\): modprobe -r kvm_amd && modprobe kvm_amd nested=1' \
        SVMTEST_KVM_DEV="$d/dev" SVMTEST_CPUINFO="$d/cpuinfo.amd" SVMTEST_KVM_AMD="$d/amd" || return 1
    for v in 1 Y; do
        echo $v >"$d/amd/parameters/nested"
        step 33 'svmtest: all ran ok \(status 33\)' \
            SVMTEST_KVM_DEV="$d/dev" SVMTEST_CPUINFO="$d/cpuinfo.amd" SVMTEST_KVM_AMD="$d/amd" || return 1
        expect_line "fake-qemu: -accel kvm -cpu host -m 3G -smp 2 .*" || return 1
    done
    step 2 "svmtest: ACCEL='hvf': tcg or kvm" ACCEL=hvf
}

t_devloop_repeat() {
    devloop repeat tools/run-qemu --repeat 3 "$ELF" only=reset
    expect_status 33 || return 1
    expect_err 'svmtest: repeat: 3 boots, identical reports' || return 1
    [ "$(grep -c '^# svmtest-begin' "$LOG")" = 1 ] || fail "more than the first boot shown" || return 1
    # a QEMU whose second boot has another CPU: the first differing line is named
    local d=$OUT/repeat_fake
    rm -rf "$d" && mkdir -p "$d" && echo 0 >"$d/count"
    cat >"$d/qemu" <<EOF
#!/bin/sh
n=\$(cat "$d/count"); echo \$((n + 1)) >"$d/count"
[ "\$n" = 0 ] && exec qemu-system-x86_64 "\$@"
exec qemu-system-x86_64 "\$@" -cpu EPYC-Milan
EOF
    chmod +x "$d/qemu"
    devloop repeat_differs QEMU="$d/qemu" REPEAT=3 tools/run-qemu "$ELF" only=probe
    expect_status 42 || return 1
    expect_err 'svmtest: repeat: boot 2 of 3 differs from boot 1 at report line 3:' || return 1
    expect_err '  boot 1: # cpu: .*name="QEMU TCG CPU version 2.5\+" hypervisor=tcg' || return 1
    expect_err '  boot 2: # cpu: .*name="AMD EPYC-Milan Processor" hypervisor=tcg' || return 1
    [ "$(cat "$d/count")" = 2 ] || fail "went on after the first difference"
}

t_devloop_make_help() {
    local k help
    help=$(make --no-print-directory help) || fail "make help failed" || return 1
    for k in QEMU= QEMU_DATA= ACCEL= CPU= SMP= MEM= FIRMWARE= ARGS= QEMU_EXTRA= TIMEOUT= REPEAT= GRUB_TIMEOUT= BOOT= V=1 svmtest-bisect; do
        grep -qF -- "$k" <<<"$help" || fail "make help does not mention $k" || return 1
    done
}

# tools/svmtest-bisect: good, bad, untestable
t_devloop_bisect_codes() {
    bisect() { devloop bisect "$@"; }
    bisect QEMU=qemu-system-x86_64 tools/svmtest-bisect only=reset
    expect_status 0 || return 1
    expect_err 'svmtest-bisect: good \(0\): all ok \(status 33\)' || return 1
    bisect tools/svmtest-bisect --qemu qemu-system-x86_64 'only=host4_npt4_prebuilt selftest=guest-hang'
    expect_status 1 || return 1
    expect_line 'not ok 1 host4_npt4_prebuilt # TIMEOUT .*' || return 1
    bisect CPU=qemu64 tools/svmtest-bisect only=reset
    expect_status 125 || return 1
    expect_err 'svmtest-bisect: skip \(125\): everything skipped: .*' || return 1
    bisect CPU=no-such-cpu tools/svmtest-bisect only=reset
    expect_status 125 || return 1
    expect_err "svmtest-bisect: skip \(125\): QEMU has no such CPU model: .*no-such-cpu.*" || return 1
    bisect tools/svmtest-bisect --qemu "$OUT/no-such-qemu" only=reset
    expect_status 125 || return 1
    bisect tools/svmtest-bisect --qemu /bin/false only=reset
    expect_status 125 || return 1
    expect_err 'svmtest-bisect: skip \(125\): QEMU did not start svmtest .*' || return 1
    # the test itself wrong: abort the bisection
    bisect tools/svmtest-bisect only=no_such_scenario
    expect_status 128 || return 1
    bisect SVMTEST_KVM_DEV="$OUT/no-such-kvm" ACCEL=kvm tools/svmtest-bisect only=reset
    expect_status 128 && expect_err 'svmtest-bisect: abort \(128\): ACCEL=kvm: .*'
}

# QEMU started paused (-S) never finishes: skip, or bad with --timeout-is-bad
t_devloop_bisect_timeout() {
    local start s
    start=$(date +%s)
    devloop bisect_timeout TIMEOUT=1 QEMU_EXTRA=-S tools/svmtest-bisect only=reset
    expect_status 125 || return 1
    expect_err 'svmtest-bisect: skip \(125\): no result within 1s .*' || return 1
    devloop bisect_timeout_bad TIMEOUT=1 QEMU_EXTRA=-S tools/svmtest-bisect --timeout-is-bad only=reset
    expect_status 1 || return 1
    expect_err 'svmtest-bisect: bad \(1\): no result within 1s \(--timeout-is-bad\)' || return 1
    s=$(( $(date +%s) - start ))
    [ "$s" -le 10 ] || fail "two 1 s timeouts took ${s} s"
}

# --expect: the same behaviour is good, a changed # npf: or result is bad
t_devloop_bisect_expect() {
    local ref=$OUT/bisect_ref.log
    devloop bisect_ref tools/run-qemu "$ELF" only=reset
    expect_status 33 || return 1
    cp "$LOG" "$ref"
    devloop bisect_same tools/svmtest-bisect --expect "$ref" only=reset
    expect_status 0 || return 1
    expect_err 'svmtest-bisect: good \(0\): all ok \(status 33\), as the reference' || return 1
    sed 's/exitinfo1=0x0000000100000014/exitinfo1=0x0000000100000004/' "$ref" >"$ref.npf"
    devloop bisect_npf tools/svmtest-bisect --expect "$ref.npf" only=reset
    expect_status 1 || return 1
    expect_err '  reference: # npf: .*exitinfo1=0x0000000100000004 .*' || return 1
    expect_err 'svmtest-bisect: bad \(1\): behaviour changed against the reference; all ok \(status 33\)' || return 1
    # both match the model, yet the skips differ from the reference
    devloop bisect_milan CPU=EPYC-Milan tools/svmtest-bisect --expect "$ref" only=reset
    expect_status 1 || return 1
    head -n 3 "$ref" >"$ref.cut"
    devloop bisect_cut tools/svmtest-bisect --expect "$ref.cut" only=reset
    expect_status 128
}
