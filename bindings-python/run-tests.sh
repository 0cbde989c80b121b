#!/usr/bin/env bash
# Builds and tests the Python package from a fresh clone:
#   bindings-python/run-tests.sh            # venv, build, install, pytest, stubtest
#   BENCH=1 bindings-python/run-tests.sh    # ... then the Python-vs-Rust overhead bench
# The venv lives in bindings-python/.venv (gitignored); PYTHON picks the interpreter (>= 3.9).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"
export PATH="$venv/bin:$PATH"   # the maturin build backend runs the `maturin` executable
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip install --quiet "maturin>=1.9,<2" "pytest>=7" "mypy>=1.10" "jsonschema>=4.18" "dask[distributed]>=2024.1"

# `pip install ./bindings-python` is the supported install; --no-build-isolation reuses the
# maturin installed above and the workspace's target/ directory, so a rebuild is incremental.
# A stale extension left in the source tree by `maturin develop` must not shadow the fresh one.
rm -f "$here"/python/notaverify/_notaverify*.so "$here"/python/notaverify/_notaverify*.pyd
cd "$repo"
"$py" -m pip install --quiet --force-reinstall --no-deps --no-build-isolation ./bindings-python

# tests/test_outcome_contract.py compares Outcome.to_json() with the CLI's -o json document.
cargo build --quiet --locked -p notaverify-cli
export NOTAVERIFY_CLI="$repo/target/debug/notaverify"

cd "$here"
"$py" -m pytest tests -q
"$py" -m mypy.stubtest notaverify._notaverify --allowlist stubtest-allowlist.txt
if [ "${BENCH:-0}" = "1" ]; then
    "$py" bench/bench_verify.py
fi
