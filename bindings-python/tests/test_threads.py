"""One Verifier shared by many threads; the GIL is released while verifying."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import notaverify
from notaverify import _notaverify
from conftest import REFERENCE, envelope, run_beside_a_counting_thread

MIX = ["p256.jws", "p256.cose", "rsa2048.jws", "untrusted.jws", "expired.cose", "tampered/p256-signature.jws", "metadata.cose"]


def test_thread_pool_results_equal_sequential(verifier: notaverify.Verifier) -> None:
    inputs = [envelope(name) for name in MIX] * 30
    sequential = [verifier.verify(e, reference=REFERENCE).to_json() for e in inputs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda e: verifier.verify(e, reference=REFERENCE).to_json(), inputs))
    assert parallel == sequential
    assert sum(json.loads(j)["verified"] for j in parallel) == 4 * 30


def test_errors_in_threads(verifier: notaverify.Verifier) -> None:
    def bad(_: int) -> str:
        try:
            verifier.verify(envelope("p256.jws"), reference="no-digest")
        except notaverify.InvalidInputError as e:
            return e.code
        return "no error"

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(bad, range(50))) == {"INVALID_INPUT"}


def test_gil_is_released_during_verification(verifier: notaverify.Verifier) -> None:
    """While one thread runs a long native verification loop, another Python thread keeps
    running; with the GIL held it could not advance at all until the loop ended."""
    data = envelope("p256.jws")
    # Calibrate so the native loop takes about half a second.
    per_call = _notaverify._bench_verify_native(verifier, data, reference=REFERENCE, n=20) / 20
    n = max(20, int(0.5 / max(per_call, 1e-6)))
    elapsed, _, during = run_beside_a_counting_thread(
        lambda: _notaverify._bench_verify_native(verifier, data, reference=REFERENCE, n=n)
    )
    assert elapsed > 0.1
    assert during > 100, f"the other thread advanced only {during} times in {elapsed:.2f}s"
