"""Revocation evidence over the generated fixtures of core/tests/revocation (certificates that
name CRL distribution points / an OCSP responder), as core/tests/revocation.rs and
cli/tests/revocation_evidence.rs verify them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import notaverify

from conftest import REFERENCE, REPO

REVOCATION = REPO / "core" / "tests" / "revocation"
AT = "2026-01-01T00:00:00Z"
ROOT_CRL = "http://crl.test/root.crl"
INTER_CRL = "http://crl.test/inter.crl"
UNKNOWN = 'signing certificate with subject "CN=Revocation leaf-crl,O=Notaverify Revocation Test,C=US" revocation status is unknown'
REVOKED = 'signing certificate with subject "CN=Revocation leaf-crl,O=Notaverify Revocation Test,C=US" is revoked'


def crl(name: str) -> bytes:
    return (REVOCATION / "crl" / f"{name}.crl").read_bytes()


def policy() -> notaverify.TrustPolicy:
    return notaverify.TrustPolicy.from_json({
        "version": "1.0",
        "trustPolicies": [{
            "name": "revocation",
            "registryScopes": ["*"],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:revocation"],
            "trustedIdentities": ["*"],
        }],
    })


def store() -> notaverify.TrustStore:
    s = notaverify.TrustStore()
    s.add("ca", "revocation", REVOCATION / "pki" / "root.pem")
    return s


def evidence(*names: str) -> notaverify.RevocationEvidence:
    e = notaverify.RevocationEvidence()
    for name in names:
        e.add_crl(crl(name))
    return e


def revocation_error(outcome: notaverify.Outcome) -> str | None:
    check = outcome.signatures[0].check("revocation")
    assert check is not None
    return check.error


def verify(verifier: notaverify.Verifier, envelope: str = "leaf-crl", **kwargs: object) -> notaverify.Outcome:
    return verifier.verify(REVOCATION / "envelopes" / f"{envelope}.jws", reference=REFERENCE, at=AT, **kwargs)  # type: ignore[arg-type]


def test_without_evidence_the_status_is_unknown_and_strict_fails() -> None:
    outcome = verify(notaverify.Verifier(policy(), store()))
    assert not outcome.verified
    assert revocation_error(outcome) == UNKNOWN


def test_good_crls_for_every_certificate_verify() -> None:
    verifier = notaverify.Verifier(policy(), store(), revocation=evidence("root-good", "inter-good"))
    outcome = verify(verifier)
    assert outcome.verified, outcome.to_json()
    assert revocation_error(outcome) is None


def test_a_crl_that_revokes_the_leaf_fails() -> None:
    verifier = notaverify.Verifier(policy(), store(), revocation=evidence("root-good", "inter-revokes-leaves"))
    outcome = verify(verifier)
    assert not outcome.verified
    assert revocation_error(outcome) == REVOKED
    with pytest.raises(notaverify.VerificationError):
        verifier.require_verified(REVOCATION / "envelopes" / "leaf-crl.jws", reference=REFERENCE, at=AT)


def test_crls_keyed_by_url_and_pem() -> None:
    e = notaverify.RevocationEvidence()
    e.add_crl(crl("root-good"), url=ROOT_CRL)
    e.add_crl(REVOCATION / "crl" / "inter-good.crl", url=INTER_CRL)  # a path works too
    assert len(e) == 2
    assert repr(e) == "RevocationEvidence(crl_urls=2, crls=0, ocsp_responses=0)"
    assert verify(notaverify.Verifier(policy(), store(), revocation=e)).verified


def test_per_call_evidence_is_added_to_the_verifiers() -> None:
    verifier = notaverify.Verifier(policy(), store(), revocation=evidence("root-good"))
    assert not verify(verifier).verified
    assert verify(verifier, revocation=evidence("inter-good")).verified
    assert verifier.verify_artifact(
        REFERENCE, [REVOCATION / "envelopes" / "leaf-crl.jws"], at=AT, revocation=evidence("inter-good")
    ).verified
    outcome = verifier.require_verified(
        REVOCATION / "envelopes" / "leaf-crl.jws", reference=REFERENCE, at=AT, revocation=evidence("inter-good")
    )
    assert outcome.verified
    # The verifier kept its own copy: evidence added later does not change it.
    e = evidence("root-good")
    verifier = notaverify.Verifier(policy(), store(), revocation=e)
    e.add_crl(crl("inter-good"))
    assert not verify(verifier).verified


def test_ocsp_responses() -> None:
    good = notaverify.RevocationEvidence()
    good.add_ocsp_response(REVOCATION / "ocsp" / "leaf-ocsp-good.der")
    good.add_crl(crl("root-good"))
    assert verify(notaverify.Verifier(policy(), store(), revocation=good), "leaf-ocsp").verified
    revoked = notaverify.RevocationEvidence()
    revoked.add_ocsp_response((REVOCATION / "ocsp" / "leaf-ocsp-revoked.der").read_bytes())
    revoked.add_crl(crl("root-good"))
    outcome = verify(notaverify.Verifier(policy(), store(), revocation=revoked), "leaf-ocsp")
    assert not outcome.verified
    assert "is revoked" in (revocation_error(outcome) or "")


@pytest.mark.parametrize("add", [
    lambda e: e.add_crl(b"not a CRL"),
    lambda e: e.add_crl(b"not a CRL", url=INTER_CRL),
    lambda e: e.add_ocsp_response(b"\x30\x03\x02\x01\x00"),
])
def test_garbage_evidence_raises_invalid_input(add) -> None:  # type: ignore[no-untyped-def]
    e = notaverify.RevocationEvidence()
    with pytest.raises(notaverify.InvalidInputError) as info:
        add(e)
    assert info.value.code == "INVALID_INPUT"
    assert isinstance(info.value, ValueError)
    assert len(e) == 0


def test_a_missing_file_raises_load() -> None:
    with pytest.raises(notaverify.InvalidInputError) as info:
        notaverify.RevocationEvidence().add_crl(REVOCATION / "crl" / "missing.crl")
    assert info.value.code == "LOAD"
    with pytest.raises(TypeError):
        notaverify.RevocationEvidence().add_crl(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        notaverify.Verifier(policy(), store(), revocation="root-good.crl")  # type: ignore[arg-type]


def test_crl_cache_directory(tmp_path: Path) -> None:
    import base64

    for url, name in [(ROOT_CRL, "root-good"), (INTER_CRL, "inter-good")]:
        key = hashlib.sha256(url.encode()).hexdigest()
        (tmp_path / key).write_text(json.dumps({"baseCRL": base64.b64encode(crl(name)).decode()}))
    (tmp_path / "not-a-cache-entry.tmp").write_text("ignored")
    e = notaverify.RevocationEvidence.from_crl_cache(tmp_path)
    assert len(e) == 2
    assert verify(notaverify.Verifier(policy(), store(), revocation=e)).verified
    with pytest.raises(notaverify.InvalidInputError) as info:
        notaverify.RevocationEvidence.from_crl_cache(tmp_path / "missing")
    assert info.value.code == "LOAD"


def test_from_config_dir_with_revocation(tmp_path: Path) -> None:
    (tmp_path / "truststore/x509/ca/revocation").mkdir(parents=True)
    (tmp_path / "truststore/x509/ca/revocation/root.pem").write_bytes((REVOCATION / "pki/root.pem").read_bytes())
    (tmp_path / "trustpolicy.json").write_text(json.dumps({
        "version": "1.0",
        "trustPolicies": [{"name": "all", "registryScopes": ["*"], "signatureVerification": {"level": "strict"},
                           "trustStores": ["ca:revocation"], "trustedIdentities": ["*"]}],
    }))
    assert not verify(notaverify.Verifier.from_config_dir(tmp_path)).verified
    verifier = notaverify.Verifier.from_config_dir(tmp_path, revocation=evidence("root-good", "inter-good"))
    assert verify(verifier).verified

