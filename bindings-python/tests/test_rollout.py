"""The rollout options of the verify methods (exceptions=, retired=, warn_only=) over the CLI's
scan fixtures (cli/tests/fixtures/scan): typed classification, the CLI's document members and
exit status, and the loaders' errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import notaverify
from conftest import REPO

SCAN = REPO / "cli" / "tests" / "fixtures" / "scan"
JULY = "2025-07-01T00:00:00Z"
OCTOBER = "2025-10-01T00:00:00Z"


@pytest.fixture(scope="module")
def verifier() -> notaverify.Verifier:
    policy = notaverify.TrustPolicy.from_file(SCAN / "policies" / "rotation.json")
    return notaverify.Verifier(policy, notaverify.TrustStore.from_config_dir(SCAN / "config"))


def layout(verifier: notaverify.Verifier, name: str, **kwargs: object) -> notaverify.Outcome:
    repository, tag = name.split("/")
    return verifier.verify_oci_layout(
        SCAN / "layouts" / repository, reference=tag, scope=f"registry.example/{repository}", **kwargs  # type: ignore[arg-type]
    )


def test_without_rollout_options_nothing_changes(verifier: notaverify.Verifier) -> None:
    outcome = layout(verifier, "app/unknown", at=JULY)
    assert outcome.classification is None
    assert "class" not in outcome.to_dict()
    assert outcome.exit_status == 1


def test_warn_only_never_blocks_an_evaluated_verdict(verifier: notaverify.Verifier) -> None:
    enforce = layout(verifier, "app/unknown", at=JULY, exceptions=None, warn_only=False, retired=None)
    warn = layout(verifier, "app/unknown", at=JULY, warn_only=True)
    c = warn.classification
    assert c is not None and isinstance(c, notaverify.Classification)
    assert (c.class_, c.in_policy, c.warn_only) == ("unknownSigner", False, True)
    assert [w.class_ for w in c.would_fail] == ["unknownSigner"] and c.would_fail[0].check == "authenticity"
    assert (warn.exit_status, warn.verified) == (0, enforce.verified)
    document = warn.to_dict()
    assert (document["class"], document["warnOnly"], len(document["wouldFail"])) == ("unknownSigner", True, 1)
    with pytest.raises(AttributeError):
        c.class_ = "verified"  # type: ignore[misc]


def test_an_exception_in_force_and_after_its_deadline(verifier: notaverify.Verifier) -> None:
    exceptions = notaverify.Exceptions.from_file(SCAN / "exceptions.json")
    assert len(exceptions) > 0
    july = layout(verifier, "legacy/legacy-a", at=JULY, exceptions=exceptions)
    c = july.classification
    assert c is not None and (c.class_, c.in_policy, july.exit_status) == ("excepted", True, 0)
    assert c.underlying is not None and c.exception is not None and c.exception.days_left > 0
    assert july.to_dict()["exception"]["daysLeft"] == c.exception.days_left
    october = layout(verifier, "legacy/legacy-a", at=OCTOBER, exceptions=exceptions)
    c = october.classification
    assert c is not None and (c.in_policy, october.exit_status, c.exception) == (False, 1, None)
    assert [e.days_left for e in c.expired_exceptions] and all(e.days_left <= 0 for e in c.expired_exceptions)


def test_retired_material_from_the_config_dir(verifier: notaverify.Verifier) -> None:
    retired = notaverify.RetiredMaterial.from_file(SCAN / "retired.json", config_dir=SCAN / "config")
    same = notaverify.RetiredMaterial.from_json((SCAN / "retired.json").read_text(), config_dir=SCAN / "config")
    rotated = notaverify.Verifier(
        notaverify.TrustPolicy.from_file(SCAN / "policies" / "rotated.json"), notaverify.TrustStore.from_config_dir(SCAN / "config")
    )
    for material in (retired, same):
        outcome = layout(rotated, "app/old", at=JULY, retired=material)
        c = outcome.classification
        assert c is not None and c.class_ == "retiredSigner" and c.retired is not None
        assert c.retired.declared_by.startswith("ca:") and outcome.to_dict()["verified"] is False


def test_loader_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(notaverify.InvalidInputError) as missing:
        notaverify.Exceptions.from_file(tmp_path / "missing.json")
    assert "exceptions file" in str(missing.value) and missing.value.code in ("LOAD", "INVALID_INPUT")
    with pytest.raises(notaverify.InvalidInputError, match="deadline|expires"):
        notaverify.Exceptions.from_file(SCAN / "exceptions-no-deadline.json")
    with pytest.raises(notaverify.InvalidInputError):
        notaverify.Exceptions.from_json({"version": "2", "exceptions": []})
    with pytest.raises(notaverify.InvalidInputError, match="retired trust"):
        notaverify.RetiredMaterial.from_json(json.loads((SCAN / "retired.json").read_text()), config_dir=tmp_path)


def test_not_evaluated_document_is_the_cli_s(verifier: notaverify.Verifier) -> None:
    with pytest.raises(notaverify.NotaverifyError) as raised:
        layout(verifier, "app/missing-tag", at=JULY, warn_only=True)
    document = json.loads(notaverify.not_evaluated_document("layouts/app:missing-tag", raised.value, warn_only=True))
    assert (document["evaluated"], document["wouldFail"], document["error"]["code"]) == (False, None, raised.value.code)
    assert notaverify.EXIT_NOT_EVALUATED == 2

