"""inspect_oci_layout and inspect: what signatures claim, read with no policy or trust store, and
the same document as ``notaverify inspect -o json``.

The CLI is the binary cargo built: ``$NOTAVERIFY_CLI`` (run-tests.sh builds it and sets it), else
``target/debug/notaverify``."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

import notaverify
from conftest import ENVELOPES, REPO

LAYOUTS = REPO / "cli" / "tests" / "fixtures" / "scan" / "layouts"
CLI = Path(os.environ.get("NOTAVERIFY_CLI") or REPO / "target" / "debug" / "notaverify")
needs_cli = pytest.mark.skipif(not CLI.is_file(), reason=f"no CLI binary at {CLI} (cargo build -p notaverify-cli)")
# An envelope countersigned by the test TSA of core/tests/revocation/generate.py.
TIMESTAMPED = REPO / "core" / "tests" / "revocation" / "ts" / "good.cose"


def cli_inspect(*args: str) -> Any:
    env = {k: v for k, v in os.environ.items() if k != "NOTATION_CONFIG"}
    run = subprocess.run([str(CLI), "inspect", *args, "-o", "json"], capture_output=True, text=True, timeout=60, env=env)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_multi_signed_layout_lists_each_signer() -> None:
    inspection = notaverify.inspect_oci_layout(LAYOUTS / "app", "dual")
    assert isinstance(inspection, notaverify.Inspection)
    assert inspection.reference is not None and inspection.reference.startswith(f"{LAYOUTS / 'app'}@sha256:")
    assert len(inspection.signatures) == 2
    fingerprints = set()
    for signature in inspection.signatures:
        assert isinstance(signature, notaverify.SignatureInspection)
        assert signature.error is None
        assert signature.media_type == notaverify.JWS_MEDIA_TYPE
        assert signature.signing_scheme == "notary.x509"
        assert signature.signing_time == datetime(2025, 6, 1, 12, tzinfo=timezone.utc)
        assert signature.digest is not None and signature.digest.startswith("sha256:")
        signer = signature.signer
        assert isinstance(signer, notaverify.CertificateSummary)
        assert signature.certificate_chain[0] == signer
        assert len(signature.certificate_chain) == 3
        assert signer.not_before.tzinfo is not None and signer.not_before < signer.not_after
        target = signature.target
        assert target is not None and inspection.reference.endswith("@" + target["digest"])
        fingerprints.add(signer.sha256_fingerprint)
    assert len(fingerprints) == 2


def test_layout_by_digest_is_the_same_inspection() -> None:
    by_tag = notaverify.inspect_oci_layout(str(LAYOUTS / "app"), "dual")
    assert by_tag.reference is not None
    digest = by_tag.reference.rsplit("@", 1)[1]
    assert notaverify.inspect_oci_layout(LAYOUTS / "app", digest) == by_tag


@needs_cli
def test_to_json_is_the_cli_document() -> None:
    inspection = notaverify.inspect_oci_layout(str(LAYOUTS / "app"), "dual")
    document = cli_inspect("--oci-layout", f"{LAYOUTS / 'app'}:dual")
    assert document.pop("error") is None
    assert json.loads(inspection.to_json()) == document
    assert inspection.to_dict() == document
    assert [s.to_dict() for s in inspection.signatures] == document["signatures"]


@needs_cli
def test_envelope_files_are_the_cli_document() -> None:
    files = [ENVELOPES / "metadata.jws", ENVELOPES / "sa.cose"]
    inspection = notaverify.inspect(files, reference="registry.example/app@sha256:" + "0" * 64)
    document = cli_inspect(*[a for f in files for a in ("--signature", str(f))])
    document.pop("error")
    assert inspection.to_dict()["signatures"] == document["signatures"]
    assert inspection.reference == "registry.example/app@sha256:" + "0" * 64
    metadata, authority = inspection.signatures
    assert metadata.user_metadata == {"buildId": "101", "commit": "abc"}
    assert authority.signing_scheme == "notary.x509.signingAuthority"
    assert authority.authentic_signing_time is not None and authority.signing_time is None


def test_unsigned_artifact_has_no_signatures() -> None:
    inspection = notaverify.inspect_oci_layout(LAYOUTS / "legacy", "legacy-a")
    assert inspection.signatures == ()
    assert json.loads(inspection.to_json())["signatures"] == []


def test_unreadable_envelope_is_listed_with_its_error() -> None:
    good = (ENVELOPES / "p256.cose").read_bytes()
    inspection = notaverify.inspect([b'{"not": "an envelope"}', bytearray(good), memoryview(b"\xd2garbage")])
    assert inspection.reference is None
    broken, readable, broken_cose = inspection.signatures
    assert broken.error and broken.media_type == notaverify.JWS_MEDIA_TYPE
    assert broken.signer is None and broken.certificate_chain == () and broken.digest is None
    assert readable.error is None and readable.signer is not None
    assert broken_cose.error and broken_cose.media_type == notaverify.COSE_MEDIA_TYPE
    given = notaverify.inspect([b"garbage"], media_type="cose").signatures[0]
    assert given.error and given.media_type == notaverify.COSE_MEDIA_TYPE


def test_unrecognizable_bytes_without_a_media_type_raise_as_verify_does() -> None:
    with pytest.raises(notaverify.EnvelopeFormatError):
        notaverify.inspect([b"garbage"])
    with pytest.raises(TypeError):
        notaverify.inspect(b"{}")  # type: ignore[arg-type]


@needs_cli
def test_timestamp_countersignature() -> None:
    inspection = notaverify.inspect([TIMESTAMPED])
    timestamp = inspection.signatures[0].timestamp
    assert isinstance(timestamp, notaverify.TimestampSummary)
    assert timestamp.error is None
    assert timestamp.tsa_subject == "CN=Test TSA,O=Notaverify Revocation Test,C=US"
    assert timestamp.gen_time is not None and timestamp.gen_time.tzinfo is not None
    document = json.loads(
        subprocess.run(
            [str(CLI), "inspect", "--signature", str(TIMESTAMPED), "-o", "json"], check=True, capture_output=True
        ).stdout
    )
    assert json.loads(inspection.to_json())["signatures"] == document["signatures"]


def test_bad_requests_raise_the_codes_of_the_other_calls(tmp_path: Path) -> None:
    with pytest.raises(notaverify.InvalidInputError) as missing:
        notaverify.inspect_oci_layout(tmp_path / "missing", "v1")
    assert missing.value.code == "LOAD"
    with pytest.raises(notaverify.InvalidInputError) as no_tag:
        notaverify.inspect_oci_layout(LAYOUTS / "app", "no-such-tag")
    assert no_tag.value.code == "LOAD"
    with pytest.raises(notaverify.InvalidInputError) as bad_digest:
        notaverify.inspect_oci_layout(LAYOUTS / "app", "sha256:XYZ")
    assert bad_digest.value.code == "INVALID_INPUT"
