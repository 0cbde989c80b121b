"""Verification of OCI artifact signatures through the Python API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest

import notaverify
from conftest import CASES, DESCRIPTOR, ENVELOPES, FIXTURES, MANIFEST_DIGEST, REFERENCE, envelope

SIGNING_TIME = datetime(2025, 6, 1, 12, 0, 0, tzinfo=timezone.utc)
CHECKS = ["integrity", "authenticity", "expiry", "authenticTimestamp", "revocation"]

# The fixture's `expect` names the failing check; the outcome names plugins and target mismatches
# by what failed.
FAILURE_FOR_EXPECT = {"plugin": "verificationPlugin", "targetMismatch": "integrity"}

OCI_CASES = [c for c in CASES if c["kind"] == "oci"]


@pytest.mark.parametrize("case", OCI_CASES, ids=[c["file"] for c in OCI_CASES])
@pytest.mark.parametrize("with_descriptor", [False, True], ids=["digest", "descriptor"])
def test_every_fixture_case_gets_notation_go_verdict(verifier: notaverify.Verifier, case: dict[str, Any], with_descriptor: bool) -> None:
    outcome = verifier.verify(
        ENVELOPES.parent / case["file"],
        reference=REFERENCE,
        descriptor=DESCRIPTOR if with_descriptor else None,
    )
    assert outcome.reference == REFERENCE
    assert len(outcome.signatures) == 1
    signature = outcome.signatures[0]
    assert signature.media_type == case["mediaType"]
    expect = case["expect"]
    if "expectSpec" in case and outcome.verified != (expect == "valid"):
        # notation-go and the specification disagree here; the core picks one, and the binding
        # only has to report it faithfully.
        expect = case["expectSpec"]
    if expect == "valid":
        assert outcome.verified, outcome.to_json()
        assert signature.verified and signature.failure is None and signature.error is None
        assert outcome.error is None
        assert all(c.passed for c in signature.checks)
    else:
        assert not outcome.verified, outcome.to_json()
        assert outcome.error is not None and outcome.error.code == "VERIFICATION_FAILED"
        assert signature.failure == FAILURE_FOR_EXPECT.get(expect, expect)
        assert signature.error
        failed = [c for c in signature.checks if not c.passed]
        if signature.failure in CHECKS:
            assert failed and failed[-1].type == signature.failure
            assert failed[-1].action == "enforce"


def test_success_reports_signer_time_checks_and_policy(verifier: notaverify.Verifier) -> None:
    outcome = verifier.verify(envelope("p256.jws"), reference=REFERENCE)
    assert outcome.verified and not outcome.skipped
    assert outcome.policy is not None
    assert (outcome.policy.name, outcome.policy.level, outcome.policy.custom) == ("test-strict", "strict", False)
    assert [c.type for c in outcome.checks][:4] == ["integrity", "authenticity", "expiry", "authenticTimestamp"]
    assert all(c.action == "enforce" and c.passed and c.error is None for c in outcome.checks)
    assert outcome.logged_failures == ()
    assert outcome.signer is not None
    assert "p256" in outcome.signer.subject and "Notaverify Test" in outcome.signer.subject
    assert len(outcome.signer.sha256_fingerprint) == 64
    assert outcome.signing_time == SIGNING_TIME
    assert outcome.signing_time is not None and outcome.signing_time.tzinfo is not None
    assert outcome.user_metadata == {}
    assert outcome.signature is not None and outcome.signature.verified
    assert outcome.signature.digest is None  # bytes: the caller knows no signature digest
    from_file = verifier.verify(ENVELOPES / "p256.jws", reference=REFERENCE).signature
    assert from_file is not None and from_file.digest is not None and from_file.digest.startswith("sha256:")
    assert outcome.require_verified() is outcome


@pytest.mark.parametrize("name", ["p256.cose", "rsa2048.cose", "p521.cose"])
def test_cose_is_inferred_from_bytes(verifier: notaverify.Verifier, name: str) -> None:
    outcome = verifier.verify(envelope(name), reference=REFERENCE)
    assert outcome.verified
    assert outcome.signatures[0].media_type == "application/cose"


def test_input_kinds(verifier: notaverify.Verifier) -> None:
    data = envelope("p256.jws")
    for value in (data, bytearray(data), memoryview(data), str(ENVELOPES / "p256.jws"), ENVELOPES / "p256.jws"):
        assert verifier.verify(value, reference=REFERENCE).verified, type(value)
    assert verifier.verify(envelope("p256.cose"), reference=REFERENCE, media_type="cose").verified
    assert verifier.verify(data, reference=REFERENCE, media_type="application/jose+json").verified
    # A wrong explicit media type is the core's business: the envelope fails integrity.
    wrong = verifier.verify(data, reference=REFERENCE, media_type="application/cose")
    assert not wrong.verified and wrong.signatures[0].failure == "integrity"
    with pytest.raises(TypeError):
        verifier.verify(12345, reference=REFERENCE)  # type: ignore[arg-type]


def test_each_failing_check(verifier: notaverify.Verifier) -> None:
    cases = {
        "tampered/p256-signature.jws": "integrity",
        "untrusted.jws": "authenticity",
        "expired.jws": "expiry",
        "expired-leaf.jws": "authenticTimestamp",
        "tampered/p256-target-digest.jws": "integrity",
        "plugin.jws": "verificationPlugin",
    }
    for name, failure in cases.items():
        outcome = verifier.verify(envelope(name), reference=REFERENCE)
        assert not outcome.verified
        assert outcome.signature is not None
        assert outcome.signature.failure == failure, name
        with pytest.raises(notaverify.VerificationError) as info:
            outcome.require_verified()
        assert info.value.outcome is outcome
        assert info.value.code == "VERIFICATION_FAILED"
        assert failure in str(info.value)


def test_trusted_identity_failure_is_authenticity(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    v = make_verifier(identities=["x509.subject: C=US, ST=WA, L=Seattle, O=Someone Else, CN=nobody"])
    outcome = v.verify(envelope("p256.jws"), reference=REFERENCE)
    assert not outcome.verified
    assert outcome.signature is not None and outcome.signature.failure == "authenticity"
    check = outcome.signature.check("authenticity")
    assert check is not None and not check.passed and "trusted identities" in (check.error or "")


def test_logged_checks_at_permissive(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    outcome = make_verifier("permissive").verify(envelope("expired.jws"), reference=REFERENCE)
    assert outcome.verified
    assert outcome.policy is not None and outcome.policy.level == "permissive"
    [logged] = outcome.logged_failures
    assert (logged.type, logged.action, logged.passed) == ("expiry", "log", False)
    assert logged.error and "expired" in logged.error
    outcome.require_verified()


def test_logged_checks_at_audit(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    outcome = make_verifier("audit").verify(envelope("untrusted.jws"), reference=REFERENCE)
    assert outcome.verified
    assert [c.type for c in outcome.logged_failures] == ["authenticity"]
    assert outcome.logged_failures[0].action == "log"
    # Integrity is enforced at every level but skip.
    tampered = make_verifier("audit").verify(envelope("tampered/p256-signature.jws"), reference=REFERENCE)
    assert not tampered.verified


def test_custom_level_override(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    outcome = make_verifier("strict", override={"expiry": "log"}).verify(envelope("expired.jws"), reference=REFERENCE)
    assert outcome.verified
    assert outcome.policy is not None and outcome.policy.custom
    assert [c.type for c in outcome.logged_failures] == ["expiry"]


def test_skip_level(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    outcome = make_verifier("skip").verify(envelope("tampered/p256-signature.jws"), reference=REFERENCE)
    assert outcome.verified and outcome.skipped
    assert outcome.signatures == () and outcome.signature is None and outcome.checks == ()
    assert outcome.policy is not None and outcome.policy.level == "skip"


def test_user_metadata(verifier: notaverify.Verifier) -> None:
    data = envelope("metadata.jws")
    outcome = verifier.verify(data, reference=REFERENCE, user_metadata={"buildId": "101"})
    assert outcome.verified
    assert outcome.user_metadata == {"buildId": "101", "commit": "abc"}
    assert verifier.verify(data, reference=REFERENCE, user_metadata={"buildId": "101", "commit": "abc"}).verified
    bad = verifier.verify(data, reference=REFERENCE, user_metadata={"buildId": "102"})
    assert not bad.verified
    assert bad.signature is not None and bad.signature.failure == "userMetadata"
    assert "buildId" in (bad.signature.error or "")
    missing = verifier.verify(envelope("p256.jws"), reference=REFERENCE, user_metadata={"buildId": "101"})
    assert not missing.verified
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, user_metadata={"buildId": 101})  # type: ignore[dict-item]


def test_verification_time(verifier: notaverify.Verifier) -> None:
    data = envelope("expired.jws")  # expires 2025-06-02T00:00:00Z
    before = datetime(2025, 6, 1, 13, tzinfo=timezone.utc)
    assert verifier.verify(data, reference=REFERENCE, at=before).verified
    assert verifier.verify(data, reference=REFERENCE, at="2025-06-01T13:00:00Z").verified
    assert verifier.verify(data, reference=REFERENCE, at=before.astimezone(timezone(timedelta(hours=-8)))).verified
    assert not verifier.verify(data, reference=REFERENCE, at="2025-06-02T00:00:00Z").verified
    assert not verifier.verify(data, reference=REFERENCE).verified  # now
    # The expired leaf (2020-01-01 .. 2021-01-01) is valid at a time inside its validity.
    assert verifier.verify(envelope("expired-leaf.jws"), reference=REFERENCE, at="2020-06-01T00:00:00Z").verified
    with pytest.raises(notaverify.InvalidInputError, match="timezone-aware"):
        verifier.verify(data, reference=REFERENCE, at=datetime(2025, 6, 1, 13))
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, at="2025-06-01 13:00:00")
    with pytest.raises(TypeError):
        verifier.verify(data, reference=REFERENCE, at=1748779200)  # type: ignore[arg-type]


def test_descriptor_is_compared(verifier: notaverify.Verifier) -> None:
    data = envelope("p256.jws")
    assert verifier.verify(data, reference=REFERENCE, descriptor=DESCRIPTOR).verified
    wrong_size = verifier.verify(data, reference=REFERENCE, descriptor={**DESCRIPTOR, "size": 1})
    assert not wrong_size.verified and wrong_size.signatures[0].failure == "integrity"
    wrong_type = verifier.verify(data, reference=REFERENCE, descriptor={**DESCRIPTOR, "mediaType": "application/json"})
    assert not wrong_type.verified
    other = "sha256:" + "0" * 64
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, descriptor={**DESCRIPTOR, "digest": other})
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, descriptor={"digest": MANIFEST_DIGEST})  # type: ignore[typeddict-item]
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, descriptor={**DESCRIPTOR, "size": True})


def test_several_signatures(verifier: notaverify.Verifier) -> None:
    outcome = verifier.verify_artifact(REFERENCE, [envelope("untrusted.jws"), ENVELOPES / "p256.cose", envelope("p384.jws")])
    assert outcome.verified
    assert [s.verified for s in outcome.signatures] == [False, True]  # stops at the first that verifies
    assert outcome.signature is not None and outcome.signature.media_type == "application/cose"
    none = verifier.verify_artifact(REFERENCE, [])
    assert not none.verified and none.error is not None and none.error.code == "NO_SIGNATURE"
    with pytest.raises(notaverify.VerificationError) as info:
        none.require_verified()
    assert info.value.code == "NO_SIGNATURE"
    limited = verifier.verify_artifact(REFERENCE, [envelope("untrusted.jws"), envelope("p256.jws")], max_signatures=1)
    assert not limited.verified and limited.error is not None and limited.error.code == "MAX_SIGNATURES_EXCEEDED"
    all_bad = verifier.verify_artifact(REFERENCE, (envelope(n) for n in ["untrusted.jws", "expired.jws"]))
    assert not all_bad.verified and len(all_bad.signatures) == 2
    with pytest.raises(TypeError):
        verifier.verify_artifact(REFERENCE, envelope("p256.jws"))


def test_require_verified_on_verifier(verifier: notaverify.Verifier) -> None:
    ok = verifier.require_verified(envelope("p256.jws"), reference=REFERENCE)
    assert ok.verified
    with pytest.raises(notaverify.VerificationError) as info:
        verifier.require_verified(envelope("untrusted.jws"), reference=REFERENCE)
    error = info.value
    assert isinstance(error, notaverify.NotaverifyError) and not isinstance(error, ValueError)
    assert error.outcome is not None and not error.outcome.verified
    assert error.outcome.signature is not None and error.outcome.signature.failure == "authenticity"


def test_json_matches_cli_contract(verifier: notaverify.Verifier, make_verifier: Callable[..., notaverify.Verifier]) -> None:
    outcomes = [
        verifier.verify(envelope("metadata.jws"), reference=REFERENCE),
        verifier.verify(envelope("untrusted.jws"), reference=REFERENCE),
        verifier.verify_artifact(REFERENCE, []),
        make_verifier("skip").verify(envelope("p256.jws"), reference=REFERENCE),
    ]
    for outcome in outcomes:
        doc = json.loads(outcome.to_json())
        assert doc == outcome.to_dict()
        assert {"reference", "verified", "policy", "signatures", "error"} <= set(doc)
        assert doc["reference"] == outcome.reference and doc["verified"] == outcome.verified
        if doc["policy"] is not None:
            assert outcome.policy is not None and doc["policy"]["name"] == outcome.policy.name
            assert doc["policy"]["level"] == outcome.policy.level
        error = outcome.error
        assert doc["error"] == (None if error is None else {"code": error.code, "message": error.message})
        for sig_doc, sig in zip(doc["signatures"], outcome.signatures):
            assert sig_doc == sig.to_dict()
            assert {"digest", "mediaType", "verified", "checks", "signer", "signingTime", "userMetadata"} <= set(sig_doc)
            assert sig_doc["mediaType"] == sig.media_type and sig_doc["verified"] == sig.verified
            assert sig_doc["userMetadata"] == sig.user_metadata
            assert sig_doc["checks"] == [c.to_dict() for c in sig.checks]
            if sig.signer is not None:
                assert sig_doc["signer"] == {
                    "subject": sig.signer.subject,
                    "issuer": sig.signer.issuer,
                    "sha256Fingerprint": sig.signer.sha256_fingerprint,
                }
            if sig.signing_time is not None:
                assert sig_doc["signingTime"] == "2025-06-01T12:00:00Z"


def test_results_are_frozen_values(verifier: notaverify.Verifier) -> None:
    outcome = verifier.verify(envelope("p256.jws"), reference=REFERENCE)
    check = outcome.checks[0]
    for obj, attr in [(outcome, "verified"), (check, "passed"), (outcome.signer, "subject"), (outcome.policy, "name")]:
        with pytest.raises(AttributeError):
            setattr(obj, attr, None)
    again = verifier.verify(envelope("p256.jws"), reference=REFERENCE)
    assert outcome.checks == again.checks
    assert outcome.signer == again.signer and outcome.policy == again.policy
    assert outcome.signatures[0] == again.signatures[0]
    assert outcome == again
    assert "CheckResult(type='integrity'" in repr(check) or 'CheckResult(type="integrity"' in repr(check)
    assert "verified=True" in repr(outcome)
    assert isinstance(outcome.signatures, tuple)


def test_policy_and_store_construction(trust_store: notaverify.TrustStore) -> None:
    text = (FIXTURES / "trustpolicy.json").read_text()
    for doc in (text, text.encode(), json.loads(text), FIXTURES / "trustpolicy.json"):
        policy = notaverify.TrustPolicy.from_file(doc) if isinstance(doc, Path) else notaverify.TrustPolicy.from_json(doc)
        assert notaverify.Verifier(policy, trust_store).verify(envelope("p256.jws"), reference=REFERENCE).verified
    store = notaverify.TrustStore()
    assert store.add("ca", "test-roots", (FIXTURES / "pki" / "p256" / "root.pem").read_bytes()) == 1
    assert store.add("ca", "test-roots", FIXTURES / "pki" / "rsa2048" / "root.pem") == 1
    v = notaverify.Verifier(notaverify.TrustPolicy.from_json(text), store)
    assert v.verify(envelope("p256.jws"), reference=REFERENCE).verified
    assert v.verify(envelope("rsa2048.jws"), reference=REFERENCE).verified
    assert not v.verify(envelope("p384.jws"), reference=REFERENCE).verified
    # The store was copied into the verifier: adding later changes nothing for it.
    store.add("ca", "test-roots", FIXTURES / "pki" / "p384" / "root.pem")
    assert not v.verify(envelope("p384.jws"), reference=REFERENCE).verified


def test_from_config_dir(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    v = notaverify.Verifier.from_config_dir(config_dir)
    assert v.verify(envelope("p256.jws"), reference=REFERENCE).verified
    assert v.verify_blob(FIXTURES / "blob" / "example.txt", envelope("blob.jws")).verified
    monkeypatch.setenv("NOTATION_CONFIG", str(config_dir))
    assert notaverify.Verifier.from_config_dir().verify(envelope("p256.cose"), reference=REFERENCE).verified
    assert notaverify.Verifier.from_config_dir(None).verify(envelope("p256.cose"), reference=REFERENCE).verified


def test_module_metadata() -> None:
    assert notaverify.__version__
    assert notaverify.CRYPTO_BACKEND
    assert set(notaverify.__all__) <= set(dir(notaverify))
    assert notaverify.Outcome.__module__ == "notaverify"
    for exc in (notaverify.NotaverifyError, notaverify.VerificationError, notaverify.PolicyError):
        assert exc.__module__ == "notaverify"
