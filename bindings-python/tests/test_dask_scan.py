"""examples/python/dask_scan.py on a 2-worker LocalCluster prints what `notaverify scan --batch
... -o json` prints on the same input (the CLI binary from NOTAVERIFY_CLI): every artifact line,
the summary (but for its timing members) and the exit status, with and without the rollout
files, over the scan fixtures' batch file and a generated one of a few hundred lines cut into
many tasks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

pytest.importorskip("dask.distributed")

SCAN = REPO / "cli" / "tests" / "fixtures" / "scan"
EXAMPLE = REPO / "examples" / "python" / "dask_scan.py"
JULY = "2025-07-01T00:00:00Z"
OCTOBER = "2025-10-01T00:00:00Z"
TIMING = ("elapsedSeconds", "microsecondsPerArtifact")
COMMON = ["--config-dir", "config", "--trust-policy", "policies/rotation.json", "--jobs", "2", "-o", "json"]


def run(command: list[str]) -> tuple[int, list[str], dict[str, Any]]:
    """Exit status, artifact lines and summary (without its timing) of a run in the fixtures."""
    done = subprocess.run(command, cwd=SCAN, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    lines = done.stdout.splitlines()
    summary = json.loads(lines[-1])["summary"]
    return done.returncode, lines[:-1], {k: v for k, v in summary.items() if k not in TIMING}


def compare(args: list[str], dask_only: tuple[str, ...] = ()) -> None:
    cli = os.environ.get("NOTAVERIFY_CLI")
    if not cli:
        pytest.skip("NOTAVERIFY_CLI is not set (bindings-python/run-tests.sh sets it)")
    expected = run([cli, "scan", "--no-progress", *COMMON, *args])
    got = run([sys.executable, str(EXAMPLE), "--workers", "2", *COMMON, *args, *dask_only])
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert got[0] == expected[0]


@pytest.mark.parametrize(
    "rollout",
    [[], ["--exceptions", "exceptions.json", "--retired", "retired.json"]],
    ids=["plain", "rollout"],
)
def test_the_fixtures_batch(rollout: list[str]) -> None:
    compare(["--at", JULY, "--batch", "batch.jsonl", *rollout])


def test_a_few_hundred_lines_in_many_tasks(tmp_path: Path) -> None:
    """Each fixture line many times (signature paths made absolute), blank lines between some:
    line numbers, order and counts must survive the partitioning."""
    lines = [json.loads(line) for line in (SCAN / "batch.jsonl").read_text().splitlines() if line.strip()]
    for line in lines:
        line["signatures"] = [str(SCAN / p) for p in line["signatures"]]
    big = tmp_path / "big.jsonl"
    with big.open("w") as out:
        for i in range(300):
            out.write(json.dumps(lines[i % len(lines)]) + "\n")
            if i % 37 == 0:
                out.write("\n")
    # The batch's repository excepted (unsigned only), beside the fixtures' exceptions.
    exceptions = json.loads((SCAN / "exceptions.json").read_text())
    exceptions["exceptions"].append(
        {"scope": "registry.example/mirror/app", "reason": "r", "owner": "o", "expires": "2025-12-31", "classes": ["unsigned"]}
    )
    excepting = tmp_path / "exceptions.json"
    excepting.write_text(json.dumps(exceptions))
    args = ["--at", OCTOBER, "--batch", str(big), "--exceptions", str(excepting), "--retired", "retired-leaf.json"]
    compare(args, ("--lines-per-task", "40"))
