"""The stubs match the native module (mypy.stubtest), and typed code using the package checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

HERE = Path(__file__).resolve().parent
ALLOWLIST = HERE.parent / "stubtest-allowlist.txt"


def test_stubtest() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "notaverify._notaverify", "--allowlist", str(ALLOWLIST)],
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_usage_checks() -> None:
    example = HERE.parent.parent / "examples" / "python" / "deploy_gate.py"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(example)],
        capture_output=True,
        text=True,
        cwd=HERE,
    )
    assert result.returncode == 0, result.stdout + result.stderr
