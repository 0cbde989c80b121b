#!/usr/bin/env bash
# The cold column of run.sh for a few cases, robust to other processes on a shared machine:
# for each case, ROUNDS times in turn, notation-go's Go benchmark of the case and notaverify's cold
# criterion bench of it (benches/benches/interop.rs, interop/verify/<case>), each side's fastest
# round kept (the one least disturbed), and the ratio of the two. run.sh runs all of the Go side,
# then all of the Rust side, so there a busy minute lands on one side only.
#
#   interop/bench/paired.sh [ROUNDS] CASE...     e.g. interop/bench/paired.sh 5 p256-c2-ok-cose p256-c2-ok-jws
#
# NOTAVERIFY_BENCH_GOTIME: go -benchtime per round (default 1s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(cd "${NOTAVERIFY_BENCH_DIR:-$here/data}" && pwd)"
rounds=5
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [ROUNDS] CASE..." >&2; exit 2; }
command -v go >/dev/null || { echo "paired: go is required" >&2; exit 1; }

target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
(cd "$root" && cargo bench -p notaverify-benches --bench interop --no-run 2>&1 | tail -1) >&2

go_ns() { # case -> ns/op of one Go run
  (cd "$here" && NOTAVERIFY_BENCH_DIR="$data" go test -run '^$' -bench "^BenchmarkVerify\$/^$1\$" \
    -benchtime "${NOTAVERIFY_BENCH_GOTIME:-1s}") | awk '/^BenchmarkVerify\// { for (i = 1; i < NF; i++) if ($(i + 1) == "ns/op") print $i }'
}
rust_ns() { # case -> criterion's mean of one cold run
  (cd "$root" && NOTAVERIFY_BENCH_DIR="$data" cargo bench -p notaverify-benches --bench interop -- \
    "^interop/verify/$1\$" >/dev/null 2>&1)
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"]["point_estimate"])' \
    "$target_dir/criterion/interop_verify/$1/new/estimates.json"
}

echo "| case | notation-go ns/verify (each round) | notaverify cold ns/verify (each round) | fastest: notation-go / notaverify |"
echo "|---|---|---|---:|"
for case in "$@"; do
  gos=() rusts=()
  for _ in $(seq "$rounds"); do
    gos+=("$(go_ns "$case")")
    rusts+=("$(rust_ns "$case")")
  done
  python3 - "$case" "${gos[*]}" "${rusts[*]}" <<'PY'
import sys
case, go, rust = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
fmt = lambda xs: ", ".join(f"{x:,.0f}" for x in xs)
print(f"| {case} | {fmt(go)} | {fmt(rust)} | {min(go) / min(rust):.2f}x |")
PY
done
