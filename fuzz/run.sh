#!/usr/bin/env bash
# Run every fuzz target (or the ones named) for a fixed time each. Not part of CI.
#
#   fuzz/run.sh [SECONDS] [TARGET...]      default: 60 s each, all targets
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The toolchain here is stable, so the
# nightly-only flags cargo-fuzz passes are allowed with RUSTC_BOOTSTRAP=1 (set below);
# on a nightly toolchain that changes nothing. Set SANITIZER=none to build without ASan
# (faster; Rust code is memory-safe anyway, `unsafe` is forbidden in the crate).
# Corpora live in fuzz/corpus/<target> (seeded from tests/fixtures on first run, not
# committed); crashes land in fuzz/artifacts/<target>; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(feed extract claims watchlist)
fi
export RUSTC_BOOTSTRAP=1
sanitizer="${SANITIZER:-address}"

seed() {
    local dir="fuzz/corpus/$1"
    shift
    mkdir -p "$dir"
    if [ -z "$(ls -A "$dir")" ]; then
        local f
        for f in "$@"; do
            [ -f "$f" ] || continue
            # feed and extract read a selector byte first; claims a selector, a count
            # and two matches (four bytes each) before the text.
            case "$dir" in
            */feed | */extract) { printf '\001'; cat "$f"; } >"$dir/seed-$(basename "$f")" ;;
            */claims) { printf '\001\002\000\000\050\000\000\001\074\001'; cat "$f"; } >"$dir/seed-$(basename "$f")" ;;
            *) cp "$f" "$dir/seed-$(basename "$f")" ;;
            esac
        done
    fi
}
seed feed tests/fixtures/feeds/*
seed extract tests/fixtures/html/*.html
seed claims tests/fixtures/claims/corpus/*
seed watchlist watchlists/*.toml tests/fixtures/watchlists/*/*.toml

status=0
for t in "${targets[@]}"; do
    echo "== $t: ${secs}s (sanitizer: $sanitizer)"
    if ! cargo fuzz run --sanitizer "$sanitizer" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=4096 \
        -max_len=262144 -timeout=20 -print_final_stats=1; then
        echo "!! $t failed: see fuzz/artifacts/$t"
        status=1
    fi
done
exit $status
