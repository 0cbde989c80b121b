"""The exceptions of notaverify.

Every exception the package raises on purpose derives from :class:`NotaverifyError`.
Errors about the *request* (a bad policy, trust store, envelope format or argument) also derive
from :class:`ValueError`; they mean "could not evaluate" (the CLI's exit status 2).
:class:`VerificationError` means "evaluated, and the artifact did not verify" (exit status 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from ._notaverify import Outcome

__all__ = [
    "NotaverifyError",
    "PolicyError",
    "TrustStoreError",
    "EnvelopeFormatError",
    "InvalidInputError",
    "VerificationError",
]


class NotaverifyError(Exception):
    """Base class of every notaverify error.

    ``code`` is the core's stable, machine-readable error code (``POLICY``,
    ``NO_APPLICABLE_POLICY``, ``TRUST_STORE``, ``CERTIFICATE``, ``ENVELOPE``, ``INVALID_INPUT``,
    ``LOAD``, ``LIMIT_EXCEEDED``, ``VERIFICATION_FAILED``, ``NO_SIGNATURE``,
    ``MAX_SIGNATURES_EXCEEDED`` or ``INTERNAL``).
    """

    code: str

    def __init__(self, message: str, code: str = "INTERNAL") -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        """The error message."""
        return str(self.args[0]) if self.args else ""


class PolicyError(NotaverifyError, ValueError):
    """The trust policy document is invalid, or no statement applies to the artifact
    (``code == "NO_APPLICABLE_POLICY"``)."""


class TrustStoreError(NotaverifyError, ValueError):
    """A trust store could not be built: an unreadable or invalid certificate, a bad store name."""


class EnvelopeFormatError(NotaverifyError, ValueError):
    """The signature envelope's format is unknown or cannot be inferred."""


class InvalidInputError(NotaverifyError, ValueError):
    """An argument is unusable (a reference without a digest, a bad descriptor, a missing file,
    an input over a limit), so the request cannot be evaluated."""


class VerificationError(NotaverifyError):
    """The artifact did not verify. ``outcome`` holds every signature and check that was tried."""

    outcome: Optional["Outcome"]

    def __init__(self, message: str, outcome: Optional["Outcome"] = None, code: str = "VERIFICATION_FAILED") -> None:
        super().__init__(message, code)
        self.outcome = outcome


# Public under the package name, so tracebacks read `notaverify.VerificationError: ...`.
for _cls in (NotaverifyError, PolicyError, TrustStoreError, EnvelopeFormatError, InvalidInputError, VerificationError):
    _cls.__module__ = "notaverify"
del _cls
