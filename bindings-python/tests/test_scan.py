"""Verifier.scan over the CLI's scan fixtures (cli/tests/fixtures/scan): every artifact line and
the summary are those of `notaverify scan -o json` on the same input (the CLI binary from
NOTAVERIFY_CLI), the typed results, progress, and bad input raising before anything is
verified."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Optional

import pytest

import notaverify
from conftest import REPO

SCAN = REPO / "cli" / "tests" / "fixtures" / "scan"
JULY = "2025-07-01T00:00:00Z"
OCTOBER = "2025-10-01T00:00:00Z"
LAYOUTS = [(f"layouts/{name}", f"registry.example/{name}") for name in ("app", "legacy", "batchjobs", "vendor")]
# Members of the CLI's summary line that Verifier.scan does not give: the timing (never the same
# twice), and what only the CLI adds (warn mode, its per-source roll-up).
NOT_COMPARED = ("elapsedSeconds", "microsecondsPerArtifact", "warnOnly", "sources")


@pytest.fixture(scope="module")
def verifier() -> notaverify.Verifier:
    policy = notaverify.TrustPolicy.from_file(SCAN / "policies" / "rotation.json")
    return notaverify.Verifier(policy, notaverify.TrustStore.from_config_dir(SCAN / "config"))


@pytest.fixture(autouse=True)
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths relative to the fixtures, as the CLI is run there: the `source` members agree."""
    monkeypatch.chdir(SCAN)


def cli(*args: str) -> tuple[int, list[str]]:
    """`notaverify scan ... -o json` in the fixtures: its exit status and stdout lines."""
    binary = os.environ.get("NOTAVERIFY_CLI")
    if not binary:
        pytest.skip("NOTAVERIFY_CLI is not set (bindings-python/run-tests.sh sets it)")
    command = [binary, "scan", "--config-dir", "config", "--trust-policy", "policies/rotation.json"]
    command += ["--no-progress", "--jobs", "2", "-o", "json", *args]
    run = subprocess.run(command, cwd=SCAN, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    return run.returncode, run.stdout.splitlines()


def without(summary_line: str, members: tuple[str, ...]) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(summary_line)["summary"]
    return {k: v for k, v in summary.items() if k not in members}


def rollout(
    exceptions: Optional[str], retired: Optional[str]
) -> tuple[list[str], dict[str, Any]]:
    """The CLI arguments and the scan keywords of the rollout files."""
    args: list[str] = []
    kwargs: dict[str, Any] = {}
    if exceptions:
        args += ["--exceptions", exceptions]
        kwargs["exceptions"] = notaverify.Exceptions.from_file(exceptions)
    if retired:
        args += ["--retired", retired]
        kwargs["retired"] = notaverify.RetiredMaterial.from_file(retired, config_dir="config")
    return args, kwargs


@pytest.mark.parametrize("at", [JULY, OCTOBER])
@pytest.mark.parametrize(
    ("exceptions", "retired"),
    [(None, None), ("exceptions.json", None), ("exceptions.json", "retired.json"), (None, "retired-leaf.json")],
)
def test_lines_and_summary_are_the_clis(
    verifier: notaverify.Verifier, at: str, exceptions: Optional[str], retired: Optional[str]
) -> None:
    args, kwargs = rollout(exceptions, retired)
    layout_args = [a for d, s in LAYOUTS for a in ("--oci-layout", d, "--scope", s)]
    status, lines = cli("--at", at, *layout_args, "--batch", "batch.jsonl", *args)
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=at, threads=2, **kwargs)
    artifacts = list(scan)
    assert [a.to_json() for a in artifacts] == lines[:-1]
    summary = scan.summary
    assert summary is not None
    assert without(summary.to_json(), NOT_COMPARED) == without(lines[-1], NOT_COMPARED)
    assert summary.exit_status == status
    assert (summary.total, summary.out_of_policy) == (len(artifacts), sum(not a.in_policy for a in artifacts))


def test_typed_results(verifier: notaverify.Verifier) -> None:
    exceptions = notaverify.Exceptions.from_file("exceptions.json")
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=JULY, exceptions=exceptions)
    assert scan.summary is None
    artifacts = list(scan)
    assert len(artifacts) == scan.total
    by_class = {a.class_ for a in artifacts}
    assert {"verified", "unsigned", "unknownSigner", "excepted"} <= by_class
    for a in artifacts:
        line = json.loads(a.to_json())
        assert (a.reference, a.class_, a.in_policy) == (line["reference"], line["class"], line["inPolicy"])
        assert (a.repository, a.source, a.tags) == (line["repository"], line["source"], line.get("tags", []))
        assert a.classification.class_ == a.class_
        assert [s.sha256_fingerprint if s else None for s in a.signers] == [
            s["signer"]["sha256Fingerprint"] if s["signer"] else None for s in line["signatures"]
        ]
    summary = scan.summary
    assert summary is not None and isinstance(summary, notaverify.ScanSummary)
    assert sum(summary.counts.values()) == summary.total == summary.in_policy + summary.out_of_policy
    assert summary.counts["excepted"] == sum(a.class_ == "excepted" for a in artifacts)
    assert summary.at == JULY and summary.exit_status == 1
    assert list(scan) == []


def test_progress_is_reported_up_to_the_total(verifier: notaverify.Verifier) -> None:
    calls: list[tuple[int, int]] = []
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=JULY, on_progress=lambda done, total: calls.append((done, total)))
    count = sum(1 for _ in scan)
    assert calls and calls[-1] == (count, count)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_an_exception_in_on_progress_stops_the_scan(verifier: notaverify.Verifier) -> None:
    def fail(done: int, total: int) -> None:
        raise RuntimeError("stop here")

    scan = verifier.scan(LAYOUTS, at=JULY, on_progress=fail)
    with pytest.raises(RuntimeError, match="stop here"):
        list(scan)
    assert scan.summary is None and list(scan) == []


def test_bad_input_raises_before_anything_is_verified(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    with pytest.raises(notaverify.NotaverifyError, match="missing.jsonl"):
        verifier.scan(batches=["missing.jsonl"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"reference": "registry.example/app@sha256:00", "signatures": ["nowhere.jws"]}\n')
    with pytest.raises(notaverify.NotaverifyError, match="line 1"):
        verifier.scan(batches=[bad])
    with pytest.raises(notaverify.InvalidInputError, match="nothing to scan"):
        verifier.scan()
    with pytest.raises(notaverify.InvalidInputError, match="registry/repository"):
        verifier.scan([("layouts/app", "")])
    with pytest.raises(notaverify.InvalidInputError, match="none of the inputs"):
        verifier.scan(LAYOUTS, only=["registry.example/nothing"])
    with pytest.raises(notaverify.InvalidInputError, match="threads"):
        verifier.scan(LAYOUTS, threads=0)


def test_closed_early_yields_nothing_more(verifier: notaverify.Verifier) -> None:
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=JULY)
    first = next(scan)
    assert isinstance(first, notaverify.ScannedArtifact)
    scan.close()
    assert list(scan) == [] and scan.summary is None


def test_only_and_tagged_only(verifier: notaverify.Verifier) -> None:
    only = list(verifier.scan(LAYOUTS, ["batch.jsonl"], at=JULY, only=["registry.example/app"]))
    assert only and {a.repository for a in only} == {"registry.example/app"}
    tagged = list(verifier.scan(LAYOUTS, at=JULY, tagged_only=True))
    assert tagged and all(a.tags for a in tagged)
