"""Type stubs of the native module ``notaverify._notaverify`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal, Optional, TypedDict, Union, final

from typing_extensions import NotRequired, Self, TypeAlias

from ._errors import NotaverifyError

__all__ = [
    "BlobTrustPolicy",
    "CRYPTO_BACKEND",
    "CheckResult",
    "Outcome",
    "PolicySummary",
    "RevocationEvidence",
    "SignatureOutcome",
    "Signer",
    "TrustPolicy",
    "TrustStore",
    "Verifier",
    "__version__",
    "_bench_verify_native",
    "_fault_injection_panic",
]

__version__: str
CRYPTO_BACKEND: str

BytesLike: TypeAlias = Union[bytes, bytearray, memoryview]
#: Content (bytes-like) or a file to read (``str`` or ``os.PathLike``).
ContentOrPath: TypeAlias = Union[BytesLike, str, "os.PathLike[str]"]
StrPath: TypeAlias = Union[str, "os.PathLike[str]"]
#: A JSON document: text, bytes, or an already parsed mapping.
JsonDocument: TypeAlias = Union[str, BytesLike, Mapping[str, Any]]
#: A timezone-aware datetime, or an RFC 3339 string.
TimeInput: TypeAlias = Union[datetime, str]
StoreTypeName: TypeAlias = Literal["ca", "signingAuthority", "tsa"]
CheckName: TypeAlias = Literal["integrity", "authenticity", "authenticTimestamp", "expiry", "revocation"]
ActionName: TypeAlias = Literal["enforce", "log", "skip"]
LevelName: TypeAlias = Literal["strict", "permissive", "audit", "skip"]
FailureName: TypeAlias = Literal[
    "integrity", "authenticity", "authenticTimestamp", "expiry", "revocation", "verificationPlugin", "userMetadata"
]
EnvelopeMediaType: TypeAlias = Union[Literal["application/jose+json", "application/cose", "jws", "cose"], str]

class Descriptor(TypedDict):
    """An OCI content descriptor, as in JSON."""

    mediaType: str
    digest: str
    size: int
    annotations: NotRequired[Mapping[str, str]]

class BatchItem(TypedDict):
    """One artifact of ``Verifier.verify_many``: the per-artifact arguments of ``verify_artifact``."""

    reference: str
    envelopes: Iterable[ContentOrPath]
    descriptor: NotRequired[Optional[Descriptor]]
    media_type: NotRequired[Optional[EnvelopeMediaType]]
    user_metadata: NotRequired[Optional[Mapping[str, str]]]
    max_signatures: NotRequired[Optional[int]]

@final
class TrustPolicy:
    """An OCI trust policy document, validated when parsed."""

    @classmethod
    def from_json(cls, document: JsonDocument) -> "TrustPolicy": ...
    @classmethod
    def from_file(cls, path: StrPath) -> "TrustPolicy": ...

@final
class BlobTrustPolicy:
    """A blob trust policy document, validated when parsed."""

    @classmethod
    def from_json(cls, document: JsonDocument) -> "BlobTrustPolicy": ...
    @classmethod
    def from_file(cls, path: StrPath) -> "BlobTrustPolicy": ...

@final
class TrustStore:
    """Named trust stores of X.509 certificates."""

    def __new__(cls) -> "TrustStore": ...
    def add(self, type: StoreTypeName, name: str, certificates: ContentOrPath) -> int: ...
    @classmethod
    def from_dir(cls, path: StrPath) -> "TrustStore": ...

@final
class RevocationEvidence:
    """CRLs and OCSP responses supplied by the caller instead of a network.

    A ``Verifier`` takes a copy when it is built or called with it.
    """

    def __new__(cls) -> "RevocationEvidence": ...
    def add_crl(self, data: ContentOrPath, *, url: Optional[str] = None) -> None: ...
    def add_ocsp_response(self, data: ContentOrPath) -> None: ...
    @classmethod
    def from_crl_cache(cls, path: StrPath) -> "RevocationEvidence": ...
    def __len__(self) -> int: ...

@final
class Verifier:
    """Verifies notation signatures offline; immutable and safe to share across threads."""

    def __new__(
        cls,
        policy: Optional[TrustPolicy],
        trust_store: TrustStore,
        *,
        blob_policy: Optional[BlobTrustPolicy] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Verifier": ...
    @classmethod
    def from_config_dir(
        cls, path: Optional[StrPath] = None, *, revocation: Optional[RevocationEvidence] = None
    ) -> "Verifier": ...
    def verify(
        self,
        envelope: ContentOrPath,
        *,
        reference: str,
        descriptor: Optional[Descriptor] = None,
        media_type: Optional[EnvelopeMediaType] = None,
        user_metadata: Optional[Mapping[str, str]] = None,
        at: Optional[TimeInput] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Outcome": ...
    def require_verified(
        self,
        envelope: ContentOrPath,
        *,
        reference: str,
        descriptor: Optional[Descriptor] = None,
        media_type: Optional[EnvelopeMediaType] = None,
        user_metadata: Optional[Mapping[str, str]] = None,
        at: Optional[TimeInput] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Outcome": ...
    def verify_artifact(
        self,
        reference: str,
        envelopes: Iterable[ContentOrPath],
        *,
        descriptor: Optional[Descriptor] = None,
        media_type: Optional[EnvelopeMediaType] = None,
        user_metadata: Optional[Mapping[str, str]] = None,
        at: Optional[TimeInput] = None,
        max_signatures: Optional[int] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Outcome": ...
    def verify_many(
        self,
        items: Iterable[BatchItem],
        *,
        threads: Optional[int] = None,
        at: Optional[TimeInput] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> list[Union["Outcome", NotaverifyError]]: ...
    def verify_oci_layout(
        self,
        path: StrPath,
        *,
        reference: str,
        scope: str,
        user_metadata: Optional[Mapping[str, str]] = None,
        at: Optional[TimeInput] = None,
        max_signatures: Optional[int] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Outcome": ...
    def verify_blob(
        self,
        blob: ContentOrPath,
        envelope: ContentOrPath,
        *,
        name: Optional[str] = None,
        policy_name: Optional[str] = None,
        blob_media_type: Optional[str] = None,
        media_type: Optional[EnvelopeMediaType] = None,
        user_metadata: Optional[Mapping[str, str]] = None,
        at: Optional[TimeInput] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Outcome": ...

@final
class CheckResult:
    """The result of one check of one signature."""

    @property
    def type(self) -> CheckName: ...
    @property
    def action(self) -> ActionName: ...
    @property
    def passed(self) -> bool: ...
    @property
    def error(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Signer:
    """The signing (leaf) certificate of a signature."""

    @property
    def subject(self) -> str: ...
    @property
    def issuer(self) -> str: ...
    @property
    def sha256_fingerprint(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class PolicySummary:
    """The trust policy statement that applied."""

    @property
    def name(self) -> str: ...
    @property
    def level(self) -> LevelName: ...
    @property
    def custom(self) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class SignatureOutcome:
    """The outcome of one signature envelope."""

    @property
    def digest(self) -> Optional[str]: ...
    @property
    def media_type(self) -> str: ...
    @property
    def verified(self) -> bool: ...
    @property
    def checks(self) -> tuple[CheckResult, ...]: ...
    @property
    def logged_failures(self) -> tuple[CheckResult, ...]: ...
    @property
    def signer(self) -> Optional[Signer]: ...
    @property
    def signing_time(self) -> Optional[datetime]: ...
    @property
    def user_metadata(self) -> dict[str, str]: ...
    @property
    def failure(self) -> Optional[FailureName]: ...
    @property
    def error(self) -> Optional[str]: ...
    def check(self, name: CheckName) -> Optional[CheckResult]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Outcome:
    """The outcome of verifying an artifact or a blob."""

    @property
    def reference(self) -> str: ...
    @property
    def verified(self) -> bool: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def policy(self) -> Optional[PolicySummary]: ...
    @property
    def signatures(self) -> tuple[SignatureOutcome, ...]: ...
    @property
    def signature(self) -> Optional[SignatureOutcome]: ...
    @property
    def checks(self) -> tuple[CheckResult, ...]: ...
    @property
    def logged_failures(self) -> tuple[CheckResult, ...]: ...
    @property
    def signer(self) -> Optional[Signer]: ...
    @property
    def signing_time(self) -> Optional[datetime]: ...
    @property
    def user_metadata(self) -> dict[str, str]: ...
    @property
    def error_code(self) -> Optional[Literal["NO_SIGNATURE", "MAX_SIGNATURES_EXCEEDED", "VERIFICATION_FAILED"]]: ...
    @property
    def error(self) -> Optional[str]: ...
    def require_verified(self) -> Self: ...
    def to_json(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

def _bench_verify_native(
    verifier: Verifier, envelope: ContentOrPath, *, reference: str, n: int, at: Optional[TimeInput] = None
) -> float: ...
def _fault_injection_panic() -> None: ...
