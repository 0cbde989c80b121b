"""The outcome contract: ``Outcome.to_json()`` validates against docs/schema/outcome.schema.json
and is, member for member, what ``notaverify verify -o json`` prints for the same input; the
errors a request raises carry the code the CLI's document names. Also: ``all_signatures``, the
deprecated names, and the shape of ``Outcome.error``.

The CLI is the binary cargo built: ``$NOTAVERIFY_CLI`` (run-tests.sh builds it and sets it),
else ``target/debug/notaverify``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

import notaverify
from conftest import BLOB, ENVELOPES, FIXTURES, REFERENCE, REPO, envelope, oci_policy

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json.loads((REPO / "docs" / "schema" / "outcome.schema.json").read_text())
CLI = Path(os.environ.get("NOTAVERIFY_CLI") or REPO / "target" / "debug" / "notaverify")
needs_cli = pytest.mark.skipif(not CLI.is_file(), reason=f"no CLI binary at {CLI} (cargo build -p notaverify-cli)")


def assert_valid(document: Any) -> None:
    errors = [f"{e.message} at {list(e.absolute_path)}" for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)]
    assert not errors, (errors, document)


def cli(*args: str) -> tuple[int, Any]:
    env = {k: v for k, v in os.environ.items() if k != "NOTATION_CONFIG"}
    run = subprocess.run([str(CLI), *args, "-o", "json"], capture_output=True, text=True, timeout=60, env=env)
    return run.returncode, json.loads(run.stdout)


def cli_verify(reference: str, envelopes: list[str], policy: Optional[Path] = None) -> tuple[int, Any]:
    args = ["verify", "--config-dir", str(FIXTURES)]
    if policy is not None:
        args += ["--trust-policy", str(policy)]
    for name in envelopes:
        args += ["--signature", str(ENVELOPES / name)]
    return cli(*args, reference)


def verifier_for(policy: Optional[Path]) -> notaverify.Verifier:
    if policy is None:
        return notaverify.Verifier.from_config_dir(FIXTURES)
    return notaverify.Verifier(notaverify.TrustPolicy.from_file(policy), notaverify.TrustStore.from_config_dir(FIXTURES))


def policy_file(tmp_path: Path, level: str, override: Optional[dict[str, str]] = None) -> Path:
    path = tmp_path / f"{level}.json"
    path.write_text(json.dumps(oci_policy(level, override=override)))
    return path


CASES: dict[str, tuple[list[str], Optional[tuple[str, Optional[dict[str, str]]]]]] = {
    "verified": (["p256.jws"], None),
    "failed": (["untrusted.jws"], None),
    "two signatures": (["untrusted.jws", "p256.cose"], None),
    "logged failure": (["expired.jws"], ("strict", {"expiry": "log"})),
    "skipped": (["p256.jws"], ("skip", None)),
}


@needs_cli
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_to_json_is_the_cli_document(case: str, tmp_path: Path) -> None:
    names, level = CASES[case]
    policy = None if level is None else policy_file(tmp_path, *level)
    _, expected = cli_verify(REFERENCE, names, policy)
    # Envelope paths, as the CLI is given: the signature digest is the file's sha256 in both.
    outcome = verifier_for(policy).verify_artifact(REFERENCE, [ENVELOPES / n for n in names])
    document = json.loads(outcome.to_json())
    assert_valid(document)
    assert_valid(expected)
    assert document == expected
    assert outcome.to_dict() == expected
    assert [s.to_dict() for s in outcome.signatures] == expected["signatures"]
    # The attributes say what the document says.
    assert outcome.verified == expected["verified"]
    assert outcome.skipped == (expected["policy"]["level"] == "skip")
    error = outcome.error
    assert expected["error"] == (None if error is None else {"code": error.code, "message": error.message})
    logged = [c for s in expected["signatures"] for c in s["checks"] if c["action"] == "log" and not c["passed"]]
    assert [c.to_dict() for s in outcome.signatures for c in s.logged_failures] == logged
    assert (case == "logged failure") == bool(logged)


@needs_cli
def test_blob_to_json_is_the_cli_document(tmp_path: Path) -> None:
    signature = tmp_path / "example.txt.jws.sig"
    shutil.copy(ENVELOPES / "blob.jws", signature)
    status, expected = cli("blob", "verify", "--config-dir", str(FIXTURES), "--signature", str(signature), str(BLOB))
    assert status == 0, expected
    outcome = notaverify.Verifier.from_config_dir(FIXTURES).verify_blob(BLOB, signature)
    assert_valid(json.loads(outcome.to_json()))
    assert json.loads(outcome.to_json()) == expected


@needs_cli
@pytest.mark.parametrize(
    ("cli_args", "call"),
    [
        (
            ["verify", "--config-dir", str(FIXTURES), "--signature", str(ENVELOPES / "p256.jws"), "registry.example/app:v1"],
            lambda: notaverify.Verifier.from_config_dir(FIXTURES).verify(ENVELOPES / "p256.jws", reference="registry.example/app:v1"),
        ),
        (
            ["verify", "--config-dir", str(FIXTURES / "missing"), "--signature", str(ENVELOPES / "p256.jws"), REFERENCE],
            lambda: notaverify.Verifier.from_config_dir(FIXTURES / "missing"),
        ),
    ],
    ids=["INVALID_INPUT", "LOAD"],
)
def test_errors_carry_the_cli_code(cli_args: list[str], call: Callable[[], object]) -> None:
    status, expected = cli(*cli_args)
    assert status == 2
    assert_valid(expected)
    with pytest.raises(notaverify.NotaverifyError) as info:
        call()
    assert info.value.code == expected["error"]["code"]


def test_all_signatures_lists_every_signature_with_the_same_verdict(verifier: notaverify.Verifier) -> None:
    envelopes = [envelope("p256.jws"), envelope("untrusted.jws")]
    first = verifier.verify_artifact(REFERENCE, envelopes)
    every = verifier.verify_artifact(REFERENCE, envelopes, all_signatures=True)
    assert first.verified and every.verified
    assert [s.verified for s in first.signatures] == [True]
    assert [s.verified for s in every.signatures] == [True, False]
    assert every.signatures[1].failure == "authenticity" and every.signatures[1].checks
    assert every.signatures[0] == first.signatures[0]
    assert_valid(every.to_dict())
    [batched] = verifier.verify_many([{"reference": REFERENCE, "envelopes": envelopes}], all_signatures=True)
    assert isinstance(batched, notaverify.Outcome) and batched == every


def test_all_signatures_on_a_layout(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    from conftest import write_layout

    write_layout(tmp_path, [(envelope("p256.jws"), "application/jose+json"), (envelope("untrusted.jws"), "application/jose+json")])
    first = verifier.verify_oci_layout(tmp_path, reference="v1", scope="registry.example/app")
    every = verifier.verify_oci_layout(tmp_path, reference="v1", scope="registry.example/app", all_signatures=True)
    assert first.verified and every.verified
    assert len(every.signatures) == 2 and len(first.signatures) <= len(every.signatures)
    assert all(s.checks for s in every.signatures)


def test_error_is_code_and_message(verifier: notaverify.Verifier) -> None:
    failed = verifier.verify(envelope("untrusted.jws"), reference=REFERENCE)
    assert isinstance(failed.error, notaverify.ArtifactError)
    assert failed.error.code == "VERIFICATION_FAILED"
    assert str(failed.error) == failed.error.message == failed.to_dict()["error"]["message"]
    assert verifier.verify(envelope("p256.jws"), reference=REFERENCE).error is None


def test_deprecated_names_warn_and_still_work(verifier: notaverify.Verifier) -> None:
    with pytest.warns(DeprecationWarning, match="from_config_dir"):
        store = notaverify.TrustStore.from_dir(FIXTURES)  # type: ignore[deprecated]
    policy = notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json")
    assert notaverify.Verifier(policy, store).verify(envelope("p256.jws"), reference=REFERENCE).verified
    failed = verifier.verify(envelope("untrusted.jws"), reference=REFERENCE)
    with pytest.warns(DeprecationWarning, match="error.code"):
        assert failed.error_code == "VERIFICATION_FAILED"  # type: ignore[deprecated]
