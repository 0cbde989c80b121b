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
    ArtifactError,
    BlobTrustPolicy,
    CertificateSummary,
    CheckResult,
    Inspection,
    Outcome,
    PolicySummary,
    RevocationEvidence,
    SignatureInspection,
    SignatureOutcome,
    Signer,
    TimestampSummary,
    TrustPolicy,
    TrustStore,
    Verifier,
    __version__,
    inspect,
    inspect_oci_layout,
)

JWS_MEDIA_TYPE = "application/jose+json"
"""The media type of a JWS (flattened JSON) notation envelope."""

COSE_MEDIA_TYPE = "application/cose"
"""The media type of a COSE_Sign1 notation envelope."""

__all__ = [
    "ArtifactError",
    "BlobTrustPolicy",
    "CertificateSummary",
    "CheckResult",
    "COSE_MEDIA_TYPE",
    "CRYPTO_BACKEND",
    "EnvelopeFormatError",
    "Inspection",
    "InvalidInputError",
    "JWS_MEDIA_TYPE",
    "NotaverifyError",
    "Outcome",
    "PolicyError",
    "PolicySummary",
    "RevocationEvidence",
    "SignatureInspection",
    "SignatureOutcome",
    "Signer",
    "TimestampSummary",
    "TrustPolicy",
    "TrustStore",
    "TrustStoreError",
    "VerificationError",
    "Verifier",
    "__version__",
    "inspect",
    "inspect_oci_layout",
]
