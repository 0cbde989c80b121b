"""examples/python/deploy_gate.py exits 0 / 1 / 2 like the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENVELOPES, FIXTURES, REFERENCE, REPO, envelope, write_layout

GATE = REPO / "examples" / "python" / "deploy_gate.py"


def gate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(GATE), *args], capture_output=True, text=True, timeout=60)


def test_envelope_files() -> None:
    ok = gate("--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "p256.jws"), REFERENCE)
    assert ok.returncode == 0, ok.stderr
    assert "Successfully verified" in ok.stderr
    failed = gate("--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "untrusted.jws"), "--json", REFERENCE)
    assert failed.returncode == 1, failed.stderr
    assert json.loads(failed.stdout)["verified"] is False
    meta = gate("--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "metadata.cose"), "-m", "buildId=101", REFERENCE)
    assert meta.returncode == 0 and "buildId = 101" in meta.stderr
    assert gate("--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "metadata.cose"), "-m", "buildId=102", REFERENCE).returncode == 1


def test_oci_layout(tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    write_layout(layout, [(envelope("p256.jws"), "application/jose+json")])
    ok = gate("--config-dir", str(FIXTURES), "--oci-layout", "--scope", "registry.example/app", f"{layout}:v1")
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad"
    write_layout(bad, [(envelope("expired.jws"), "application/jose+json")])
    assert gate("--config-dir", str(FIXTURES), "--oci-layout", "--scope", "registry.example/app", f"{bad}:v1").returncode == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--config-dir", "/nonexistent", "--signature", str(ENVELOPES / "p256.jws"), REFERENCE],
        ["--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "p256.jws"), "registry.example/app:v1"],
        ["--config-dir", str(FIXTURES), "--signature", "/nonexistent.jws", REFERENCE],
        ["--config-dir", str(FIXTURES), "--oci-layout", REFERENCE],
        ["--config-dir", str(FIXTURES), REFERENCE],
    ],
)
def test_cannot_evaluate_exits_2(args: list[str]) -> None:
    result = gate(*args)
    assert result.returncode == 2, result.stderr
