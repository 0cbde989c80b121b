"""Verifier.scan over the CLI's scan fixtures (cli/tests/fixtures/scan): every artifact line, the
summary and the HTML report (`write_report`) are those of `notaverify scan -o json --report` on
the same input (the CLI binary from NOTAVERIFY_CLI), the typed results, progress, and bad input
raising before anything is verified."""

from __future__ import annotations

import json
import os
import re
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
LAYOUT_ARGS = [a for d, s in LAYOUTS for a in ("--oci-layout", d, "--scope", s)]
# Members of the summary line that differ from run to run: the timing.
NOT_COMPARED = ("elapsedSeconds", "microsecondsPerArtifact")
# The timing in the report's header line ("... artifacts in 0.01 s (85 µs per artifact, 2
# threads)"): the only part of the page that differs from run to run.
REPORT_TIMING = re.compile(r" in [0-9]+\.[0-9]{2} s \([0-9]+ µs per artifact, ")


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
    exceptions: Optional[str], retired: Optional[str], warn_only: bool = False
) -> tuple[list[str], dict[str, Any]]:
    """The CLI arguments and the scan keywords of the rollout files and warn mode."""
    args: list[str] = ["--warn-only"] if warn_only else []
    kwargs: dict[str, Any] = {"warn_only": warn_only}
    if exceptions:
        args += ["--exceptions", exceptions]
        kwargs["exceptions"] = notaverify.Exceptions.from_file(exceptions)
    if retired:
        args += ["--retired", retired]
        kwargs["retired"] = notaverify.RetiredMaterial.from_file(retired, config_dir="config")
    return args, kwargs


ROLLOUTS = [
    (None, None, False),
    ("exceptions.json", None, False),
    ("exceptions.json", "retired.json", False),
    (None, "retired-leaf.json", False),
    ("exceptions.json", "retired.json", True),
]


@pytest.mark.parametrize("at", [JULY, OCTOBER])
@pytest.mark.parametrize(("exceptions", "retired", "warn_only"), ROLLOUTS)
def test_lines_and_summary_are_the_clis(
    verifier: notaverify.Verifier, at: str, exceptions: Optional[str], retired: Optional[str], warn_only: bool
) -> None:
    args, kwargs = rollout(exceptions, retired, warn_only)
    status, lines = cli("--at", at, *LAYOUT_ARGS, "--batch", "batch.jsonl", *args)
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=at, threads=2, **kwargs)
    artifacts = list(scan)
    assert [a.to_json() for a in artifacts] == lines[:-1]
    summary = scan.summary
    assert summary is not None
    assert without(summary.to_json(), NOT_COMPARED) == without(lines[-1], NOT_COMPARED)
    assert summary.exit_status == status
    assert summary.warn_only == warn_only
    assert (summary.total, summary.out_of_policy) == (len(artifacts), sum(not a.in_policy for a in artifacts))


def masked_page(path: Path) -> str:
    """The report at `path` with the timing of its header line masked (exactly once)."""
    page, masked = REPORT_TIMING.subn(" in _ s (_ µs per artifact, ", path.read_text(encoding="utf-8"))
    assert masked == 1, f"no timing in the header line of {path}"
    return page


def python_report(verifier: notaverify.Verifier, path: Path, at: str, **kwargs: Any) -> list[notaverify.ScannedArtifact]:
    """Scans the fixtures, writes the report to `path`; the artifacts."""
    scan = verifier.scan(LAYOUTS, ["batch.jsonl"], at=at, threads=2, **kwargs)
    artifacts = list(scan)
    notaverify.write_report(path, scan)
    return artifacts


@pytest.mark.parametrize("at", [JULY, OCTOBER])
@pytest.mark.parametrize(("exceptions", "retired", "warn_only"), ROLLOUTS)
def test_write_report_is_the_clis_page(
    verifier: notaverify.Verifier,
    tmp_path: Path,
    at: str,
    exceptions: Optional[str],
    retired: Optional[str],
    warn_only: bool,
) -> None:
    args, kwargs = rollout(exceptions, retired, warn_only)
    cli("--at", at, *LAYOUT_ARGS, "--batch", "batch.jsonl", *args, "--report", str(tmp_path / "cli.html"))
    artifacts = python_report(verifier, tmp_path / "python.html", at, **kwargs)
    page = masked_page(tmp_path / "python.html")
    assert page == masked_page(tmp_path / "cli.html")
    # What makes the page this scan's: every artifact out of policy is listed, and warn mode shown.
    failing = [a.reference for a in artifacts if not a.in_policy]
    assert failing and all(f"<td class=\"mono\">{reference}</td>" in page for reference in failing)
    assert ("(warn only)" in page) == warn_only


def test_reports_of_different_scans_differ(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    """The comparison above tells scans of the same time apart: with and without the exceptions
    (an artifact excepted or not), in warn mode or not."""
    exceptions = notaverify.Exceptions.from_file("exceptions.json")
    python_report(verifier, tmp_path / "plain.html", JULY)
    python_report(verifier, tmp_path / "excepted.html", JULY, exceptions=exceptions)
    python_report(verifier, tmp_path / "warn.html", JULY, exceptions=exceptions, warn_only=True)
    pages = {masked_page(tmp_path / f"{name}.html") for name in ("plain", "excepted", "warn")}
    assert len(pages) == 3


def test_write_report_needs_a_finished_scan(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    scan = verifier.scan(LAYOUTS, at=JULY)
    with pytest.raises(notaverify.InvalidInputError, match="iterate it to the end"):
        notaverify.write_report(tmp_path / "early.html", scan)
    next(scan)
    scan.close()
    with pytest.raises(notaverify.InvalidInputError, match="iterate it to the end"):
        notaverify.write_report(tmp_path / "closed.html", scan)
    assert not (tmp_path / "early.html").exists() and not (tmp_path / "closed.html").exists()
    scan = verifier.scan(LAYOUTS, at=JULY)
    list(scan)
    with pytest.raises(notaverify.NotaverifyError, match="the report cannot be written") as raised:
        notaverify.write_report(tmp_path, scan)
    assert raised.value.code == "LOAD"


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
