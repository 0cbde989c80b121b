"""Type stubs of the native module ``notaverify._notaverify`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Optional, TypedDict, Union, final

from typing_extensions import NotRequired, Self, TypeAlias, deprecated

from ._errors import NotaverifyError

__all__ = [
    "AppliedException",
    "ArtifactError",
    "BlobTrustPolicy",
    "CRYPTO_BACKEND",
    "CertificateSummary",
    "CheckResult",
    "Inspection",
    "Classification",
    "EXIT_NOT_EVALUATED",
    "Exceptions",
    "LoggedFailure",
    "Outcome",
    "PolicySummary",
    "RetiredMatch",
    "RetiredMaterial",
    "RevocationEvidence",
    "ScanIterator",
    "ScanSummary",
    "ScannedArtifact",
    "SignatureInspection",
    "SignatureOutcome",
    "Signer",
    "TimestampSummary",
    "TrustPolicy",
    "TrustStore",
    "Verifier",
    "WorkloadContainer",
    "WouldFail",
    "__version__",
    "inspect",
    "inspect_oci_layout",
    "_bench_verify_native",
    "_fault_injection_panic",
    "_revocation_evidence",
    "_trust_store",
    "_verifier",
    "not_evaluated_document",
    "write_report",
]

__version__: str
"""The package version."""
CRYPTO_BACKEND: str
"""The crypto backend compiled in: ``aws-lc-rs``, or ``ring+p521``."""
EXIT_NOT_EVALUATED: int
"""The exit status ``notaverify verify`` gives a request that could not be evaluated (2), also
with ``--warn-only``."""

BytesLike: TypeAlias = Union[bytes, bytearray, memoryview]
#: Content (bytes-like) or a file to read (``str`` or ``os.PathLike``).
ContentOrPath: TypeAlias = Union[BytesLike, str, "os.PathLike[str]"]
#: A file or directory path.
StrPath: TypeAlias = Union[str, "os.PathLike[str]"]
#: A JSON document: text, bytes, or an already parsed mapping.
JsonDocument: TypeAlias = Union[str, BytesLike, Mapping[str, Any]]
#: A timezone-aware datetime, or an RFC 3339 string.
TimeInput: TypeAlias = Union[datetime, str]
StoreTypeName: TypeAlias = Literal["ca", "signingAuthority", "tsa"]
CheckName: TypeAlias = Literal["integrity", "authenticity", "authenticTimestamp", "expiry", "revocation"]
ActionName: TypeAlias = Literal["enforce", "log", "skip"]
LevelName: TypeAlias = Literal["strict", "permissive", "audit", "skip"]
#: What failed a signature: a check, a required verification plugin, or user metadata.
#: A rollout class (``Classification.class_``).
ClassName: TypeAlias = Literal[
    "verified",
    "unsigned",
    "unknownSigner",
    "retiredSigner",
    "invalidSignature",
    "expired",
    "failed",
    "excepted",
    "skippedByPolicy",
]
#: A deployed workload container's class (``WorkloadContainer.class_``): its artifact's, or
#: ``notScanned`` when no scanned input holds its image.
WorkloadClassName: TypeAlias = Union[ClassName, Literal["notScanned"]]
FailureName: TypeAlias = Literal[
    "integrity", "authenticity", "authenticTimestamp", "expiry", "revocation", "verificationPlugin", "userMetadata"
]
#: An envelope media type, or the aliases ``jws`` / ``cose``.
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
    """An OCI trust policy document (``trustpolicy.oci.json``), validated when parsed."""

    @classmethod
    def from_json(cls, document: JsonDocument) -> "TrustPolicy":
        """Parses and validates a trust policy from JSON text, bytes, or a parsed mapping.

        Raises :class:`PolicyError` (code ``POLICY``) when it is invalid.
        """
    @classmethod
    def from_file(cls, path: StrPath) -> "TrustPolicy":
        """Reads and validates a trust policy file (a regular file, not a symlink).

        Raises :class:`InvalidInputError` (code ``LOAD``) when it cannot be read,
        :class:`PolicyError` when it is invalid.
        """

@final
class BlobTrustPolicy:
    """A blob trust policy document (``trustpolicy.blob.json``), validated when parsed."""

    @classmethod
    def from_json(cls, document: JsonDocument) -> "BlobTrustPolicy":
        """Parses and validates a blob trust policy from JSON text, bytes, or a parsed mapping."""
    @classmethod
    def from_file(cls, path: StrPath) -> "BlobTrustPolicy":
        """Reads and validates a blob trust policy file."""

@final
class TrustStore:
    """Named trust stores of X.509 certificates (``ca``, ``signingAuthority``, ``tsa``)."""

    def __new__(cls) -> "TrustStore":
        """An empty trust store."""
    def add(self, type: StoreTypeName, name: str, certificates: ContentOrPath) -> int:
        """Adds the PEM or DER certificates in ``certificates`` (bytes, or a file path) to the
        store ``type:name``; returns how many were added.

        Raises :class:`TrustStoreError` (code ``TRUST_STORE``) for an unknown type, a bad store
        name or data that holds no certificate.
        """
    @classmethod
    def from_config_dir(cls, path: StrPath) -> "TrustStore":
        """Loads every named store of the notation configuration directory ``path``: the
        directory that holds ``truststore/``, read as
        ``<path>/truststore/x509/<ca|signingAuthority|tsa>/<name>/`` with notation's file rules.
        """
    @classmethod
    @deprecated("TrustStore.from_dir is deprecated; use TrustStore.from_config_dir")
    def from_dir(cls, path: StrPath) -> "TrustStore":
        """Deprecated alias of :meth:`from_config_dir` (it takes the configuration directory,
        not a trust store folder); warns with ``DeprecationWarning``. Removed in the next
        release."""

@final
class RevocationEvidence:
    """CRLs and OCSP responses supplied by the caller instead of a network.

    Without evidence for a certificate that names an OCSP responder or a CRL distribution point,
    its revocation status is unknown, which fails the revocation check (as notation offline).
    A ``Verifier`` takes a copy when it is built or called with it.
    """

    def __new__(cls) -> "RevocationEvidence":
        """No evidence."""
    def add_crl(self, data: ContentOrPath, *, url: Optional[str] = None) -> None:
        """Adds CRLs (DER, or PEM with one or more ``X509 CRL`` blocks). With ``url``, they are
        the base CRL and optional delta CRL fetched from that distribution point; without, base
        CRLs matched to certificates by issuer and distribution point."""
    def add_ocsp_response(self, data: ContentOrPath) -> None:
        """Adds an OCSP response (DER)."""
    @classmethod
    def from_crl_cache(cls, path: StrPath) -> "RevocationEvidence":
        """Reads notation's CRL file cache (a directory of ``hex(sha256(url))`` files, by
        default ``{NOTATION_CACHE}/crl``)."""
    def __len__(self) -> int:
        """How many CRLs and OCSP responses it holds."""

@final
class Verifier:
    """Verifies notation signatures against a trust policy and a trust store, offline.

    Build it once and share it: it is immutable, and every verification releases the GIL. The
    ``verify*`` methods return an :class:`Outcome` whether or not the artifact verified, and
    raise a :class:`NotaverifyError` subclass only when the request cannot be evaluated.

    Arguments every ``verify*`` method takes: ``user_metadata`` (annotations the signed target
    must carry, notation's ``--user-metadata``), ``at`` (the verification time; ``None`` is
    now), ``revocation`` (evidence for this call, added to the verifier's), and
    ``all_signatures``: ``True`` evaluates every signature (at most ``max_signatures``) even
    after one verified, so the outcome lists each one's checks; the verdict is the same.

    Rollout options of :meth:`verify`, :meth:`verify_artifact` and :meth:`verify_oci_layout`,
    as ``notaverify verify --exceptions F --retired F --warn-only``: ``exceptions``
    (:class:`Exceptions`), ``retired`` (:class:`RetiredMaterial`) and ``warn_only``. With any
    of them the outcome carries a :attr:`Outcome.classification` (judged at ``at``),
    :meth:`Outcome.to_json` is the CLI's document with the rollout members, and
    :attr:`Outcome.exit_status` the CLI's exit status. The verdict itself is unchanged.
    """

    def __new__(
        cls,
        policy: Optional[TrustPolicy],
        trust_store: TrustStore,
        *,
        blob_policy: Optional[BlobTrustPolicy] = None,
        revocation: Optional[RevocationEvidence] = None,
    ) -> "Verifier":
        """A verifier over ``trust_store`` with the OCI trust ``policy`` (``None`` for blob-only
        use), an optional blob trust policy, and revocation evidence (copied) used for every
        verification."""
    @classmethod
    def from_config_dir(
        cls, path: Optional[StrPath] = None, *, revocation: Optional[RevocationEvidence] = None
    ) -> "Verifier":
        """A verifier from a notation configuration directory (``trustpolicy.oci.json`` or
        ``trustpolicy.json``, ``trustpolicy.blob.json``, ``truststore/``); ``None`` is
        notation's default (``$NOTATION_CONFIG``, ``$XDG_CONFIG_HOME/notation``,
        ``~/.config/notation``)."""
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
        all_signatures: bool = False,
        exceptions: Optional["Exceptions"] = None,
        retired: Optional["RetiredMaterial"] = None,
        warn_only: bool = False,
    ) -> "Outcome":
        """Verifies one signature envelope of the artifact ``reference``
        (``registry/repository@sha256:...``).

        ``descriptor``, when given, is compared whole (media type, digest and size); by default
        only the reference's digest is. ``media_type`` is inferred from the bytes by default. An
        envelope given as a path is read with notation's file rules, and its sha256 is reported
        as the signature digest (as the CLI does); bytes have no digest.
        """
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
        all_signatures: bool = False,
    ) -> "Outcome":
        """:meth:`verify`, then raise :class:`VerificationError` (carrying the outcome) unless
        it verified."""
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
        all_signatures: bool = False,
        exceptions: Optional["Exceptions"] = None,
        retired: Optional["RetiredMaterial"] = None,
        warn_only: bool = False,
    ) -> "Outcome":
        """Verifies an artifact with several envelopes, as ``notation verify`` does: they are
        tried in order (at most ``max_signatures``, default 100) until one verifies; with
        ``all_signatures=True`` every one is evaluated. No envelope gives an outcome with
        ``error.code == "NO_SIGNATURE"``; more than ``max_signatures``,
        ``MAX_SIGNATURES_EXCEEDED``."""
    def verify_many(
        self,
        items: Iterable[BatchItem],
        *,
        threads: Optional[int] = None,
        at: Optional[TimeInput] = None,
        revocation: Optional[RevocationEvidence] = None,
        all_signatures: bool = False,
    ) -> list[Union["Outcome", NotaverifyError]]:
        """:meth:`verify_artifact` for many artifacts at once, verified in parallel on
        ``threads`` native threads (default: one per CPU) with the GIL released.

        ``at``, ``revocation`` and ``all_signatures`` apply to every item. Returns one result per
        item, in order: its :class:`Outcome`, or the :class:`NotaverifyError` ``verify_artifact``
        would raise for it (returned, not raised; the other items still verify). An item of the
        wrong shape raises ``TypeError`` naming it, before anything is verified.
        """
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
        all_signatures: bool = False,
        exceptions: Optional["Exceptions"] = None,
        retired: Optional["RetiredMaterial"] = None,
        warn_only: bool = False,
    ) -> "Outcome":
        """Verifies a target of the OCI image layout directory ``path``, as
        ``notation verify --oci-layout --scope <scope> <path>:<tag>|@<digest>`` does:
        ``reference`` is a tag or a digest in the layout, ``scope`` the
        ``registry/repository`` that selects the policy statement. The signatures are the
        layout's notation signature manifests whose subject is the target."""
    def scan(
        self,
        layouts: Sequence[tuple[StrPath, str]] = ...,
        batches: Sequence[StrPath] = ...,
        *,
        exceptions: Optional["Exceptions"] = None,
        retired: Optional["RetiredMaterial"] = None,
        at: Optional[TimeInput] = None,
        threads: Optional[int] = None,
        on_progress: Optional[Callable[[int, int], object]] = None,
        only: Sequence[str] = ...,
        tagged_only: bool = False,
        warn_only: bool = False,
        workloads: Sequence[tuple[StrPath, Optional[str]]] = ...,
        previous: Optional[StrPath] = None,
    ) -> "ScanIterator":
        """Scans OCI layouts and JSON-lines batch files as ``notaverify scan`` does.

        ``layouts`` are ``(dir, scope)`` pairs (``scope`` is the ``registry/repository`` the
        layout is), ``batches`` batch files (the format of ``scan --batch``). Every artifact is
        verified with every signature evaluated, classified under ``exceptions`` and
        ``retired`` at ``at`` (default: now), on ``threads`` worker threads (default: one per
        CPU). ``only`` keeps the artifacts of those repositories; ``tagged_only`` the layouts'
        tagged manifests; ``warn_only`` is ``scan --warn-only`` (the summary says so and its
        ``exit_status`` is 0). Every input is checked first: a bad one raises here, before anything
        is verified. The iterator yields each artifact (a :class:`ScannedArtifact`, in input
        order) as its chunk is classified, the GIL released while a chunk verifies, and calls
        ``on_progress(done, total)`` (the GIL held) as artifacts finish; after the last one its
        ``summary`` is the :class:`ScanSummary`.

        ``workloads`` are ``(file, source)`` pairs, ``scan --workloads FILE --workloads-source
        NAME`` (``source`` ``None``: the file's name; an empty one raises
        :class:`InvalidInputError`): ``kubectl get -o json|yaml``, ``az containerapp`` and ``az
        webapp`` output. After the last artifact, the scan's ``workloads`` are their containers
        (:class:`WorkloadContainer`), each resolved to a scanned artifact by digest or tag, with
        its class or ``notScanned``; ``exit_status`` is 1 when any is out of policy too.
        ``previous`` is ``scan --previous OLD.jsonl``, an earlier ``scan -o json`` output: the
        summary's ``to_json()`` and the report gain the progress since then. A workloads file
        that is missing, not a regular file or too large, and a previous file that is not a
        complete ``scan -o json`` output, raise here (the code the CLI reports, exit 2); a
        workloads file that does not parse (it is read while the artifacts verify) raises while
        iterating, and the scan has no summary."""
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
        all_signatures: bool = False,
    ) -> "Outcome":
        """Verifies a detached blob signature, as ``notation blob verify`` does.

        ``blob`` is bytes or a file path; ``name`` is the outcome's ``reference`` (default: the
        path, or ``blob``); ``policy_name`` picks the blob policy statement (default: the global
        one); ``blob_media_type``, when given, must be the media type the signature names. An
        envelope path must end in ``.jws.sig`` or ``.cose.sig`` unless ``media_type`` is given.
        """

@final
class CheckResult:
    """The result of one check of one signature (an item of ``checks`` in the JSON document)."""

    @property
    def type(self) -> CheckName:
        """Which check."""
    @property
    def action(self) -> ActionName:
        """What the policy does with a failure of this check: ``enforce``, ``log`` or ``skip``."""
    @property
    def passed(self) -> bool:
        """Whether the check passed."""
    @property
    def error(self) -> Optional[str]:
        """Why it failed; ``None`` when it passed."""
    def to_dict(self) -> dict[str, Any]:
        """The check as in the JSON document."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Signer:
    """The signing (leaf) certificate of a signature."""

    @property
    def subject(self) -> str:
        """Subject DN, as notation prints it."""
    @property
    def issuer(self) -> str:
        """Issuer DN."""
    @property
    def sha256_fingerprint(self) -> str:
        """Lower-case hex SHA-256 of the certificate's DER."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class PolicySummary:
    """The trust policy statement that applied."""

    @property
    def name(self) -> str:
        """The statement's name."""
    @property
    def level(self) -> LevelName:
        """Its verification level."""
    @property
    def custom(self) -> bool:
        """True when the statement overrides actions of its level. Not in the JSON document."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class ArtifactError:
    """Why an artifact as a whole failed: the ``error`` member of the JSON document, the same
    shape as Node's ``outcome.error``. ``str()`` of it is the message."""

    @property
    def code(self) -> Literal["NO_SIGNATURE", "MAX_SIGNATURES_EXCEEDED", "VERIFICATION_FAILED"]:
        """A stable code."""
    @property
    def message(self) -> str:
        """A sentence for people."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class SignatureOutcome:
    """The outcome of one signature envelope (an item of ``signatures``)."""

    @property
    def digest(self) -> Optional[str]:
        """The signature's digest, when known: the signature manifest's in an OCI layout, the
        sha256 of the file for an envelope given as a path; ``None`` for bytes."""
    @property
    def media_type(self) -> str:
        """``application/jose+json`` or ``application/cose``."""
    @property
    def verified(self) -> bool:
        """True when no enforced check failed and nothing else failed."""
    @property
    def checks(self) -> tuple[CheckResult, ...]:
        """The checks that ran, in notation-go's order; skipped checks are absent."""
    @property
    def logged_failures(self) -> tuple[CheckResult, ...]:
        """The checks that failed with action ``log``: what enforcement would have blocked."""
    @property
    def signer(self) -> Optional[Signer]:
        """The signing certificate, once the chain parsed."""
    @property
    def signing_time(self) -> Optional[datetime]:
        """The signing time from the signed attributes (aware, UTC)."""
    @property
    def user_metadata(self) -> dict[str, str]:
        """The signed annotations of the target artifact."""
    @property
    def failure(self) -> Optional[FailureName]:
        """What failed the signature; ``None`` when it verified."""
    @property
    def error(self) -> Optional[str]:
        """The message of that failure."""
    def check(self, name: CheckName) -> Optional[CheckResult]:
        """The result of the check ``name``, if it ran."""
    def to_dict(self) -> dict[str, Any]:
        """The signature as in the JSON document."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Outcome:
    """The outcome of verifying an artifact or a blob.

    ``verified`` is the verdict. The summary attributes (``signature``, ``checks``,
    ``logged_failures``, ``signer``, ``signing_time``, ``user_metadata``) describe the signature
    that verified, else the last one tried. :meth:`to_json` is the outcome document of
    ``docs/schema/outcome.schema.json``, the same the CLI prints with ``-o json``.
    """

    @property
    def reference(self) -> str:
        """The artifact reference (or blob name) verified."""
    @property
    def verified(self) -> bool:
        """True when a signature verified, or the policy level is ``skip`` (see ``skipped``)."""
    @property
    def skipped(self) -> bool:
        """True when the policy level is ``skip``: nothing was verified, by configuration."""
    @property
    def policy(self) -> Optional[PolicySummary]:
        """The trust policy statement that applied."""
    @property
    def signatures(self) -> tuple[SignatureOutcome, ...]:
        """Every signature tried, in order (verification stops at the first that verifies,
        unless ``all_signatures=True``)."""
    @property
    def signature(self) -> Optional[SignatureOutcome]:
        """The signature that verified, else the last one tried, else ``None``."""
    @property
    def checks(self) -> tuple[CheckResult, ...]:
        """The checks of ``signature`` (empty when there is none)."""
    @property
    def logged_failures(self) -> tuple[CheckResult, ...]:
        """The checks of ``signature`` that failed with action ``log`` (warnings)."""
    @property
    def signer(self) -> Optional[Signer]:
        """The signer of ``signature``."""
    @property
    def signing_time(self) -> Optional[datetime]:
        """The signing time of ``signature`` (aware, UTC)."""
    @property
    def user_metadata(self) -> dict[str, str]:
        """The signed annotations of ``signature``."""
    @property
    def error(self) -> Optional[ArtifactError]:
        """Why the artifact failed (``code`` and ``message``); ``None`` when it verified."""
    @property
    @deprecated("Outcome.error_code is deprecated; use Outcome.error.code")
    def error_code(self) -> Optional[Literal["NO_SIGNATURE", "MAX_SIGNATURES_EXCEEDED", "VERIFICATION_FAILED"]]:
        """Deprecated: ``error.code``; warns with ``DeprecationWarning``. Removed in the next
        release."""
    def require_verified(self) -> Self:
        """Returns this outcome if it verified; raises :class:`VerificationError` (carrying it)
        otherwise."""
    @property
    def classification(self) -> Optional["Classification"]:
        """The class under the rollout options (``exceptions``, ``retired``, ``warn_only``);
        ``None`` when the verification was given none."""
    @property
    def exit_status(self) -> int:
        """The exit status ``notaverify verify`` gives for this outcome: with rollout options,
        0 in policy (or any evaluated verdict with ``warn_only=True``) and 1 out of policy;
        without, 0 verified and 1 not."""
    def to_json(self) -> str:
        """The outcome document (``docs/schema/outcome.schema.json``), compact: what
        ``notaverify verify -o json`` prints for the same input (with rollout options, its
        document with the rollout members: ``class``, ``inPolicy``, ``posture``, and in warn
        mode ``warnOnly``, ``wouldFail``, ``logged``)."""
    def to_dict(self) -> dict[str, Any]:
        """``json.loads(self.to_json())``."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class CertificateSummary:
    """One certificate as people identify it (as the envelope carries it: not verified)."""

    @property
    def subject(self) -> str:
        """The subject DN, as notation prints it."""
    @property
    def issuer(self) -> str:
        """The issuer DN."""
    @property
    def sha256_fingerprint(self) -> str:
        """Lower-case hex SHA-256 of the certificate's DER (what trust stores name)."""
    @property
    def serial_number(self) -> str:
        """The serial number, lower-case hex."""
    @property
    def not_before(self) -> datetime:
        """Start of validity (aware, UTC)."""
    @property
    def not_after(self) -> datetime:
        """End of validity (aware, UTC)."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class TimestampSummary:
    """What an RFC 3161 timestamp countersignature claims (not verified)."""

    @property
    def tsa_subject(self) -> Optional[str]:
        """The subject DN of the TSA's signing certificate, when the token carries it."""
    @property
    def gen_time(self) -> Optional[datetime]:
        """The time the TSA asserts (``genTime``; aware, UTC)."""
    @property
    def error(self) -> Optional[str]:
        """Why the token (or a part of it) could not be read."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class SignatureInspection:
    """What one signature claims (an item of ``Inspection.signatures``). Nothing is verified: the
    signer is the one the envelope names. When the signature (or a part of it) cannot be read,
    ``error`` says why and the members it could not read are ``None`` or empty."""

    @property
    def digest(self) -> Optional[str]:
        """The signature manifest's digest in an OCI layout, the sha256 of the file for an
        envelope given as a path; ``None`` for bytes."""
    @property
    def media_type(self) -> str:
        """``application/jose+json`` or ``application/cose``."""
    @property
    def signing_scheme(self) -> Optional[Literal["notary.x509", "notary.x509.signingAuthority"]]:
        """The signing scheme."""
    @property
    def signing_time(self) -> Optional[datetime]:
        """``io.cncf.notary.signingTime`` (scheme ``notary.x509``; aware, UTC)."""
    @property
    def authentic_signing_time(self) -> Optional[datetime]:
        """``io.cncf.notary.authenticSigningTime`` (scheme ``notary.x509.signingAuthority``)."""
    @property
    def expiry(self) -> Optional[datetime]:
        """``io.cncf.notary.expiry``."""
    @property
    def signature_algorithm(self) -> Optional[str]:
        """The signature algorithm, as notation names it (``ES256``, ``PS384``, ...)."""
    @property
    def signer(self) -> Optional[CertificateSummary]:
        """The leaf certificate: the signer the envelope claims."""
    @property
    def certificate_chain(self) -> tuple[CertificateSummary, ...]:
        """The whole certificate chain, leaf first."""
    @property
    def target(self) -> Optional[Descriptor]:
        """The signed target descriptor."""
    @property
    def user_metadata(self) -> dict[str, str]:
        """The signed user metadata (the target's annotations)."""
    @property
    def signing_agent(self) -> Optional[str]:
        """``io.cncf.notary.signingAgent`` (unsigned, informational)."""
    @property
    def timestamp(self) -> Optional[TimestampSummary]:
        """The timestamp countersignature, if any."""
    @property
    def error(self) -> Optional[str]:
        """Why the signature (or a part of it) could not be read."""
    def to_dict(self) -> dict[str, Any]:
        """The signature as in the JSON document."""
    def __eq__(self, value: object, /) -> bool: ...

@final
class Inspection:
    """Every signature of one artifact and what each claims, read with no trust policy or trust
    store (``notaverify inspect``). Nothing in it is verified."""

    @property
    def reference(self) -> Optional[str]:
        """``<dir>@<digest>`` for a layout, else the reference given."""
    @property
    def signatures(self) -> tuple[SignatureInspection, ...]:
        """One entry per signature, in the order of the layout or of the envelopes given."""
    def to_json(self) -> str:
        """The inspection document (``{"reference", "signatures"}``), compact: what
        ``notaverify inspect -o json`` prints, without the CLI's ``error`` member."""
    def to_dict(self) -> dict[str, Any]:
        """``json.loads(self.to_json())``."""
    def __eq__(self, value: object, /) -> bool: ...

def inspect_oci_layout(path: StrPath, reference: str) -> Inspection:
    """Lists every notation signature of the artifact ``reference`` (a tag, or a ``sha256:...``
    digest) of the OCI image layout at ``path``, found as ``Verifier.verify_oci_layout`` finds
    them; none is verified. A signature that cannot be read is listed with its ``error``.

    Raises :class:`InvalidInputError` (code ``LOAD``) when the layout cannot be read or does not
    hold ``reference``, and (code ``INVALID_INPUT``) for a malformed tag or digest."""

def inspect(
    envelopes: Iterable[ContentOrPath], *, reference: Optional[str] = None, media_type: Optional[EnvelopeMediaType] = None
) -> Inspection:
    """Lists what each of ``envelopes`` (bytes-like, or paths) claims, as ``notaverify inspect
    --signature FILE...`` does; ``reference`` is reported as given, not checked. The media type is
    ``media_type``, else inferred as the ``verify*`` methods infer it (:class:`EnvelopeFormatError`
    for bytes that look like neither). An envelope that cannot be parsed is listed with its
    ``error``."""

@final
class Exceptions:
    """A validated exceptions file (version 1): each exception names a repository or an
    artifact, has an owner, a reason and a deadline, and excuses only the classes it lists,
    until then. Pass it as ``exceptions=`` to a ``verify*`` method."""

    @classmethod
    def from_json(cls, document: JsonDocument) -> "Exceptions":
        """Parses and validates an exceptions document (JSON text, bytes or a mapping); raises
        :class:`InvalidInputError` naming what is wrong."""
    @classmethod
    def from_file(cls, path: StrPath) -> "Exceptions":
        """Reads an exceptions file, as ``notaverify verify --exceptions FILE``."""
    def __len__(self) -> int:
        """How many exceptions it holds."""

@final
class RetiredMaterial:
    """Retired trust material: stores (``ca:<name>``) or certificate fingerprints, with the date
    retired. Never trusted; a signature anchored there is a ``retiredSigner``. Pass it as
    ``retired=`` to a ``verify*`` method."""

    @classmethod
    def from_json(cls, document: JsonDocument, config_dir: Optional[StrPath] = None) -> "RetiredMaterial":
        """Parses a retired trust material document; retired stores are read from the trust
        store folders of ``config_dir`` (``None``: notation's default directory), as the CLI
        does."""
    @classmethod
    def from_file(cls, path: StrPath, config_dir: Optional[StrPath] = None) -> "RetiredMaterial":
        """Reads a retired trust material file, as ``notaverify verify --retired FILE``."""

@final
class AppliedException:
    """An exception as reported for one artifact."""

    @property
    def scope(self) -> str:
        """``registry/repository`` or ``registry/repository@sha256:...``."""
    @property
    def reason(self) -> str:
        """Why it exists."""
    @property
    def owner(self) -> str:
        """Who owns it."""
    @property
    def expires(self) -> str:
        """The deadline as written."""
    @property
    def days_left(self) -> int:
        """Whole days left at the verification time (negative: days since it expired)."""
    @property
    def classes(self) -> list[ClassName]:
        """The classes it excuses."""

@final
class RetiredMatch:
    """The retired certificate a signature's chain reaches."""

    @property
    def sha256_fingerprint(self) -> str:
        """Lower-case hex SHA-256 of the retired certificate."""
    @property
    def subject(self) -> Optional[str]:
        """Its subject, when known."""
    @property
    def declared_by(self) -> str:
        """The declaration that retired it: ``ca:<name>`` or ``sha256:<hex>``."""
    @property
    def retired(self) -> str:
        """When it was retired, as declared."""
    @property
    def note(self) -> Optional[str]:
        """The declaration's note."""

@final
class WouldFail:
    """One failure enforcement would block on."""

    @property
    def reference(self) -> str:
        """The artifact."""
    @property
    def class_(self) -> ClassName:
        """The class of the artifact, or of the signature."""
    @property
    def signature(self) -> Optional[str]:
        """The signature's digest, when the failure is a signature's."""
    @property
    def check(self) -> Optional[str]:
        """The check, failure kind or error code."""
    @property
    def reason(self) -> Optional[str]:
        """Why."""

@final
class LoggedFailure:
    """A check that failed with action ``log`` (not blocking, even under enforcement)."""

    @property
    def signature(self) -> Optional[str]:
        """The signature's digest."""
    @property
    def check(self) -> CheckName:
        """The check."""
    @property
    def error(self) -> Optional[str]:
        """Why it failed."""

@final
class Classification:
    """The class of one artifact under the rollout options, with what decided it (the
    ``posture`` member of the CLI's document)."""

    @property
    def class_(self) -> ClassName:
        """The class."""
    @property
    def in_policy(self) -> bool:
        """Whether the artifact passes: ``verified``, ``excepted`` or ``skippedByPolicy``."""
    @property
    def underlying(self) -> Optional[ClassName]:
        """For ``excepted``: the class it had."""
    @property
    def check(self) -> Optional[str]:
        """The check (``revocation``, ``expiry``, ...), failure kind or error code behind the
        class."""
    @property
    def reason(self) -> Optional[str]:
        """Why, for people."""
    @property
    def exception(self) -> Optional[AppliedException]:
        """The exception in force, for ``excepted``."""
    @property
    def expired_exceptions(self) -> list[AppliedException]:
        """Exceptions that name this failing artifact but have expired (never applied)."""
    @property
    def retired(self) -> Optional[RetiredMatch]:
        """The retired certificate, for ``retiredSigner``."""
    @property
    def would_fail(self) -> list[WouldFail]:
        """What enforcement would block on (empty when in policy)."""
    @property
    def logged(self) -> list[LoggedFailure]:
        """Checks that failed with action ``log``."""
    @property
    def warn_only(self) -> bool:
        """Whether the verification ran with ``warn_only=True``."""

@final
class ScannedArtifact:
    """One scanned artifact: where it came from, its class and who signed it."""

    @property
    def reference(self) -> str:
        """``registry/repository@<digest>``."""
    @property
    def class_(self) -> ClassName:
        """The class (the classification's)."""
    @property
    def in_policy(self) -> bool:
        """Whether it passes: ``verified``, ``excepted`` or ``skippedByPolicy``."""
    @property
    def repository(self) -> str:
        """The repository: the layout's scope, or the reference's repository."""
    @property
    def source(self) -> str:
        """Where it came from: the layout directory, or ``batch-file:line``."""
    @property
    def tags(self) -> list[str]:
        """Its tags: the layout's ``index.json``, or the batch line's ``tags``."""
    @property
    def classification(self) -> Classification:
        """The classification, with what decided it."""
    @property
    def signers(self) -> list[Optional[Signer]]:
        """The signer of each signature, in order (``None`` unless its integrity check
        passed)."""
    def to_json(self) -> str:
        """The line ``notaverify scan -o json`` prints for it."""

@final
class ScanSummary:
    """The counts of a scan."""

    @property
    def total(self) -> int:
        """Artifacts scanned."""
    @property
    def in_policy(self) -> int:
        """Artifacts in policy (``verified``, ``excepted``, ``skippedByPolicy``)."""
    @property
    def out_of_policy(self) -> int:
        """Artifacts out of policy."""
    @property
    def counts(self) -> dict[ClassName, int]:
        """Artifacts per class, every class."""
    @property
    def dual_signed(self) -> int:
        """Artifacts signed by both a retired and a current signer."""
    @property
    def at(self) -> str:
        """The scan time, RFC 3339 (exceptions are judged at it)."""
    @property
    def warn_only(self) -> bool:
        """Whether the scan was in warn mode (``warn_only=True``)."""
    @property
    def workloads_total(self) -> Optional[int]:
        """Deployed workload containers (``None`` without ``workloads``)."""
    @property
    def workloads_out_of_policy(self) -> Optional[int]:
        """Deployed workload containers out of policy, ``notScanned`` included (``None``
        without ``workloads``)."""
    @property
    def workload_counts(self) -> Optional[dict[WorkloadClassName, int]]:
        """Deployed workload containers per class, every class and ``notScanned`` (``None``
        without ``workloads``)."""
    @property
    def exit_status(self) -> int:
        """The exit status ``notaverify scan`` gives: 1 when an artifact or a deployed workload
        container is out of policy, unless in warn mode; else 0."""
    def to_json(self) -> str:
        """The summary line of ``notaverify scan -o json`` on the same inputs
        (``{"summary": {...}}``): counts in total, per class, per repository, per input
        source (``sources``) and per signer, the exceptions, the retired declarations,
        ``warnOnly``, the deployed workloads (``workloads``: counts in total, per class and per
        source), the progress since ``previous`` (``progress``), the time and the timing
        (``elapsedSeconds``, ``microsecondsPerArtifact``, ``jobs``: only these differ from run
        to run)."""

@final
class WorkloadContainer:
    """A deployed workload container of :meth:`Verifier.scan` ``(workloads=...)`` with the class
    of the scanned artifact it runs: a line of ``notaverify scan --workloads FILE -o json``."""

    @property
    def source(self) -> str:
        """The ``source`` of its file (default: the file's name): a cluster or subscription."""
    @property
    def kind(self) -> str:
        """``Deployment``, ``Pod``, ..., ``ContainerApp``, ``ContainerAppJob``, ``WebApp``,
        ``WebAppSlot``."""
    @property
    def namespace(self) -> str:
        """The Kubernetes namespace, or the Azure resource group."""
    @property
    def name(self) -> str:
        """The workload's name (for a pod its controller lists: the controller's)."""
    @property
    def container(self) -> str:
        """The container's name."""
    @property
    def container_type(self) -> Literal["container", "init", "ephemeral", "sidecar"]:
        """Which list of its workload it comes from."""
    @property
    def image(self) -> str:
        """The image as the workload names it."""
    @property
    def reference(self) -> Optional[str]:
        """The scanned artifact it resolved to (``registry/repository@digest``), or ``None``."""
    @property
    def resolved_by(self) -> Optional[Literal["digest", "tag"]]:
        """How it resolved (``None``: it did not)."""
    @property
    def normalised(self) -> bool:
        """Resolved through the Docker Hub normalised name (``nginx`` is
        ``docker.io/library/nginx``), not the name as written."""
    @property
    def class_(self) -> WorkloadClassName:
        """The artifact's class, or ``notScanned`` (out of policy)."""
    @property
    def in_policy(self) -> bool:
        """In policy (its artifact is; never for ``notScanned``)."""
    @property
    def underlying(self) -> Optional[ClassName]:
        """For ``excepted``: the artifact's class before the exception."""
    @property
    def check(self) -> Optional[str]:
        """The artifact's failing check."""
    @property
    def reason(self) -> Optional[str]:
        """Why: the artifact's reason, or why it is ``notScanned``."""
    def to_json(self) -> str:
        """The line ``notaverify scan --workloads FILE -o json`` prints for it."""

@final
class ScanIterator:
    """The artifacts of :meth:`Verifier.scan`, in input order (layouts, then batch files), as
    they are classified."""

    def __iter__(self) -> Iterator[ScannedArtifact]: ...
    def __next__(self) -> ScannedArtifact: ...
    @property
    def summary(self) -> Optional[ScanSummary]:
        """The summary, once every artifact has been yielded (``None`` before)."""
    @property
    def total(self) -> int:
        """Artifacts the scan has (after ``only`` and ``tagged_only``)."""
    @property
    def workloads(self) -> Optional[list[WorkloadContainer]]:
        """The deployed workload containers of ``workloads``, once every artifact has been
        yielded (``None`` before, and without ``workloads``), in the order of the CLI's lines."""
    @property
    def warnings(self) -> list[str]:
        """What ``notaverify scan`` warns about the workloads files (once finished): kinds it
        skipped, files without a container, web apps whose sidecars no file lists."""
    def close(self) -> None:
        """Stops the scan: nothing more is yielded, and there is no summary."""

def write_report(path: StrPath, scan: ScanIterator) -> None:
    """Writes the HTML report of ``scan``, iterated to the end, to ``path`` (replacing the
    file): the page ``notaverify scan --report FILE.html`` writes for the same inputs. A scan
    keeps what its report needs as it goes (a tally per input source and the first 500
    out-of-policy artifacts, with their signers), never every artifact. Raises
    :class:`InvalidInputError` before the scan has a ``summary`` (not iterated to the end,
    closed, or failed), :class:`NotaverifyError` (``code="LOAD"``) when the file cannot be
    written."""

def not_evaluated_document(reference: str, error: NotaverifyError, *, warn_only: bool = False) -> str:
    """The document ``notaverify verify -o json`` prints, with the same rollout options, when
    the request for ``reference`` could not be evaluated: ``error`` is what a ``verify*``
    method raised (exit status :data:`EXIT_NOT_EVALUATED`)."""

def _trust_store(config_dir: Optional[StrPath], added: list[tuple[str, str, bytes]]) -> TrustStore:
    """Hidden, for pickle: a :class:`TrustStore` from how it was built."""
def _revocation_evidence(
    crl_cache: Optional[StrPath], added: list[tuple[str, Optional[str], bytes]]
) -> RevocationEvidence:
    """Hidden, for pickle: :class:`RevocationEvidence` from how it was built."""
def _verifier(
    config_dir: Optional[StrPath],
    policy: Optional[TrustPolicy],
    trust_store: Optional[TrustStore],
    blob_policy: Optional[BlobTrustPolicy],
    revocation: Optional[RevocationEvidence],
) -> Verifier:
    """Hidden, for pickle: a :class:`Verifier` from a configuration directory or its parts."""
def _bench_verify_native(
    verifier: Verifier, envelope: ContentOrPath, *, reference: str, n: int, at: Optional[TimeInput] = None
) -> float: ...
def _fault_injection_panic() -> None: ...
