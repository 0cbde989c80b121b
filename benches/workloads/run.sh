#!/usr/bin/env bash
# `scan --workloads` bench (not a timed test): the same release-build scan of 10,000 artifacts
# (with --exceptions, --retired and --report, as in docs/rollout.md) with and without 50,000
# deployed workload containers (benches/workloads/generate.py), run
# alternately ROUNDS times (the order swapped every round), wall time (and CPU time, user +
# system) of each process measured; prints the medians and their ratios. Target: wall time
# with / without <= 1.2.
#
#   benches/workloads/run.sh [ROUNDS]      (default 7; inputs in $BENCH_DIR, default target/bench-workloads)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-7}
dir=${BENCH_DIR:-target/bench-workloads}
cargo build --quiet --release --locked -p notaverify-cli
[ -f "$dir/exceptions.json" ] || python3 benches/workloads/generate.py "$dir"
python3 - "$rounds" "$dir" <<'EOF'
import json, resource, statistics, subprocess, sys, time

rounds, d = int(sys.argv[1]), sys.argv[2]
scan = ["target/release/notaverify", "scan", "--config-dir", "cli/tests/fixtures/scan/config",
        "--trust-policy", f"{d}/policy.json", "--at", "2025-07-01T00:00:00Z", "--no-progress",
        "-o", "json", "--batch", f"{d}/batch.jsonl", "--exceptions", f"{d}/exceptions.json",
        "--retired", "cli/tests/fixtures/scan/retired.json", "--report", f"{d}/report.html"]
workloads = ["--workloads", f"{d}/cluster-a.json", "--workloads-source", "cluster-a",
             "--workloads", f"{d}/cluster-b.yaml", "--workloads-source", "cluster-b",
             "--workloads", f"{d}/containerapps.json", "--workloads-source", "subscription-apps"]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def once(args):
    start, start_cpu = time.perf_counter(), cpu()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed, used = time.perf_counter() - start, cpu() - start_cpu
    if p.returncode not in (0, 1):
        sys.exit(f"exit {p.returncode}: {p.stderr.decode()[-2000:]}")
    return elapsed, used, p.stdout

# One checked run of each: what the scan reports.
plain = once(scan)[2]
full = once(scan + workloads)[2]
summary = json.loads(full.splitlines()[-1])["summary"]
print(f"artifacts: {summary['total']}, workload containers: {summary['workloads']['total']} "
      f"({summary['workloads']['counts']['notScanned']} notScanned), "
      f"output lines {len(plain.splitlines())} / {len(full.splitlines())}")

times = {"without": [], "with": []}
cpus = {"without": [], "with": []}
for r in range(rounds):
    order = [("without", scan), ("with", scan + workloads)]
    for name, args in (order if r % 2 == 0 else order[::-1]):
        wall, used, _ = once(args)
        times[name].append(wall)
        cpus[name].append(used)
    print(f"round {r + 1}: without {times['without'][-1]:.3f} s ({cpus['without'][-1]:.2f} s CPU), "
          f"with {times['with'][-1]:.3f} s ({cpus['with'][-1]:.2f} s CPU)", flush=True)
a, b = statistics.median(times["without"]), statistics.median(times["with"])
ca, cb = statistics.median(cpus["without"]), statistics.median(cpus["with"])
print(f"median without --workloads: {a:.3f} s wall, {ca:.2f} s CPU")
print(f"median with --workloads:    {b:.3f} s wall, {cb:.2f} s CPU")
print(f"ratio: {b / a:.3f} wall (target <= 1.20: {'met' if b / a <= 1.2 else 'NOT met'}), {cb / ca:.3f} CPU")
EOF
