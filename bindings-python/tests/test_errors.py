"""Every exception type, and what raises it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

import notaverify
from notaverify import _notaverify
from conftest import FIXTURES, REFERENCE, envelope, oci_policy

ALL = [
    notaverify.PolicyError,
    notaverify.TrustStoreError,
    notaverify.EnvelopeFormatError,
    notaverify.InvalidInputError,
    notaverify.VerificationError,
]


def test_hierarchy() -> None:
    for exc in ALL:
        assert issubclass(exc, notaverify.NotaverifyError)
    for exc in ALL[:-1]:
        assert issubclass(exc, ValueError), exc  # "could not evaluate": bad input
    assert not issubclass(notaverify.VerificationError, ValueError)
    err = notaverify.VerificationError("failed")
    assert err.outcome is None and err.code == "VERIFICATION_FAILED" and err.message == "failed"


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        b"{}",
        {"version": "1.0", "trustPolicies": []},
        {"version": "2.0", "trustPolicies": oci_policy()["trustPolicies"]},
        oci_policy("paranoid"),
        oci_policy(stores=["ca:a", "bogus:b"]),
        oci_policy(identities=["x509.subject: not a DN"]),
        {"version": "1.0", "trustPolicies": oci_policy()["trustPolicies"] * 2},
    ],
)
def test_policy_error(document: object) -> None:
    with pytest.raises(notaverify.PolicyError) as info:
        notaverify.TrustPolicy.from_json(document)  # type: ignore[arg-type]
    assert info.value.code == "POLICY"
    assert str(info.value)


def test_policy_errors_from_files_and_blob_policies(tmp_path: Path) -> None:
    bad = tmp_path / "trustpolicy.json"
    bad.write_text(json.dumps(oci_policy("paranoid")))
    with pytest.raises(notaverify.PolicyError):
        notaverify.TrustPolicy.from_file(bad)
    with pytest.raises(notaverify.PolicyError):
        notaverify.BlobTrustPolicy.from_json(oci_policy())  # registryScopes is not a blob policy member
    with pytest.raises(notaverify.InvalidInputError) as info:
        notaverify.TrustPolicy.from_file(tmp_path / "missing.json")
    assert info.value.code == "LOAD" and "missing.json" in str(info.value)
    with pytest.raises(TypeError):
        notaverify.TrustPolicy.from_json(42)  # type: ignore[arg-type]


def test_no_applicable_policy(make_verifier: Callable[..., notaverify.Verifier]) -> None:
    v = make_verifier(scopes=["registry.example/other"])
    with pytest.raises(notaverify.PolicyError) as info:
        v.verify(envelope("p256.jws"), reference=REFERENCE)
    assert info.value.code == "NO_APPLICABLE_POLICY"


def test_trust_store_error(tmp_path: Path) -> None:
    store = notaverify.TrustStore()
    cases = [
        ("bogus", "name", (FIXTURES / "pki" / "p256" / "root.pem").read_bytes()),
        ("ca", "name", b"not a certificate"),
        ("ca", "bad/name", (FIXTURES / "pki" / "p256" / "root.pem").read_bytes()),
        ("ca", "leaf", (FIXTURES / "pki" / "p256" / "leaf.pem").read_bytes()),  # not a CA
    ]
    for store_type, name, data in cases:
        with pytest.raises(notaverify.TrustStoreError) as info:
            store.add(store_type, name, data)  # type: ignore[arg-type]
        assert info.value.code in ("TRUST_STORE", "CERTIFICATE")
    (tmp_path / "truststore" / "x509" / "ca" / "broken").mkdir(parents=True)
    (tmp_path / "truststore" / "x509" / "ca" / "broken" / "junk.pem").write_text("junk")
    with pytest.raises(notaverify.NotaverifyError):
        notaverify.TrustStore.from_config_dir(tmp_path)
    with pytest.raises(notaverify.InvalidInputError):
        notaverify.TrustStore.from_config_dir(tmp_path / "missing")
    with pytest.raises(notaverify.InvalidInputError):
        store.add("ca", "name", tmp_path / "missing.pem")


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks")
def test_symlinks_are_refused_as_the_cli_refuses_them(tmp_path: Path) -> None:
    """Files and trust-store folders are read by the core's loader: no symlink is followed."""
    root_pem = FIXTURES / "pki" / "p256" / "root.pem"
    # A complete configuration directory, readable as it is.
    real = tmp_path / "real"
    (real / "truststore" / "x509" / "ca" / "roots").mkdir(parents=True)
    (real / "truststore" / "x509" / "ca" / "roots" / "root.pem").write_bytes(root_pem.read_bytes())
    (real / "trustpolicy.json").write_text(json.dumps(oci_policy()))
    notaverify.TrustStore.from_config_dir(real)
    notaverify.TrustPolicy.from_file(real / "trustpolicy.json")
    # A symlinked trust-store folder, pointing inside the configuration directory or outside it.
    for name, target in (("inside", "roots"), ("outside", str(real / "truststore" / "x509" / "ca" / "roots"))):
        folder = tmp_path / name / "truststore" / "x509" / "ca"
        (folder / "roots").mkdir(parents=True)
        os.symlink(target, folder / "linked")
        with pytest.raises(notaverify.InvalidInputError) as info:
            notaverify.TrustStore.from_config_dir(tmp_path / name)
        message = str(info.value)
        assert info.value.code == "LOAD" and str(folder / "linked") in message and "symlink" in message, message
    # A symlinked policy file, certificate file and CRL file.
    links = tmp_path / "links"
    links.mkdir()
    os.symlink(real / "trustpolicy.json", links / "trustpolicy.json")
    os.symlink(root_pem, links / "root.pem")
    os.symlink(root_pem, links / "crl.pem")
    calls: list[Callable[[], object]] = [
        lambda: notaverify.TrustPolicy.from_file(links / "trustpolicy.json"),
        lambda: notaverify.TrustStore().add("ca", "roots", links / "root.pem"),
        lambda: notaverify.RevocationEvidence().add_crl(links / "crl.pem"),
    ]
    for call in calls:
        with pytest.raises(notaverify.InvalidInputError) as info:
            call()
        assert info.value.code == "LOAD" and "not a regular file" in str(info.value), str(info.value)
    # The file itself is accepted.
    assert notaverify.TrustStore().add("ca", "roots", root_pem) == 1


def test_envelope_format_error(verifier: notaverify.Verifier) -> None:
    for junk in (b"", b"\x00\x01\x02", b"<xml/>", b"   "):
        with pytest.raises(notaverify.EnvelopeFormatError) as info:
            verifier.verify(junk, reference=REFERENCE)
        assert info.value.code == "ENVELOPE"
    # A JSON object that is not a valid JWS is an envelope that fails integrity, not a format error.
    outcome = verifier.verify(b'{"payload": 1}', reference=REFERENCE)
    assert not outcome.verified and outcome.signatures[0].failure == "integrity"


def test_invalid_input(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    data = envelope("p256.jws")
    for reference in ("registry.example/app:v1", "registry.example/app@sha256:abc", "registry.example/app@md5:" + "0" * 32):
        with pytest.raises(notaverify.InvalidInputError) as info:
            verifier.verify(data, reference=reference)
        assert info.value.code == "INVALID_INPUT"
    with pytest.raises(notaverify.InvalidInputError) as info:
        verifier.verify(tmp_path / "missing.jws", reference=REFERENCE)
    assert info.value.code == "LOAD"
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify_artifact(REFERENCE, [data], max_signatures=0)
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify(data, reference=REFERENCE, user_metadata={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(notaverify.InvalidInputError):
        notaverify.Verifier.from_config_dir(tmp_path / "no-config-here")


def test_verification_error_carries_the_outcome(verifier: notaverify.Verifier) -> None:
    with pytest.raises(notaverify.VerificationError) as info:
        verifier.require_verified(envelope("expired.jws"), reference=REFERENCE)
    outcome = info.value.outcome
    assert outcome is not None
    assert outcome.signature is not None and outcome.signature.failure == "expiry"
    assert json.loads(outcome.to_json())["verified"] is False


def test_internal_panic_is_an_error_not_a_pass() -> None:
    with pytest.raises(notaverify.NotaverifyError) as info:
        _notaverify._fault_injection_panic()
    assert info.value.code == "INTERNAL"
    assert type(info.value) is notaverify.NotaverifyError
