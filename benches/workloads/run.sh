#!/usr/bin/env bash
# `scan --workloads` bench (not a timed test): the same release-build scan of 10,000 artifacts
# (with --exceptions, --retired and --report, as in docs/rollout.md) without workloads and with
# 50,000 deployed workload containers (benches/workloads/generate.py) in two shapes:
#
#   json   the containers as JSON exports, what automated posture pipelines produce:
#          kubectl -o json (cluster-a.json, cluster-b.json) and az containerapp list -o json
#          (containerapps.json). Target: wall time with / without <= 1.2.
#   mixed  the same with cluster-b as multi-document YAML manifests (cluster-b.yaml) instead of
#          cluster-b.json: the same containers, so the same output; reported with its ratio.
#
# Run alternately ROUNDS times (the order rotated every round), wall time (and CPU time, user +
# system) of each process measured; prints the medians and their ratios.
#
#   benches/workloads/run.sh [ROUNDS]      (default 7; inputs in $BENCH_DIR, default target/bench-workloads)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-7}
dir=${BENCH_DIR:-target/bench-workloads}
cargo build --quiet --release --locked -p notaverify-cli
[ -f "$dir/cluster-b.json" ] || python3 benches/workloads/generate.py "$dir"
python3 - "$rounds" "$dir" <<'EOF'
import json, resource, statistics, subprocess, sys, time

rounds, d = int(sys.argv[1]), sys.argv[2]
scan = ["target/release/notaverify", "scan", "--config-dir", "cli/tests/fixtures/scan/config",
        "--trust-policy", f"{d}/policy.json", "--at", "2025-07-01T00:00:00Z", "--no-progress",
        "-o", "json", "--batch", f"{d}/batch.jsonl", "--exceptions", f"{d}/exceptions.json",
        "--retired", "cli/tests/fixtures/scan/retired.json", "--report", f"{d}/report.html"]

def workloads(cluster_b):
    return ["--workloads", f"{d}/cluster-a.json", "--workloads-source", "cluster-a",
            "--workloads", f"{d}/{cluster_b}", "--workloads-source", "cluster-b",
            "--workloads", f"{d}/containerapps.json", "--workloads-source", "subscription-apps"]

runs = {"without": scan, "json": scan + workloads("cluster-b.json"), "mixed": scan + workloads("cluster-b.yaml")}

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

def without_timing(out):
    lines = out.splitlines()
    summary = json.loads(lines[-1])
    for key in ("elapsedSeconds", "microsecondsPerArtifact"):
        summary["summary"].pop(key, None)
    return lines[:-1], summary

# One checked run of each: what the scan reports, and the same output from both shapes.
plain = once(runs["without"])[2]
full = once(runs["json"])[2]
mixed = once(runs["mixed"])[2]
summary = json.loads(full.splitlines()[-1])["summary"]
print(f"artifacts: {summary['total']}, workload containers: {summary['workloads']['total']} "
      f"({summary['workloads']['counts']['notScanned']} notScanned), "
      f"output lines {len(plain.splitlines())} / {len(full.splitlines())}, "
      f"json and mixed outputs {'identical' if without_timing(full) == without_timing(mixed) else 'DIFFERENT'}")

times = {name: [] for name in runs}
cpus = {name: [] for name in runs}
names = list(runs)
for r in range(rounds):
    order = names[r % len(names):] + names[:r % len(names)]
    for name in order:
        wall, used, _ = once(runs[name])
        times[name].append(wall)
        cpus[name].append(used)
    print(f"round {r + 1}: " + ", ".join(f"{name} {times[name][-1]:.3f} s ({cpus[name][-1]:.2f} s CPU)" for name in names),
          flush=True)
wall = {name: statistics.median(v) for name, v in times.items()}
used = {name: statistics.median(v) for name, v in cpus.items()}
print(f"median without --workloads:      {wall['without']:.3f} s wall, {used['without']:.2f} s CPU")
for name, label in (("json", "JSON exports"), ("mixed", "mixed JSON+YAML")):
    ratio = wall[name] / wall["without"]
    target = f" (target <= 1.20: {'met' if ratio <= 1.2 else 'NOT met'})" if name == "json" else ""
    print(f"median with {label + ':':17} {wall[name]:.3f} s wall, {used[name]:.2f} s CPU; "
          f"ratio {ratio:.3f} wall{target}, {used[name] / used['without']:.3f} CPU")
EOF
