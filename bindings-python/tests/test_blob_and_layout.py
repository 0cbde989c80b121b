"""Blob signatures and OCI image layouts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import notaverify
from conftest import BLOB, ENVELOPES, FIXTURES, MANIFEST_DIGEST, REPO, envelope, write_layout


@pytest.mark.parametrize("name", ["blob.jws", "blob.cose", "blob-p384.jws", "blob-p384.cose"])
def test_blob_signatures(verifier: notaverify.Verifier, name: str) -> None:
    outcome = verifier.verify_blob(BLOB.read_bytes(), envelope(name))
    assert outcome.verified, outcome.to_json()
    assert outcome.reference == "blob"
    assert outcome.policy is not None and outcome.policy.name == "test-strict"
    assert outcome.signing_time is not None


def test_blob_inputs_and_names(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    data = BLOB.read_bytes()
    by_path = verifier.verify_blob(BLOB, envelope("blob.jws"))
    assert by_path.verified and by_path.reference == str(BLOB)
    assert verifier.verify_blob(str(BLOB), envelope("blob.jws"), name="example").reference == "example"
    assert verifier.verify_blob(bytearray(data), memoryview(envelope("blob.cose"))).verified
    # A signature file follows notation's naming rule (<name>.jws.sig / <name>.cose.sig) ...
    sig = tmp_path / "example.txt.cose.sig"
    shutil.copy(ENVELOPES / "blob.cose", sig)
    assert verifier.verify_blob(data, sig).verified
    odd = tmp_path / "example.signature"
    shutil.copy(ENVELOPES / "blob.jws", odd)
    with pytest.raises(notaverify.InvalidInputError) as info:
        verifier.verify_blob(data, odd)
    assert info.value.code == "LOAD"
    # ... unless the media type is given.
    assert verifier.verify_blob(data, odd, media_type="jws").verified


def test_blob_failures(verifier: notaverify.Verifier) -> None:
    data = BLOB.read_bytes()
    changed = verifier.verify_blob(data + b"!", envelope("blob.jws"))
    assert not changed.verified
    assert changed.signature is not None and changed.signature.failure == "integrity"
    assert verifier.verify_blob(data, envelope("blob.jws"), blob_media_type="text/plain").verified
    assert not verifier.verify_blob(data, envelope("blob.jws"), blob_media_type="application/json").verified
    meta = verifier.verify_blob(data, envelope("blob.jws"), user_metadata={"k": "v"})
    assert not meta.verified and meta.signature is not None and meta.signature.failure == "userMetadata"
    with pytest.raises(notaverify.PolicyError):
        verifier.verify_blob(data, envelope("blob.jws"), policy_name="no-such-statement")
    # An OCI signature is not a blob signature of this blob.
    assert not verifier.verify_blob(data, envelope("p256.jws")).verified


def test_blob_needs_a_blob_policy(make_verifier) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(notaverify.InvalidInputError):
        make_verifier().verify_blob(BLOB.read_bytes(), envelope("blob.jws"))


def test_oci_layout_by_tag_and_digest(verifier: notaverify.Verifier, tmp_path: Path) -> None:
    layout = tmp_path / "layout"
    digest = write_layout(layout, [(envelope("untrusted.jws"), "application/jose+json"), (envelope("p256.cose"), "application/cose")])
    assert digest == MANIFEST_DIGEST
    for reference in ("v1", digest):
        outcome = verifier.verify_oci_layout(layout, reference=reference, scope="registry.example/app")
        assert outcome.verified, outcome.to_json()
        assert outcome.reference == f"registry.example/app@{digest}"
        assert len(outcome.signatures) == 2
        assert [s.digest is not None for s in outcome.signatures] == [True, True]
    limited = verifier.verify_oci_layout(str(layout), reference="v1", scope="registry.example/app", max_signatures=1)
    assert limited.error is not None and limited.error.code == "MAX_SIGNATURES_EXCEEDED"


def test_oci_layout_failures(verifier: notaverify.Verifier, make_verifier, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad"
    write_layout(bad, [(envelope("untrusted.jws"), "application/jose+json")])
    outcome = verifier.verify_oci_layout(bad, reference="v1", scope="registry.example/app")
    assert not outcome.verified
    with pytest.raises(notaverify.VerificationError):
        outcome.require_verified()
    logged = make_verifier("audit").verify_oci_layout(bad, reference="v1", scope="registry.example/app")
    assert logged.verified and [c.type for c in logged.logged_failures] == ["authenticity"]
    unsigned = tmp_path / "unsigned"
    write_layout(unsigned, [])
    nosig = verifier.verify_oci_layout(unsigned, reference="v1", scope="registry.example/app")
    assert not nosig.verified and nosig.error is not None and nosig.error.code == "NO_SIGNATURE"
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify_oci_layout(unsigned, reference="no-such-tag", scope="registry.example/app")
    with pytest.raises(notaverify.InvalidInputError):
        verifier.verify_oci_layout(tmp_path / "missing", reference="v1", scope="registry.example/app")


EXAMPLES = REPO / "examples"


@pytest.mark.skipif(not (EXAMPLES / "layout").is_dir() or not (EXAMPLES / "config").is_dir(), reason="examples/ not generated yet")
def test_bundled_example_layout() -> None:
    verifier = notaverify.Verifier.from_config_dir(EXAMPLES / "config")
    outcome = verifier.verify_oci_layout(EXAMPLES / "layout", reference="v1", scope="example.com/app")
    assert outcome.verified, outcome.to_json()


def test_fixture_dir_is_a_config_dir() -> None:
    verifier = notaverify.Verifier.from_config_dir(FIXTURES)
    assert verifier.verify_blob(BLOB, envelope("blob.cose")).verified
