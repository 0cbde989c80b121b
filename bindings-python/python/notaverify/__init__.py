"""notaverify: offline verification of Notary Project (notation) signatures.

Build a :class:`Verifier` once (from a notation configuration directory, or from a
:class:`TrustPolicy` and a :class:`TrustStore`) and call one of its ``verify*`` methods. They
return an :class:`Outcome` whether or not the artifact verified, and raise a
:class:`NotaverifyError` subclass only when the request cannot be evaluated. For a one-line
deploy gate, call ``outcome.require_verified()`` (or :meth:`Verifier.require_verified`), which
raises :class:`VerificationError` carrying the outcome.

Inputs: envelopes, blobs and certificates are ``bytes``-like content, or a ``str`` /
``os.PathLike`` naming a file. Policies are JSON text, bytes or a mapping. ``at`` is a
timezone-aware ``datetime`` or an RFC 3339 string; ``None`` means now.

Revocation is checked against caller-supplied evidence only (no network): pass a
:class:`RevocationEvidence` (CRLs, OCSP responses, or notation's CRL cache) as ``revocation=`` to
the :class:`Verifier` or to a single ``verify*`` call.

:func:`inspect_oci_layout` and :func:`inspect` list what an artifact's signatures claim (signer,
chain, times, signed metadata, timestamp) with no policy or trust store: an inventory, not a
verdict.

Verification releases the GIL, and a ``Verifier`` is immutable: share one across threads.
``TrustPolicy``, ``BlobTrustPolicy``, ``TrustStore``, ``RevocationEvidence``, ``Verifier``,
``Exceptions`` and ``RetiredMaterial`` pickle as what they were built from (documents and
certificate bytes; a configuration directory or file path is read again where they are
unpickled), so ``multiprocessing``, ``concurrent.futures``, Dask, Ray or Spark can ship them.

Rollout (verify-warn before verify-enforce): pass ``exceptions=`` (:class:`Exceptions`),
``retired=`` (:class:`RetiredMaterial`) and ``warn_only=`` to ``verify``, ``verify_artifact`` or
``verify_oci_layout``; the outcome's ``classification``, ``to_json()`` and ``exit_status`` are
those of ``notaverify verify --exceptions F --retired F --warn-only``.

Scan: :meth:`Verifier.scan` runs ``notaverify scan`` over OCI layouts and batch files, yielding
each :class:`ScannedArtifact` (its ``to_json()`` is the CLI's line) and then a
:class:`ScanSummary` (its ``to_json()`` is the CLI's summary line); :func:`write_report` writes
the HTML report of ``notaverify scan --report``. With ``workloads=[(file, source)]`` and
``previous=OLD.jsonl`` it is ``scan --workloads FILE --workloads-source NAME --previous
OLD.jsonl``: the finished scan's ``workloads`` are the deployed :class:`WorkloadContainer` s
(each ``to_json()`` the CLI's line), and the summary and report gain their counts and the
progress since the previous scan.
"""

from ._errors import (
    EnvelopeFormatError,
    InvalidInputError,
    NotaverifyError,
    PolicyError,
    TrustStoreError,
    VerificationError,
)
from ._notaverify import (
    CRYPTO_BACKEND,
    EXIT_NOT_EVALUATED,
    AppliedException,
    ArtifactError,
    BlobTrustPolicy,
    CertificateSummary,
    CheckResult,
    Inspection,
    Classification,
    Exceptions,
    LoggedFailure,
    Outcome,
    PolicySummary,
    RetiredMatch,
    RetiredMaterial,
    RevocationEvidence,
    ScanIterator,
    ScannedArtifact,
    ScanSummary,
    SignatureInspection,
    SignatureOutcome,
    Signer,
    TimestampSummary,
    TrustPolicy,
    TrustStore,
    Verifier,
    WorkloadContainer,
    WouldFail,
    __version__,
    inspect,
    inspect_oci_layout,
    not_evaluated_document,
    write_report,
)

JWS_MEDIA_TYPE = "application/jose+json"
"""The media type of a JWS (flattened JSON) notation envelope."""

COSE_MEDIA_TYPE = "application/cose"
"""The media type of a COSE_Sign1 notation envelope."""

__all__ = [
    "AppliedException",
    "ArtifactError",
    "BlobTrustPolicy",
    "CertificateSummary",
    "CheckResult",
    "Classification",
    "COSE_MEDIA_TYPE",
    "CRYPTO_BACKEND",
    "EXIT_NOT_EVALUATED",
    "EnvelopeFormatError",
    "Inspection",
    "Exceptions",
    "InvalidInputError",
    "JWS_MEDIA_TYPE",
    "LoggedFailure",
    "NotaverifyError",
    "Outcome",
    "PolicyError",
    "PolicySummary",
    "RetiredMatch",
    "RetiredMaterial",
    "RevocationEvidence",
    "ScanIterator",
    "ScannedArtifact",
    "ScanSummary",
    "SignatureInspection",
    "SignatureOutcome",
    "Signer",
    "TimestampSummary",
    "TrustPolicy",
    "TrustStore",
    "TrustStoreError",
    "VerificationError",
    "Verifier",
    "WorkloadContainer",
    "WouldFail",
    "__version__",
    "inspect",
    "inspect_oci_layout",
    "not_evaluated_document",
    "write_report",
]
