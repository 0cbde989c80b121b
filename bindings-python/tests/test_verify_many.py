"""Verifier.verify_many: verify_artifact for many artifacts at once, in parallel."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import notaverify
from conftest import DESCRIPTOR, ENVELOPES, REFERENCE, envelope, run_beside_a_counting_thread
from test_revocation import AT as REVOCATION_AT
from test_revocation import REVOCATION, evidence
from test_revocation import policy as revocation_policy
from test_revocation import store as revocation_store

# (item, verified): every optional key, several envelopes per item, bytes and paths.
ITEMS: list[tuple[dict[str, Any], bool]] = [
    ({"reference": REFERENCE, "envelopes": [envelope("p256.jws")]}, True),
    ({"reference": REFERENCE, "envelopes": [envelope("untrusted.jws"), ENVELOPES / "p256.cose"]}, True),
    ({"reference": REFERENCE, "envelopes": [envelope("expired.jws")]}, False),
    ({"reference": REFERENCE, "envelopes": [envelope("rsa2048.cose")], "descriptor": DESCRIPTOR}, True),
    ({"reference": REFERENCE, "envelopes": [envelope("p384.jws")], "media_type": "jws"}, True),
    ({"reference": REFERENCE, "envelopes": [envelope("metadata.jws")], "user_metadata": {"buildId": "101"}}, True),
    ({"reference": REFERENCE, "envelopes": [envelope("metadata.cose")], "user_metadata": {"buildId": "102"}}, False),
    ({"reference": REFERENCE, "envelopes": [envelope("untrusted.jws"), envelope("p256.jws")], "max_signatures": 1}, False),
    ({"reference": REFERENCE, "envelopes": []}, False),
    ({"reference": REFERENCE, "envelopes": [envelope("tampered/p256-signature.jws")], "descriptor": None}, False),
]
AT = "2030-01-01T00:00:00Z"


def test_results_equal_verify_artifact_in_order(verifier: notaverify.Verifier) -> None:
    items = [item for item, _ in ITEMS]
    results = verifier.verify_many(items, at=AT)
    assert len(results) == len(items)
    for item, result in zip(items, results):
        assert isinstance(result, notaverify.Outcome), result
        assert result.to_json() == verifier.verify_artifact(**item, at=AT).to_json()
    assert [r.verified for r in results if isinstance(r, notaverify.Outcome)] == [v for _, v in ITEMS]


def test_request_errors_are_returned_in_their_slots(verifier: notaverify.Verifier) -> None:
    items: list[dict[str, Any]] = [
        {"reference": REFERENCE, "envelopes": [envelope("p256.jws")]},
        {"reference": "registry.example/app:v1", "envelopes": [envelope("p256.jws")]},  # no digest
        {"reference": REFERENCE, "envelopes": [envelope("p256.cose")]},
        {"reference": REFERENCE, "envelopes": [b"garbage"]},  # no media type to infer
        {"reference": REFERENCE, "envelopes": [envelope("p256.jws")], "max_signatures": 0},
        {"reference": REFERENCE, "envelopes": [envelope("rsa2048.jws")]},
    ]
    results = verifier.verify_many(items)
    verified = [r.verified if isinstance(r, notaverify.Outcome) else None for r in results]
    assert verified == [True, None, True, None, None, True]
    for index, code in [(1, "INVALID_INPUT"), (3, "ENVELOPE"), (4, "INVALID_INPUT")]:
        error = results[index]
        assert isinstance(error, notaverify.NotaverifyError) and error.code == code
        with pytest.raises(notaverify.NotaverifyError) as raised:
            verifier.verify_artifact(**items[index])
        assert type(error) is type(raised.value) and str(error) == str(raised.value)


def test_thread_counts_give_equal_results(verifier: notaverify.Verifier) -> None:
    items = [item for item, _ in ITEMS] * 8
    default = [r.to_json() for r in verifier.verify_many(items) if isinstance(r, notaverify.Outcome)]
    assert len(default) == len(items)
    for threads in (1, 2):
        results = verifier.verify_many(items, threads=threads)
        assert [r.to_json() for r in results if isinstance(r, notaverify.Outcome)] == default


def test_the_gil_is_released_for_the_whole_batch(verifier: notaverify.Verifier) -> None:
    """Another Python thread keeps running while a batch verifies."""
    item = {"reference": REFERENCE, "envelopes": [envelope("p521.cose")]}
    start = time.perf_counter()
    verifier.verify_many([item] * 20, threads=1)
    per_item = (time.perf_counter() - start) / 20
    batch = [item] * max(20, int(0.5 / max(per_item, 1e-6)))
    results, elapsed, during = run_beside_a_counting_thread(lambda: verifier.verify_many(batch, threads=1))
    assert all(isinstance(r, notaverify.Outcome) and r.verified for r in results)
    assert elapsed > 0.1
    assert during > 100, f"the other thread advanced only {during} times in {elapsed:.2f}s"


def test_at_and_revocation_apply_to_every_item(verifier: notaverify.Verifier) -> None:
    expired = {"reference": REFERENCE, "envelopes": [envelope("expired.jws")]}
    now = verifier.verify_many([expired, expired])
    before_expiry = verifier.verify_many([expired, expired], at="2025-06-01T13:00:00Z")
    assert [r.verified for r in now if isinstance(r, notaverify.Outcome)] == [False, False]
    assert [r.verified for r in before_expiry if isinstance(r, notaverify.Outcome)] == [True, True]

    leaf_crl = {"reference": REFERENCE, "envelopes": [REVOCATION / "envelopes" / "leaf-crl.jws"]}
    with_root_crl = notaverify.Verifier(revocation_policy(), revocation_store(), revocation=evidence("root-good"))
    without = with_root_crl.verify_many([leaf_crl, leaf_crl], at=REVOCATION_AT)
    added = with_root_crl.verify_many([leaf_crl, leaf_crl], at=REVOCATION_AT, revocation=evidence("inter-good"))
    assert [r.verified for r in without if isinstance(r, notaverify.Outcome)] == [False, False]
    assert [r.verified for r in added if isinstance(r, notaverify.Outcome)] == [True, True]
    assert verifier.verify_many([]) == []


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (b"not a mapping", "an item must be a mapping"),
        ({"envelopes": [envelope("p256.jws")]}, "'reference' is required"),
        ({"reference": REFERENCE}, "'envelopes' is required"),
        ({"reference": REFERENCE, "envelopes": [], "userMetadata": {"a": "b"}}, "unknown key 'userMetadata'"),
        ({"reference": REFERENCE.encode(), "envelopes": []}, "reference must be a str"),
        ({"reference": REFERENCE, "envelopes": envelope("p256.jws")}, "not a single one"),
        ({"reference": REFERENCE, "envelopes": [12345]}, "envelope must be"),
        ({"reference": REFERENCE, "envelopes": [], "media_type": 1}, "media_type must be a str"),
        ({"reference": REFERENCE, "envelopes": [], "max_signatures": "1"}, "max_signatures must be"),
        ({"reference": REFERENCE, "envelopes": [], "descriptor": "sha256:..."}, "descriptor must be"),
        ({"reference": REFERENCE, "envelopes": [], "user_metadata": ["a=b"]}, "user_metadata must be"),
    ],
)
def test_a_malformed_item_raises_naming_it(verifier: notaverify.Verifier, item: Any, message: str) -> None:
    good = {"reference": REFERENCE, "envelopes": [envelope("p256.jws")]}
    with pytest.raises(TypeError) as info:
        verifier.verify_many([good, good, item, good])
    assert str(info.value).startswith("items[2]: "), info.value
    assert message in str(info.value)


def test_bad_batch_arguments_raise(verifier: notaverify.Verifier) -> None:
    items = [{"reference": REFERENCE, "envelopes": [envelope("p256.jws")]}]
    with pytest.raises(notaverify.InvalidInputError, match="threads"):
        verifier.verify_many(items, threads=0)
    with pytest.raises(notaverify.InvalidInputError, match="at"):
        verifier.verify_many(items, at="yesterday")
    with pytest.raises(TypeError):
        verifier.verify_many(items, revocation=b"crl")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier.verify_many(42)  # type: ignore[arg-type]


def test_typed_usage_checks(tmp_path: Path) -> None:
    """The stub's `BatchItem` describes an item, and results narrow to Outcome or the error."""
    code = textwrap.dedent(
        """
        from __future__ import annotations

        from typing import TYPE_CHECKING

        import notaverify

        if TYPE_CHECKING:
            from notaverify._notaverify import BatchItem


        def not_verified(verifier: notaverify.Verifier, signatures: dict[str, list[bytes]]) -> list[str]:
            items: list[BatchItem] = [{"reference": r, "envelopes": e} for r, e in signatures.items()]
            items.append({"reference": "r", "envelopes": [], "max_signatures": 2, "media_type": "cose"})
            failed = []
            for item, result in zip(items, verifier.verify_many(items, threads=4, at="2030-01-01T00:00:00Z")):
                if isinstance(result, notaverify.NotaverifyError):
                    failed.append(f"{item['reference']}: {result.code}")
                elif not result.verified:
                    failed.append(item["reference"])
            return failed


        typo: BatchItem = {"reference": "r", "envelopes": [], "userMetadata": {}}  # type: ignore[typeddict-unknown-key]
        """
    )
    (tmp_path / "batch.py").write_text(code)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--warn-unused-ignores", str(tmp_path / "batch.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
