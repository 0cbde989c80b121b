#!/usr/bin/env python3
"""Cost of one verification through Python versus the same verification in a Rust loop.

Both run in this process against the same `Verifier`: `Verifier.verify(...)` called `n` times
from Python (argument conversion, GIL release, result objects included) and
`_bench_verify_native(...)`, which converts the arguments once and loops `n` times in Rust.
Short blocks of the two alternate, so both see the same machine load; the reported overhead is
the median of the ratios of adjacent blocks (robust against other processes on a shared
machine), next to the median time per verification of each. Exits 1 when the Python overhead is
10% or more (``--max-overhead`` changes the bound).

    python bindings-python/bench/bench_verify.py [--n 20] [--rounds 41]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import notaverify
from notaverify import _notaverify

FIXTURES = Path(__file__).resolve().parents[2] / "core" / "tests" / "fixtures"
MANIFEST_DIGEST = "sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921"
REFERENCE = f"registry.example/app@{MANIFEST_DIGEST}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="verifications per block")
    parser.add_argument("--rounds", type=int, default=41, help="blocks of each kind")
    parser.add_argument("--envelopes", nargs="*", default=["p256.jws", "p256.cose", "rsa2048.jws"])
    parser.add_argument("--max-overhead", type=float, default=0.10)
    args = parser.parse_args()

    verifier = notaverify.Verifier(
        notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json"), notaverify.TrustStore.from_config_dir(FIXTURES)
    )
    print(f"notaverify {notaverify.__version__} ({notaverify.CRYPTO_BACKEND}), {args.rounds} alternating blocks of {args.n} verifications")
    print(f"{'envelope':<14} {'rust µs/op':>11} {'python µs/op':>13} {'overhead':>9}")
    worst = 0.0
    for name in args.envelopes:
        envelope = (FIXTURES / "envelopes" / name).read_bytes()
        assert verifier.verify(envelope, reference=REFERENCE).verified, name
        # Warm up both paths (caches, allocator, CPU frequency).
        _notaverify._bench_verify_native(verifier, envelope, reference=REFERENCE, n=args.n // 3 + 1)
        for _ in range(args.n // 3 + 1):
            verifier.verify(envelope, reference=REFERENCE)
        native: list[float] = []
        python: list[float] = []
        for _ in range(args.rounds):
            native.append(_notaverify._bench_verify_native(verifier, envelope, reference=REFERENCE, n=args.n) / args.n)
            start = time.perf_counter()
            for _ in range(args.n):
                outcome = verifier.verify(envelope, reference=REFERENCE)
            python.append((time.perf_counter() - start) / args.n)
            assert outcome.verified
        rust_op, py_op = statistics.median(native), statistics.median(python)
        overhead = statistics.median(p / r for p, r in zip(python, native)) - 1
        worst = max(worst, overhead)
        print(f"{name:<14} {rust_op * 1e6:>11.1f} {py_op * 1e6:>13.1f} {overhead:>8.1%}")
    verdict = "OK" if worst < args.max_overhead else "TOO HIGH"
    print(f"worst overhead {worst:.1%} (bound {args.max_overhead:.0%}): {verdict}")
    return 0 if worst < args.max_overhead else 1


if __name__ == "__main__":
    sys.exit(main())
