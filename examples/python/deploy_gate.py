#!/usr/bin/env python3
"""Deploy gate: verify an image's notation signatures before deploying it.

The Python twin of ``notaverify verify``: it takes the same arguments, prints the same JSON
document with ``-o json``, and exits with the same status, so a deploy script can switch
between the two without changing anything else.

Rollout, in three phases:

1. **Sign-only inventory.** Nothing is verified at deploy time yet. Take stock of what is
   signed, by whom, and with which material: ``notaverify scan`` (every image of a layout or a
   batch, one class each) and ``notaverify inspect`` (one signature).
2. **Verify-warn.** Run this gate with ``--warn-only``: it verifies and classifies, never blocks
   (exit 0 for any evaluated verdict), and writes one structured log line on stderr,
   ``notaverify-gate {"phase": "verify-warn", "wouldBlock": ..., "class": ..., "wouldFail": [...]}``,
   for the log pipeline to count what enforcement *would* block. Add ``--exceptions FILE``
   (owners and deadlines for known gaps) and ``--retired FILE`` (rotated-out signing material).
3. **Verify-enforce.** Drop ``--warn-only``: an artifact out of policy exits 1 and the deploy
   stops. Exceptions still excuse what they name, until their deadline.

Exit status, as the CLI: 0 in policy (verified, excepted, skipped by policy) or any evaluated
verdict with ``--warn-only``; 1 out of policy; 2 not evaluated (bad arguments, unreadable or
invalid policy / trust store / rollout file, no applicable policy statement, ...), also with
``--warn-only``.

Examples::

    # envelope files for a digest reference
    python deploy_gate.py --config-dir ~/.config/notation \\
        --signature sig.jws registry.example/app@sha256:4be9...

    # an OCI image layout, by tag or digest; warn mode with exceptions
    python deploy_gate.py --config-dir ~/.config/notation --warn-only --exceptions exceptions.json \\
        --oci-layout --scope registry.example/app build/layout:v1

Requires ``pip install notaverify`` (or ``pip install ./bindings-python`` from this repo).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

import notaverify

#: The prefix of the structured log line of verify-warn.
LOG_PREFIX = "notaverify-gate"


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Verify notation signatures of an image before deploying it.")
    parser.add_argument("reference", help="registry/repo@sha256:<hex> with --signature; <dir>:<tag> or <dir>@<digest> with --oci-layout")
    parser.add_argument("--signature", action="append", default=[], metavar="FILE", help="signature envelope file (repeatable)")
    parser.add_argument("--oci-layout", action="store_true", help="REFERENCE names a target in an OCI image layout")
    parser.add_argument("--scope", metavar="REPO", help="registry/repository that selects the trust policy statement (with --oci-layout)")
    parser.add_argument("--all-signatures", action="store_true", help="evaluate every signature, even after one verified")
    parser.add_argument("-m", "--user-metadata", action="append", default=[], metavar="K=V", help="required signed annotation (repeatable)")
    parser.add_argument("--max-signatures", type=int, default=100, metavar="N", help="most signatures tried (default 100)")
    parser.add_argument("--at", metavar="RFC3339", help="verification time; default: now")
    parser.add_argument("--crl", action="append", default=[], metavar="FILE", help="CRL file (repeatable)")
    parser.add_argument("--ocsp-response", action="append", default=[], metavar="FILE", help="OCSP response file (repeatable)")
    parser.add_argument("--crl-cache", metavar="DIR", help="notation's CRL file cache")
    parser.add_argument("--config-dir", metavar="DIR", help="notation configuration directory (default: $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation, ~/.config/notation)")
    parser.add_argument("--trust-policy", metavar="FILE", help="OCI trust policy file (default: the configuration directory's)")
    parser.add_argument("-o", "--output", choices=["text", "json"], default="text", help="text (default) or json on stdout")
    parser.add_argument("--warn-only", action="store_true", help="verify-warn: never block an evaluated artifact (exit 0); log what enforcement would block")
    parser.add_argument("--exceptions", metavar="FILE", help="exceptions file (owners, reasons, deadlines)")
    parser.add_argument("--retired", metavar="FILE", help="retired trust material file")
    args = parser.parse_args(argv)
    if args.oci_layout and args.signature:
        parser.error("--signature cannot be used with --oci-layout")
    if args.oci_layout != bool(args.scope):
        parser.error("--oci-layout and --scope go together")
    return args


def invalid_input(message: str) -> notaverify.InvalidInputError:
    """A request the CLI refuses before verifying, worded as the core words invalid input."""
    return notaverify.InvalidInputError(f"invalid input: {message}", "INVALID_INPUT")


def user_metadata(pairs: Sequence[str]) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise invalid_input(f"user metadata {pair!r} is not KEY=VALUE")
        if key in metadata:
            raise invalid_input(f"--user-metadata key {json.dumps(key)} is given more than once")
        metadata[key] = value
    return metadata


def revocation(args: argparse.Namespace) -> Optional[notaverify.RevocationEvidence]:
    if not (args.crl or args.ocsp_response or args.crl_cache):
        return None
    evidence = notaverify.RevocationEvidence.from_crl_cache(args.crl_cache) if args.crl_cache else notaverify.RevocationEvidence()
    for path in args.crl:
        evidence.add_crl(path)
    for path in args.ocsp_response:
        evidence.add_ocsp_response(path)
    return evidence


def verifier(args: argparse.Namespace) -> notaverify.Verifier:
    if args.trust_policy is None:
        return notaverify.Verifier.from_config_dir(args.config_dir)
    store = notaverify.TrustStore.from_config_dir(args.config_dir) if args.config_dir else notaverify.TrustStore()
    return notaverify.Verifier(notaverify.TrustPolicy.from_file(args.trust_policy), store)


def split_layout_reference(raw: str) -> tuple[str, str]:
    """``<dir>@<digest>`` or ``<dir>:<tag>`` -> (dir, digest or tag), as notation splits them."""
    sep = "@" if "@" in raw else ":"
    directory, _, target = raw.rpartition(sep)
    if not directory or not target:
        raise invalid_input(f"{raw!r} is not <dir>:<tag> or <dir>@<digest>")
    return directory, target


def verify(args: argparse.Namespace) -> notaverify.Outcome:
    """Verifies as ``notaverify verify`` with the same arguments; raises what it reports as
    not evaluated."""
    exceptions = notaverify.Exceptions.from_file(args.exceptions) if args.exceptions else None
    retired = notaverify.RetiredMaterial.from_file(args.retired, config_dir=args.config_dir) if args.retired else None
    options = dict(
        user_metadata=user_metadata(args.user_metadata),
        at=args.at,
        revocation=revocation(args),
        all_signatures=args.all_signatures,
        exceptions=exceptions,
        retired=retired,
        warn_only=args.warn_only,
    )
    if not args.oci_layout and not args.signature:
        raise invalid_input("give the signature envelopes with --signature FILE, or verify an OCI layout with --oci-layout")
    v = verifier(args)
    if args.oci_layout:
        directory, target = split_layout_reference(args.reference)
        return v.verify_oci_layout(directory, reference=target, scope=args.scope, max_signatures=args.max_signatures, **options)
    return v.verify_artifact(args.reference, args.signature, max_signatures=args.max_signatures, **options)


def log_warn_phase(outcome: notaverify.Outcome) -> None:
    """The verify-warn log line: one JSON object a log pipeline can count."""
    c = outcome.classification
    if c is None:
        return
    record = {
        "phase": "verify-warn",
        "reference": outcome.reference,
        "class": c.class_,
        "wouldBlock": not c.in_policy,
        "wouldFail": [{"class": w.class_, "signature": w.signature, "check": w.check, "reason": w.reason} for w in c.would_fail],
        "exception": None if c.exception is None else {"scope": c.exception.scope, "owner": c.exception.owner, "daysLeft": c.exception.days_left},
    }
    print(f"{LOG_PREFIX} {json.dumps(record, sort_keys=True)}", file=sys.stderr)


def report_text(outcome: notaverify.Outcome) -> None:
    c = outcome.classification
    if c is not None and not c.in_policy:
        print(f"Error: {outcome.reference} is out of policy ({c.class_}): {c.reason}", file=sys.stderr)
    elif c is None and not outcome.verified:
        print(f"Error: {outcome.reference} failed verification: {outcome.error.message if outcome.error else 'no signature verified'}", file=sys.stderr)
    elif outcome.skipped:
        print(f"Trust policy is configured to skip signature verification for {outcome.reference}")
    else:
        print(f"Successfully verified signature for {outcome.reference}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        outcome = verify(args)
    except notaverify.NotaverifyError as e:
        if args.output == "json":
            print(notaverify.not_evaluated_document(args.reference, e, warn_only=args.warn_only))
        print(f"Error: {e}", file=sys.stderr)
        return notaverify.EXIT_NOT_EVALUATED
    except Exception as e:  # never let an unexpected failure look like success
        print(f"Error: unexpected {type(e).__name__}: {e}", file=sys.stderr)
        return notaverify.EXIT_NOT_EVALUATED
    if args.output == "json":
        print(outcome.to_json())
    else:
        report_text(outcome)
    if args.warn_only:
        log_warn_phase(outcome)
    return outcome.exit_status


if __name__ == "__main__":
    sys.exit(main())
