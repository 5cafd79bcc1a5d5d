# The samples in README.md, CHANGELOG.md and docs/*.md are real runs: each
# names its source in a <!-- sample: ... --> comment (tests/docs/samples.py),
# and every line it shows must be printed by that run of this build.
# tests/docs/update-samples regenerates them after a change.

# docs_sample_runs DIR: run each distinct source once, its log in DIR/ID.log
docs_sample_runs() {
    local dir=$1 id src plan
    mkdir -p "$dir"
    plan=$(python3 tests/docs/samples.py plan) || { echo "$plan"; fail "malformed samples"; return 1; }
    while IFS=$'\t' read -r id src; do
        [ -n "$id" ] || continue
        case $src in
            'case '*)
                # the case itself, its boots in a directory of their own; the
                # log is every boot's, in the order they ran
                ( OUT=$dir/case-$id; mkdir -p "$OUT"; "${src#case }" >"$dir/$id.out" 2>&1
                  cd "$OUT" && cat $(ls -tr -- *.log) >"../$id.log" ) ;;
            *)
                # a reader's command: [VAR=value ...] tools/run-qemu|tools/kvm-nested IMAGE [ARGS]
                ( export TIMEOUT=$BOOT_LIMIT KVM_OUT=$dir/kvm-$id
                  eval "env $src" ) </dev/null >"$dir/$id.log" 2>&1 ;;
        esac
    done <<<"$plan"
    return 0   # a run's own status is its sample's business
}

t_docs_samples() {
    local dir=$OUT/docs-samples
    docs_sample_runs "$dir" || return 1
    python3 tests/docs/samples.py check "$dir" || fail "a docs sample differs from what svmtest prints (tests/docs/update-samples)"
}
