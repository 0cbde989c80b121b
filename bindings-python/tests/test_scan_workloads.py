"""Verifier.scan(workloads=..., previous=...) against `notaverify scan --workloads FILE
[--workloads-source NAME] --previous OLD.jsonl -o json --report F` (the CLI binary from
NOTAVERIFY_CLI) over the CLI's fixtures: the scan layouts and batch files of
cli/tests/fixtures/scan, the workloads files of cli/tests/fixtures/workloads (kubectl JSON and
YAML, az containerapp and az webapp JSON), the rotated policy of cli/tests/fixtures/progress.
Every artifact line, every workload line, the summary line (but for its timing), the exit
status and the report page are compared; bad workloads and previous files raise with the code
the CLI reports, before anything is verified."""

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

FIXTURES = REPO / "cli" / "tests" / "fixtures"
SCAN = FIXTURES / "scan"
JULY = "2025-07-01T00:00:00Z"
OCTOBER = "2025-10-01T00:00:00Z"
LAYOUTS = [(f"layouts/{name}", f"registry.example/{name}") for name in ("app", "legacy", "batchjobs", "vendor")]
BATCHES = ["batch.jsonl", "../workloads/batch-tags.jsonl"]
# Members of the summary line that differ from run to run: the timing.
NOT_COMPARED = ("elapsedSeconds", "microsecondsPerArtifact")
REPORT_TIMING = re.compile(r" in [0-9]+\.[0-9]{2} s \([0-9]+ µs per artifact, ")

Workloads = list[tuple[str, Optional[str]]]
# Several clusters and subscriptions, some labelled, some by their file name.
CLUSTERS: Workloads = [
    ("../workloads/kubectl-list.json", "aks-prod"),
    ("../workloads/manifests.yaml", None),
    ("../workloads/containerapps.json", "aca-prod"),
    ("../workloads/webapps.json", "appsvc-prod"),
    ("../workloads/webapp-sitecontainers.json", "appsvc-prod"),
    ("../workloads/normalisation.yaml", None),
    ("../workloads/containerapp-job.json", None),
]


@pytest.fixture(autouse=True)
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths relative to the scan fixtures, as the CLI is run there: `source` members agree."""
    monkeypatch.chdir(SCAN)


def cli_binary() -> str:
    binary = os.environ.get("NOTAVERIFY_CLI")
    if not binary:
        pytest.skip("NOTAVERIFY_CLI is not set (bindings-python/run-tests.sh sets it)")
    return binary


class Setting:
    """A scan's configuration, for the CLI and for Verifier.scan: July under the workloads
    policy (both CAs trusted, the legacy exception in force), or October under the rotated policy
    (the old CA retired, the exception past its deadline)."""

    def __init__(self, october: bool, warn_only: bool = False) -> None:
        self.at = OCTOBER if october else JULY
        policy = "../progress/rotated-workloads.json" if october else "../workloads/policy.json"
        self.args = ["--config-dir", "config", "--trust-policy", policy, "--exceptions", "exceptions.json"]
        self.args += ["--at", self.at, "--jobs", "2", "--no-progress"]
        self.kwargs: dict[str, Any] = {
            "exceptions": notaverify.Exceptions.from_file("exceptions.json"),
            "warn_only": warn_only,
            "at": self.at,
            "threads": 2,
        }
        if october:
            self.args += ["--retired", "retired.json"]
            self.kwargs["retired"] = notaverify.RetiredMaterial.from_file("retired.json", config_dir="config")
        if warn_only:
            self.args.append("--warn-only")
        self.verifier = notaverify.Verifier(
            notaverify.TrustPolicy.from_file(policy), notaverify.TrustStore.from_config_dir("config")
        )

    def cli(self, workloads: Workloads, previous: Optional[str], *extra: str) -> subprocess.CompletedProcess[str]:
        command = [cli_binary(), "scan", *self.args, "-o", "json", *extra]
        command += [a for d, s in LAYOUTS for a in ("--oci-layout", d, "--scope", s)]
        command += [a for b in BATCHES for a in ("--batch", b)]
        for path, source in workloads:
            command += ["--workloads", path] + (["--workloads-source", source] if source is not None else [])
        if previous is not None:
            command += ["--previous", previous]
        return subprocess.run(command, cwd=SCAN, capture_output=True, text=True, check=False)

    def scan(self, workloads: Workloads, previous: Optional[str], **kwargs: Any) -> notaverify.ScanIterator:
        return self.verifier.scan(LAYOUTS, BATCHES, workloads=workloads, previous=previous, **self.kwargs, **kwargs)


def summary_without_timing(line: str) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(line)["summary"]
    return {k: v for k, v in summary.items() if k not in NOT_COMPARED}


def split(stdout: str) -> tuple[list[str], list[str], str]:
    """The CLI's artifact lines, workload lines and summary line."""
    lines = stdout.splitlines()
    body, summary = lines[:-1], lines[-1]
    first = next((i for i, line in enumerate(body) if "workload" in json.loads(line)), len(body))
    return body[:first], body[first:], summary


def typed(container: notaverify.WorkloadContainer) -> dict[str, Any]:
    """A workload container's typed fields as its JSON line names them."""
    return {
        "workload": {
            "source": container.source,
            "kind": container.kind,
            "namespace": container.namespace,
            "name": container.name,
            "container": container.container,
        },
        "containerType": container.container_type,
        "image": container.image,
        "reference": container.reference,
        "resolvedBy": container.resolved_by,
        "normalised": container.normalised,
        "class": container.class_,
        "inPolicy": container.in_policy,
        "underlying": container.underlying,
        "check": container.check,
        "reason": container.reason,
    }


def compare(setting: Setting, workloads: Workloads, previous: Optional[str]) -> notaverify.ScanIterator:
    """Scans with the CLI and with Python, requires the same lines, summary and exit status;
    the finished Python scan."""
    run = setting.cli(workloads, previous)
    assert run.returncode in (0, 1), run.stderr
    artifact_lines, workload_lines, summary_line = split(run.stdout)
    scan = setting.scan(workloads, previous)
    assert [a.to_json() for a in scan] == artifact_lines
    containers = scan.workloads
    assert containers is not None
    assert [c.to_json() for c in containers] == workload_lines
    assert [typed(c) for c in containers] == [json.loads(line) for line in workload_lines]
    summary = scan.summary
    assert summary is not None
    assert summary_without_timing(summary.to_json()) == summary_without_timing(summary_line)
    assert summary.exit_status == run.returncode
    cli_workloads = json.loads(summary_line)["summary"]["workloads"]
    assert (summary.workloads_total, summary.workloads_out_of_policy, summary.workload_counts) == (
        cli_workloads["total"],
        cli_workloads["outOfPolicy"],
        cli_workloads["counts"],
    )
    warned = [line.removeprefix("Warning: ") for line in run.stderr.splitlines() if "workloads file" in line]
    assert scan.warnings == warned
    return scan


@pytest.mark.parametrize("warn_only", [False, True])
@pytest.mark.parametrize("october", [False, True])
def test_workload_lines_summary_and_exit_status_are_the_clis(october: bool, warn_only: bool) -> None:
    scan = compare(Setting(october, warn_only), CLUSTERS, None)
    containers = scan.workloads or []
    # Not a vacuous comparison: every file's containers are there, some not scanned.
    assert {c.source for c in containers} >= {"aks-prod", "manifests.yaml", "aca-prod", "appsvc-prod"}
    assert any(c.class_ == "notScanned" and not c.in_policy for c in containers)
    assert any(c.in_policy for c in containers)
    assert any("Service" in w for w in scan.warnings), "the kubectl list's Service is skipped with a warning"
    assert scan.summary is not None and scan.summary.exit_status == (0 if warn_only else 1)


def test_exit_status_follows_the_deployed_workloads_alone() -> None:
    """Every scanned artifact in policy, a deployed image that no input holds: exit 1, as the CLI."""
    setting = Setting(october=False)
    only = ["docker.io/library/nginx"]
    for workloads, status in [("nginx-only.yaml", 0), ("kubectl-list.json", 1)]:
        files: Workloads = [(f"../workloads/{workloads}", None)]
        run = setting.cli(files, None, "--only", only[0])
        scan = setting.scan(files, None, only=only)
        artifacts = list(scan)
        assert scan.summary is not None
        assert (run.returncode, scan.summary.exit_status, scan.summary.out_of_policy) == (status, status, 0)
        assert all(a.in_policy for a in artifacts)
        assert [c.to_json() for c in scan.workloads or []] == split(run.stdout)[1]


def test_progress_since_a_previous_scan_is_the_clis(tmp_path: Path) -> None:
    july = Setting(october=False).cli(CLUSTERS, None)
    assert july.returncode == 1, july.stderr
    old = tmp_path / "july.jsonl"
    old.write_text(july.stdout, encoding="utf-8")
    scan = compare(Setting(october=True), CLUSTERS, str(old))
    assert scan.summary is not None
    progress = json.loads(scan.summary.to_json())["summary"]["progress"]
    assert progress["previous"] == str(old)
    changed = progress["workloads"]["changes"]
    assert changed and progress["artifacts"]["changes"], "the rotation changed classes"


def masked_page(path: Path) -> str:
    page, masked = REPORT_TIMING.subn(" in _ s (_ µs per artifact, ", path.read_text(encoding="utf-8"))
    assert masked == 1, f"no timing in the header line of {path}"
    return page


@pytest.mark.parametrize("with_previous", [False, True])
def test_write_report_is_the_clis_page_with_workloads_and_progress(tmp_path: Path, with_previous: bool) -> None:
    previous = None
    if with_previous:
        old = tmp_path / "july.jsonl"
        old.write_text(Setting(october=False).cli(CLUSTERS, None).stdout, encoding="utf-8")
        previous = str(old)
    setting = Setting(october=True)
    cli_page, python_page = tmp_path / "cli.html", tmp_path / "python.html"
    run = setting.cli(CLUSTERS, previous, "--report", str(cli_page))
    assert run.returncode == 1, run.stderr
    scan = setting.scan(CLUSTERS, previous)
    for _ in scan:
        pass
    notaverify.write_report(python_page, scan)
    page = masked_page(python_page)
    assert page == masked_page(cli_page)
    assert "Deployed workloads" in page
    assert ("Progress since the previous scan" in page) == with_previous


def cli_error(setting: Setting, workloads: Workloads, previous: Optional[str]) -> dict[str, Any]:
    run = setting.cli(workloads, previous)
    assert run.returncode == 2, run.stdout
    error: dict[str, Any] = json.loads(run.stdout)["error"]
    return error


@pytest.mark.parametrize(
    "workloads",
    [
        "../workloads/missing.json",
        "../workloads",
        "../workloads/not-workloads.json",
        "../workloads/broken.yaml",
        "../workloads/empty.yaml",
        "../workloads/batch-tags.jsonl",
    ],
)
def test_a_bad_workloads_file_raises_as_the_cli_fails(workloads: str) -> None:
    setting = Setting(october=False)
    expected = cli_error(setting, [(workloads, None)], None)
    progress: list[tuple[int, int]] = []
    with pytest.raises(notaverify.NotaverifyError) as raised:
        # A file that is not there, or not a file: raised by scan() itself, before anything is
        # verified; one that does not parse: while iterating, and there is no summary.
        scan = setting.scan([(workloads, None)], None, on_progress=lambda d, t: progress.append((d, t)))
        for _ in scan:
            pass
    assert (raised.value.code, str(raised.value)) == (expected["code"], expected["message"])
    if "cannot be read" in expected["message"] or "not a regular file" in expected["message"]:
        assert progress == []


def test_an_empty_source_label_is_invalid_input() -> None:
    with pytest.raises(notaverify.InvalidInputError) as raised:
        Setting(october=False).scan([("../workloads/nginx-only.yaml", "")], None)
    assert raised.value.code == "INVALID_INPUT"
    assert "nginx-only.yaml" in str(raised.value)


@pytest.mark.parametrize(
    "content",
    [None, "", '{"reference": "registry.example/app@sha256:00", "class": "verified", "inPolicy": true}\n', "not json\n"],
)
def test_a_bad_previous_file_raises_before_anything_is_verified(tmp_path: Path, content: Optional[str]) -> None:
    previous = tmp_path / "previous.jsonl"
    if content is not None:
        previous.write_text(content, encoding="utf-8")
    setting = Setting(october=False)
    expected = cli_error(setting, CLUSTERS, str(previous))
    progress: list[tuple[int, int]] = []
    with pytest.raises(notaverify.NotaverifyError) as raised:
        setting.scan(CLUSTERS, str(previous), on_progress=lambda d, t: progress.append((d, t)))
    assert raised.value.code == expected["code"]
    # The CLI names the option (`--previous: ...`), Python the keyword (`previous: ...`).
    assert str(raised.value) == "previous: " + expected["message"].removeprefix("--previous: ")
    assert progress == []


def test_without_workloads_there_are_none() -> None:
    scan = Setting(october=False).verifier.scan(LAYOUTS, BATCHES, at=JULY)
    assert scan.workloads is None
    for _ in scan:
        pass
    assert scan.summary is not None
    assert (scan.workloads, scan.summary.workloads_total, scan.summary.workload_counts) == (None, None, None)
    assert "workloads" not in json.loads(scan.summary.to_json())["summary"]
