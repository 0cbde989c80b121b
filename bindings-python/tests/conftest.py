"""Shared fixtures: the generated PKI, envelopes and trust material of core/tests/fixtures."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

import pytest

import notaverify

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "core" / "tests" / "fixtures"
ENVELOPES = FIXTURES / "envelopes"
MANIFEST = (FIXTURES / "target" / "manifest.json").read_bytes()
MANIFEST_DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
BLOB = FIXTURES / "blob" / "example.txt"
REFERENCE = f"registry.example/app@{MANIFEST_DIGEST}"
DESCRIPTOR = {"mediaType": MANIFEST_MEDIA_TYPE, "digest": MANIFEST_DIGEST, "size": len(MANIFEST)}
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "cases.json").read_text())

STORES = ["ca:test-roots", "signingAuthority:test-sa"]


T = TypeVar("T")


def run_beside_a_counting_thread(work: Callable[[], T]) -> tuple[T, float, int]:
    """Runs `work` while another Python thread counts; returns its result, how long it took and
    how often the other thread advanced meanwhile (never, if `work` held the GIL throughout)."""
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.01)
        before = ticks
        start = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        stop.set()
        counter.join()
    return result, elapsed, during


def envelope(name: str) -> bytes:
    """The bytes of ``envelopes/<name>``."""
    return (ENVELOPES / name).read_bytes()


def oci_policy(level: str = "strict", *, scopes: list[str] | None = None, stores: list[str] | None = None,
               identities: list[str] | None = None, override: dict[str, str] | None = None) -> dict[str, Any]:
    """A one-statement OCI trust policy document."""
    verification: dict[str, Any] = {"level": level}
    if override:
        verification["override"] = override
    statement: dict[str, Any] = {
        "name": f"test-{level}",
        "registryScopes": scopes or ["*"],
        "signatureVerification": verification,
    }
    if level != "skip":
        statement["trustStores"] = STORES if stores is None else stores
        statement["trustedIdentities"] = identities or ["*"]
    return {"version": "1.0", "trustPolicies": [statement]}


@pytest.fixture(scope="session")
def trust_store() -> notaverify.TrustStore:
    return notaverify.TrustStore.from_config_dir(FIXTURES)


@pytest.fixture(scope="session")
def verifier(trust_store: notaverify.TrustStore) -> notaverify.Verifier:
    return notaverify.Verifier(
        notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json"),
        trust_store,
        blob_policy=notaverify.BlobTrustPolicy.from_file(FIXTURES / "trustpolicy.blob.json"),
    )


@pytest.fixture(scope="session")
def make_verifier(trust_store: notaverify.TrustStore) -> Callable[..., notaverify.Verifier]:
    """``make_verifier(level, **statement options)``: a verifier over the fixture trust store."""

    def make(level: str = "strict", **kwargs: Any) -> notaverify.Verifier:
        return notaverify.Verifier(notaverify.TrustPolicy.from_json(oci_policy(level, **kwargs)), trust_store)

    return make


def _blob(root: Path, data: bytes) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    (root / "blobs" / "sha256" / digest).write_bytes(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def write_layout(root: Path, envelopes: list[tuple[bytes, str]], *, tag: str = "v1") -> str:
    """Writes an OCI image layout holding the fixture manifest (tagged ``tag``) and one notation
    signature manifest (OCI 1.1 form: artifactType + empty config) per envelope; returns the
    target digest."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
    _blob(root, b"{}")  # the manifest's config and the empty config of signature manifests
    _blob(root, b"foo")  # the manifest's layer
    target = {"mediaType": MANIFEST_MEDIA_TYPE, **_blob(root, MANIFEST)}
    manifests: list[dict[str, Any]] = [
        {**target, "annotations": {"org.opencontainers.image.ref.name": tag}},
    ]
    for data, media_type in envelopes:
        signature_manifest = {
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA_TYPE,
            "artifactType": "application/vnd.cncf.notary.signature",
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", **_blob(root, b"{}")},
            "layers": [{"mediaType": media_type, **_blob(root, data)}],
            "subject": target,
        }
        raw = json.dumps(signature_manifest).encode()
        manifests.append({
            "mediaType": MANIFEST_MEDIA_TYPE,
            "artifactType": "application/vnd.cncf.notary.signature",
            **_blob(root, raw),
        })
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests}
    (root / "index.json").write_text(json.dumps(index))
    return str(target["digest"])


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A copy of the fixtures directory, which is a complete notation config dir."""
    dest = tmp_path / "notation"
    shutil.copytree(FIXTURES / "truststore", dest / "truststore")
    for name in ("trustpolicy.json", "trustpolicy.blob.json"):
        shutil.copy(FIXTURES / name, dest / name)
    return dest
