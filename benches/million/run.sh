#!/usr/bin/env bash
# Million-artifact scan bench (not a timed test): the scan of batch files of N artifacts
# (benches/million/generate.py), its output read through a pipe, counted and dropped, run two ways:
#
#   cli     the release build's `notaverify scan --batch FILE -o json`
#   python  `Verifier.scan` in Python (benches/million/scan.py), printing the same lines, with the
#           interpreter $PYTHON_SCAN (default: the venv bindings-python/run-tests.sh makes), whose
#           notaverify package must be installed (run-tests.sh does it); the rows are skipped,
#           saying so, when it cannot import notaverify
#
# For each way and N: wall time, CPU time (user + system) and the peak RSS of the scanning process,
# then, largest N against smallest, the per-artifact wall time and the peak RSS, each held to
# <= 1.2 (throughput linear in the artifacts, memory flat).
#
# The peak RSS is what GNU time (/usr/bin/time, %M) reads for its child: the scan forked from a
# small process. The rusage of a process this script starts itself would not do: Linux carries the
# peak RSS of the address space a process replaces at exec into its own, so a child of Python
# reports at least Python's peak (vfork shares it) - the measuring script's memory, which grows
# as it reads the output.
#
#   benches/million/run.sh [N ...]     (default 100000 1000000; inputs in $BENCH_DIR,
#                                       default target/bench-million, generated once)
#
# The scans run with the nice value of this script: on a shared machine run it as
# `nice benches/million/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${BENCH_DIR:-target/bench-million}
python_scan=${PYTHON_SCAN:-bindings-python/.venv/bin/python}
if [ $# -eq 0 ]; then set -- 100000 1000000; fi
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed to read the peak RSS" >&2; exit 2; }
cargo build --quiet --release --locked -p notaverify-cli
mkdir -p "$dir"
for n in "$@"; do
    [ -f "$dir/batch-$n.jsonl" ] || python3 benches/million/generate.py "$dir/batch-$n.jsonl" "$n"
done
python3 - "$dir" "$python_scan" "$@" <<'EOF_PY'
import json, os, subprocess, sys, tempfile, time

d, python_scan, sizes = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]]
fixtures = "cli/tests/fixtures/scan"
config, policy = f"{fixtures}/config", f"{fixtures}/policies/rotation.json"

def command(way, batch):
    if way == "cli":
        return ["target/release/notaverify", "scan", "--config-dir", config, "--trust-policy", policy,
                "--at", "2025-07-01T00:00:00Z", "--no-progress", "-o", "json", "--batch", batch]
    return [python_scan, "benches/million/scan.py", config, policy, batch]

def scan(way, n):
    with tempfile.NamedTemporaryFile("r") as rss_file:
        args = ["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + command(way, f"{d}/batch-{n}.jsonl")
        start = time.perf_counter()
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines, tail = 0, b""
        # Read as it comes (the scan writes each chunk's lines at once): count, keep the last line.
        while block := p.stdout.read(1 << 16):
            lines += block.count(b"\n")
            tail = (tail + block)[-(1 << 16):]
        stderr = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{way}: exit {code}: {stderr.decode()[-2000:]}")
        peak_kib = int(rss_file.read().split()[-1])
    summary = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])["summary"]
    if summary["total"] != n or lines != n + 1:
        sys.exit(f"{way}, {n} artifacts: the summary counts {summary['total']}, {lines} lines written")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": peak_kib * 1024,
            "us": summary["microsecondsPerArtifact"], "out": summary["outOfPolicy"]}

ways = ["cli"]
probe = subprocess.run([python_scan, "-c", "import notaverify"], capture_output=True)
if probe.returncode == 0:
    ways.append("python")
else:
    print(f"python: skipped ({python_scan} cannot import notaverify; run bindings-python/run-tests.sh "
          "or set PYTHON_SCAN)")
for way in ways:
    runs = {}
    for n in sizes:
        r = runs[n] = scan(way, n)
        print(f"{way:>6} {n:>9,} artifacts: {r['wall']:8.2f} s wall ({r['wall'] / n * 1e6:6.1f} µs per artifact), "
              f"{r['cpu']:8.2f} s CPU, peak RSS {r['rss'] / 2**20:6.1f} MiB; "
              f"summary: {r['us']:.1f} µs per artifact verifying, {r['out']:,} out of policy", flush=True)
    small, large = min(sizes), max(sizes)
    if small != large:
        a, b = runs[small], runs[large]
        cost = (b["wall"] / large) / (a["wall"] / small)
        rss = b["rss"] / a["rss"]
        print(f"{way:>6} {large:,} against {small:,}: per-artifact wall time {cost:.3f} "
              f"(target <= 1.20: {'met' if cost <= 1.2 else 'NOT met'}), "
              f"per-artifact CPU {(b['cpu'] / large) / (a['cpu'] / small):.3f}, "
              f"peak RSS {rss:.3f} (target <= 1.20: {'met' if rss <= 1.2 else 'NOT met'})", flush=True)
EOF_PY
