#!/usr/bin/env bash
# Side-by-side benchmark: notation-go's verifier (Go benchmark, bench_test.go) and notaverify
# (criterion, benches/benches/interop.rs) over the same envelopes, interop/bench/data (override
# with NOTAVERIFY_BENCH_DIR). Runs both, one after the other, and prints per case:
# ns/verify notation-go, then for notaverify cold (no caches) and as a scanner (default caches,
# the signer's chain seen before) ns/verify and the ratio notation-go / notaverify (> 1 =
# notaverify faster), with geometric means and the targets: cold every row >= 2x and mean >= 4.5x,
# scanner mean >= 10x.
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
rm -rf "$target_dir/criterion/interop_verify" "$target_dir/criterion/interop_scan"
echo "+ NOTAVERIFY_BENCH_DIR=$data cargo bench -p notaverify-benches --bench interop"
(cd "$root" && NOTAVERIFY_BENCH_DIR="$data" cargo bench -p notaverify-benches --bench interop) | tee "$out/rust.txt"

python3 - "$out/go.txt" "$target_dir/criterion" <<'PY'
import json, math, os, re, sys
go = {}
for line in open(sys.argv[1]):
    m = re.match(r'^BenchmarkVerify/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
    if m:
        go[m.group(1)] = float(m.group(2))

def criterion(group):
    crit = os.path.join(sys.argv[2], group)
    means = {}
    for case in sorted(os.listdir(crit)) if os.path.isdir(crit) else []:
        est = os.path.join(crit, case, "new", "estimates.json")
        if os.path.isfile(est):
            means[case] = json.load(open(est))["mean"]["point_estimate"]
    return means

cold, scan = criterion("interop_verify"), criterion("interop_scan")
cases = sorted(set(go) | set(cold) | set(scan),
               key=lambda c: (c.split("-")[0][:3], int(re.sub(r"\D", "", c.split("-")[0]) or 0), c))
print()
print("| case | notation-go ns/verify | notaverify cold ns/verify | cold ratio | notaverify scanner ns/verify | scanner ratio |")
print("|---|---:|---:|---:|---:|---:|")
ratios = {"cold": [], "scanner": []}
fmt = lambda v: f"{v:,.0f}" if v else "missing"
for c in cases:
    g, r, s = go.get(c), cold.get(c), scan.get(c)
    cells = []
    for name, v in (("cold", r), ("scanner", s)):
        if g and v:
            ratios[name].append(g / v)
            cells.append(f"{g / v:.2f}x")
        else:
            cells.append("n/a")
    print(f"| {c} | {fmt(g)} | {fmt(r)} | {cells[0]} | {fmt(s)} | {cells[1]} |")
geo = {k: math.exp(sum(math.log(x) for x in v) / len(v)) if v else float("nan") for k, v in ratios.items()}
print(f"| geometric mean | | | {geo['cold']:.2f}x | | {geo['scanner']:.2f}x |")
print()
met = lambda ok: "met" if ok else "NOT MET"
low = min(ratios["cold"], default=float("nan"))
print(f"cold: every row >= 2x: {met(low >= 2)} (lowest {low:.2f}x); geometric mean >= 4.5x: {met(geo['cold'] >= 4.5)} ({geo['cold']:.2f}x)")
print(f"scanner: geometric mean >= 10x: {met(geo['scanner'] >= 10)} ({geo['scanner']:.2f}x)")
missing = [c for c in cases if c not in go or c not in cold or c not in scan]
if missing:
    print(f"missing on one side: {missing}", file=sys.stderr)
    sys.exit(1)
PY
