#!/usr/bin/env bash
# Side-by-side benchmark: notation-go's verifier (Go benchmark, bench_test.go) and notaverify
# (criterion, benches/benches/interop.rs) over the same envelopes, interop/bench/data (override
# with NOTAVERIFY_BENCH_DIR). Prints per case: ns/verify notation-go, then for notaverify cold
# (no caches) and as a scanner (default caches, the signer's chain seen before) ns/verify and the
# ratio notation-go / notaverify (> 1 = notaverify faster), with geometric means and the
# targets: cold every row >= 2x and mean >= 4.5x, scanner mean >= 10x.
#
# The machine is shared and noisy, and each side takes minutes: a busy minute would land on one
# side only. So the two sides run in ROUNDS alternated rounds (Go first in odd rounds, Rust first
# in even ones), each side's fastest round per case is the one kept (the least disturbed), and
# the lowest cold ratio of every round is printed too.
#
#   interop/bench/run.sh [ROUNDS] [CASE...]     (default 3 rounds, every case)
#   e.g. interop/bench/run.sh 5 p256-c2-ok-cose p256-c2-ok-jws
#
# NOTAVERIFY_BENCH_GOTIME: go -benchtime (default 1s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$(cd "${NOTAVERIFY_BENCH_DIR:-$here/data}" && pwd)"
rounds=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
(( rounds > 0 )) || { echo "usage: $0 [ROUNDS] [CASE...]" >&2; exit 2; }
# The cases as one regular expression for both benchmarks' filters (every case when none given).
cases='.*'
if [ $# -gt 0 ]; then
  for c in "$@"; do [[ "$c" =~ ^[a-z0-9-]+$ ]] || { echo "bench: not a case id: $c" >&2; exit 2; }; done
  cases="($(IFS='|'; echo "$*"))"
fi
command -v go >/dev/null || { echo "bench: go is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is required for the table" >&2; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cpu(s), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), $(rustc --version)"
echo "data: $data ($(find "$data/cases" -name case.json | wc -l) cases), $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"

target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
(cd "$here" && go test -c -o "$out/bench.test")
(cd "$root" && cargo bench -p notaverify-benches --bench interop --no-run 2>&1 | tail -1)

go_round() { # round number: notation-go's benchmark of every case, into $out/go.N.txt
  echo "+ (cd $here && NOTAVERIFY_BENCH_DIR=$data go test -run '^\$' -bench '^BenchmarkVerify\$/^$cases\$' -benchtime ${NOTAVERIFY_BENCH_GOTIME:-1s})   # round $1"
  (cd "$here" && NOTAVERIFY_BENCH_DIR="$data" "$out/bench.test" -test.run '^$' -test.bench "^BenchmarkVerify\$/^$cases\$" \
    -test.benchtime "${NOTAVERIFY_BENCH_GOTIME:-1s}") | tee "$out/go.$1.txt"
}
rust_round() { # round number: criterion's cold and scanner benches of every case, means into $out/rust.N.json
  echo "+ NOTAVERIFY_BENCH_DIR=$data cargo bench -p notaverify-benches --bench interop -- '^interop/(verify|scan)/$cases\$'   # round $1"
  rm -rf "$target_dir/criterion/interop_verify" "$target_dir/criterion/interop_scan"
  if ! (cd "$root" && NOTAVERIFY_BENCH_DIR="$data" cargo bench -p notaverify-benches --bench interop -- "^interop/(verify|scan)/$cases\$" \
      >"$out/rust.$1.txt" 2>"$out/rust.err"); then
    cat "$out/rust.$1.txt" "$out/rust.err" >&2
    exit 1
  fi
  grep -E '^(interop/|\s+time:)' "$out/rust.$1.txt" || true
  python3 - "$target_dir/criterion" "$out/rust.$1.json" <<'PY'
import json, os, sys
means = {}
for group in ("interop_verify", "interop_scan"):
    crit = os.path.join(sys.argv[1], group)
    for case in sorted(os.listdir(crit)) if os.path.isdir(crit) else []:
        est = os.path.join(crit, case, "new", "estimates.json")
        if os.path.isfile(est):
            means.setdefault(group, {})[case] = json.load(open(est))["mean"]["point_estimate"]
json.dump(means, open(sys.argv[2], "w"))
PY
}
for r in $(seq "$rounds"); do
  if (( r % 2 )); then go_round "$r"; rust_round "$r"; else rust_round "$r"; go_round "$r"; fi
done

python3 - "$out" "$rounds" <<'PY'
import json, math, os, re, sys
out, rounds = sys.argv[1], int(sys.argv[2])

def go_round(r):
    means = {}
    for line in open(os.path.join(out, f"go.{r}.txt")):
        m = re.match(r'^BenchmarkVerify/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op', line)
        if m:
            means[m.group(1)] = float(m.group(2))
    return means

def rust_round(r):
    return json.load(open(os.path.join(out, f"rust.{r}.json")))

per_round = [(go_round(r), rust_round(r)) for r in range(1, rounds + 1)]

def fastest(rows):
    best = {}
    for row in rows:
        for case, v in row.items():
            best[case] = min(v, best.get(case, v))
    return best

go = fastest(g for g, _ in per_round)
cold = fastest(r.get("interop_verify", {}) for _, r in per_round)
scan = fastest(r.get("interop_scan", {}) for _, r in per_round)
lowest = []
for g, r in per_round:
    c = r.get("interop_verify", {})
    lowest.append(min(((g[k] / c[k], k) for k in g if k in c), default=(float("nan"), "none")))
cases = sorted(set(go) | set(cold) | set(scan),
               key=lambda c: (c.split("-")[0][:3], int(re.sub(r"\D", "", c.split("-")[0]) or 0), c))
print()
print(f"each side's fastest of {rounds} alternated rounds; lowest cold row of each round: "
      + ", ".join(f"{ratio:.2f}x ({case})" for ratio, case in lowest))
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
