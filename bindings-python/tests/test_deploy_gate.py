"""examples/python/deploy_gate.py is the twin of `notaverify verify`: run side by side over the
CLI's fixtures (cli/tests/fixtures, and cli/tests/fixtures/scan for exceptions and retired
material), with and without the rollout options, they exit with the same status and print the
same JSON document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

GATE = REPO / "examples" / "python" / "deploy_gate.py"
CLI_FIXTURES = REPO / "cli" / "tests" / "fixtures"
SCAN = CLI_FIXTURES / "scan"
CLI = os.environ.get("NOTAVERIFY_CLI")

# As cli/tests: the layouts of cli/tests/fixtures were signed on 2025-06-01; the scan fixtures
# are judged in July (exceptions in force) and October (after their deadline).
AT = "2025-07-01T00:00:00Z"
JULY = "2025-07-01T00:00:00Z"
OCTOBER = "2025-10-01T00:00:00Z"
SCOPE = "example.com/app"
TARGETS: dict[str, str] = json.loads((CLI_FIXTURES / "targets.json").read_text())

needs_cli = pytest.mark.skipif(CLI is None, reason="NOTAVERIFY_CLI is not set (run bindings-python/run-tests.sh)")


def run(command: list[str], args: list[str], cwd: Path) -> tuple[int, Any, str]:
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, cwd=cwd)
    document = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, document, done.stderr


def side_by_side(args: list[str], cwd: Path) -> tuple[int, Any, str]:
    """Runs the CLI and the gate with `args -o json`; asserts the same status and document."""
    assert CLI is not None
    args = [*args[:-1], "-o", "json", args[-1]]
    cli_status, cli_doc, cli_err = run([CLI, "verify"], args, cwd)
    gate_status, gate_doc, gate_err = run([sys.executable, str(GATE)], args, cwd)
    assert cli_doc is not None, cli_err
    assert (gate_status, gate_doc) == (cli_status, cli_doc), f"{args}\nCLI: {cli_err}\ngate: {gate_err}"
    return gate_status, gate_doc, gate_err


def layout(name: str, *extra: str, policy: str = "strict") -> list[str]:
    return [
        "--config-dir", str(CLI_FIXTURES / "config"),
        "--trust-policy", str(CLI_FIXTURES / "policies" / f"{policy}.json"),
        "--oci-layout", "--scope", SCOPE, "--at", AT, *extra,
        f"{CLI_FIXTURES / 'layouts' / name}:v1",
    ]  # fmt: skip


ROLLOUT_MODES = [[], ["--warn-only"]]


@needs_cli
@pytest.mark.parametrize("mode", ROLLOUT_MODES, ids=["enforce", "warn"])
@pytest.mark.parametrize(
    "name", ["good", "expired", "expired-leaf", "untrusted", "unsigned", "tampered", "signing-authority", "multi", "plugin", "revocation"]
)
def test_layouts(name: str, mode: list[str]) -> None:
    side_by_side(layout(name, *mode), CLI_FIXTURES)


@needs_cli
@pytest.mark.parametrize("mode", ROLLOUT_MODES, ids=["enforce", "warn"])
@pytest.mark.parametrize(
    "name,policy,extra",
    [
        ("expired", "audit", []),
        ("untrusted", "skip", []),
        ("good", "other-identity", []),
        ("multi", "strict", ["--all-signatures"]),
        ("multi", "strict", ["--max-signatures", "1"]),
        ("metadata", "strict", ["-m", "buildId=101"]),
    ],
)
def test_layouts_with_options(name: str, policy: str, extra: list[str], mode: list[str]) -> None:
    side_by_side(layout(name, *extra, *mode, policy=policy), CLI_FIXTURES)


@needs_cli
@pytest.mark.parametrize("mode", ROLLOUT_MODES, ids=["enforce", "warn"])
@pytest.mark.parametrize("signatures", [["good.jws"], ["good.cose"], ["untrusted.jws"], ["untrusted.jws", "good.jws"]])
def test_envelope_files(signatures: list[str], mode: list[str]) -> None:
    args = ["--config-dir", str(CLI_FIXTURES / "config"), "--at", AT, *mode]
    for s in signatures:
        args += ["--signature", str(CLI_FIXTURES / "signatures" / s)]
    side_by_side([*args, f"{SCOPE}@{TARGETS['good']}"], CLI_FIXTURES)


def scan_layout(name: str, at: str, *extra: str, policy: str = "rotation") -> list[str]:
    repository, tag = name.split("/")
    return [
        "--config-dir", "config", "--trust-policy", f"policies/{policy}.json",
        "--oci-layout", "--scope", f"registry.example/{repository}", "--at", at, *extra,
        f"layouts/{repository}:{tag}",
    ]  # fmt: skip


@needs_cli
@pytest.mark.parametrize(
    "name,at,policy,extra",
    [
        ("app/unknown", JULY, "rotation", ["--warn-only"]),
        ("app/unknown", JULY, "rotation", ["--exceptions", "exceptions.json"]),
        ("app/new", JULY, "rotation", ["--warn-only"]),
        ("app/expired", JULY, "rotation", ["--warn-only", "--exceptions", "exceptions.json"]),
        ("app/tampered", JULY, "rotation", ["--exceptions", "exceptions.json"]),
        ("app/revocation", JULY, "rotation", ["--warn-only"]),
        ("legacy/legacy-a", JULY, "rotation", ["--exceptions", "exceptions.json"]),
        ("legacy/legacy-a", OCTOBER, "rotation", ["--exceptions", "exceptions.json"]),
        ("legacy/legacy-a", "2025-09-29T23:59:59Z", "rotation", ["--exceptions", "exceptions.json"]),
        ("legacy/legacy-a", OCTOBER, "rotation", ["--warn-only", "--exceptions", "exceptions.json"]),
        ("legacy/legacy-b", JULY, "rotation", ["--warn-only"]),
        ("app/dual", JULY, "rotation", ["--retired", "retired-leaf.json"]),
        ("app/old", JULY, "rotation", ["--retired", "retired.json"]),
        ("app/old", JULY, "rotated", ["--exceptions", "exceptions.json", "--retired", "retired.json"]),
        ("app/old", JULY, "rotated", ["--warn-only", "--retired", "retired.json"]),
        ("vendor/tool", JULY, "rotation", ["--warn-only", "--exceptions", "exceptions-wildcard.json"]),
        ("batchjobs/nightly", JULY, "rotation", ["--warn-only"]),
    ],
)
def test_rollout(name: str, at: str, policy: str, extra: list[str]) -> None:
    side_by_side(scan_layout(name, at, *extra, policy=policy), SCAN)


@needs_cli
def test_verify_warn_logs_one_structured_line() -> None:
    status, document, stderr = side_by_side(scan_layout("app/unknown", JULY, "--warn-only"), SCAN)
    assert status == 0 and document["wouldFail"], document
    lines = [line for line in stderr.splitlines() if line.startswith("notaverify-gate ")]
    assert len(lines) == 1, stderr
    record = json.loads(lines[0].split(" ", 1)[1])
    assert record["phase"] == "verify-warn" and record["wouldBlock"] is True
    assert record["class"] == document["class"] == "unknownSigner"


@needs_cli
@pytest.mark.parametrize("mode", ROLLOUT_MODES, ids=["enforce", "warn"])
@pytest.mark.parametrize(
    "args",
    [
        # Not evaluated: the same code and message from both, exit 2 also in warn mode.
        ["--config-dir", str(CLI_FIXTURES / "config"), "--at", AT, f"{SCOPE}@{TARGETS['good']}"],
        ["--config-dir", "config", "--trust-policy", "policies/rotation.json", "--exceptions", "missing.json",
         "--oci-layout", "--scope", "registry.example/app", "layouts/app:new"],
        ["--config-dir", "config", "--trust-policy", "policies/rotation.json", "--exceptions", "exceptions-no-deadline.json",
         "--oci-layout", "--scope", "registry.example/app", "layouts/app:new"],
        ["--config-dir", "config", "--trust-policy", "policies/rotation.json",
         "--oci-layout", "--scope", "registry.example/nothing", "layouts/app:new"],
    ],
)  # fmt: skip
def test_not_evaluated(args: list[str], mode: list[str]) -> None:
    status, document, _ = side_by_side([*mode, *args], SCAN)
    assert status == 2 and document["error"]["code"], document
    if mode:
        assert (document["evaluated"], document["wouldFail"]) == (False, None)
