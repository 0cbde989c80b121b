#!/usr/bin/env python3
"""Deploy gate: verify an image's notation signatures before deploying it.

Exits like the ``notaverify`` CLI, so a deploy step can run it and stop on any non-zero status:

* 0: verified under the applicable trust policy (also level ``skip`` and logged-only failures,
  which are printed as warnings);
* 1: verification failed (no signature verified, none found, an enforced check failed);
* 2: could not evaluate (bad arguments, unreadable or invalid policy / trust store, no
  applicable policy statement, a reference without a digest, ...).

Examples::

    # an OCI image layout (e.g. from `oras copy --to-oci-layout` or a build), by tag or digest
    python deploy_gate.py --config-dir ~/.config/notation \\
        --oci-layout --scope registry.example/app build/layout:v1

    # envelope files for a digest reference
    python deploy_gate.py --signature sig.jws registry.example/app@sha256:4be9...

Requires ``pip install notaverify`` (or ``pip install ./bindings-python`` from this repo).
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

import notaverify

EXIT_VERIFIED = 0
EXIT_FAILED = 1
EXIT_ERROR = 2


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Verify notation signatures of an image before deploying it.")
    parser.add_argument("reference", help="registry/repo@sha256:<hex> with --signature; <dir>:<tag> or <dir>@<digest> with --oci-layout")
    parser.add_argument("--config-dir", help="notation configuration directory (default: $NOTATION_CONFIG, $XDG_CONFIG_HOME/notation, ~/.config/notation)")
    parser.add_argument("--signature", action="append", default=[], metavar="FILE", help="signature envelope file (repeatable)")
    parser.add_argument("--oci-layout", action="store_true", help="REFERENCE names a target in an OCI image layout")
    parser.add_argument("--scope", help="registry/repository that selects the trust policy statement (with --oci-layout)")
    parser.add_argument("-m", "--user-metadata", action="append", default=[], metavar="K=V", help="required signed annotation (repeatable)")
    parser.add_argument("--at", help="verification time (RFC 3339); default: now")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON on stdout")
    args = parser.parse_args(argv)
    if args.oci_layout == bool(args.signature):
        parser.error("give either --oci-layout or at least one --signature")
    if args.oci_layout and not args.scope:
        parser.error("--scope is required with --oci-layout")
    return args


def split_layout_reference(raw: str) -> tuple[str, str]:
    """``<dir>@<digest>`` or ``<dir>:<tag>`` -> (dir, digest or tag), as notation splits them."""
    sep = "@" if "@" in raw else ":"
    directory, _, target = raw.rpartition(sep)
    if not directory or not target:
        raise notaverify.InvalidInputError(f"{raw!r} is not <dir>:<tag> or <dir>@<digest>", "INVALID_INPUT")
    return directory, target


def user_metadata(pairs: Sequence[str]) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise notaverify.InvalidInputError(f"user metadata {pair!r} is not KEY=VALUE", "INVALID_INPUT")
        metadata[key] = value
    return metadata


def verify(args: argparse.Namespace) -> notaverify.Outcome:
    verifier = notaverify.Verifier.from_config_dir(args.config_dir)
    metadata = user_metadata(args.user_metadata)
    if args.oci_layout:
        directory, target = split_layout_reference(args.reference)
        return verifier.verify_oci_layout(directory, reference=target, scope=args.scope, user_metadata=metadata, at=args.at)
    return verifier.verify_artifact(args.reference, args.signature, user_metadata=metadata, at=args.at)


def report(outcome: notaverify.Outcome) -> None:
    if outcome.skipped:
        print(f"Trust policy is configured to skip signature verification for {outcome.reference}", file=sys.stderr)
        return
    for check in outcome.logged_failures:
        print(f"Warning: {check.type} was set to \"log\" and failed with error: {check.error}", file=sys.stderr)
    print(f"Successfully verified signature for {outcome.reference}", file=sys.stderr)
    if outcome.user_metadata:
        for key, value in sorted(outcome.user_metadata.items()):
            print(f"  {key} = {value}", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    try:
        outcome = verify(args)
        if args.json:
            print(outcome.to_json())
        report(outcome.require_verified())
        return EXIT_VERIFIED
    except notaverify.VerificationError as e:
        print(f"Error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except notaverify.NotaverifyError as e:
        print(f"Error ({e.code}): {e}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as e:  # never let an unexpected failure look like success
        print(f"Error: unexpected {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
