#!/usr/bin/env bash
# Fuzz smoke test (CI): builds every cargo-fuzz target on stable (`-s none`, release), seeds the
# corpora from our fixtures, then runs EACH target for FUZZ_SECONDS (default 30) seconds.
# Exits non-zero if cargo-fuzz is missing, a build fails, or any target crashes, times out on
# one input, or runs out of memory; the crashing input is kept in fuzz/artifacts/<target>/.
#
#   fuzz/smoke.sh                      # every target, 30 s each
#   FUZZ_SECONDS=10 fuzz/smoke.sh      # shorter
#   fuzz/smoke.sh jws cose             # only these targets
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${FUZZ_SECONDS:-30}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/smoke.sh: cargo-fuzz is not installed (cargo install cargo-fuzz); cannot run the fuzz smoke test" >&2
    exit 2
fi

./seeds.sh >/dev/null || { echo "fuzz/smoke.sh: seeding failed" >&2; exit 1; }

echo "== building fuzz targets (cargo fuzz build -s none, release)"
if ! cargo fuzz build -s none; then
    echo "fuzz/smoke.sh: build failed" >&2
    exit 1
fi

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

failed=()
for t in "${targets[@]}"; do
    echo "== $t: ${seconds}s"
    mkdir -p "corpus/$t" "artifacts/$t"
    # -timeout: one input taking > 20 s is a hang; -rss_limit_mb: unbounded allocation.
    if ! cargo fuzz run -s none "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" 2>"artifacts/$t.log"; then
        echo "!! $t FAILED — see fuzz/artifacts/$t.log and fuzz/artifacts/$t/" >&2
        tail -n 40 "artifacts/$t.log" >&2
        failed+=("$t")
    else
        grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "artifacts/$t.log" | tail -n 1
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz/smoke.sh: crashes in: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz/smoke.sh: ${#targets[@]} targets ran ${seconds}s each without a crash"
