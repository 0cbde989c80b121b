#!/usr/bin/env bash
# Side-by-side benchmark: notation-go's verifier (Go benchmark, bench_test.go) and notaverify
# (criterion, benches/benches/interop.rs) over the same envelopes, interop/bench/data (override
# with NOTAVERIFY_BENCH_DIR). Prints per case: ns/verify notation-go, then for notaverify cold
# (no caches) and as a scanner (default caches, the signer's chain seen before) ns/verify and the
# ratio notation-go / notaverify (> 1 = notaverify faster), with geometric means and the
# targets: cold every row >= 2x and mean >= 4.5x, scanner mean >= 10x.
#
# The machine is shared and noisy: its speed drifts by 10-30 % over minutes and a single run of
# either side moves by as much. So the two sides are paired case by case: in every round each
# case is measured by notation-go and by notaverify one right after the other (which goes first
# alternates by round and by case), the ratio is taken within that pair, and a case's ratio is
# the median of its ROUNDS pairs (its ns/verify figures are each side's median). Every pair's
# cold ratio is printed as it is measured.
#
#   interop/bench/run.sh [ROUNDS] [CASE...]     (default 5 rounds, every case)
#   e.g. interop/bench/run.sh 9 p256-c2-ok-cose p256-c2-ok-jws
#
# NOTAVERIFY_BENCH_GOTIME: go -benchtime (default 1s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(cd "${NOTAVERIFY_BENCH_DIR:-$here/data}" && pwd)"
rounds=5
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
(( rounds > 0 )) || { echo "usage: $0 [ROUNDS] [CASE...]" >&2; exit 2; }
command -v go >/dev/null || { echo "bench: go is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is required for the table" >&2; exit 1; }
if [ $# -gt 0 ]; then
  cases=("$@")
else
  mapfile -t cases < <(find "$data/cases" -name case.json -printf '%h\n' | xargs -n1 basename | sort)
fi
for c in "${cases[@]}"; do
  [[ "$c" =~ ^[a-z0-9-]+$ && -f "$data/cases/$c/case.json" ]] || { echo "bench: no case $c under $data/cases" >&2; exit 2; }
done
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cpu(s), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(rustc --version)"
echo "data: $data (${#cases[@]} cases), $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Both benchmarks built once; each pair then runs the two binaries directly.
(cd "$here" && go test -c -o "$out/bench.test")
rust_bench="$(cd "$root" && cargo bench -p notaverify-benches --bench interop --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "interop":
        print(m["executable"])')"
[ -x "$rust_bench" ] || { echo "bench: the interop criterion bench did not build" >&2; exit 1; }
export NOTAVERIFY_BENCH_DIR="$data" CRITERION_HOME="$out/criterion"
echo "+ (cd $here && go test -run '^\$' -bench '^BenchmarkVerify\$/^CASE\$' -benchtime ${NOTAVERIFY_BENCH_GOTIME:-1s})"
echo "+ cargo bench -p notaverify-benches --bench interop -- '^interop/(verify|scan)/CASE\$'"

go_side() { # case: notation-go ns/verify
  (cd "$here" && "$out/bench.test" -test.run '^$' -test.bench "^BenchmarkVerify\$/^$1\$" -test.benchtime "${NOTAVERIFY_BENCH_GOTIME:-1s}") |
    sed -nE "s/^BenchmarkVerify\/$1(-[0-9]+)?[[:space:]]+[0-9]+[[:space:]]+([0-9.]+) ns\/op.*/\2/p"
}
rust_side() { # case: notaverify cold and scanner ns/verify (criterion means)
  rm -rf "$CRITERION_HOME"
  if ! "$rust_bench" --bench "^interop/(verify|scan)/$1\$" >"$out/rust.txt" 2>&1; then
    cat "$out/rust.txt" >&2
    exit 1
  fi
  for group in interop_verify interop_scan; do
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"]["point_estimate"])' \
      "$CRITERION_HOME/$group/$1/new/estimates.json"
  done | paste -sd' '
}

: >"$out/pairs.txt"
for r in $(seq "$rounds"); do
  i=0
  for c in "${cases[@]}"; do
    if (( (r + i) % 2 )); then g="$(go_side "$c")"; rs="$(rust_side "$c")"; else rs="$(rust_side "$c")"; g="$(go_side "$c")"; fi
    [ -n "$g" ] || { echo "bench: no notation-go figure for $c" >&2; exit 1; }
    read -r cold scan <<<"$rs"
    echo "$r $c $g $cold $scan" >>"$out/pairs.txt"
    python3 -c 'import sys; r, c, g, cold, scan = sys.argv[1:]; g, cold, scan = map(float, (g, cold, scan))
print(f"round {r} {c}: notation-go {g:,.0f} ns, cold {cold:,.0f} ns ({g / cold:.2f}x), scanner {scan:,.0f} ns ({g / scan:.2f}x)")' \
      "$r" "$c" "$g" "$cold" "$scan"
    i=$((i + 1))
  done
done

python3 - "$out/pairs.txt" "$rounds" <<'PY'
import math, re, statistics, sys
rounds = int(sys.argv[2])
pairs = {}
for line in open(sys.argv[1]):
    _, case, g, cold, scan = line.split()
    pairs.setdefault(case, []).append((float(g), float(cold), float(scan)))
cases = sorted(pairs, key=lambda c: (c.split("-")[0][:3], int(re.sub(r"\D", "", c.split("-")[0]) or 0), c))
med = statistics.median
print()
print(f"{rounds} rounds; each case's notation-go and notaverify runs paired within a round; "
      "ratio = median of the pairs' ratios, ns/verify = each side's median")
print()
print("| case | notation-go ns/verify | notaverify cold ns/verify | cold ratio (pairs' range) | notaverify scanner ns/verify | scanner ratio |")
print("|---|---:|---:|---:|---:|---:|")
ratios = {"cold": [], "scanner": []}
for c in cases:
    p = pairs[c]
    cold = [g / r for g, r, _ in p]
    scan = [g / s for g, _, s in p]
    ratios["cold"].append(med(cold))
    ratios["scanner"].append(med(scan))
    print(f"| {c} | {med(g for g, _, _ in p):,.0f} | {med(r for _, r, _ in p):,.0f} | "
          f"{med(cold):.2f}x ({min(cold):.2f}-{max(cold):.2f}) | {med(s for _, _, s in p):,.0f} | {med(scan):.2f}x |")
geo = {k: math.exp(sum(math.log(x) for x in v) / len(v)) for k, v in ratios.items()}
print(f"| geometric mean | | | {geo['cold']:.2f}x | | {geo['scanner']:.2f}x |")
print()
met = lambda ok: "met" if ok else "NOT MET"
low = min(ratios["cold"])
print(f"cold: every row >= 2x: {met(low >= 2)} (lowest {low:.2f}x); geometric mean >= 4.5x: {met(geo['cold'] >= 4.5)} ({geo['cold']:.2f}x)")
print(f"scanner: geometric mean >= 10x: {met(geo['scanner'] >= 10)} ({geo['scanner']:.2f}x)")
PY
