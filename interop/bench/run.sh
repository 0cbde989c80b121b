#!/usr/bin/env bash
# Side-by-side benchmark: notation-go's verifier (Go benchmark, bench_test.go) and notaverify
# (criterion, benches/benches/interop.rs) over the same envelopes, interop/bench/data (override
# with NOTAVERIFY_BENCH_DIR). Runs both, one after the other, and prints per case:
# ns/verify notation-go, ns/verify notaverify, ratio (notation-go / notaverify; > 1 = notaverify faster).
# NOTAVERIFY_BENCH_GOTIME: go -benchtime (default 1s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(cd "${NOTAVERIFY_BENCH_DIR:-$here/data}" && pwd)"
command -v go >/dev/null || { echo "bench: go is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is required for the table" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cpu(s), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(rustc --version)"
echo "data: $data ($(find "$data/cases" -name case.json | wc -l) cases)"

echo "+ (cd $here && NOTAVERIFY_BENCH_DIR=$data go test -run '^\$' -bench . -benchtime ${NOTAVERIFY_BENCH_GOTIME:-1s})"
(cd "$here" && NOTAVERIFY_BENCH_DIR="$data" go test -run '^$' -bench . -benchtime "${NOTAVERIFY_BENCH_GOTIME:-1s}") | tee "$out/go.txt"

target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
rm -rf "$target_dir/criterion/interop_verify"
echo "+ NOTAVERIFY_BENCH_DIR=$data cargo bench -p notaverify-benches --bench interop"
(cd "$root" && NOTAVERIFY_BENCH_DIR="$data" cargo bench -p notaverify-benches --bench interop) | tee "$out/rust.txt"

python3 - "$out/go.txt" "$target_dir/criterion/interop_verify" <<'PY'
import json, os, re, sys
go = {}
for line in open(sys.argv[1]):
    m = re.match(r'^BenchmarkVerify/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
    if m:
        go[m.group(1)] = float(m.group(2))
crit = sys.argv[2]
rust = {}
for case in sorted(os.listdir(crit)) if os.path.isdir(crit) else []:
    est = os.path.join(crit, case, "new", "estimates.json")
    if os.path.isfile(est):
        rust[case] = json.load(open(est))["mean"]["point_estimate"]
cases = sorted(set(go) | set(rust), key=lambda c: (c.split("-")[0][:3], int(re.sub(r"\D", "", c.split("-")[0]) or 0), c))
print()
print("| case | notation-go ns/verify | notaverify ns/verify | ratio (go / notaverify) |")
print("|---|---:|---:|---:|")
ratios = []
for c in cases:
    g, r = go.get(c), rust.get(c)
    ratio = f"{g / r:.2f}x" if g and r else "n/a"
    if g and r:
        ratios.append(g / r)
    fmt = lambda v: f"{v:,.0f}" if v else "missing"
    print(f"| {c} | {fmt(g)} | {fmt(r)} | {ratio} |")
if ratios:
    import math
    geo = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
    print(f"| geometric mean | | | {geo:.2f}x |")
missing = [c for c in cases if c not in go or c not in rust]
if missing:
    print(f"missing on one side: {missing}", file=sys.stderr)
    sys.exit(1)
PY
