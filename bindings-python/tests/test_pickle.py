"""Pickling ships what each object was built from; an unpickled Verifier verifies the same in
another process (concurrent.futures.ProcessPoolExecutor)."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import notaverify
from conftest import ENVELOPES, FIXTURES, REFERENCE, STORES

REPO_SCAN = FIXTURES.parents[2] / "cli" / "tests" / "fixtures" / "scan"
JULY = "2025-07-01T00:00:00Z"


def round_trip(obj: object) -> object:
    return pickle.loads(pickle.dumps(obj))


def verdicts(verifier: notaverify.Verifier) -> list[tuple[str, str]]:
    """Each envelope's outcome document, or the code of the error it raised."""
    results = []
    for name in ["p256.jws", "untrusted.jws", "expired.jws", "metadata.cose"]:
        try:
            results.append((name, verifier.verify(ENVELOPES / name, reference=REFERENCE).to_json()))
        except notaverify.NotaverifyError as e:
            results.append((name, e.code))
    return results


def verify_in_worker(verifier: notaverify.Verifier) -> list[tuple[str, str]]:
    return verdicts(verifier)


def verified(results: list[tuple[str, str]]) -> list[bool]:
    return [r.startswith("{") and '"verified":true' in r for _, r in results]


def built_from_parts() -> notaverify.Verifier:
    policy = notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json")
    store = notaverify.TrustStore()
    for store_name in STORES:
        kind, name = store_name.split(":")
        for cert in sorted((FIXTURES / "truststore" / "x509" / kind / name).iterdir()):
            store.add(kind, name, cert.read_bytes())  # type: ignore[arg-type]
    return notaverify.Verifier(policy, store, revocation=notaverify.RevocationEvidence())


def test_verifiers_verify_the_same_after_a_round_trip() -> None:
    for verifier in (notaverify.Verifier.from_config_dir(FIXTURES), built_from_parts()):
        copy = round_trip(verifier)
        assert isinstance(copy, notaverify.Verifier)
        assert verdicts(copy) == verdicts(verifier)
        assert True in verified(verdicts(copy))


def test_a_store_changed_after_the_verifier_was_built_does_not_change_its_pickle() -> None:
    store = notaverify.TrustStore()
    verifier = notaverify.Verifier(notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json"), store)
    for store_name in STORES:
        kind, name = store_name.split(":")
        for cert in sorted((FIXTURES / "truststore" / "x509" / kind / name).iterdir()):
            store.add(kind, name, cert)  # type: ignore[arg-type]
    copy = round_trip(verifier)
    assert isinstance(copy, notaverify.Verifier)
    assert verdicts(copy) == verdicts(verifier)
    assert not any(verified(verdicts(copy))), "the verifier's store was empty when it was built"


def test_documents_round_trip() -> None:
    policy = notaverify.TrustPolicy.from_file(FIXTURES / "trustpolicy.json")
    store = notaverify.TrustStore.from_config_dir(FIXTURES)
    evidence = notaverify.RevocationEvidence()
    exceptions = notaverify.Exceptions.from_file(REPO_SCAN / "exceptions.json")
    inline = notaverify.Exceptions.from_json((REPO_SCAN / "exceptions.json").read_bytes())
    retired = notaverify.RetiredMaterial.from_file(REPO_SCAN / "retired.json", config_dir=REPO_SCAN / "config")
    for obj in (policy, store, evidence, exceptions, inline, retired):
        assert type(round_trip(obj)) is type(obj)
    assert len(round_trip(exceptions)) == len(exceptions) > 0  # type: ignore[arg-type]
    rotated = notaverify.Verifier(
        notaverify.TrustPolicy.from_file(REPO_SCAN / "policies" / "rotated.json"),
        notaverify.TrustStore.from_config_dir(REPO_SCAN / "config"),
    )
    copy = round_trip(retired)
    assert isinstance(copy, notaverify.RetiredMaterial)
    outcome = rotated.verify_oci_layout(
        REPO_SCAN / "layouts" / "app", reference="old", scope="registry.example/app", at=JULY, retired=copy
    )
    assert outcome.classification is not None and outcome.classification.class_ == "retiredSigner"


def test_an_unpickled_verifier_verifies_in_another_process() -> None:
    verifier = built_from_parts()
    with ProcessPoolExecutor(max_workers=1) as pool:
        remote = pool.submit(verify_in_worker, verifier).result(timeout=120)
    assert remote == verdicts(verifier)
    assert True in verified(remote) and False in verified(remote), remote
