#!/usr/bin/env bash
# Million-artifact `scan --batch` bench (not a timed test): the release-build scan of batch files
# of N artifacts (benches/million/generate.py), `-o json`, its output counted through a pipe and
# dropped. For each N: wall time, CPU time (user + system) and peak RSS of the scan process
# (wait4's ru_maxrss), the output lines, and the summary's own microsecondsPerArtifact (the
# verification alone). Then, largest N against smallest: per-artifact wall time and peak RSS,
# each held to <= 1.2 (throughput linear in the artifacts, memory flat).
#
#   benches/million/run.sh [N ...]     (default 100000 1000000; inputs in $BENCH_DIR,
#                                       default target/bench-million, generated once)
#
# The scan runs with the nice value of this script: on a shared machine run it as
# `nice benches/million/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BENCH_DIR:-target/bench-million}
if [ $# -eq 0 ]; then set -- 100000 1000000; fi
cargo build --quiet --release --locked -p notaverify-cli
mkdir -p "$dir"
for n in "$@"; do
    [ -f "$dir/batch-$n.jsonl" ] || python3 benches/million/generate.py "$dir/batch-$n.jsonl" "$n"
done
python3 - "$dir" "$@" <<'EOF'
import json, os, subprocess, sys, time

d, sizes = sys.argv[1], [int(n) for n in sys.argv[2:]]
fixtures = "cli/tests/fixtures/scan"

def scan(n):
    args = ["target/release/notaverify", "scan", "--config-dir", f"{fixtures}/config",
            "--trust-policy", f"{fixtures}/policies/rotation.json", "--at", "2025-07-01T00:00:00Z",
            "--no-progress", "-o", "json", "--batch", f"{d}/batch-{n}.jsonl"]
    start = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines, last, tail = 0, b"", b""
    # Read as it comes (the scan writes each chunk's lines at once): count, keep the last line.
    while block := p.stdout.read(1 << 20):
        lines += block.count(b"\n")
        tail = (tail + block)[-(1 << 20):]
    stderr = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"exit {code}: {stderr.decode()[-2000:]}")
    summary = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])["summary"]
    if summary["total"] != n or lines != n + 1:
        sys.exit(f"{n} artifacts: the summary counts {summary['total']}, {lines} lines written")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024,
            "us": summary["microsecondsPerArtifact"], "out": summary["outOfPolicy"]}

runs = {}
for n in sizes:
    r = runs[n] = scan(n)
    print(f"{n:>9,} artifacts: {r['wall']:8.2f} s wall ({r['wall'] / n * 1e6:6.1f} µs per artifact), "
          f"{r['cpu']:8.2f} s CPU, peak RSS {r['rss'] / 2**20:6.1f} MiB; "
          f"summary: {r['us']:.1f} µs per artifact verifying, {r['out']:,} out of policy", flush=True)
small, large = min(sizes), max(sizes)
if small != large:
    a, b = runs[small], runs[large]
    cost = (b["wall"] / large) / (a["wall"] / small)
    rss = b["rss"] / a["rss"]
    print(f"{large:,} against {small:,}: per-artifact wall time {cost:.3f} "
          f"(target <= 1.20: {'met' if cost <= 1.2 else 'NOT met'}), "
          f"per-artifact CPU {(b['cpu'] / large) / (a['cpu'] / small):.3f}, "
          f"peak RSS {rss:.3f} (target <= 1.20: {'met' if rss <= 1.2 else 'NOT met'})")
EOF
